"""Demo suggestions of 大方县: a year of them (the session in January, most between sessions), handed to
the county departments, in every state — a few overdue, a few re-handled, five key suggestions led by
named leaders — and the 微实事 funds, with the 55.86万元 the county matched in 2024.

Every step goes through the real services with its date in the past (`at=`), so events, deadlines,
duty records and the audit look as they would. Numbers follow the settings' term and session.
Idempotent: nothing is added once the first demo suggestion exists. Deterministic (a fixed seed).
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.deputies.models import Deputy
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import services
from .models import MicroFund, State, Suggestion

COUNTY = "520521"
COUNT = 200
SESSION_ITEMS = 40

# category -> lead unit, co-handling unit (or None), and what deputies ask for
TOPICS = {
    "transport": (
        "县交通运输局",
        None,
        ["通村公路硬化", "农村客运班线", "公路安保设施", "桥梁危桥改造", "通组路维修"],
    ),
    "education": (
        "县教育局",
        None,
        ["中心学校扩建", "乡村教师周转房", "学生营养餐", "校车安全", "幼儿园建设"],
    ),
    "health": (
        "县卫生健康局",
        None,
        ["村卫生室建设", "乡镇卫生院医生短缺", "家庭医生签约", "慢性病用药", "急救站点"],
    ),
    "construction": (
        "县住房和城乡建设局",
        "县交通运输局",
        ["农村危房改造", "集镇污水管网", "老旧小区改造", "路灯安装", "农贸市场改造"],
    ),
    "agriculture": (
        "县农业农村局",
        None,
        ["天麻产业扶持", "高标准农田", "农村饮水安全", "蔬菜基地冷库", "农机补贴"],
    ),
    "market": (
        "县市场监管局",
        "县农业农村局",
        ["农村集市食品安全", "计量器具检定", "价格监管", "校园周边食品", "药品零售监管"],
    ),
    "environment": (
        "县住房和城乡建设局",
        "县农业农村局",
        ["垃圾收集转运", "河道清淤", "养殖污染治理", "公厕建设", "村庄绿化"],
    ),
}
UNIT_ACCOUNTS = {
    "县教育局": "unit_jiaoyu",
    "县卫生健康局": "unit_weijian",
    "县住房和城乡建设局": "unit_zhujian",
    "县农业农村局": "unit_nongye",
    "县市场监管局": "unit_shichang",
}
OUTCOMES = {
    "A": "已于近期完成",
    "B": "已列入年度计划分步实施",
    "C": "已纳入中长期规划",
    "D": "将作为今后工作的参考",
}
KEY_LEADERS = [
    "县委书记 杨正刚",
    "县人民政府县长 周建华",
    "县人大常委会主任 张国华",
    "县人大常委会副主任 罗光明",
    "县人民政府副县长 陈秀英",
]
# 县级配套资金 2024: 55.86万元 in all.
COUNTY_FUNDS_2024 = [
    ("黄泥塘镇街道路灯安装", "520521105", "85000", "安装太阳能路灯120盏，照亮集镇主街和3个村民组"),
    ("九驿街道老旧小区排水改造", "520521004", "62000", "改造排水管网860米，解决雨季积水"),
    ("顺德街道农贸市场雨棚", "520521001", "120000", "新建雨棚1200平方米，规范摊位160个"),
    ("黄泥塘镇通组路修复", "520521105", "48600", "修复通组路2.3公里，沿线186户受益"),
    ("九驿街道背街小巷硬化", "520521004", "73000", "硬化背街小巷1.6公里"),
    ("顺德街道社区公厕新建", "520521001", "56000", "新建社区公厕2座"),
    ("黄泥塘镇村卫生室设备", "520521105", "94000", "为5个村卫生室配齐诊疗设备"),
    ("九驿街道学校饮水设施", "520521004", "20000", "为2所学校安装直饮水设备"),
]
CITY_FUNDS_2024 = [
    ("黄泥塘镇饮水管网延伸", "520521105", "100000", "延伸饮水管网4公里，解决312户饮水不稳定"),
    ("九驿街道便民服务点", "520521004", "80000", "建成便民服务点3个"),
]


def seed(*, stdout) -> None:
    # The funds are written last, in the same transaction: when they exist, everything does.
    if MicroFund.objects.filter(year=2024, project=COUNTY_FUNDS_2024[0][0]).exists():
        stdout.write("建议议案：演示数据已存在，未重复创建")
        return
    staff = User.objects.filter(username="county_staff").first()
    county = Region.objects.filter(code=COUNTY).first()
    if staff is None or county is None:
        stdout.write("建议议案：缺少演示账号或区划，跳过")
        return
    units = {o.name: o for o in Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT)}
    unit_users = _unit_users(units)
    deputies = list(
        Deputy.objects.filter(region__path__startswith=county.path)
        .select_related("region", "user")
        .order_by("pk")[:300]
    )
    if not deputies or "县交通运输局" not in units:
        stdout.write("建议议案：缺少代表或承办单位，跳过")
        return
    rng = random.Random(520521005)  # noqa: S311 - the same demo every time
    today = timezone.localdate()
    session_day = today - datetime.timedelta(days=320)
    own = next((d for d in deputies if d.user and d.user.username == "deputy"), None)
    plans = _plans(rng, today, session_day)
    made = []
    for index, plan in enumerate(plans):
        lead = own if own is not None and index % 33 == 0 else rng.choice(deputies)
        made.append(_one(rng, index, plan, lead, deputies, staff, units, unit_users, today))
    _key_suggestions(made, staff, today)
    _merge_some(made, staff, deputies, today, rng)
    _drafts(own, staff)
    _queue_examples(own, staff, units, unit_users, deputies, today)
    _funds(staff, made, today)
    counts = {}
    for s in Suggestion.objects.all().only("state"):
        counts[s.state] = counts.get(s.state, 0) + 1
    summary = "，".join(f"{State(k).label}{v}" for k, v in sorted(counts.items()))
    stdout.write(f"建议议案：{sum(counts.values())} 件（{summary}）；微实事资金已登记")


def _unit_users(units) -> dict:
    found = {u.organization_id: u for u in User.objects.filter(role=Role.HANDLING_UNIT).order_by("pk")}
    for name, username in UNIT_ACCOUNTS.items():
        unit = units.get(name)
        if unit is None or unit.pk in found:
            continue
        found[unit.pk] = user_create(
            username=username,
            password=settings.RENDA_DEMO_PASSWORD,
            role=Role.HANDLING_UNIT,
            full_name=f"{name}办公室",
            region=unit.region,
            organization=unit,
        )
    return found


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _plans(rng, today, session_day) -> list[dict]:
    """When each item was submitted and how far it has come, older items further along."""
    plans = []
    for i in range(COUNT):
        if i < SESSION_ITEMS:
            submitted = session_day
            period = Suggestion.Period.SESSION
        else:
            submitted = session_day + datetime.timedelta(
                days=20 + int((320 - 25) * (i - SESSION_ITEMS) / (COUNT - SESSION_ITEMS))
            )
            period = Suggestion.Period.RECESS
        age = (today - submitted).days
        roll = rng.random()
        if age > 150:
            target = (
                "closed"
                if roll < 0.82
                else ("replied" if roll < 0.9 else "rehandled_closed" if roll < 0.96 else "overdue")
            )
        elif age > 95:
            target = (
                "replied"
                if roll < 0.45
                else ("closed" if roll < 0.75 else "rehandling" if roll < 0.85 else "overdue")
            )
        elif age > 40:
            target = "assigned_accepted" if roll < 0.6 else ("replied" if roll < 0.8 else "assigned")
        elif age > 14:
            target = "assigned" if roll < 0.6 else ("accepted" if roll < 0.85 else "revision")
        else:
            target = ["submitted", "submitted", "accepted", "not_accepted", "withdrawn", "revision"][i % 6]
        plans.append({"submitted": submitted, "period": period, "target": target})
    # Make sure every outcome is there whatever the dice said: take an item of the right age.
    minimum_age = {
        "submitted": 0,
        "withdrawn": 0,
        "revision": 0,
        "not_accepted": 0,
        "accepted": 0,
        "assigned": 20,
        "replied": 100,
        "rehandling": 100,
        "rehandled_closed": 160,
        "overdue": 160,
    }
    for target, age in minimum_age.items():
        if any(p["target"] == target for p in plans):
            continue
        fitting = [
            p
            for p in plans
            if (today - p["submitted"]).days >= age and p["target"] in ("closed", "assigned_accepted")
        ]
        spare = fitting[len(fitting) // 2] if age else min(plans, key=lambda p: (today - p["submitted"]).days)
        if age == 0:
            recent = sorted(plans, key=lambda p: (today - p["submitted"]).days)
            spare = next(p for p in recent if p["target"] not in minimum_age)
        spare["target"] = target
    return plans


def _one(rng, index, plan, lead, deputies, staff, units, unit_users, today) -> Suggestion:
    topics = [c for c, (unit, _co, _things) in TOPICS.items() if unit in units]
    category = topics[index % len(topics)]
    unit_name, co_name, things = TOPICS[category]
    thing = things[(index // len(topics)) % len(things)]
    place = lead.region.name
    title = f"关于加快{place}{thing}的建议"
    body = (
        f"{place}群众反映，{thing}方面仍存在突出问题，影响群众生产生活。"
        f"经走访调研，建议相关部门统筹资金、明确责任，尽快推进{thing}工作，并向群众公开进展。"
    )
    cosigners = rng.sample(deputies, k=min(len(deputies), rng.choice([0, 0, 1, 2, 3])))
    actor = lead.user if lead.user and lead.user.role == Role.DEPUTY else staff
    submitted = plan["submitted"]
    suggestion = services.suggestion_create(
        actor=actor,
        lead_deputy=lead,
        title=title,
        body=body,
        category=category,
        period=plan["period"],
        cosigners=[d for d in cosigners if d.pk != lead.pk],
        source=Suggestion.Source.PORTAL if actor != staff else Suggestion.Source.PAPER,
        at=_at(submitted),
    )
    _confirm_cosigners(suggestion, staff)
    target = plan["target"]
    if target == "withdrawn":
        services.suggestion_withdraw(actor=actor, suggestion=suggestion)
        return suggestion
    services.suggestion_submit(actor=actor, suggestion=suggestion, at=_at(submitted))
    if target == "submitted":
        return suggestion
    review = min(submitted + datetime.timedelta(days=5), today)
    if target == "revision":
        services.suggestion_return_for_revision(
            actor=staff, suggestion=suggestion, reason="请补充问题所在的具体村组和群众诉求", at=_at(review)
        )
        return suggestion
    if target == "not_accepted":
        services.suggestion_reject(
            actor=staff,
            suggestion=suggestion,
            reason="所提事项属于个人诉求，已转有关部门按信访程序办理",
            at=_at(review),
        )
        return suggestion
    services.suggestion_accept(actor=staff, suggestion=suggestion, at=_at(review))
    if target == "accepted":
        return suggestion
    assigned = min(review + datetime.timedelta(days=5), today)
    if target == "overdue":
        assigned = max(assigned, today - datetime.timedelta(days=100 + index % 20))
    lead_unit = units[unit_name]
    co_units = [units[co_name]] if co_name and co_name in units and index % 3 == 0 else []
    services.suggestion_assign(
        actor=staff, suggestion=suggestion, lead_unit=lead_unit, co_units=co_units, at=_at(assigned)
    )
    unit_user = unit_users.get(lead_unit.pk)
    if target == "assigned" or unit_user is None:
        return suggestion
    accepted_on = assigned + datetime.timedelta(days=2)
    services.assignment_accept(actor=unit_user, suggestion=suggestion, at=_at(min(accepted_on, today)))
    for unit in co_units:
        co_user = unit_users.get(unit.pk)
        if co_user is not None:
            services.assignment_accept(actor=co_user, suggestion=suggestion, at=_at(min(accepted_on, today)))
            services.co_input_send(
                actor=co_user,
                suggestion=suggestion,
                text=f"我局将配合做好{thing}相关工作。",
                at=_at(min(assigned + datetime.timedelta(days=20), today)),
            )
    if target in ("assigned_accepted", "overdue"):
        return suggestion
    contacted = min(assigned + datetime.timedelta(days=30), today)
    services.contact_add(
        actor=unit_user,
        suggestion=suggestion,
        contacted_on=contacted,
        way=rng.choice(["phone", "visit", "meeting", "onsite"]),
        content=f"与{lead.name}代表沟通{thing}的具体情况和办理打算",
        at=_at(contacted),
    )
    replied = min(assigned + datetime.timedelta(days=rng.randint(45, 99)), today)  # a few late
    category_letter = rng.choices(["A", "B", "C", "D"], weights=[45, 35, 15, 5])[0]
    services.reply_submit(
        actor=unit_user,
        suggestion=suggestion,
        category=category_letter,
        text=f"关于{thing}：我单位高度重视，已会同属地乡镇实地调查，制定了工作方案，"
        f"{OUTCOMES[category_letter]}。",
        signer=rng.choice(["王志强", "李建华", "刘明", "陈国平"]),
        at=_at(replied),
    )
    if target == "replied":
        return suggestion
    evaluated = min(replied + datetime.timedelta(days=10), today)
    if target in ("rehandling", "rehandled_closed"):
        services.evaluation_submit(
            actor=staff, suggestion=suggestion, result="dissatisfied", attitude="basic",
            comment="答复未说明具体时限，请重新办理", at=_at(evaluated),
        )  # fmt: skip
        if target == "rehandling":
            return suggestion
        second = min(evaluated + datetime.timedelta(days=20), today)
        services.contact_add(
            actor=unit_user,
            suggestion=suggestion,
            contacted_on=second,
            way="visit",
            content="再次登门沟通",
            at=_at(second),
        )
        services.reply_submit(
            actor=unit_user, suggestion=suggestion, category="A", text=f"{thing}已完成整改并经代表现场查看。",
            signer="王志强", at=_at(second),
        )  # fmt: skip
        evaluated = min(second + datetime.timedelta(days=7), today)
    result = rng.choices(["satisfied", "basic", "dissatisfied"], weights=[70, 25, 5])[0]
    if target == "closed" and result == "dissatisfied":
        result = "basic"
    services.evaluation_submit(
        actor=actor if actor != staff else staff,
        suggestion=suggestion,
        result=result,
        attitude="satisfied",
        comment="问题仍未彻底解决" if result == "dissatisfied" else "",
        at=_at(evaluated),
    )
    if index % 4 == 0:
        services.suggestion_publish(actor=staff, suggestion=suggestion)
    return suggestion


def _key_suggestions(made, staff, today) -> None:
    leader = User.objects.filter(username="leader").first()
    candidates = [s for s in made if s.state in (State.ASSIGNED, State.REPLIED, State.REHANDLING)]
    for index, (suggestion, name) in enumerate(zip(candidates[:5], KEY_LEADERS, strict=False)):
        suggestion.refresh_from_db()
        if suggestion.state == State.CLOSED:
            continue
        services.suggestion_designate_key(
            actor=staff,
            suggestion=suggestion,
            leader=name,
            leader_user=leader if "张国华" in name else None,
            at=_at(min((suggestion.assigned_on or today) + datetime.timedelta(days=3), today)),
        )
        visit_day = min((suggestion.assigned_on or today) + datetime.timedelta(days=20 + index), today)
        services.supervision_note_add(
            actor=staff,
            suggestion=suggestion,
            kind="visit",
            occurred_on=visit_day,
            text=f"{name.split()[-1]}带队到现场督办，听取承办单位汇报，要求倒排工期、按期办结。",
            participants="县人大常委会代表工委、承办单位负责人",
        )
        services.supervision_note_add(
            actor=staff,
            suggestion=suggestion,
            kind="progress",
            occurred_on=min(visit_day + datetime.timedelta(days=25), today),
            text="承办单位已完成方案设计和资金筹措，进入实施阶段。",
        )


def _merge_some(made, staff, deputies, today, rng) -> None:
    """Two late duplicates merged into earlier accepted items (并案)."""
    targets = [s for s in made if s.state in (State.ACCEPTED, State.ASSIGNED)][:2]
    for target in targets:
        lead = rng.choice(deputies)
        duplicate = services.suggestion_create(
            actor=staff,
            lead_deputy=lead,
            title=target.title.replace("关于加快", "关于尽快推进"),
            body=target.body,
            category=target.category,
            source=Suggestion.Source.PAPER,
            submit=True,
        )
        services.suggestion_merge(
            actor=staff, suggestion=duplicate, into=target, note="与已立案建议内容相同，并案办理"
        )


def _drafts(own, staff) -> None:
    if own is None or own.user is None:
        return
    services.suggestion_create(
        actor=own.user,
        lead_deputy=own,
        title="关于在黄泥塘镇集镇增设公共停车位的建议",
        body="黄泥塘镇赶集日车辆乱停乱放，堵塞主街，建议规划建设公共停车位。",
        category="transport",
    )


def _confirm_cosigners(suggestion: Suggestion, staff) -> None:
    """The demo's co-signers said yes (on the phone, or to staff when they have no account)."""
    for signer in suggestion.signers.filter(is_lead=False, answer="pending").select_related("deputy__user"):
        user = signer.deputy.user
        services.cosign_answer(
            actor=user if user is not None else staff,
            suggestion=suggestion,
            accept=True,
            signer=None if user is not None else signer,
        )


