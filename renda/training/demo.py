"""Demo data for training: the county congress's 2024 training plan (approved and published) and the
sessions that realised it, with realistic attendance (not everyone comes, some leave early):

- 基层立法联络工作能力培训 (two days in April, at the county),
- the one-week 复旦大学 course for deputies (17–21 June, 5 days of 6 hours),
- the 兴义市 study visit on liaison stations (three days in September),
- an online study of the revised 代表法 (November, left open: attendance still being checked),
- this year's 以会代训 at the congress session, so that the portal shows hours this year.

Idempotent: nothing is added when the 2024 plan exists.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Congress, Deputy, Level

from . import services
from .models import TrainingForm, TrainingPlan

YEAR = 2024
ITEMS = [
    ("以会代训：县十八届人大三次会议代表学习", "全体县人大代表", TrainingForm.BY_MEETING, 1, "20000"),
    (
        "基层立法联络工作能力培训",
        "基层立法联络站（室）工作人员、信息员及部分县人大代表",
        TrainingForm.CONCENTRATED,
        4,
        "30000",
    ),
    (
        "复旦大学县人大代表履职能力提升专题培训班",
        "部分县人大代表和人大机关干部",
        TrainingForm.OFFSITE_COURSE,
        6,
        "268000",
    ),
    (
        "赴兴义市考察学习代表联络站建设和基层立法联络工作",
        "部分县人大代表、乡镇人大主席",
        TrainingForm.STUDY_VISIT,
        9,
        "65000",
    ),
    ("线上学习：新修改的代表法", "全体县人大代表", TrainingForm.ONLINE, 11, "0"),
]


def _deputies(congress: Congress, linked: Deputy | None, rng: random.Random, count: int) -> list[Deputy]:
    pool = list(
        Deputy.objects.filter(mandates__congress=congress, mandates__status="serving").order_by(
            "stroke_key", "id"
        )
    )
    chosen = rng.sample(pool, min(count, len(pool)))
    if linked is not None and linked in pool and linked not in chosen:
        chosen[0] = linked
    return chosen


def _attend(session, rng: random.Random, *, absent: float, early: float, keep: set[int] = frozenset()):
    """Marks for every attendee: absent from the whole session with probability `absent`, missing a
    half day with probability `early` per day; attendees in `keep` (the demo deputy) attend fully."""
    days = list(session.days.order_by("date"))
    marks = {}
    for attendee in session.attendees.all():
        full = attendee.deputy_id in keep
        if not full and rng.random() < absent:
            continue
        for day in days:
            hours = day.hours
            if not full and rng.random() < early:
                hours = day.hours / 2
            marks[(attendee.pk, day.pk)] = str(hours)
    return marks


def seed(*, stdout) -> None:
    congress = Congress.objects.filter(level=Level.COUNTY, region__code="520521", term=18).first()
    if congress is None or TrainingPlan.objects.filter(congress=congress, year=YEAR).exists():
        return
    staff = User.objects.filter(username="county_staff").first()
    staff_attendees = list(User.objects.filter(username__in=["county_staff", "township_staff"]))
    linked = Deputy.objects.filter(user__username="deputy").first()
    rng = random.Random(2024)  # noqa: S311 - the same demo every time

    plan = services.training_plan_create(actor=staff, congress=congress, year=YEAR)
    items = [
        services.plan_item_add(
            actor=staff,
            plan=plan,
            topic=topic,
            target_group=group,
            form=form,
            planned_month=month,
            budget=Decimal(budget),
        )
        for topic, group, form, month, budget in ITEMS
    ]
    services.training_plan_transition(actor=staff, plan=plan, action="approve")
    services.training_plan_transition(actor=staff, plan=plan, action="publish")
    keep = {linked.pk} if linked else set()

    def session(
        item, *, title, form, organizer, place, starts, ends, hours, count, absent, early, close=True
    ):
        s = services.training_session_create(
            actor=staff,
            congress=congress,
            plan_item=item,
            title=title,
            form=form,
            organizer=organizer,
            place=place,
            starts_on=starts,
            ends_on=ends,
            day_hours=Decimal(hours),
        )
        services.attendees_add(
            actor=staff, session=s, deputies=_deputies(congress, linked, rng, count), users=staff_attendees
        )
        services.attendance_record(
            actor=staff, session=s, marks=_attend(s, rng, absent=absent, early=early, keep=keep)
        )
        if close:
            services.training_session_close(actor=staff, session=s)
        return s

    session(
        items[1],
        title="2024年基层立法联络工作能力培训班",
        form=TrainingForm.CONCENTRATED,
        organizer="县人大常委会法制工作委员会",
        place="县人大常委会机关三楼会议室",
        starts=datetime.date(2024, 4, 18),
        ends=datetime.date(2024, 4, 19),
        hours="6",
        count=40,
        absent=0.08,
        early=0.05,
    )
    fudan = session(
        items[2],
        title="大方县人大代表履职能力提升专题培训班",
        form=TrainingForm.OFFSITE_COURSE,
        organizer="复旦大学继续教育学院",
        place="上海市杨浦区 复旦大学",
        starts=datetime.date(2024, 6, 17),
        ends=datetime.date(2024, 6, 21),
        hours="6",
        count=45,
        absent=0.04,
        early=0.03,
    )
    for day, agenda in zip(
        fudan.days.order_by("date"),
        [
            "开班式；全过程人民民主的理论与实践",
            "人大代表如何提出高质量建议",
            "预算审查监督",
            "基层治理案例教学",
            "现场教学；结业式",
        ],
        strict=True,
    ):
        day.agenda = agenda
        day.save(update_fields=["agenda"])
    session(
        items[3],
        title="赴兴义市考察学习代表联络站建设",
        form=TrainingForm.STUDY_VISIT,
        organizer="县人大常委会代表工作委员会",
        place="黔西南州兴义市",
        starts=datetime.date(2024, 9, 10),
        ends=datetime.date(2024, 9, 12),
        hours="5",
        count=20,
        absent=0.1,
        early=0.05,
    )
    session(
        items[4],
        title="线上学习：新修改的代表法",
        form=TrainingForm.ONLINE,
        organizer="县人大常委会代表工作委员会",
        place="“人大履职通”线上课堂",
        starts=datetime.date(2024, 11, 20),
        ends=datetime.date(2024, 11, 20),
        hours="2",
        count=60,
        absent=0.15,
        early=0.0,
        close=False,
    )
    today = timezone.localdate()
    if today.year > YEAR:
        day = datetime.date(today.year, 1, 9)
        if day >= today:
            day = today - datetime.timedelta(days=1)
        session(
            None,
            title=f"{today.year}年县人大会议期间代表以会代训",
            form=TrainingForm.BY_MEETING,
            organizer="县人大常委会办公室",
            place="大方县会议中心",
            starts=day,
            ends=day,
            hours="3",
            count=80,
            absent=0.05,
            early=0.0,
        )
    stdout.write(f"履职培训：{YEAR}年度培训计划 {len(items)} 项，培训班次 4–5 期及考勤")
