"""Demo data for the work plan: 《大方县人大常委会2024年工作要点》 with items for the four work bodies
(办公室, 法制工作委员会, 预算工作委员会, 代表工作委员会) and their progress through 2024.

Idempotent: the plan is found by its year. Progress is reported by a staff account of each body —
the demo `county_staff` (代表工作委员会) and `office_staff`, `legal_staff`, `budget_staff` created here
as seed_demo creates accounts. Most items reach 100 % by their due date; a few stay behind, so the
leaders' list of late items has something in it.
"""

import datetime

from django.conf import settings

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import services
from .models import WorkPlan

COUNTY = "520521"
YEAR = 2024
TITLE = "大方县人大常委会2024年工作要点"
STAFF = [
    ("office_staff", "吴晓梅", "办公室"),
    ("legal_staff", "杨海峰", "法制工作委员会"),
    ("budget_staff", "周丽", "预算工作委员会"),
]

# chapter → items: (text, target, lead, co-bodies, due kind, month or quarter, final percent)
PLAN = [
    (
        "坚持党的全面领导，确保人大工作正确政治方向",
        [
            (
                "严格执行重大事项请示报告制度，常委会重要会议、重要工作及时向县委请示报告。",
                "全年请示报告不少于6次",
                "办公室",
                [],
                "year",
                None,
                100,
            ),
            (
                "制定常委会年度监督工作计划、代表工作计划，报县委批准后实施。",
                "3月底前印发",
                "办公室",
                ["法制工作委员会", "预算工作委员会", "代表工作委员会"],
                "month",
                3,
                100,
            ),
            (
                "深入学习贯彻习近平总书记关于坚持和完善人民代表大会制度的重要思想。",
                "常委会党组理论学习中心组专题学习4次",
                "办公室",
                [],
                "quarter",
                4,
                100,
            ),
        ],
    ),
    (
        "坚持依法立规，提升依法履职水平",
        [
            (
                "配合省、市人大常委会做好地方性法规草案征求意见工作，发挥基层立法联络站作用。",
                "报送意见建议不少于30条",
                "法制工作委员会",
                ["代表工作委员会"],
                "year",
                None,
                100,
            ),
            (
                "开展规范性文件备案审查，做到有件必备、有备必审、有错必纠。",
                "备案审查率100%",
                "法制工作委员会",
                [],
                "quarter",
                4,
                90,
            ),
            (
                "开展《中华人民共和国乡村振兴促进法》执法检查。",
                "形成执法检查报告",
                "法制工作委员会",
                ["办公室"],
                "month",
                6,
                100,
            ),
        ],
    ),
    (
        "围绕中心大局，依法开展监督",
        [
            (
                "审查批准2023年县级财政决算，听取审议审计工作报告。",
                "7月常委会会议审议",
                "预算工作委员会",
                [],
                "month",
                7,
                100,
            ),
            (
                "听取审议审计查出问题整改情况报告，开展满意度测评。",
                "12月常委会会议审议",
                "预算工作委员会",
                ["法制工作委员会"],
                "month",
                12,
                80,
            ),
            (
                "推进预算联网监督系统应用，实现预算执行数据实时查询。",
                "完成系统升级",
                "预算工作委员会",
                ["办公室"],
                "quarter",
                2,
                60,
            ),
            (
                "听取审议县人民政府关于国有资产管理情况的综合报告。",
                "10月常委会会议审议",
                "预算工作委员会",
                [],
                "month",
                10,
                100,
            ),
            (
                "听取审议县人民政府关于法治政府建设情况的报告。",
                "11月常委会会议审议",
                "法制工作委员会",
                ["办公室"],
                "month",
                11,
                100,
            ),
        ],
    ),
    (
        "尊重代表主体地位，提升代表工作质效",
        [
            (
                "做好十八届县人大三次会议代表建议交办督办，开展重点建议领衔督办。",
                "建议办复率100%",
                "代表工作委员会",
                ["办公室"],
                "month",
                9,
                100,
            ),
            (
                "推进“两室两站”规范化建设，打造市级示范联络站2个。",
                "红旗街道西南社区、黄泥塘镇通过验收",
                "代表工作委员会",
                [],
                "quarter",
                4,
                70,
            ),
            (
                "组织县人大代表向原选区选民述职。",
                "述职代表不少于三分之一",
                "代表工作委员会",
                [],
                "month",
                11,
                100,
            ),
            (
                "举办县人大代表履职能力培训班。",
                "培训代表200人次以上",
                "代表工作委员会",
                ["办公室"],
                "quarter",
                3,
                100,
            ),
            (
                "开展乡镇（街道）人大工作指导，落实年度工作指导清单。",
                "29个乡镇（街道）全覆盖",
                "代表工作委员会",
                [],
                "month",
                12,
                95,
            ),
        ],
    ),
    (
        "加强自身建设，提高履职能力",
        [
            (
                "修订常委会议事规则和主任会议议事规则。",
                "提请常委会会议审议通过",
                "办公室",
                ["法制工作委员会"],
                "quarter",
                2,
                100,
            ),
            (
                "加强人大宣传工作，在省市主流媒体刊发稿件。",
                "全年刊发稿件不少于50篇",
                "办公室",
                [],
                "year",
                None,
                100,
            ),
            (
                "做好人大信息化平台建设，推进履职平台全县应用。",
                "覆盖全部县人大代表",
                "办公室",
                ["代表工作委员会"],
                "quarter",
                4,
                85,
            ),
        ],
    ),
]


