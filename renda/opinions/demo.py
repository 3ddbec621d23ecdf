"""Demo data for opinions: what constituents said at 黄泥塘镇, 九驿 and 红旗 stations, in every state.

Written through the real services (intake, transitions, replies, ratings). Afterwards each opinion's
steps are spread back over the days since intake so that the lists look like weeks of work rather
than one minute; that shift of timestamps is the only write outside the services, and only the demo
does it. Idempotent: an opinion
whose title already exists is skipped.
"""

import datetime

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Deputy
from renda.network.models import Station
from renda.organizations.models import Organization

from . import services
from .models import Opinion, OpinionEvent

S = Opinion.State

# station name, title, content, category, channel, phone, days ago, steps
# A step is (target state or "reply"/"rate", actor username or None for the constituent, arguments).
DEMO = [
    (
        "黄泥塘镇人大代表联络站",
        "集镇农贸市场周边乱停车",
        "赶场天农贸市场门口车辆乱停，救护车都进不来，希望划定停车区域并安排人员疏导。",
        "transport",
        "qr_form",
        "13885712345",
        2,
        [],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "低保评定结果希望张榜公示",
        "村里今年低保评定没有公示名单，群众有意见，希望按规定张榜公示并说明评定标准。",
        "social_security",
        "walk_in",
        "",
        4,
        [],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "医保缴费如何在手机上办理",
        "家里老人不会用手机缴纳城乡居民医保，想知道有没有其他缴费办法。",
        "health",
        "qr_form",
        "13985700001",
        12,
        [
            (
                S.ANSWERED,
                "station_keeper",
                {"reply": "可到村委会或镇便民服务中心现场代缴，也可由子女通过“贵州医保”小程序代为缴纳。"},
            ),
            ("rate", None, {"satisfaction": "satisfied"}),
        ],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "通组路路面破损",
        "黄泥塘社区到新寨组的通组路多处破损，雨天无法通行，希望尽快修补。",
        "transport",
        "qr_form",
        "",
        20,
        [
            (
                S.REFERRED,
                "township_staff",
                {"department": "县交通运输局", "note": "请县交通运输局核实并安排修补。"},
            )
        ],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "通组路坑洼严重，下雨积水",
        "新寨组的路坑坑洼洼，一下雨就积水，娃娃上学很不方便。",
        "transport",
        "qr_form",
        "",
        18,
        [
            (
                S.MERGED,
                "station_keeper",
                {"merged_into": "通组路路面破损", "note": "与“通组路路面破损”为同一问题，合并办理。"},
            )
        ],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "村卫生室缺少常用药",
        "村卫生室经常缺少降压药等常用药，老人要跑到镇上才能买到。",
        "health",
        "phone_call",
        "13608571234",
        35,
        [
            (S.REFERRED, "township_staff", {"department": "县卫生健康局", "note": "转县卫生健康局办理。"}),
            (
                "reply",
                "township_staff",
                {"reply": "县卫生健康局答复：已将村卫生室纳入基本药物配送范围，每月配送两次。"},
            ),
            (
                "rate",
                "station_keeper",
                {"satisfaction": "basically_satisfied", "note": "电话回访，希望配送更及时"},
            ),
            (S.CLOSED, "township_staff", {"note": "部门已答复，群众基本满意，办结。"}),
        ],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "咨询养老保险待遇资格认证",
        "在外务工的父母怎样做养老保险待遇资格认证？",
        "social_security",
        "phone_call",
        "",
        40,
        [
            (
                S.ANSWERED,
                "station_keeper",
                {"reply": "可通过“掌上12333”手机应用人脸识别认证，或由村协办员上门认证。"},
            ),
            (S.CLOSED, "station_keeper", {"note": "已当场答复，办结。"}),
        ],
    ),
    (
        "黄泥塘镇人大代表联络站",
        "建议在集镇增设公共厕所",
        "集镇只有一处公共厕所，赶场天人多不够用，建议在新街增设一处。",
        "urban",
        "walk_in",
        "",
        25,
        [(S.SUGGESTION, "township_staff", {"deputy": "王芳", "note": "交王芳代表调研后形成建议。"})],
    ),
    (
        "新塘社区代表联络室",
        "饮水管网老化经常停水",
        "社区自来水管网是十多年前铺的，经常爆管停水，希望更换。",
        "urban",
        "qr_form",
        "",
        6,
        [],
    ),
    (
        "九驿街道人大代表联络站",
        "小区周边夜市噪音扰民",
        "九驿小区旁边的夜市每天闹到凌晨一两点，影响居民休息。",
        "environment",
        "qr_form",
        "13312345678",
        3,
        [],
    ),
    (
        "九驿街道人大代表联络站",
        "孩子入学需要准备哪些材料",
        "外地户籍孩子在九驿上小学需要准备什么材料？",
        "education",
        "walk_in",
        "",
        15,
        [
            (
                S.ANSWERED,
                "county_staff",
                {"reply": "需户口簿、居住证明和监护人务工证明，具体可咨询县教育局招生办。"},
            )
        ],
    ),
    (
        "九驿街道人大代表联络站",
        "道路两侧绿化带缺乏管护",
        "九驿大道两侧绿化带杂草丛生，建议加强管护。",
        "environment",
        "qr_form",
        "",
        30,
        [(S.CLOSED, "county_staff", {"note": "已转街道城管中队处理并现场复核，办结。"})],
    ),
    (
        "红旗街道人大代表联络站",
        "老旧小区改造进度",
        "红旗街道老旧小区改造去年开工，今年还没有完成，楼道和管网问题多。",
        "urban",
        "qr_form",
        "",
        9,
        [
            (
                S.REFERRED,
                "county_staff",
                {"department": "县住房和城乡建设局", "note": "请县住房和城乡建设局答复改造进度。"},
            )
        ],
    ),
    (
        "西南社区代表之家",
        "社区活动室开放时间太短",
        "社区活动室只在工作日开放，老年人周末没有活动的地方。",
        "other",
        "qr_form",
        "",
        1,
        [],
    ),
]

