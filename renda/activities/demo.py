"""Demo activities of 大方县 for 2024, and two coming up for the demo deputy.

What is built (idempotent: nothing is added once the first demo campaign exists; deterministic):
- the campaigns "高质量发展，代表在行动" (March–December) and "四个表率四个一" (the whole year) with
  tasks matched to duty-record kinds, so every county deputy's completion shows from the spine;
- twelve 2024 activities: a study session, surveys, the joint inspection with the county CPPCC of
  the 2024 environmental situation and targets, two law-enforcement inspections with their
  follow-ups (the food-safety one answered, the rural-land-contract one overdue), a special
  inquiry, two 县市场监管局 supervision activities with the deputies it appointed (行风政风监督员),
  a duty-report meeting in 黄泥塘镇 and a campaign activity;
- realistic answers: about 78 % sign up, 12 % ask for leave (most approved), the rest do not answer;
  most who sign up come, a few do not; those without check-in or approved leave end absent — all
  written through the services, so the duty records (attendance with hours, leave, absence) are real;
- two activities in the next days inviting the demo deputy 王芳, still to be answered on the phone.

The demo deputies have no accounts, so their answers are set on the rows directly and their
check-ins are entered by staff from the paper sign-in sheet (a reason on each), as happens when a
deputy has no smartphone; the demo account's own check-ins go through the QR path.
"""

import datetime
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from renda.accounts.models import User
from renda.core.access import Role
from renda.deputies.models import Deputy, Mandate
from renda.organizations.models import Organization
from renda.organizations.services import organization_create
from renda.regions.models import Region

from . import checkin, selectors, services
from .models import Campaign, Invitation

COUNTY = "520521"
HUANGNITANG = "520521105"
CAMPAIGN_GROWTH = "高质量发展，代表在行动"
CAMPAIGN_FOUR = "四个表率四个一"
LEAVE_REASONS = ["外出务工", "生病住院", "参加单位重要会议", "家中有事", "外出学习培训", "在外地出差"]

# date, start hour, hours long, kind, title, organiser, how many invitees, campaign, extra
ACTIVITIES = [
    ("2024-03-21", 9, 3, "study", "2024年县人大代表履职学习会", "代表工作委员会", 40, None, {}),
    (
        "2024-04-17", 9, 6, "survey", "全县乡村振兴产业发展情况调研", "大方县人大常委会", 20, CAMPAIGN_GROWTH,
        {"place": "猫场镇、羊场镇天麻和蔬菜产业基地"},
    ),
    (
        "2024-05-15", 9, 6, "law_inspection", "《中华人民共和国食品安全法》执法检查", "法制工作委员会",
        15, None,
        {"law": "中华人民共和国食品安全法", "co": ["县市场监管局"], "place": "县城农贸市场、学校食堂",
         "follow_up": ("2024-06-26", "2024-07-05", "2024-08-30")},
    ),
    (
        "2024-06-12", 9, 6, "joint_inspection", "联合视察2024年全县环境状况和环境保护目标完成情况",
        "大方县人大常委会", 20, None,
        {"co": ["政协大方县委员会"], "place": "县污水处理厂、油杉河流域、九洞天景区",
         "externals": [("周维", "政协大方县委员会", "cppcc_member", "政协委员"),
                       ("吴燕", "政协大方县委员会", "cppcc_member", "政协委员"),
                       ("陈启明", "毕节市生态环境局大方分局", "official", "分局局长")]},
    ),
    ("2024-06-25", 14, 3, "supervision", "县市场监管局行风政风监督活动（农贸市场计量与价格）", "县市场监管局",
     0, None, {"place": "红旗街道农贸市场"}),
    (
        "2024-07-18", 9, 6, "survey", "义务教育阶段学校布局和寄宿制学校建设调研", "大方县人大常委会", 15,
        CAMPAIGN_GROWTH, {"place": "六龙镇、达溪镇中心学校"},
    ),
    ("2024-08-22", 9, 6, "inspection", "视察农村公路建设和管护工作", "大方县人大常委会", 18, CAMPAIGN_FOUR,
     {"place": "黄泥塘镇、六龙镇通村公路"}),
    (
        "2024-09-12", 9, 6, "law_inspection", "《中华人民共和国农村土地承包法》执法检查",
        "法制工作委员会", 15, None,
        {"law": "中华人民共和国农村土地承包法", "co": ["县农业农村局"], "place": "羊场镇、马场镇",
         "follow_up": ("2024-10-24", "2024-11-08", None)},
    ),
    ("2024-10-16", 9, 4, "inquiry", "专题询问：医疗卫生服务体系建设", "大方县人大常委会", 25, None,
     {"place": "县人大常委会会议室"}),
    ("2024-11-07", 9, 3, "supervision", "县市场监管局食品安全监督活动（校园食堂）", "县市场监管局", 0, None,
     {"place": "县第一中学、第三小学食堂"}),
    ("2024-11-20", 14, 3, "duty_report", "黄泥塘镇县人大代表向选民述职会", "黄泥塘镇人大主席团", 0, None,
     {"place": "黄泥塘镇人大代表联络站"}),
    ("2024-12-10", 9, 4, "campaign", "“代表在行动”进站履职集中活动", "代表工作委员会", 30, CAMPAIGN_FOUR,
     {"place": "各乡镇（街道）人大代表联络站"}),
]  # fmt: skip


