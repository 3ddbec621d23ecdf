"""Demo deputies of 大方县: the 18th county congress, the township congresses, and the provincial and
city deputies living in the county, with sectors, external roles, 双联系 and some contact logs.

Sizes: 300 county deputies across the county's 29 township-level units (4 streets, 9 towns, 16
townships — the units the county itself reports; see renda.network.demo), 1,500 township deputies in
the 25 towns and townships (streets have no people's congress of their own), about half the county
deputies of a town also sitting in its congress, 3 provincial and 12 city deputies. Names are invented
from common surnames of the area, about one in six with a single-character given name. The `deputy`
demo account is 王芳 of 黄泥塘镇, a county and township deputy.

Idempotent and quick: every person is found by their ID number's blind index (one query for all), every
mandate by (deputy, congress); new rows go through the services, so they are validated and audited.
"""

import datetime
import random

from django.utils import timezone

from renda.accounts.models import User
from renda.core.access import Role
from renda.core.crypto import blind_index
from renda.core.validators import id_check_character
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import services
from .models import Congress, Constituency, Contact, ContactAssignment, Deputy, ExternalRole, Level, Mandate

COUNTY = "520521"
HUANGNITANG = "520521105"
STREETS = ["520521001", "520521002", "520521003", "520521004"]
TOWNS_AND_TOWNSHIPS = [
    "520521101", "520521102", "520521103", "520521104", "520521105", "520521106", "520521107",
    "520521108", "520521109", "520521200", "520521201", "520521202", "520521203", "520521204",
    "520521205", "520521206", "520521208", "520521209", "520521211", "520521212", "520521213",
    "520521214", "520521215", "520521216", "520521217",
]  # fmt: skip
UNITS = STREETS + TOWNS_AND_TOWNSHIPS
COUNTY_TERM_START = datetime.date(2021, 12, 28)
COUNTY_DEPUTIES = 300
TOWNSHIP_DEPUTIES = 1500

SURNAMES = (
    "王王王李李李张张张刘刘陈陈陈杨杨杨黄黄赵吴吴周徐孙马朱胡郭何高林罗罗罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢龙龙安安禄熊文穆舒毛柏范顾史聂敖卯陆"
)
# Given names: a single character, or a first and a second character from pools that go together.
MALE_SINGLE = "明华平强军斌勇杰涛刚伟俊峰鹏超亮兵松荣祥"
MALE_FIRST = "国建志永德明家文学正世开光兴红春海云俊"
MALE_SECOND = "华强明平军林富贵成忠勇伟荣祥江波峰斌龙"
FEMALE_SINGLE = "芳英兰敏静燕萍琴梅娟艳莉丹婷玲洁蓉"
FEMALE_FIRST = "秀桂玉丽春海红晓美小金雪翠凤"
FEMALE_SECOND = "英兰梅华燕霞芳琴珍萍丽敏琼艳娟"
ETHNICITIES = (
    ["汉族"] * 12
    + ["彝族"] * 4
    + ["苗族"] * 3
    + ["穿青人"] * 3
    + ["白族", "仡佬族", "布依族", "满族", "蒙古族"]
)
AFFILIATIONS = ["cpc"] * 13 + ["masses"] * 4 + ["independent", "cdl", "jiusan", "cpwdp"]
EDUCATIONS = (
    ["bachelor"] * 5
    + ["associate"] * 4
    + ["high_school"] * 3
    + ["postgraduate", "junior", "secondary_vocational"]
)