# A colleague of the demo deputy, with an account, who invites 王芳 to co-sign.
COLLEAGUE_USERNAME = "deputy_colleague"


def _queue_examples(own, staff, units, unit_users, deputies, today) -> None:
    """Items handed over today so that every role's work queue has something in it: a co-unit that
    signed and owes its input (协办意见), a unit's return request and an extension request for staff,
    and a co-signing request waiting for the demo deputy."""
    transport, housing = units.get("县交通运输局"), units.get("县住房和城乡建设局")
    education, health = units.get("县教育局"), units.get("县卫生健康局")
    pool = [d for d in deputies if d.user_id is None]
    if not pool:
        return
    leads = [pool[i % len(pool)] for i in range(4)]

    def handed_over(lead, title, body, category, lead_unit, co_units=()):
        item = services.suggestion_create(
            actor=staff, lead_deputy=lead, title=title, body=body, category=category, submit=True,
            source=Suggestion.Source.PAPER,
        )  # fmt: skip
        services.suggestion_accept(actor=staff, suggestion=item)
        services.suggestion_assign(actor=staff, suggestion=item, lead_unit=lead_unit, co_units=co_units)
        return item

    if transport and housing and unit_users.get(housing.pk):
        item = handed_over(
            leads[0],
            "关于整治县城老旧小区周边道路的建议",
            "老旧小区周边道路破损、排水不畅，建议交通、住建部门联合整治。",
            "construction",
            transport,
            [housing],
        )
        services.assignment_accept(actor=unit_users[housing.pk], suggestion=item)
    if education and unit_users.get(education.pk):
        item = handed_over(
            leads[1],
            "关于规范农村客运班线运营的建议",
            "部分农村客运班线停运，群众出行不便，建议恢复并规范运营。",
            "transport",
            education,
        )
        services.assignment_return_request(
            actor=unit_users[education.pk], suggestion=item, reason="农村客运班线属县交通运输局职责，申请退回"
        )
    if health and unit_users.get(health.pk):
        item = handed_over(
            leads[2],
            "关于建设乡镇卫生院发热门诊的建议",
            "乡镇卫生院缺少发热门诊，建议统筹建设。",
            "health",
            health,
        )
        services.assignment_accept(actor=unit_users[health.pk], suggestion=item)
        item.refresh_from_db()
        services.extension_request(
            actor=unit_users[health.pk],
            suggestion=item,
            requested_due_on=item.due_on + datetime.timedelta(days=60),
            reason="需待年度预算安排后答复，申请延期两个月",
        )
    if own is not None and own.user is not None:
        _cosign_request(colleague=leads[3], own=own)