def _org(name: str, kind: str, region: Region) -> Organization:
    found = Organization.objects.filter(name=name).first()
    return found or organization_create(name=name, kind=kind, region=region)


def _at(day: str, hour: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def seed(*, stdout) -> None:
    if Campaign.objects.filter(name=CAMPAIGN_GROWTH).exists():
        return
    staff = User.objects.filter(role=Role.COUNTY_STAFF).order_by("pk").first()
    county = Region.objects.filter(code=COUNTY).first()
    committee = Organization.objects.filter(name="大方县人大常委会").first()
    if staff is None or county is None or committee is None:
        return
    serving = Mandate.objects.filter(deputy=OuterRef("pk"), congress__level="county", status="serving")
    county_deputies = list(Deputy.objects.filter(Exists(serving)).order_by("pk"))
    if not county_deputies:
        return
    rng = random.Random(2024)  # noqa: S311 - the same demo every time
    _org("政协大方县委员会", Organization.Kind.CPPCC, county)
    growth = services.campaign_create(
        actor=staff,
        name=CAMPAIGN_GROWTH,
        organizer=committee,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 12, 31),
        description="围绕全县高质量发展，组织代表开展视察调研、提出高质量建议、密切联系群众。",
    )
    for title, kind, target in (
        ("提出一件高质量建议", "suggestion", 1),
        ("参加一次视察或调研", "survey", 1),
        ("联系选民三次", "contact", 3),
    ):
        services.campaign_task_add(actor=staff, campaign=growth, title=title, duty_kind=kind, target=target)
    four = services.campaign_create(
        actor=staff,
        name=CAMPAIGN_FOUR,
        organizer=committee,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        description="做学习、履职、联系群众、遵纪守法四个表率；每年走访一次选民、提出一条建议、参加一次调研、进站接待一次。",
    )
    for title, kind in (
        ("走访一次选民", "contact"),
        ("提出一条建议", "suggestion"),
        ("参加一次调研", "survey"),
        ("进站接待一次选民", "reception"),
    ):
        services.campaign_task_add(actor=staff, campaign=four, title=title, duty_kind=kind)
    campaigns = {CAMPAIGN_GROWTH: growth, CAMPAIGN_FOUR: four}
    demo_deputy = Deputy.objects.filter(user__username="deputy").first()
    market = Organization.objects.filter(name="县市场监管局").first()
    total = 0
    for day, hour, length, kind, title, organiser, size, campaign, extra in ACTIVITIES:
        organizer = Organization.objects.filter(name=organiser).first() or committee
        starts = _at(day, hour)
        activity = services.activity_create(
            actor=staff,
            kind=kind,
            title=title,
            organizer=organizer,
            co_organizers=list(Organization.objects.filter(name__in=extra.get("co", []))),
            campaign=campaigns.get(campaign),
            law=extra.get("law", ""),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=length),
            place=extra.get("place", "县人大常委会会议室"),
            agenda="1. 实地察看；2. 听取有关部门汇报；3. 座谈交流，代表提出意见建议。",
        )
        for name, org_name, role, post in extra.get("externals", []):
            services.external_participant_add(
                actor=staff, activity=activity, name=name, organization_name=org_name, role=role, title=post
            )
        if kind == "supervision" and market is not None:
            invitees = list(selectors.invitee_candidates(user=staff, external_organization=market))
        elif kind == "duty_report":
            invitees = [d for d in county_deputies if d.region.code == HUANGNITANG][:12]
        else:
            invitees = rng.sample(county_deputies, min(size, len(county_deputies)))
        if demo_deputy is not None and demo_deputy not in invitees and rng.random() < 0.5:
            invitees.append(demo_deputy)
        if not invitees:
            continue
        services.invitations_add(actor=staff, activity=activity, deputies=invitees)
        total += _attendance(activity, staff=staff, rng=rng, demo_deputy=demo_deputy)
        if "follow_up" in extra:
            reported, sent, responded = extra["follow_up"]
            services.follow_up_update(
                actor=staff,
                activity=activity,
                reported_on=datetime.date.fromisoformat(reported),
                review_opinions="一、加强监管队伍建设；二、加大执法检查力度；三、完善长效机制，限期整改检查中发现的问题。",
                sent_on=datetime.date.fromisoformat(sent),
                responded_on=datetime.date.fromisoformat(responded) if responded else None,
                response="县人民政府已逐条研究审议意见，制定整改方案，相关问题已整改到位。"
                if responded
                else "",
            )
        services.activity_outputs_update(
            actor=staff,
            activity=activity,
            report=f"{title}已按计划完成，形成报告提交常委会。",
            problems="部分工作推进不平衡，基层力量薄弱，资金保障不足。",
        )
        opinion_deputy = rng.choice(invitees)
        services.raised_opinion_add(
            actor=staff,
            activity=activity,
            title=f"关于{title[:20]}中发现问题的整改建议",
            content="建议有关部门建立问题清单，明确责任单位和完成时限，定期向代表反馈。",
            deputy=opinion_deputy,
        )
    _upcoming(
        staff=staff, committee=committee, county_deputies=county_deputies, demo_deputy=demo_deputy, rng=rng
    )
    stdout.write(f"代表活动：2024年活动 {len(ACTIVITIES)} 个，主题活动 2 个，考勤记录 {total} 条")


