"""Demo data for duty reports (代表述职) in the demo county: the county's 称职 and 满意 rules, 王芳's
report last December (paper ballots and one-time codes, result 称职), a report ending in 不满意 with a
rectification plan due, one scheduled ahead with its text written, and one voting today with codes
to print. Idempotent: nothing is added when the county congress already has reports."""

import datetime

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Congress, Deputy, Level

from . import services
from .models import DutyReport, VoteCode

REPORT_TEXT = (
    "各位选民代表：\n本人自当选县第十八届人大代表以来，认真学习代表法，按时出席人代会，"
    "积极参加视察调研，进站接待选民，提出关于通村公路养护、学前教育的建议，均已办结。\n"
    "今后我将继续密切联系群众，认真履行代表职责。请大家评议。"
)


def seed(*, stdout) -> None:
    congress = Congress.objects.filter(level=Level.COUNTY, region__code="520521", term=18).first()
    staff = User.objects.filter(username="county_staff").first()
    if congress is None or staff is None or DutyReport.objects.filter(congress=congress).exists():
        return
    wang = Deputy.objects.filter(user__username="deputy").first()
    others = list(
        Deputy.objects.filter(mandates__congress=congress, mandates__status="serving")
        .exclude(pk=getattr(wang, "pk", None))
        .order_by("stroke_key", "id")[:3]
    )
    if wang is None or len(others) < 3:
        return
    competence = services.evaluation_rule_from_preset(
        actor=staff, region=congress.region, preset="competence"
    )
    satisfaction = services.evaluation_rule_from_preset(
        actor=staff, region=congress.region, preset="satisfaction"
    )
    today = timezone.localdate()
    station = wang.stations.select_related("station").first()

    # 王芳, 2024-12-20: 12 codes printed, 8 used on phones, the rest on paper → 称职.
    held = services.duty_report_schedule(
        actor=staff,
        deputy=wang,
        congress=congress,
        rule=competence,
        held_on=datetime.date(2024, 12, 20),
        place="" if station else "黄泥塘镇代表之家",
        station=station.station if station else None,
        invited="黄泥塘社区选民代表\n黄泥塘镇各村选民代表",
        invited_count=60,
    )
    services.duty_report_write(actor=wang.user, report=held, text=REPORT_TEXT)
    services.duty_report_open_voting(actor=staff, report=held, codes=12)
    for vote_code, option in zip(
        VoteCode.objects.filter(report=held).order_by("number")[:8], ["称职"] * 7 + ["基本称职"], strict=True
    ):
        services.vote_cast(code=vote_code.code, option=option)
    services.paper_tally_set(actor=staff, report=held, counts={"称职": 41, "基本称职": 6, "不称职": 1})
    services.duty_report_close(actor=staff, report=held, attendance=58)

    # More than half 不满意: a rectification plan is due 30 days after the meeting.
    weak = services.duty_report_schedule(
        actor=staff,
        deputy=others[0],
        congress=congress,
        rule=satisfaction,
        held_on=datetime.date(2025, 3, 18),
        place="九驿街道代表之家",
        invited_count=55,
    )
    services.duty_report_write(actor=staff, report=weak, text=REPORT_TEXT)
    services.duty_report_open_voting(actor=staff, report=weak)
    services.paper_tally_set(actor=staff, report=weak, counts={"满意": 8, "基本满意": 12, "不满意": 31})
    services.duty_report_close(actor=staff, report=weak, attendance=52)

    # Ahead: scheduled, the deputy's text written on the phone.
    ahead = services.duty_report_schedule(
        actor=staff,
        deputy=others[1],
        congress=congress,
        rule=competence,
        held_on=today + datetime.timedelta(days=20),
        place="大方县代表联络服务中心",
        invited_count=60,
    )
    services.duty_report_write(actor=staff, report=ahead, text=REPORT_TEXT)

    # Today: voting open, 60 codes to print.
    now = services.duty_report_schedule(
        actor=staff,
        deputy=others[2],
        congress=congress,
        rule=competence,
        held_on=today,
        place="大方县代表联络服务中心",
        invited_count=60,
    )
    services.duty_report_write(actor=staff, report=now, text=REPORT_TEXT)
    services.duty_report_open_voting(actor=staff, report=now, codes=60)
    stdout.write("代表述职：4 场（2 场已测评，1 场待举行，1 场测评中）")