def _cosign_request(*, colleague, own) -> None:
    from renda.deputies.services import deputy_update

    account = User.objects.filter(username=COLLEAGUE_USERNAME).first() or user_create(
        username=COLLEAGUE_USERNAME,
        password=settings.RENDA_DEMO_PASSWORD,
        role=Role.DEPUTY,
        full_name=colleague.name,
    )
    if colleague.user_id is None:
        deputy_update(deputy=colleague, data={"user": account})
        colleague.refresh_from_db()
    services.suggestion_create(
        actor=account,
        lead_deputy=colleague,
        title="关于增加农村学校校车线路的建议",
        body="偏远村组学生上学路远，建议增加校车线路并配备随车照管人员。",
        category="education",
        cosigners=[own],
    )


def _funds(staff, made, today) -> None:
    codes = [c for _p, c, _a, _o in COUNTY_FUNDS_2024 + CITY_FUNDS_2024] + [COUNTY]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    completed_on = datetime.date(2024, 11, 30)
    for source, specs in (
        (MicroFund.Source.COUNTY, COUNTY_FUNDS_2024),
        (MicroFund.Source.CITY, CITY_FUNDS_2024),
    ):
        for project, code, amount, outcome in specs:
            region = regions.get(code) or regions[COUNTY]
            fund = services.fund_create(
                actor=staff, source=source, year=2024, amount=Decimal(amount), project=project, region=region
            )
            services.fund_advance(actor=staff, fund=fund, on=datetime.date(2024, 6, 30))
            services.fund_advance(actor=staff, fund=fund, on=completed_on, outcome=outcome)
    # This year's city money for solved suggestions, at every step.
    solved = [s for s in made if s.state == State.CLOSED and s.replies.filter(category="A").exists()][:3]
    for step, suggestion in enumerate(solved):
        fund = services.fund_create(
            actor=staff,
            source=MicroFund.Source.CITY,
            year=today.year,
            amount=Decimal("30000") + step * 15000,
            project=suggestion.title.replace("关于加快", "").replace("的建议", "") + "微实事项目",
            region=suggestion.region,
            suggestion=suggestion,
        )
        if step >= 1:
            services.fund_advance(actor=staff, fund=fund, on=today)
        if step >= 2:
            services.fund_advance(actor=staff, fund=fund, on=today, outcome="项目已完工并通过验收")
