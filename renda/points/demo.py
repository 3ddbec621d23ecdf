"""Demo points of 大方县 for 2024: the county congress's scheme in the spirit of
《大方县人大代表履职积分管理办法》 (2024) — a base of 60 plus additions in four areas (参与监督,
学习培训, 联系群众, 履职成效), deductions for absence and leave, four grades —, the ledger for 2024
computed from every duty record the other demo modules wrote, the four quarterly 公示 (the fourth
still open for objections), and a few objections.

Runs last in seed_demo (it reads the records every other module wrote). Idempotent: nothing is added
once the 2024 scheme exists; deterministic.
"""

import datetime
import random

from django.utils import timezone

from renda.accounts.models import User
from renda.core.access import Role
from renda.deputies.models import Congress, Deputy, Level, Mandate
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_review

from . import publications, services
from .models import Objection, Scheme

YEAR = 2024

ATTEND = ["inspection", "survey", "law_inspection", "inquiry", "joint_inspection", "supervision", "campaign"]

# The scheme as its JSON document (docs/points-schemes.md). Source: the shape of 《大方县人大代表履职
# 积分管理办法》 (2024): base 60 plus additions, area caps, deductions, grades; the figures are the demo's.
DOCUMENT = {
    "format": "renda.points.scheme/1",
    "name": "大方县人大代表履职积分管理办法（2024年）",
    "year": YEAR,
    "text": (
        "第一条　为激励代表依法履职，变“要我履职”为“我要履职”，结合本县实际，制定本办法。\n"
        "第二条　代表履职积分实行基础分加履职加分，基础分60分，按任职时间折算；履职加分分参与监督、"
        "学习培训、联系群众、履职成效四类，各类设上限。\n"
        "第三条　无故缺席会议或活动每次扣5分；请假每半天扣1分。\n"
        "第四条　年度积分80分以上为“好”，70分以上不足80分为“较好”，60分以上不足70分为“一般”，"
        "不足60分为“差”。积分低于60分的代表由代表工作委员会约谈。\n"
        "第五条　积分按季度公示，公示期七日，代表对积分有异议的可在公示期内提出。"
    ),
    "base_mode": "pro_rata",
    "rhythm": "quarter",
    "interview_below": 60,
    "categories": [
        {"code": "basic", "name": "基础分", "base": 60, "floor": 40},
        {"code": "oversight", "name": "参与监督", "cap": 15},
        {"code": "study", "name": "学习培训", "cap": 10},
        {"code": "people", "name": "联系群众", "cap": 10},
        {"code": "effect", "name": "履职成效", "cap": 15},
    ],
    "rules": [
        {"code": "absence", "name": "无故缺席", "category": "basic", "kinds": ["absence"], "points": -5},
        {"code": "leave", "name": "请假（每半天）", "category": "basic", "kinds": ["leave"],
         "mode": "per_unit", "unit": "half_day", "points": -1},
        {"code": "leave_record", "name": "请假（未注明时长，每次按半天）", "category": "basic",
         "kinds": ["leave"], "points": -1},
        {"code": "oversight", "name": "参加视察、调研、执法检查、专题询问等", "category": "oversight",
         "kinds": ATTEND, "points": 2},
        {"code": "meeting", "name": "出席会议", "category": "oversight", "kinds": ["meeting"], "points": 1,
         "max_points": 5},
        {"code": "training", "name": "参加培训（年度16学时）", "category": "study", "kinds": ["training"],
         "mode": "target", "unit": "hour", "target": 16, "points": 4, "above": "0.25", "max_points": 8},
        {"code": "study", "name": "参加集中学习", "category": "study", "kinds": ["study"], "points": 1},
        {"code": "reception", "name": "进站接待选民", "category": "people", "kinds": ["reception"],
         "points": 2, "max_count": 4},
        {"code": "contact", "name": "联系选民、走访群众", "category": "people", "kinds": ["contact"],
         "points": 1, "max_points": 6},
        {"code": "suggestion_lead", "name": "领衔提出建议", "category": "effect", "kinds": ["suggestion"],
         "match": {"stage": "submitted", "role": "lead"}, "points": 3},
        {"code": "suggestion_cosign", "name": "联名提出建议", "category": "effect", "kinds": ["suggestion"],
         "match": {"stage": "submitted", "role": "cosigner"}, "points": 1},
        {"code": "key_suggestion", "name": "建议列为重点建议", "category": "effect",
         "kinds": ["suggestion"], "match": {"stage": "accepted", "is_key": True}, "points": 2},
        {"code": "motion", "name": "领衔提出议案", "category": "effect", "kinds": ["motion"],
         "match": {"stage": "submitted", "role": "lead"}, "points": 5},
        {"code": "legislation", "name": "提出立法意见", "category": "effect", "kinds": ["legislation"],
         "points": 1, "max_points": 3},
        {"code": "duty_report", "name": "向选民述职", "category": "effect", "kinds": ["duty_report"],
         "mode": "once", "points": 5},
    ],
    "bands": [
        {"name": "好", "lower": 80, "lower_inclusive": True},
        {"name": "较好", "lower": 70, "lower_inclusive": True, "upper": 80, "upper_inclusive": False},
        {"name": "一般", "lower": 60, "lower_inclusive": True, "upper": 70, "upper_inclusive": False},
        {"name": "差", "upper": 60, "upper_inclusive": False},
    ],
}  # fmt: skip