# Opinions still waiting after the response period (RENDA_OPINION_RESPONSE_DAYS, 15 days): the staff's
# "超时未办" work queue shows them.
DEMO += [
    (
        "黄泥塘镇人大代表联络站",
        "集市日道路拥堵无人疏导",
        "每逢赶集日镇上主街车辆人流混行，堵到中午，希望安排人员疏导交通。",
        "transport",
        "walk_in",
        "",
        21,
        [],
    ),
    (
        "九驿街道人大代表联络站",
        "小区电梯经常停运",
        "九驿小区3号楼电梯一个月停了四次，老人上下楼困难，物业说没钱维修。",
        "urban",
        "qr_form",
        "",
        18,
        [],
    ),
]

# What 王芳 (the demo deputy) heard and logged herself: each one is also a duty record (联系选民).
HEARD = [
    ("群众希望增加到县城的班车", "黄泥塘到县城每天只有两趟班车，群众希望增加班次。", "transport", 5, []),
    (
        "种植大户希望建设冷链仓储",
        "蔬菜种植大户反映没有冷库，采摘后容易烂，希望建设冷链仓储设施。",
        "agriculture",
        14,
        [(S.SUGGESTION, "deputy", {"note": "拟在闭会期间提出建议。"})],
    ),
]


def _backdate(opinion: Opinion, received_at: datetime.datetime) -> None:
    """Put an opinion's intake at `received_at` and spread its steps from then to now (demo only)."""
    span = timezone.now() - received_at
    Opinion.objects.filter(pk=opinion.pk).update(received_at=received_at)
    events = list(OpinionEvent.objects.filter(opinion=opinion).order_by("id"))
    replied_at = None
    for position, event in enumerate(events):
        at = received_at + span * (position / len(events))
        OpinionEvent.objects.filter(pk=event.pk).update(occurred_at=at)
        if event.action == OpinionEvent.Action.REPLY or (event.to_state == S.ANSWERED and event.from_state):
            replied_at = at
    if replied_at is not None:
        Opinion.objects.filter(pk=opinion.pk).update(replied_at=replied_at)


def _steps(opinion: Opinion, steps, users, by_title) -> None:
    for target, username, args in steps:
        actor = users.get(username) if username else None
        args = dict(args)
        if "department" in args:
            args["department"] = Organization.objects.get(
                name=args["department"], kind=Organization.Kind.HANDLING_UNIT
            )
        if "merged_into" in args:
            args["merged_into"] = by_title[args["merged_into"]]
        if "deputy" in args:
            # 王芳 is the deputy behind the demo `deputy` account.
            args["deputy"] = Deputy.objects.filter(user__username="deputy").first()
        if target == "reply":
            opinion = services.opinion_reply(opinion=opinion, actor=actor, **args)
        elif target == "rate":
            opinion = services.opinion_rate(opinion=opinion, actor=actor, **args)
        else:
            opinion = services.opinion_transition(opinion=opinion, to_state=target, actor=actor, **args)


def seed(*, stdout) -> None:
    names = ["station_keeper", "township_staff", "county_staff", "deputy"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if "county_staff" not in users or "station_keeper" not in users:
        return
    stations = {s.name: s for s in Station.objects.filter(name__in={row[0] for row in DEMO})}
    existing = set(Opinion.objects.values_list("title", flat=True))
    by_title = {o.title: o for o in Opinion.objects.filter(title__in=[row[1] for row in DEMO])}
    created = 0
    for index, (station_name, title, content, category, channel, phone, days, steps) in enumerate(DEMO):
        station = stations.get(station_name)
        if title in existing or station is None:
            continue
        data = {"title": title, "content": content, "category": category, "constituent_phone": phone}
        received_at = timezone.now() - datetime.timedelta(days=days, hours=index % 7)
        if channel == "qr_form":
            # A distinct pretend address per row, so that seeding is not itself taken for a flood.
            opinion = services.opinion_submit_public(station=station, client_ip=f"demo-{index}", **data)
        else:
            keeper = users["station_keeper"] if station_name.startswith("黄泥塘镇") else users["county_staff"]
            opinion = services.opinion_create(
                actor=keeper, station=station, channel=channel, received_at=received_at, **data
            )
        by_title[title] = opinion
        _steps(opinion, steps, users, by_title)
        _backdate(opinion, received_at)
        created += 1
    if "deputy" in users:
        for title, content, category, days, steps in HEARD:
            if title in existing:
                continue
            received_at = timezone.now() - datetime.timedelta(days=days)
            opinion = services.opinion_create_by_deputy(
                actor=users["deputy"],
                title=title,
                content=content,
                category=category,
                received_at=received_at,
            )
            _steps(opinion, steps, users, by_title)
            _backdate(opinion, received_at)
            created += 1
    stdout.write(f"群众意见：新增 {created} 条")
