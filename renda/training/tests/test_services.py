"""Training services: plan states, sessions over several days, hours per attendee, the duty record."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.notifications.models import Notification
from renda.training import selectors, services
from renda.training.models import Attendance, TrainingForm, TrainingPlan, TrainingSession

from .conftest import marks_for

pytestmark = pytest.mark.django_db

FUDAN_HOURS = {
    "王芳": ["6", "6", "6", "3", "6"],  # left at noon on Thursday
    "李明": ["6", "", "6", "6", "6"],  # absent on Tuesday
    "county_staff": ["6", "6", "6", "6", "6"],
}


def test_plan_cycle_and_its_refusals(congresses, users, serving, django_capture_on_commit_callbacks):
    staff = users["county_staff"]
    plan = services.training_plan_create(actor=staff, congress=congresses["county"], year=2024)
    assert plan.title == "大方县第十八届2024年度代表履职培训计划"
    with pytest.raises(DomainError) as exc:
        services.training_plan_transition(actor=staff, plan=plan, action="approve")
    assert exc.value.field == "items"
    with pytest.raises(InvalidTransition):
        services.training_plan_transition(actor=staff, plan=plan, action="publish")
    services.plan_item_add(
        actor=staff,
        plan=plan,
        topic="集中学习",
        target_group="全体代表",
        form="concentrated",
        planned_month=3,
    )
    services.training_plan_transition(actor=staff, plan=plan, action="approve")
    with pytest.raises(InvalidTransition):
        services.plan_item_add(
            actor=staff, plan=plan, topic="再加", target_group="全体", form="online", planned_month=5
        )
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.training_plan_transition(actor=staff, plan=plan, action="publish")
    # 王芳 (the deputy account) serves in this congress: she is told once.
    sent = Notification.objects.filter(kind="training.plan_published")
    assert [n.user.username for n in sent] == ["deputy"] and "/training/mine/" in sent[0].url
    assert plan.state == TrainingPlan.State.PUBLISHED and plan.published_at is not None
    with pytest.raises(DomainError) as exc:
        services.training_plan_create(actor=staff, congress=congresses["county"], year=2024)
    assert exc.value.field == "year"
    assert AuditEntry.objects.filter(action="training_plan.publish").count() == 1


@pytest.mark.parametrize(
    ("month", "budget", "field"),
    [(13, Decimal("0"), "planned_month"), (0, Decimal("0"), "planned_month"), (3, Decimal("-1"), "budget")],
)
def test_plan_item_bad_input_names_the_field(congresses, users, month, budget, field):
    plan = services.training_plan_create(
        actor=users["county_staff"], congress=congresses["county"], year=2025
    )
    with pytest.raises(DomainError) as exc:
        services.plan_item_add(
            plan=plan, topic="培训", target_group="代表", form="online", planned_month=month, budget=budget
        )
    assert exc.value.field == field
    assert not plan.items.exists()


def test_session_has_one_day_per_calendar_day(fudan):
    days = list(fudan.days.order_by("date"))
    assert [d.date.day for d in days] == [17, 18, 19, 20, 21]
    assert all(d.hours == Decimal("6") for d in days)
    assert fudan.attendees.count() == 3


def test_session_end_before_start_is_refused(congresses, users):
    with pytest.raises(DomainError) as exc:
        services.training_session_create(
            congress=congresses["county"],
            title="兴义市考察学习",
            form=TrainingForm.STUDY_VISIT,
            organizer="县人大常委会办公室",
            place="兴义市",
            starts_on=datetime.date(2024, 9, 10),
            ends_on=datetime.date(2024, 9, 8),
        )
    assert exc.value.field == "ends_on"
    assert not TrainingSession.objects.exists()


def test_draft_plan_item_cannot_be_realised(congresses, users):
    plan = services.training_plan_create(
        actor=users["county_staff"], congress=congresses["county"], year=2026
    )
    item = services.plan_item_add(
        plan=plan, topic="线上学习", target_group="代表", form="online", planned_month=2
    )
    with pytest.raises(DomainError) as exc:
        services.training_session_create(
            congress=congresses["county"],
            title="线上",
            form="online",
            organizer="县人大",
            place="线上",
            starts_on=datetime.date(2026, 2, 1),
            ends_on=datetime.date(2026, 2, 1),
            plan_item=item,
        )
    assert exc.value.field == "plan_item"


@time_machine.travel(datetime.datetime(2024, 6, 25, 9, 0, tzinfo=datetime.UTC))
def test_hours_per_deputy_across_a_multi_day_offsite_session(fudan, serving, users):
    """The done-when test: per-day attendance over a five-day course adds up per attendee; closing
    writes one training duty record per deputy with those hours, none for the staff member."""
    result = services.attendance_record(
        actor=users["county_staff"], session=fudan, marks=marks_for(fudan, FUDAN_HOURS)
    )
    assert result == {"present": 14, "hours": Decimal("81")}
    wang = selectors.deputy_training_hours(deputy=serving["wang"], year=2024)
    li = selectors.deputy_training_hours(deputy=serving["li"], year=2024)
    assert wang == {"year": Decimal("27"), "term": Decimal("27"), "sessions": 1}
    assert li["year"] == Decimal("24")
    assert selectors.deputy_training_hours(deputy=serving["wang"], year=2023)["year"] == Decimal("0")

    services.training_session_close(actor=users["county_staff"], session=fudan)
    records = DutyRecord.objects.filter(kind=DutyRecord.Kind.TRAINING).order_by("deputy__name")
    assert [(r.deputy.name, r.quantity, r.unit, r.occurred_on) for r in records] == [
        ("李明", Decimal("24.0"), "学时", datetime.date(2024, 6, 21)),
        ("王芳", Decimal("27.0"), "学时", datetime.date(2024, 6, 21)),
    ]
    assert all(r.source_type == "training.attendee" for r in records)
    fudan.refresh_from_db()
    assert fudan.state == TrainingSession.State.CLOSED
    # Closed: attendance is frozen and closing again is refused, so nobody counts twice.
    with pytest.raises(InvalidTransition):
        services.attendance_record(session=fudan, marks={})
    with pytest.raises(InvalidTransition):
        services.training_session_close(session=fudan)
    assert DutyRecord.objects.filter(kind=DutyRecord.Kind.TRAINING).count() == 2
    # The plan item counts as held now.
    item = next(i for i in selectors.plan_items(plan=fudan.plan_item.plan) if i.pk == fudan.plan_item_id)
    assert item.held


@time_machine.travel(datetime.datetime(2024, 6, 25, 9, 0, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    ("value", "message"),
    [("7", "不能超过"), ("abc", "须为数字"), ("-1", "须为数字"), ("2.25", "一位小数"), ("NaN", "须为数字")],
)
def test_bad_hours_are_refused_and_nothing_is_written(fudan, users, value, message):
    marks = marks_for(fudan, FUDAN_HOURS)
    key = next(iter(marks))
    marks[key] = value
    with pytest.raises(DomainError) as exc:
        services.attendance_record(session=fudan, marks=marks)
    assert message in exc.value.message
    assert exc.value.field == f"a{key[0]}_d{key[1]}"
    assert not Attendance.objects.exists()


def test_marks_of_another_session_are_refused(fudan, congresses, users):
    other = services.training_session_create(
        congress=congresses["county"],
        title="以会代训",
        form=TrainingForm.BY_MEETING,
        organizer="县人大常委会",
        place="县人大常委会会议室",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 1),
    )
    attendee = fudan.attendees.first()
    with pytest.raises(DomainError):
        services.attendance_record(session=fudan, marks={(attendee.pk, other.days.get().pk): "3"})


def test_close_before_the_end_or_without_attendance_is_refused(fudan, users):
    with time_machine.travel(datetime.datetime(2024, 6, 20, 9, 0, tzinfo=datetime.UTC)):
        with pytest.raises(DomainError) as exc:
            services.training_session_close(session=fudan)
        assert exc.value.field == "ends_on"
    with time_machine.travel(datetime.datetime(2024, 7, 1, 9, 0, tzinfo=datetime.UTC)):
        with pytest.raises(DomainError) as exc:
            services.training_session_close(session=fudan)
        assert exc.value.field == "attendance"
    assert not DutyRecord.objects.exists()


def test_reducing_a_day_below_recorded_hours_is_refused(fudan, users):
    services.attendance_record(session=fudan, marks=marks_for(fudan, FUDAN_HOURS))
    day = fudan.days.order_by("date").first()
    with pytest.raises(DomainError) as exc:
        services.training_day_update(day=day, hours=Decimal("4"))
    assert exc.value.field == "hours"
    services.training_day_update(day=fudan.days.order_by("date").last(), hours=Decimal("6"), agenda="结业式")


def test_attendees_add_skips_the_enrolled(fudan, serving, users):
    assert services.attendees_add(session=fudan, deputies=[serving["wang"]]) == 0
    with pytest.raises(DomainError):
        services.attendees_add(session=fudan)


@time_machine.travel(datetime.datetime(2024, 6, 25, 9, 0, tzinfo=datetime.UTC))
def test_correction_after_closing_withdraws_and_rewrites_the_records(fudan, serving, users):
    """Reopen (更正考勤) withdraws each deputy's training record with the reason; closing again writes
    the corrected hours; the spine counts only the live records."""
    staff = users["county_staff"]
    marks = marks_for(fudan, FUDAN_HOURS)
    services.attendance_record(actor=staff, session=fudan, marks=marks)
    services.training_session_close(actor=staff, session=fudan)
    with pytest.raises(DomainError) as exc:
        services.training_session_reopen(actor=staff, session=fudan, reason=" ")
    assert exc.value.field == "reason"
    services.training_session_reopen(actor=staff, session=fudan, reason="李明周二实际到课")
    li = fudan.attendees.get(deputy=serving["li"])
    tuesday = fudan.days.order_by("date")[1]
    marks[(li.pk, tuesday.pk)] = "6"
    services.attendance_record(actor=staff, session=fudan, marks=marks)
    services.training_session_close(actor=staff, session=fudan)
    records = DutyRecord.objects.filter(kind=DutyRecord.Kind.TRAINING, deputy=serving["li"])
    assert sorted((r.quantity, r.withdrawn_at is not None) for r in records) == [
        (Decimal("24.0"), True),
        (Decimal("30.0"), False),
    ]
    assert "李明周二实际到课" in records.get(withdrawn_at__isnull=False).withdrawal_reason
    with pytest.raises(InvalidTransition):
        services.training_session_reopen(
            actor=staff,
            session=TrainingSession.objects.create(
                congress=fudan.congress,
                title="x",
                form="online",
                organizer="x",
                place="x",
                starts_on=datetime.date(2024, 1, 1),
                ends_on=datetime.date(2024, 1, 1),
            ),
            reason="x",
        )


def test_attendees_are_the_sessions_congress_deputies_and_own_staff(fudan, serving, users, regions, client):
    """Issue 15 §1/§4: the pickers offer, and attendees_add accepts, only the session's congress's
    serving deputies in the actor's scope and the actor's own staff accounts; others are not found."""
    from renda.accounts.services import user_create
    from renda.conftest import PASSWORD
    from renda.core.access import Role
    from renda.deputies.services import deputy_create

    stranger = deputy_create(name="张伟", gender="male", region=regions["other_county"])
    other_staff = user_create(
        username="qx_staff", password=PASSWORD, role=Role.COUNTY_STAFF, region=regions["other_county"]
    )
    staff = users["county_staff"]
    for kwargs, field in (({"deputies": [stranger]}, "deputies"), ({"users": [other_staff]}, "staff")):
        with pytest.raises(DomainError, match="未找到所选") as refused:
            services.attendees_add(actor=staff, session=fudan, **kwargs)
        assert (refused.value.field, refused.value.status) == (field, 404)
    assert not fudan.attendees.filter(name__in=["张伟", "qx_staff"]).exists()

    client.force_login(staff)
    page = client.get(f"/training/sessions/{fudan.pk}/").content.decode()
    assert f'name="for_session" value="{fudan.pk}"' in page and "/pick/training-deputy/" in page
    found = client.get("/pick/training-deputy/", {"q": "王", "field": "deputies", "for_session": fudan.pk})
    assert f'value="{serving["wang"].pk}"' in found.content.decode()
    assert (
        "张伟"
        not in client.get(
            "/pick/training-deputy/", {"q": "张", "field": "deputies", "for_session": fudan.pk}
        ).content.decode()
    )
    assert (
        "qx_staff" not in client.get("/pick/training-staff/", {"q": "qx", "field": "staff"}).content.decode()
    )
    client.force_login(other_staff)
    found = client.get("/pick/training-deputy/", {"q": "王", "field": "deputies", "for_session": fudan.pk})
    assert f'value="{serving["wang"].pk}"' not in found.content.decode()