# 公示期 of each quarter's standings (seven days early in the next quarter).
WINDOWS = {1: datetime.date(2024, 4, 8), 2: datetime.date(2024, 7, 8), 3: datetime.date(2024, 10, 8)}


TOPICS = ["村组道路硬化", "饮水安全", "集镇污水处理", "茶产业发展", "学校周边交通安全", "农村养老服务"]


def _declarations(congress, staff, linked) -> None:
    """What deputies declared themselves in 2024 (contacts with constituents, reception days at a
    station the system did not record), most approved, a few rejected, some still waiting: the
    review queue and a spread of standings. The demo account's own record stays as its modules
    wrote it."""
    rng = random.Random(2024)  # noqa: S311 - the same demo every time
    serving = Mandate.objects.filter(congress=congress, status=Mandate.Status.SERVING)
    deputies = Deputy.objects.filter(pk__in=serving.values("deputy_id")).order_by("pk")
    if linked is not None:
        deputies = deputies.exclude(pk=linked.pk)
    for deputy in deputies:
        for kind, most in (("contact", 5), ("reception", 3)):
            for _ in range(rng.randint(0, most)):
                day = datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
                topic = rng.choice(TOPICS)
                title = f"走访联系选民：{topic}" if kind == "contact" else f"进站接待选民：{topic}"
                record = duty_record_add(
                    deputy=deputy, kind=kind, title=title, occurred_on=day,
                    origin=DutyRecord.Origin.DECLARED, actor=staff,
                )  # fmt: skip
                fate = rng.random()
                if fate < 0.85:
                    duty_record_review(record=record, approve=True, actor=staff)
                elif fate < 0.9:
                    duty_record_review(record=record, approve=False, note="无活动照片或签到佐证", actor=staff)


def seed(*, stdout) -> None:
    congress = Congress.objects.filter(level=Level.COUNTY, region__code="520521", term=18).first()
    if congress is None or Scheme.objects.filter(congress=congress, year=YEAR).exists():
        return
    staff = User.objects.filter(role=Role.COUNTY_STAFF).order_by("pk").first()
    _declarations(congress, staff, Deputy.objects.filter(user__username="deputy").first())
    scheme = services.scheme_import(actor=staff, congress=congress, document=DOCUMENT)
    scheme = services.scheme_publish(actor=staff, scheme=scheme)  # computes the 2024 ledger (300 deputies)
    today = timezone.localdate()
    published = {}
    for quarter in (1, 2, 3, 4):
        # The fourth quarter's 公示 is open now, so the demo deputy can object on the phone.
        starts = WINDOWS.get(quarter, today)
        published[quarter] = publications.publication_create(
            actor=staff, scheme=scheme, period="quarter", index=quarter, order="rank",
            starts_on=starts, ends_on=starts + datetime.timedelta(days=6), public=quarter == 4,
        )  # fmt: skip
    # Objections of earlier quarters, raised and answered then (written as they stand today: their
    # 公示期 is over, so the service would refuse them now).
    rows = published[2].rows
    for row, kind, text, upheld, outcome in (
        (rows[-1], "missing", "6月参加的县人大常委会组织的执法检查未计分。", True,
         "经核实，该代表的考勤记录漏登，已补录履职记录并计分。"),
        (rows[len(rows) // 2], "duplicate", "同一次调研计了两次分。", False,
         "经核实，两次记录分别为5月和6月的两次调研，不属于重复计分。"),
    ):  # fmt: skip
        Objection.objects.create(
            publication=published[2], deputy_id=row["deputy_id"], kind=kind, text=text,
            state=Objection.State.UPHELD if upheld else Objection.State.DISMISSED, outcome=outcome,
            resolved_by=staff, resolved_at=timezone.now(),
        )  # fmt: skip
    linked = Deputy.objects.filter(user__username="deputy").first()
    if linked is not None and any(r["deputy_id"] == linked.pk for r in published[4].rows):
        publications.objection_raise(
            actor=linked.user, publication=published[4], kind="wrong",
            text="第四季度参加的培训学时应为16学时，公示为12学时，请核实。",
        )  # fmt: skip
    stdout.write(f"积分：{scheme.name}，{len(published[4].rows)} 名代表，四个季度已公示")