def _attendance(activity, *, staff, rng, demo_deputy) -> int:
    """Answers, leave decisions and check-ins of a past activity, then its attendance is closed."""
    invitations = list(activity.invitations.select_related("deputy"))
    answered = activity.starts_at - datetime.timedelta(days=3)
    for invitation in invitations:
        roll = rng.random()
        if roll < 0.78:
            Invitation.objects.filter(pk=invitation.pk).update(answer="attend", answered_at=answered)
        elif roll < 0.90:
            Invitation.objects.filter(pk=invitation.pk).update(
                answer="leave",
                answered_at=answered,
                leave_reason=rng.choice(LEAVE_REASONS),
                leave_state="pending",
            )
    during = activity.starts_at + datetime.timedelta(minutes=10)
    for invitation in Invitation.objects.filter(activity=activity).select_related("deputy"):
        if invitation.answer == "leave":
            approve = rng.random() < 0.9
            services.leave_decide(
                actor=staff,
                invitation=invitation,
                approve=approve,
                note="" if approve else "本次活动需本人参加",
            )
            if approve:
                continue
        came = rng.random() < (0.95 if invitation.answer == "attend" else 0.35)
        if not came:
            continue
        if demo_deputy is not None and invitation.deputy_id == demo_deputy.pk:
            services.invitation_check_in(
                actor=demo_deputy.user, activity=activity, token=checkin.checkin_token(activity), now=during
            )
        else:
            services.attendance_correct(
                actor=staff, invitation=invitation, present=True, reason="现场纸质签到表"
            )
    Invitation.objects.filter(activity=activity, attendance="present").update(checked_in_at=during)
    # The day after: whoever neither came nor had leave is absent.
    services.activity_close_attendance(activity=activity, actor=None)
    return len(invitations)


def _upcoming(*, staff, committee, county_deputies, demo_deputy, rng) -> None:
    """Two activities in the coming days for the phone portal: the demo deputy has yet to answer."""
    today = timezone.localdate()
    for days, kind, title, place in (
        (3, "survey", "农村饮水安全工程运行管护情况调研", "双山镇、东关乡"),
        (10, "inspection", "视察集镇污水处理设施建设", "黄泥塘镇、六龙镇"),
    ):
        starts = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(9))
        )
        activity = services.activity_create(
            actor=staff,
            kind=kind,
            title=title,
            organizer=committee,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=5),
            place=place,
            agenda="1. 实地察看；2. 座谈交流。",
        )
        invitees = rng.sample(county_deputies, min(12, len(county_deputies)))
        if demo_deputy is not None and demo_deputy not in invitees:
            invitees.append(demo_deputy)
        services.invitations_add(actor=staff, activity=activity, deputies=invitees)
        for invitation in activity.invitations.exclude(deputy=demo_deputy):
            if rng.random() < 0.6:
                Invitation.objects.filter(pk=invitation.pk).update(
                    answer="attend", answered_at=timezone.now()
                )
