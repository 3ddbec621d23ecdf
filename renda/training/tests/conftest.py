"""Fixtures of the training tests: the county's 18th congress and 黄泥塘镇's, 王芳 and 李明 serving,
a published 2024 plan, and the one-week Fudan course (a closed-able multi-day off-site session)."""

import datetime
from decimal import Decimal

import pytest

from renda.deputies.services import congress_create, mandate_create
from renda.training import services
from renda.training.models import TrainingForm

TERM_START = datetime.date(2021, 12, 28)


@pytest.fixture
def congresses(regions):
    return {
        "county": congress_create(level="county", region=regions["county"], term=18, starts_on=TERM_START),
        "township": congress_create(
            level="township", region=regions["huangnitang"], term=17, starts_on=TERM_START
        ),
    }


@pytest.fixture
def serving(deputies, congresses):
    mandate_create(deputy=deputies["wang"], congress=congresses["county"])
    mandate_create(deputy=deputies["wang"], congress=congresses["township"])
    mandate_create(deputy=deputies["li"], congress=congresses["county"])
    return deputies


@pytest.fixture
def plan(congresses, users):
    plan = services.training_plan_create(
        actor=users["county_staff"], congress=congresses["county"], year=2024
    )
    services.plan_item_add(
        actor=users["county_staff"],
        plan=plan,
        topic="复旦大学代表履职能力提升专题培训",
        target_group="县人大代表",
        form=TrainingForm.OFFSITE_COURSE,
        planned_month=6,
        budget=Decimal("180000.00"),
    )
    services.plan_item_add(
        actor=users["county_staff"],
        plan=plan,
        topic="基层立法联络工作能力培训",
        target_group="基层立法联络站工作人员、联络员",
        form=TrainingForm.CONCENTRATED,
        planned_month=4,
        budget=Decimal("12000"),
    )
    services.training_plan_transition(actor=users["county_staff"], plan=plan, action="approve")
    return plan


@pytest.fixture
def fudan(plan, serving, users, congresses):
    """六月 17–21 日 at 复旦大学, 5 days of 6 hours; 王芳, 李明 and county_staff enrolled."""
    item = plan.items.get(form=TrainingForm.OFFSITE_COURSE)
    session = services.training_session_create(
        actor=users["county_staff"],
        congress=congresses["county"],
        title="大方县人大代表履职能力提升专题培训班",
        form=TrainingForm.OFFSITE_COURSE,
        organizer="复旦大学继续教育学院",
        place="上海市 复旦大学",
        starts_on=datetime.date(2024, 6, 17),
        ends_on=datetime.date(2024, 6, 21),
        plan_item=item,
    )
    services.attendees_add(
        actor=users["county_staff"],
        session=session,
        deputies=[serving["wang"], serving["li"]],
        users=[users["county_staff"]],
    )
    return session


def marks_for(session, hours_by_name: dict[str, list]) -> dict:
    """{(attendee_id, day_id): hours} from {name: [hours per day, in order]} ("" = absent)."""
    days = list(session.days.order_by("date"))
    marks = {}
    for attendee in session.attendees.all():
        for day, value in zip(days, hours_by_name.get(attendee.name, []), strict=False):
            marks[(attendee.pk, day.pk)] = value
    return marks