def _staff(county: Region, bodies: dict[str, Organization]) -> dict[int, User]:
    found = {
        u.username: u for u in User.objects.filter(username__in=["county_staff"] + [s[0] for s in STAFF])
    }
    for username, full_name, body in STAFF:
        if username not in found and body in bodies:
            found[username] = user_create(
                username=username,
                password=settings.RENDA_DEMO_PASSWORD,
                role=Role.COUNTY_STAFF,
                full_name=full_name,
                region=county,
                organization=bodies[body],
            )
    return {u.organization_id: u for u in found.values() if u.organization_id}


def _progress(item, staff: dict[int, User], final: int) -> None:
    """Three reports: a start a quarter before the due date, half-way, and the final figure."""
    reporter = staff.get(item.lead_body_id)
    if reporter is None:
        return
    due = item.due_on
    steps = [
        (
            max(datetime.date(YEAR, 1, 15), due - datetime.timedelta(days=75)),
            min(30, final),
            "制定工作方案，明确责任分工。",
        ),
        (
            max(datetime.date(YEAR, 1, 25), due - datetime.timedelta(days=35)),
            min(60, final),
            "按方案推进，已完成主要环节。",
        ),
        (
            min(due, datetime.date(YEAR, 12, 28)),
            final,
            "已完成。" if final >= 100 else "尚有部分工作未完成，正在加紧推进。",
        ),
    ]
    seen = -1
    for day, percent, note in steps:
        if percent <= seen:
            continue
        services.progress_report_add(actor=reporter, item=item, percent=percent, note=note, reported_on=day)
        seen = percent
    for co in item.co_bodies.all()[:1]:
        if co.pk in staff:
            services.progress_report_add(
                actor=staff[co.pk],
                item=item,
                percent=final,
                note="配合完成相关材料准备。",
                reported_on=due - datetime.timedelta(days=5),
            )


def seed(*, stdout) -> None:
    county = Region.objects.filter(code=COUNTY).first()
    committee = Organization.objects.filter(kind=Organization.Kind.STANDING_COMMITTEE, region=county).first()
    if county is None or committee is None:
        return
    bodies = {o.name: o for o in Organization.objects.filter(region=county, kind=Organization.Kind.WORK_BODY)}
    if WorkPlan.objects.filter(organization=committee, year=YEAR).exists():
        stdout.write(f"工作要点：{TITLE}已存在")
        return
    staff = _staff(county, bodies)
    plan = services.work_plan_create(year=YEAR, title=TITLE, organization=committee, region=county)
    count = 0
    for chapter_title, items in PLAN:
        chapter = services.chapter_add(plan=plan, title=chapter_title)
        for text, target, lead, co, due_kind, due_value, final in items:
            item = services.plan_item_add(
                plan=plan,
                chapter=chapter,
                text=text,
                target=target,
                lead_body=bodies.get(lead),
                co_bodies=[bodies[c] for c in co if c in bodies],
                due_kind=due_kind,
                due_month=due_value if due_kind == "month" else None,
                due_quarter=due_value if due_kind == "quarter" else None,
            )
            _progress(item, staff, final)
            count += 1
    stdout.write(f"工作要点：{TITLE}，{count} 项")