# sector -> workplace patterns ({t} the township, {v} a village)
WORKPLACES = {
    "village": [
        "{t}{v}党支部书记、村委会主任",
        "{t}{v}村委会副主任",
        "{t}{v}村务监督委员会主任",
        "{t}{v}妇女主任",
    ],
    "government": ["{t}党委书记", "{t}人民政府乡（镇）长", "{t}党委副书记", "县农业农村局副局长"],
    "health": ["{t}卫生院院长", "大方县人民医院内科医生", "{t}{v}卫生室乡村医生", "大方县中医医院护士长"],
    "education": ["{t}中心学校校长", "大方县第一中学教师", "{t}中心幼儿园园长", "大方县职业高级中学教师"],
    "agriculture": [
        "大方县{t}天麻种植专业合作社理事长",
        "{t}农业服务中心主任",
        "{t}{v}种养殖大户",
        "大方县{t}肉牛养殖场负责人",
    ],
    "industry": [
        "贵州大方漆器有限公司总经理",
        "大方县{t}煤矿安全员",
        "大方县经济开发区企业职工",
        "贵州大方豆干食品厂厂长",
    ],
    "commerce": ["大方县{t}超市经理", "个体工商户", "大方县电商服务中心负责人"],
    "culture": ["大方县漆器非遗传承人", "{t}综合文化站站长", "大方县奢香博物馆讲解员"],
    "transport": ["大方县交通运输局干部", "大方县{t}客运站站长"],
    "finance": ["大方县农村信用合作联社{t}信用社主任"],
    "law": ["大方县人民法院法官", "大方县公安局{t}派出所所长", "贵州大方律师事务所律师"],
    "social": ["大方县{t}老年协会会长", "大方县志愿者协会秘书长"],
}
SECTOR_WEIGHTS = (
    ["village"] * 9 + ["government"] * 4 + ["agriculture"] * 5 + ["health"] * 3 + ["education"] * 3
    + ["industry"] * 2 + ["commerce"] * 2 + ["culture", "transport", "finance", "law", "social"]
)  # fmt: skip
FIVE_ROLES = [
    ExternalRole.Kind.POLICY_PUBLICIST,
    ExternalRole.Kind.INFORMATION_LIAISON,
    ExternalRole.Kind.ENFORCEMENT_MONITOR,
    ExternalRole.Kind.DISPUTE_MEDIATOR,
    ExternalRole.Kind.CONDUCT_ASSESSOR,
]
CONTACT_TOPICS = [
    "村组道路硬化",
    "天麻产业销路",
    "农村饮水安全",
    "义务教育学校住宿条件",
    "医保缴费和报销",
    "易地扶贫搬迁后续扶持",
    "农村人居环境整治",
    "集镇停车难",
]


class _Seeder:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(520521)  # noqa: S311 - the same demo county every time
        self.staff = User.objects.filter(role=Role.COUNTY_STAFF).order_by("pk").first()
        self.used_ids: set[str] = set()

    # --- people ---

    def id_number(self, gender: str) -> str:
        while True:
            born = datetime.date(1962, 1, 1) + datetime.timedelta(days=self.rng.randrange(0, 365 * 36))
            sequence = self.rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{COUNTY}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def person(self, township: Region, villages: list[Region], *, name: str = "", gender: str = "") -> dict:
        rng = self.rng
        gender = gender or ("female" if rng.random() < 0.32 else "male")
        if not name:
            single, first, second = (
                (FEMALE_SINGLE, FEMALE_FIRST, FEMALE_SECOND)
                if gender == "female"
                else (MALE_SINGLE, MALE_FIRST, MALE_SECOND)
            )
            given = rng.choice(single) if rng.random() < 0.16 else rng.choice(first) + rng.choice(second)
            name = rng.choice(SURNAMES) + given
        id_number = self.id_number(gender)
        sector = rng.choice(SECTOR_WEIGHTS)
        village = rng.choice(villages).name if villages else ""
        village = (
            village.replace("村民委员会", "村").replace("社区居民委员会", "社区").replace("居民委员会", "")
        )
        short = township.name
        workplace = rng.choice(WORKPLACES[sector]).format(t=short, v=village)
        return {
            "name": name,
            "gender": gender,
            "id_number": id_number,
            "birth_month": datetime.date(int(id_number[6:10]), int(id_number[10:12]), 1),
            "ethnicity": rng.choice(ETHNICITIES),
            "native_place": "贵州大方",
            "political_affiliation": rng.choice(AFFILIATIONS),
            "education": rng.choice(EDUCATIONS),
            "sector": sector,
            "workplace": workplace,
            "phone": f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
            "region": township,
        }


def _congress(level: str, region: Region, term: int, starts_on: datetime.date) -> Congress:
    found = Congress.objects.filter(region=region, term=term).first()
    return found or services.congress_create(level=level, region=region, term=term, starts_on=starts_on)


def _constituencies(
    congress: Congress, specs: list[tuple[str, int | None, Region]]
) -> dict[str, Constituency]:
    existing = {c.name: c for c in congress.constituencies.all()}
    for name, number, region in specs:
        if name not in existing:
            existing[name] = services.constituency_create(
                congress=congress, name=name, number=number, region=region
            )
    return existing


def seed(*, stdout) -> None:
    seeder = _Seeder(stdout)
    rng = seeder.rng
    county = Region.objects.get(code=COUNTY)
    units = {r.code: r for r in Region.objects.filter(code__in=UNITS)}
    villages: dict[str, list[Region]] = {code: [] for code in units}
    for village in Region.objects.filter(level=Region.Level.VILLAGE, path__startswith=county.path).order_by(
        "code"
    ):
        unit = village.path.strip("/").split("/")[3] if village.path.count("/") >= 4 else ""
        if unit in villages:
            villages[unit].append(village)

    province = Region.objects.get(code="52")
    city = Region.objects.get(code="5205")
    provincial = _congress(Level.PROVINCIAL, province, 14, datetime.date(2023, 1, 13))
    municipal = _congress(Level.CITY, city, 5, datetime.date(2021, 12, 20))
    county_congress = _congress(Level.COUNTY, county, 18, COUNTY_TERM_START)
    terms = {code: rng.choice([16, 17, 18, 19]) for code in TOWNS_AND_TOWNSHIPS}
    township_congresses = {
        code: _congress(Level.TOWNSHIP, units[code], terms[code], datetime.date(2021, 12, 20))
        for code in TOWNS_AND_TOWNSHIPS
    }

    # County seats per unit: streets 16, towns 10, townships 9 (298), two more for the first units.
    seats = {code: 16 if code in STREETS else 10 if code < "520521200" else 9 for code in UNITS}
    for code in UNITS[: COUNTY_DEPUTIES - sum(seats.values())]:
        seats[code] += 1
    county_specs, number = [], 0
    constituency_of: dict[str, list[str]] = {}
    for code in UNITS:
        constituency_of[code] = []
        for _i in range((seats[code] + 2) // 3):
            number += 1
            county_specs.append((f"第{number}选区", number, units[code]))
            constituency_of[code].append(f"第{number}选区")
    county_constituencies = _constituencies(county_congress, county_specs)
    electing_city = _constituencies(municipal, [("大方县", None, county)])["大方县"]
    electing_province = _constituencies(provincial, [("毕节市", None, city)])["毕节市"]
    township_constituencies = {}
    for code, congress in township_congresses.items():
        places = villages[code] or [units[code]]
        township_constituencies[code] = _constituencies(
            congress, [(f"第{i}选区", i, place) for i, place in enumerate(places, start=1)]
        )

    # Everyone to exist: (person, [(congress, constituency, delegation)]).
    plan: list[tuple[dict, list]] = []
    deputy_user = User.objects.filter(username="deputy").first()
    for code in UNITS:
        unit = units[code]
        delegation = f"{unit.name}代表团"
        for seat in range(seats[code]):
            if code == HUANGNITANG and seat == 0:
                person = seeder.person(unit, villages[code], name="王芳", gender="female")
                person["user"] = deputy_user
            else:
                person = seeder.person(unit, villages[code])
            constituency = county_constituencies[constituency_of[code][seat // 3]]
            mandates = [(county_congress, constituency, delegation)]
            if code in township_congresses and (seat % 2 == 0):
                mandates.append(
                    (township_congresses[code], rng.choice(list(township_constituencies[code].values())), "")
                )
            plan.append((person, mandates))
    already = sum(1 for _p, ms in plan for c, _x, _y in ms if c.level == Level.TOWNSHIP)
    remaining = TOWNSHIP_DEPUTIES - already
    for index in range(remaining):
        code = TOWNS_AND_TOWNSHIPS[index % len(TOWNS_AND_TOWNSHIPS)]
        person = seeder.person(units[code], villages[code])
        plan.append(
            (
                person,
                [(township_congresses[code], rng.choice(list(township_constituencies[code].values())), "")],
            )
        )
    for i in range(12):  # city deputies elected by the county congress; four of them county deputies too
        if i < 4:
            plan[i * 37][1].append((municipal, electing_city, "大方县代表团"))
        else:
            code = UNITS[(i * 7) % len(UNITS)]
            plan.append(
                (seeder.person(units[code], villages[code]), [(municipal, electing_city, "大方县代表团")])
            )
    for i in range(3):  # provincial deputies living in the county, elected by the city congress
        code = UNITS[(i * 11) % len(UNITS)]
        plan.append(
            (seeder.person(units[code], villages[code]), [(provincial, electing_province, "毕节市代表团")])
        )

    # Who exists already, in two queries.
    indexes = {blind_index(p["id_number"]): p for p, _m in plan}
    existing = {d.id_number_index: d for d in Deputy.objects.filter(id_number_index__in=indexes)}
    # The `deputy` account's person: in an older demo database it may have another ID number.
    linked = Deputy.objects.filter(user=deputy_user).first() if deputy_user is not None else None
    known = [*existing.values(), *([linked] if linked else [])]
    held = set(Mandate.objects.filter(deputy__in=known).values_list("deputy_id", "congress_id"))
    created_people = created_mandates = 0
    deputies: list[Deputy] = []
    for person, mandates in plan:
        deputy = existing.get(blind_index(person["id_number"]))
        if person.get("user") is not None and linked is not None:
            deputy = linked
        if deputy is None:
            deputy = services.deputy_create(actor=seeder.staff, **person)
            created_people += 1
        deputies.append(deputy)
        for congress, constituency, delegation in mandates:
            if (deputy.pk, congress.pk) in held:
                continue
            services.mandate_create(
                # Provincial and city mandates come from those congresses' own rosters, not from
                # the county's staff, who keep only the county's and its townships' (issue 13 §10).
                actor=seeder.staff if congress.level in ("county", "township") else None,
                deputy=deputy,
                congress=congress,
                constituency=constituency,
                delegation=delegation,
            )
            held.add((deputy.pk, congress.pk))
            created_mandates += 1

    _history(seeder, deputies, county_congress)
    _roles(seeder, deputies)
    _liaison(seeder, deputies)
    stdout.write(
        f"代表：新增 {created_people} 人、代表资格 {created_mandates} 个（共 {Deputy.objects.count()} 人，"
        f"{Mandate.objects.count()} 个代表资格）"
    )


def _history(seeder: _Seeder, deputies: list[Deputy], county_congress: Congress) -> None:
    """A few mandates that ended during the term, with the date and reason of the change."""
    if seeder.staff is None:
        return
    changes = [
        (
            25,
            Mandate.Status.TRANSFERRED,
            datetime.date(2023, 4, 18),
            "工作调动离开本行政区域，县人大常委会第十次会议公告",
        ),
        (
            88,
            Mandate.Status.RESIGNED,
            datetime.date(2024, 6, 27),
            "本人书面提出辞去县人大代表职务，县人大常委会第二十次会议接受",
        ),
        (140, Mandate.Status.TERMINATED, datetime.date(2024, 11, 5), "户籍迁出原选区，代表资格依法终止"),
    ]
    for index, status, day, reason in changes:
        mandate = Mandate.objects.filter(deputy=deputies[index], congress=county_congress).first()
        if mandate is not None and mandate.status == Mandate.Status.SERVING:
            services.mandate_transition(
                actor=seeder.staff, mandate=mandate, to_status=status, occurred_on=day, reason=reason
            )


def _roles(seeder: _Seeder, deputies: list[Deputy]) -> None:
    if ExternalRole.objects.exists():
        return
    since = datetime.date(2022, 3, 1)
    for index in range(0, 300, 12):
        services.external_role_add(
            actor=seeder.staff, deputy=deputies[index], kind=FIVE_ROLES[(index // 12) % 5], starts_on=since
        )
    market = Organization.objects.filter(name="县市场监管局").first()
    if market is not None:
        for index in (3, 45, 101):
            services.external_role_add(
                actor=seeder.staff,
                deputy=deputies[index],
                kind=ExternalRole.Kind.DEPARTMENT_APPOINTMENT,
                title="行风政风监督员",
                organization=market,
                starts_on=datetime.date(2023, 3, 15),
                ends_on=datetime.date(2026, 3, 14),
            )


def _day(days_ago: int) -> datetime.date:
    """A date this year when possible (the portal counts this year's contacts)."""
    today = timezone.localdate()
    return max(today - datetime.timedelta(days=days_ago), datetime.date(today.year, 1, 1))


def _liaison(seeder: _Seeder, deputies: list[Deputy]) -> None:
    """双联系 for the `leader` account, and constituent contacts logged by some deputies."""
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    wang = next((d for d in deputies if d.user_id), None)
    if leader is not None and not ContactAssignment.objects.filter(member=leader).exists():
        assigned = [d for d in ([wang] if wang else []) + deputies[10:60:10] if d is not None][:6]
        for deputy in assigned:
            services.contact_assignment_add(
                actor=seeder.staff, member=leader, deputy=deputy, starts_on=COUNTY_TERM_START
            )
        for i, deputy in enumerate(assigned[1:4]):
            services.contact_log(
                actor=leader,
                kind=Contact.Kind.COMMITTEE,
                deputy=deputy,
                member=leader,
                method=[Contact.Method.VISIT, Contact.Method.CALL, Contact.Method.MEETING][i],
                occurred_on=_day(30 + i * 9),
                topics=CONTACT_TOPICS[i],
            )
    if wang is None or Contact.objects.filter(kind=Contact.Kind.CONSTITUENT, deputy=wang).exists():
        return
    if wang.user is not None and leader is not None:
        services.contact_log(
            actor=wang.user,
            kind=Contact.Kind.COMMITTEE,
            deputy=wang,
            member=leader,
            method=Contact.Method.WRITTEN,
            occurred_on=_day(12),
            topics="反映黄泥塘镇集镇停车难问题",
        )
    for i in range(3):
        services.contact_log(
            actor=wang.user or seeder.staff,
            kind=Contact.Kind.CONSTITUENT,
            deputy=wang,
            method=[Contact.Method.VISIT, Contact.Method.CALL, Contact.Method.RECEPTION][i],
            occurred_on=_day(5 + i * 14),
            place=["黄泥塘社区", "", "黄泥塘镇集镇"][i],
            people_count=[6, 1, 12][i],
            topics=CONTACT_TOPICS[(i + 3) % len(CONTACT_TOPICS)],
            opinions="群众希望尽快解决，已记录并向镇人大主席团反映。",
        )
    for index, deputy in enumerate(deputies[1:40], start=1):
        for k in range(index % 4):
            services.contact_log(
                actor=seeder.staff,
                kind=Contact.Kind.CONSTITUENT,
                deputy=deputy,
                method=Contact.Method.VISIT,
                occurred_on=_day(7 * (k + 1) + index),
                people_count=1 + (index + k) % 8,
                topics=CONTACT_TOPICS[(index + k) % len(CONTACT_TOPICS)],
            )
    # Declarations waiting for staff review, as the duty-record pages show; 王芳's is in 黄泥塘镇, so
    # the township clerk's work queue has one too.
    for deputy in deputies[1:3]:
        duty_record_add(
            deputy=deputy,
            kind=DutyRecord.Kind.OTHER,
            title="参加村民代表大会，宣传代表履职情况",
            occurred_on=_day(15),
            origin=DutyRecord.Origin.DECLARED,
        )
    duty_record_add(
        deputy=wang,
        kind=DutyRecord.Kind.OTHER,
        title="走访黄泥塘镇中心小学，了解学生营养午餐情况",
        occurred_on=_day(4),
        origin=DutyRecord.Origin.DECLARED,
        actor=wang.user,
    )
