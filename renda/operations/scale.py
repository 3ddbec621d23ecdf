"""A synthetic province for benchmarks (`manage.py seed_scale`): every county of the Guizhou divisions
(but 大方县, which seed_demo owns) with its standing committee, work bodies, handling units, county and
township congresses, deputies with mandates at every level, stations, suggestions in every state,
opinions, activities, training, guidance, reception days, about a million duty records and a points
ledger per county. Deterministic for a seed: the same seed and sizes give the same rows (names, numbers,
states); only timestamps of writing and ciphertexts (random nonces) differ.

Rows are generated in Python with one `random.Random(seed)` per phase and written in bulk with ids
chosen in advance (renda/operations/bulk.py: COPY on PostgreSQL, bulk_create elsewhere); the points
ledger is the points app's own reconciliation (ledger.sync_scheme), so it is what a recompute gives.
"""

import datetime
import functools
import hashlib
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.activities.models import Activity, Invitation
from renda.activities.services import ACTIVITY_DUTY_KIND
from renda.core.access import Role
from renda.core.validators import id_check_character
from renda.deputies import strokes
from renda.deputies.demo import (
    AFFILIATIONS,
    EDUCATIONS,
    ETHNICITIES,
    FEMALE_FIRST,
    FEMALE_SECOND,
    FEMALE_SINGLE,
    MALE_FIRST,
    MALE_SECOND,
    MALE_SINGLE,
    SECTOR_WEIGHTS,
    SURNAMES,
    WORKPLACES,
)
from renda.deputies.models import Congress, Constituency, Deputy, Level, Mandate, MandateEvent
from renda.deputies.services import congress_name
from renda.duty_records.models import DutyRecord
from renda.guidance.models import GuidanceItem, GuidanceList, TownshipItem, TownshipItemEvent
from renda.network.models import (
    PUBLIC_CODE_ALPHABET,
    ReceptionDay,
    ReceptionParticipant,
    Station,
    StationedDeputy,
)
from renda.opinions.models import Opinion, OpinionEvent
from renda.opinions.services import TRACKING_ALPHABET, TRACKING_LENGTH
from renda.organizations.models import Organization
from renda.points import demo as points_demo
from renda.points.models import LedgerEntry, Scheme, Standing
from renda.points.services import scheme_import, scheme_publish
from renda.regions.models import Region
from renda.suggestions.models import (
    Assignment,
    Evaluation,
    Reply,
    State,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    SuggestionSigner,
)
from renda.suggestions.models import Contact as SuggestionContact
from renda.training.models import Attendance, Attendee, TrainingDay, TrainingSession

from .bulk import Writer, reset_sequences

DEMO_COUNTY = "520521"  # 大方县: seed_demo's; seed_scale leaves it alone
PROVINCE = "52"

# Defaults: the whole province at realistic size.
DEPUTIES = 100_000
DUTY_RECORDS = 1_000_000
SUGGESTIONS = 100_000
OPINIONS = 50_000
YEARS = 5

# Share of the deputies at each level (the rest sit in township congresses). Guizhou has about
# 600 provincial, 3,600 city and 20,000 county deputies; the township congresses hold the rest.
SHARE = {"provincial": 0.006, "city": 0.036, "county": 0.22}
# Share of the duty records each source writes (suggestions write about three per item, about 30%; the
# rest are contacts, meetings, study and declarations with no source row).
BUDGET = {"activities": 0.15, "training": 0.05, "reception": 0.08}
ACTIVITY_INVITEES, TRAINING_ATTENDEES, RECEPTION_DEPUTIES = 15, 60, 3
COUNTY_TERM, CITY_TERM, PROVINCIAL_TERM = 18, 5, 14
WORK_BODIES = ["办公室", "法制工作委员会", "预算工作委员会", "代表工作委员会"]
UNITS = [
    "交通运输局",
    "教育局",
    "卫生健康局",
    "住房和城乡建设局",
    "农业农村局",
    "市场监管局",
    "水务局",
    "自然资源局",
    "民政局",
    "人力资源和社会保障局",
]
CATEGORY_UNIT = {
    "transport": 0,
    "education": 1,
    "health": 2,
    "construction": 3,
    "agriculture": 4,
    "market": 5,
    "environment": 7,
    "social": 8,
    "economy": 9,
    "other": 8,
}
TOPICS = {
    "transport": ["通组路硬化", "农村客运班线", "乡村公路安保设施", "集镇停车难"],
    "education": ["乡村学校寄宿条件", "学校周边交通安全", "乡村教师待遇", "营养午餐"],
    "health": ["村卫生室建设", "医保报销便利", "乡镇卫生院设备", "家庭医生签约"],
    "agriculture": ["天麻产业销路", "茶产业发展", "肉牛养殖补贴", "高标准农田建设"],
    "construction": ["农村危房改造", "集镇污水处理", "易地搬迁安置点配套", "老旧小区改造"],
    "environment": ["河道垃圾清理", "农村人居环境整治", "矿区生态修复"],
    "social": ["农村养老服务", "残疾人帮扶", "社保待遇认证"],
    "economy": ["县域商贸物流", "小微企业融资", "农村电商发展"],
    "market": ["农贸市场食品安全", "农资质量监管"],
    "other": ["村级公共服务", "便民服务中心"],
}
ACTIVITY_KINDS = [
    "inspection",
    "survey",
    "law_inspection",
    "inquiry",
    "joint_inspection",
    "supervision",
    "study",
]
LAWS = ["《中华人民共和国食品安全法》", "《中华人民共和国道路交通安全法》", "《中华人民共和国水污染防治法》"]
FREE_KINDS = ["meeting"] * 5 + ["contact"] * 6 + ["reception"] * 2 + ["study"] * 2 + ["legislation", "other"]
GUIDANCE_ITEMS = [
    "召开乡镇人民代表大会会议",
    "组织代表开展专题调研",
    "开展代表进站接待选民活动",
    "落实代表建议办理",
    "组织代表述职评议",
    "开展代表学习培训",
]


def _scaled(value: int, scale: float) -> int:
    return max(1, round(value * scale))


@dataclass
class Sizes:
    deputies: int = DEPUTIES
    duty_records: int = DUTY_RECORDS
    suggestions: int = SUGGESTIONS
    opinions: int = OPINIONS
    years: int = YEARS
    counties: int | None = None  # the first N counties by code; None: all

    @classmethod
    def build(cls, *, scale: float = 1.0, **given) -> "Sizes":
        sizes = cls(
            deputies=_scaled(DEPUTIES, scale),
            duty_records=_scaled(DUTY_RECORDS, scale),
            suggestions=_scaled(SUGGESTIONS, scale),
            opinions=_scaled(OPINIONS, scale),
        )
        for name, value in given.items():
            if value is not None:
                setattr(sizes, name, value)
        return sizes


class ScaleError(Exception):
    """Raised when the database cannot take the scale data (no regions, already seeded)."""


@dataclass
class County:
    region: Region
    city: Region
    streets: list[Region]
    towns: list[Region]  # towns and townships: they have congresses of their own
    villages: dict[int, list[Region]]
    congress_id: int = 0
    committee_id: int = 0
    units: list[int] = field(default_factory=list)
    staff_id: int | None = None
    deputies: list[int] = field(default_factory=list)  # county deputies
    township_stations: dict[int, int] = field(default_factory=dict)  # township region id -> station id
    village_stations: list[tuple[int, int]] = field(default_factory=list)  # (station id, region id)
    stationed: dict[int, list[int]] = field(default_factory=dict)  # station id -> county deputies

    @property
    def townships(self) -> list[Region]:
        return self.streets + self.towns


@functools.cache
def _zone():
    return timezone.get_default_timezone()


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_zone())


def _short(name: str) -> str:
    for suffix in ("村民委员会", "社区居民委员会", "居民委员会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("社区" if suffix == "社区居民委员会" else "")
    return name


class ScaleSeeder:
    def __init__(self, *, seed: int, sizes: Sizes, until: datetime.date, stdout=None):
        self.seed = seed
        self.sizes = sizes
        self.until = until
        self.start = until - datetime.timedelta(days=365 * sizes.years)
        self.stdout = stdout
        self.timings: list[tuple[str, float, int]] = []
        self.counts: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.name_keys: dict[str, tuple[str, str]] = {}
        self.checksum = hashlib.sha256()

    # --- plumbing ---

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"{self.seed}:{phase}")  # noqa: S311 - synthetic data, reproducible

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def run(self) -> None:
        phases = [
            ("regions", _("行政区划"), self.phase_regions),
            ("organizations", _("机构与账号"), self.phase_organizations),
            ("congresses", _("人民代表大会与选区"), self.phase_congresses),
            ("deputies", _("代表与代表资格"), self.phase_deputies),
            ("stations", _("联络站点与接待日"), self.phase_stations),
            ("suggestions", _("建议议案"), self.phase_suggestions),
            ("opinions", _("群众意见"), self.phase_opinions),
            ("activities", _("代表活动"), self.phase_activities),
            ("training", _("履职培训"), self.phase_training),
            ("guidance", _("工作指导"), self.phase_guidance),
            ("duty_records", _("其他履职记录"), self.phase_duty_records),
            ("points", _("履职积分"), self.phase_points),
            ("finish", _("序列与统计信息"), self.phase_finish),
        ]
        for key, label, work in phases:
            started = time.perf_counter()
            self.writer = Writer()
            with transaction.atomic():
                rows = work() or 0
                self.writer.flush()
            rows += sum(t.written for t in self.writer.tables)
            elapsed = time.perf_counter() - started
            self.timings.append((key, elapsed, rows))
            self.say(_("%(label)s：%(rows)d 行，%(s).1f 秒") % {"label": label, "rows": rows, "s": elapsed})

    # --- regions ---

    def phase_regions(self) -> int:
        if not Region.objects.filter(code=PROVINCE).exists():
            raise ScaleError(_("没有行政区划：请先运行 load_regions（或 seed_demo）"))
        self.province = Region.objects.get(code=PROVINCE)
        counties = list(
            Region.objects.filter(level=Region.Level.COUNTY, path__startswith=self.province.path)
            .exclude(code=DEMO_COUNTY)
            .order_by("code")
        )
        if self.sizes.counties is not None:
            counties = counties[: self.sizes.counties]
        if not counties:
            raise ScaleError(_("没有可生成的县（市、区）"))
        existing = Congress.objects.filter(level=Level.COUNTY, region__in=counties).select_related("region")
        if existing.exists():
            raise ScaleError(
                _("数据库中已有规模数据（%(c)s）：请在新数据库上运行") % {"c": existing.first().name}
            )
        cities = {r.pk: r for r in Region.objects.filter(level=Region.Level.CITY)}
        below = Region.objects.filter(
            level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE],
            parent__isnull=False,
        ).order_by("code")
        by_parent: dict[int, list[Region]] = {}
        wanted = {c.pk for c in counties}
        townships: dict[int, Region] = {}
        for region in below.filter(level=Region.Level.TOWNSHIP, parent_id__in=wanted):
            by_parent.setdefault(region.parent_id, []).append(region)
            townships[region.pk] = region
        villages: dict[int, list[Region]] = {}
        for region in below.filter(level=Region.Level.VILLAGE, parent_id__in=list(townships)):
            villages.setdefault(region.parent_id, []).append(region)
        self.counties = []
        for region in counties:
            units = by_parent.get(region.pk, [])
            if not units:
                continue
            streets = [u for u in units if u.code[6:9] < "100"]
            towns = [u for u in units if u.code[6:9] >= "100"]
            self.counties.append(
                County(
                    region=region,
                    city=cities[region.parent_id],
                    streets=streets,
                    towns=towns,
                    villages={u.pk: villages.get(u.pk, []) for u in units},
                )
            )
        self.cities = sorted({c.city.pk: c.city for c in self.counties}.values(), key=lambda r: r.code)
        self.say(
            _("范围：%(c)d 个市（州）、%(n)d 个县（市、区）、%(t)d 个乡镇（街道）")
            % {
                "c": len(self.cities),
                "n": len(self.counties),
                "t": sum(len(c.townships) for c in self.counties),
            }
        )
        return 0

    # --- organisations and accounts ---

    def phase_organizations(self) -> int:
        orgs = self.writer.table(Organization)
        existing = {
            (region_id, name): pk
            for pk, region_id, name in Organization.objects.filter(
                region__in=[self.province, *self.cities]
            ).values_list("pk", "region_id", "name")
        }

        def ensure(name, kind, region, parent=None, position=0):
            key = (region.pk, name)
            if key not in existing:
                existing[key] = orgs.add(
                    name=name, kind=kind, region_id=region.pk, parent_id=parent, position=position
                )
            return existing[key]

        SC = Organization.Kind
        ensure(f"{self.province.name}人大常委会", SC.STANDING_COMMITTEE, self.province)
        for city in self.cities:
            ensure(f"{city.name}人大常委会", SC.STANDING_COMMITTEE, city)
        for county in self.counties:
            region = county.region
            county.committee_id = ensure(f"{region.name}人大常委会", SC.STANDING_COMMITTEE, region)
            for i, body in enumerate(WORK_BODIES):
                ensure(body, SC.WORK_BODY, region, county.committee_id, i)
            prefix = region.name[-1] if region.name[-2:] != "特区" else "特区"
            county.units = [ensure(f"{prefix}{unit}", SC.HANDLING_UNIT, region) for unit in UNITS]
            for township in county.streets:
                ensure(f"{township.name}人大工作委员会", SC.STREET_COMMITTEE, township, county.committee_id)
            for township in county.towns:
                ensure(f"{township.name}人大主席团", SC.TOWNSHIP_PRESIDIUM, township)
        # One staff account per county and per city (the scoping tests and the bench log in as them).
        users = self.writer.table(User)
        password = make_password("Renda#2024")
        taken = set(User.objects.filter(username__startswith="scale_").values_list("username", flat=True))
        for county in self.counties:
            username = f"scale_staff_{county.region.code}"
            if username not in taken:
                county.staff_id = users.add(
                    username=username,
                    password=password,
                    role=Role.COUNTY_STAFF,
                    full_name=f"{county.region.name}人大工作人员",
                    region_id=county.region.pk,
                    organization_id=county.committee_id,
                    must_change_password=False,
                )
        for city in self.cities:
            username = f"scale_city_{city.code}"
            if username not in taken:
                users.add(
                    username=username,
                    password=password,
                    role=Role.CITY_STAFF,
                    full_name=f"{city.name}人大工作人员",
                    region_id=city.pk,
                )
        return 0

    # --- congresses and constituencies ---

    def phase_congresses(self) -> int:
        rng = self.rng("congresses")
        congresses = self.writer.table(Congress)
        self.constituencies = self.writer.table(Constituency)
        found = {
            (region_id, term): pk
            for pk, region_id, term in Congress.objects.values_list("pk", "region_id", "term")
        }
        self.new_constituency_congresses: set[int] = set()

        def ensure(level, region, term, starts_on):
            key = (region.pk, term)
            if key not in found:
                found[key] = congresses.add(
                    level=level,
                    region_id=region.pk,
                    term=term,
                    name=congress_name(region=region, term=term),
                    starts_on=starts_on,
                    ends_on=starts_on.replace(year=starts_on.year + 5) - datetime.timedelta(days=1),
                )
                self.new_constituency_congresses.add(found[key])
            return found[key]

        term_start = self.start.replace(month=12, day=20) if self.start.month < 12 else self.start
        self.term_start = min(term_start, self.until)
        self.provincial = ensure(Level.PROVINCIAL, self.province, PROVINCIAL_TERM, self.term_start)
        self.city_congress = {c.pk: ensure(Level.CITY, c, CITY_TERM, self.term_start) for c in self.cities}
        self.township_congress: dict[int, int] = {}
        for county in self.counties:
            county.congress_id = ensure(Level.COUNTY, county.region, COUNTY_TERM, self.term_start)
            for township in county.towns:
                self.township_congress[township.pk] = ensure(
                    Level.TOWNSHIP, township, rng.choice([16, 17, 18, 19]), self.term_start
                )
        # Electing units above the county; constituencies below (a county's per township, a
        # township's per village).
        existing = set(Constituency.objects.values_list("congress_id", "name"))

        def constituency(congress_id, name, number, region, kind=Constituency.Kind.CONSTITUENCY):
            if (congress_id, name) in existing:
                return None
            existing.add((congress_id, name))
            return self.constituencies.add(
                congress_id=congress_id, kind=kind, name=name, number=number, region_id=region.pk
            )

        self.electing_city: dict[int, int] = {}
        self.electing_province: dict[int, int] = {}
        for city in self.cities:
            pk = constituency(self.provincial, city.name, None, city, Constituency.Kind.ELECTING_UNIT)
            self.electing_province[city.pk] = (
                pk or Constituency.objects.get(congress_id=self.provincial, name=city.name).pk
            )
        for county in self.counties:
            self.electing_city[county.region.pk] = constituency(
                self.city_congress[county.city.pk],
                county.region.name,
                None,
                county.region,
                Constituency.Kind.ELECTING_UNIT,
            )
        self.county_constituencies: dict[int, list[int]] = {}
        self.township_constituencies: dict[int, list[int]] = {}
        for county in self.counties:
            number = 0
            for township in county.townships:
                ids = []
                for _i in range(3):
                    number += 1
                    ids.append(constituency(county.congress_id, f"第{number}选区", number, township))
                self.county_constituencies[township.pk] = ids
            for township in county.towns:
                places = county.villages[township.pk][:12] or [township]
                self.township_constituencies[township.pk] = [
                    constituency(self.township_congress[township.pk], f"第{i}选区", i, place)
                    for i, place in enumerate(places, start=1)
                ]
        return 0

    # --- deputies and mandates ---

    def _name(self, rng: random.Random, gender: str) -> str:
        single, first, second = (
            (FEMALE_SINGLE, FEMALE_FIRST, FEMALE_SECOND)
            if gender == "female"
            else (MALE_SINGLE, MALE_FIRST, MALE_SECOND)
        )
        given = rng.choice(single) if rng.random() < 0.16 else rng.choice(first) + rng.choice(second)
        return rng.choice(SURNAMES) + given

    def _keys(self, name: str) -> tuple[str, str]:
        keys = self.name_keys.get(name)
        if keys is None:
            keys = self.name_keys[name] = (strokes.stroke_key(name), strokes.pinyin_key(name))
        return keys

    def _person(self, rng: random.Random, county: County, township: Region) -> int:
        gender = "female" if rng.random() < 0.32 else "male"
        name = self._name(rng, gender)
        while True:
            born = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 38))
            sequence = rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{county.region.code}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        sector = rng.choice(SECTOR_WEIGHTS)
        villages = county.villages.get(township.pk) or [township]
        village = _short(rng.choice(villages).name)
        workplace = rng.choice(WORKPLACES[sector]).replace("大方县", county.region.name)
        stroke_key, pinyin_key = self._keys(name)
        self.checksum.update(f"{name}|{township.code}|{number}\n".encode())
        pk = self.deputies.add(
            name=name,
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_month=born.replace(day=1),
            native_place=f"贵州{county.region.name.removesuffix('县').removesuffix('市')}",
            political_affiliation=rng.choice(AFFILIATIONS),
            education=rng.choice(EDUCATIONS),
            region_id=township.pk,
            workplace=workplace.format(t=township.name, v=village)[:200],
            sector=sector,
            id_number=number,
            phone=f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
            stroke_key=stroke_key,
            pinyin_key=pinyin_key,
        )
        self.deputy_region[pk] = township.pk
        return pk

    def _mandate(self, rng, deputy_id, congress_id, constituency_id, delegation="") -> None:
        ended = rng.random() < 0.015
        changed = self._day(rng) if ended else None
        reason = "本人书面提出辞去代表职务" if ended else ""
        pk = self.mandates.add(
            deputy_id=deputy_id,
            congress_id=congress_id,
            constituency_id=constituency_id,
            delegation=delegation,
            starts_on=self.term_start,
            ends_on=self.term_start.replace(year=self.term_start.year + 5) - datetime.timedelta(days=1),
            status=Mandate.Status.RESIGNED if ended else Mandate.Status.SERVING,
            status_changed_on=changed,
            status_reason=reason,
        )
        if ended:
            self.mandate_events.add(
                mandate_id=pk,
                from_status=Mandate.Status.SERVING,
                to_status=Mandate.Status.RESIGNED,
                occurred_on=changed,
                reason=reason,
            )

    def _day(self, rng: random.Random, start: datetime.date | None = None) -> datetime.date:
        start = start or self.term_start
        span = max(0, (self.until - start).days)
        return start + datetime.timedelta(days=rng.randint(0, span))

    def phase_deputies(self) -> int:
        rng = self.rng("deputies")
        self.deputies = self.writer.table(
            Deputy,
            flush_at=20_000,
        )
        # Mandate events need the mandate's own row id before it is written.
        self.mandates = self.writer.table(Mandate)
        self.mandate_events = self.writer.table(MandateEvent)
        total = self.sizes.deputies
        provincial = round(total * SHARE["provincial"])
        city = round(total * SHARE["city"])
        county = round(total * SHARE["county"])
        township = max(0, total - provincial - city - county)
        self.deputy_county: dict[int, County] = {}
        self.deputy_region: dict[int, int] = {}
        self.township_deputies: dict[int, list[int]] = {}  # township region id -> township deputies

        def spread(count, buckets):
            base, extra = divmod(count, len(buckets))
            return [base + (1 if i < extra else 0) for i in range(len(buckets))]

        counties_of_city: dict[int, list[County]] = {}
        for c in self.counties:
            counties_of_city.setdefault(c.city.pk, []).append(c)
        for c, seats in zip(self.counties, spread(county, self.counties), strict=True):
            units = c.townships
            delegation = ""
            for seat in range(seats):
                home = units[seat % len(units)]
                delegation = f"{home.name}代表团"
                pk = self._person(rng, c, home)
                self.deputy_county[pk] = c
                c.deputies.append(pk)
                self._mandate(
                    rng, pk, c.congress_id, rng.choice(self.county_constituencies[home.pk]), delegation
                )
                if home.pk in self.township_congress and rng.random() < 0.4:
                    self._mandate(
                        rng,
                        pk,
                        self.township_congress[home.pk],
                        rng.choice(self.township_constituencies[home.pk]),
                    )
                    self.township_deputies.setdefault(home.pk, []).append(pk)
        towns = [(c, t) for c in self.counties for t in c.towns]
        if towns:
            for (c, home), seats in zip(towns, spread(township, towns), strict=True):
                for _seat in range(seats):
                    pk = self._person(rng, c, home)
                    self.deputy_county[pk] = c
                    self._mandate(
                        rng,
                        pk,
                        self.township_congress[home.pk],
                        rng.choice(self.township_constituencies[home.pk]),
                    )
                    self.township_deputies.setdefault(home.pk, []).append(pk)
        for city_region, seats in zip(self.cities, spread(city, self.cities), strict=True):
            members = counties_of_city[city_region.pk]
            for seat in range(seats):
                c = members[seat % len(members)]
                home = rng.choice(c.townships)
                pk = self._person(rng, c, home)
                self.deputy_county[pk] = c
                self._mandate(
                    rng,
                    pk,
                    self.city_congress[city_region.pk],
                    self.electing_city[c.region.pk],
                    f"{c.region.name}代表团",
                )
        for seat in range(provincial):
            city_region = self.cities[seat % len(self.cities)]
            c = rng.choice(counties_of_city[city_region.pk])
            pk = self._person(rng, c, rng.choice(c.townships))
            self.deputy_county[pk] = c
            self._mandate(
                rng, pk, self.provincial, self.electing_province[city_region.pk], f"{city_region.name}代表团"
            )
        self.counts["deputies"] = self.deputies.next_id - 1
        return 0

    # --- stations and reception days ---

    def _code(self, rng: random.Random, taken: set[str], alphabet: str, length: int) -> str:
        while True:
            code = "".join(rng.choice(alphabet) for _ in range(length))
            if code not in taken:
                taken.add(code)
                return code

    def phase_stations(self) -> int:
        rng = self.rng("stations")
        stations = self.writer.table(Station)
        stationed = self.writer.table(StationedDeputy)
        days = self.writer.table(ReceptionDay)
        participants = self.writer.table(ReceptionParticipant)
        self.records = self.writer.table(DutyRecord, flush_at=50_000)
        taken = set(Station.objects.values_list("public_code", flat=True))
        hours = "工作日 9:00—12:00、14:30—17:30；每月15日为代表接待日"
        self.all_stations: list[tuple[County, int, int]] = []  # (county, station id, region id)
        for county in self.counties:
            center = stations.add(
                name=f"{county.region.name}人大代表联络服务中心",
                kind=Station.Kind.COUNTY_CENTER,
                region_id=county.region.pk,
                address=f"{county.region.name}人大常委会",
                opening_hours=hours,
                public_code=self._code(rng, taken, PUBLIC_CODE_ALPHABET, 8),
            )
            self.all_stations.append((county, center, county.region.pk))
            for township in county.townships:
                station = stations.add(
                    name=f"{township.name}人大代表联络站",
                    kind=Station.Kind.TOWNSHIP_STATION,
                    region_id=township.pk,
                    parent_id=center,
                    address=f"{township.name}人民政府",
                    opening_hours=hours,
                    public_code=self._code(rng, taken, PUBLIC_CODE_ALPHABET, 8),
                )
                county.township_stations[township.pk] = station
                self.all_stations.append((county, station, township.pk))
                for i, village in enumerate(county.villages[township.pk][:4]):
                    kind = Station.Kind.DEPUTIES_HOME if i == 0 else Station.Kind.VILLAGE_ROOM
                    word = "代表之家" if i == 0 else "代表联络室"
                    room = stations.add(
                        name=f"{_short(village.name)}{word}",
                        kind=kind,
                        region_id=village.pk,
                        parent_id=station,
                        address=_short(village.name),
                        opening_hours=hours,
                        public_code=self._code(rng, taken, PUBLIC_CODE_ALPHABET, 8),
                    )
                    county.village_stations.append((room, village.pk))
                    self.all_stations.append((county, room, village.pk))
        # County deputies sit in their township's station, township deputies too.
        for county in self.counties:
            for deputy_id in county.deputies:
                station = county.township_stations[self.deputy_region[deputy_id]]
                stationed.add(station_id=station, deputy_id=deputy_id, term=f"第{COUNTY_TERM}届")
                county.stationed.setdefault(station, []).append(deputy_id)
        # Reception days at every township station (on the 15th; about BUDGET["reception"] of the duty
        # records), each with up to three of its county deputies; held ones give each a duty record.
        townships = sum(len(c.townships) for c in self.counties)
        reception_days = round(
            self.sizes.duty_records * BUDGET["reception"] / RECEPTION_DEPUTIES / max(1, townships)
        )
        for county in self.counties:
            for township in county.townships:
                station = county.township_stations[township.pk]
                people = county.stationed.get(station, [])
                for month in self._spread(reception_days):
                    held = month < self.until
                    topics = rng.choice(list(TOPICS.values()))
                    received = rng.randint(3, 25) if held else 0
                    day = days.add(
                        station_id=station,
                        held_on=month,
                        starts_at=datetime.time(9),
                        ends_at=datetime.time(12),
                        theme="代表接待日",
                        state="held" if held else "scheduled",
                        constituents_received=received,
                        topics="；".join(topics[:2]) if held else "",
                        summary="意见已登记并转交有关部门。" if held else "",
                        recorded_at=_at(month, 17) if held else None,
                    )
                    for deputy_id in rng.sample(people, min(RECEPTION_DEPUTIES, len(people))):
                        record = None
                        if held:
                            record = self.record(
                                deputy_id,
                                "reception",
                                f"{township.name}人大代表联络站接待日接待选民",
                                month,
                                source=("network.receptionparticipant", participants.next_id),
                                url=f"/network/reception/{day}/",
                            )
                        participants.add(
                            reception_day_id=day, deputy_id=deputy_id, attended=held, duty_record_id=record
                        )
        return 0

    def _occasions(self, budget: str, county: County, people: int, counties: int):
        """(n, day) of a county's activities or training sessions over the period: as many as give about
        BUDGET[budget] of the duty records with `people` deputies each (at least one per county)."""
        people = min(people, len(county.deputies))
        count = max(1, round(self.sizes.duty_records * BUDGET[budget] / max(1, counties) / max(1, people)))
        span = (self.until - self.start).days + 30  # the last ones are still ahead
        return [(n, self.start + datetime.timedelta(days=(n * span) // count + 3)) for n in range(count)]

    def _spread(self, count: int) -> list[datetime.date]:
        """`count` 15ths of months spread evenly over the years, the last one possibly still ahead."""
        months = self.sizes.years * 12
        count = min(count, months)
        out = []
        for i in range(count):
            offset = (i * months) // max(1, count) + 1
            year, month = divmod(self.start.month - 1 + offset, 12)
            out.append(datetime.date(self.start.year + year, month + 1, 15))
        return out

    def record(
        self,
        deputy_id,
        kind,
        title,
        day,
        *,
        quantity=1,
        unit="次",
        source=None,
        url="",
        attributes=None,
        origin="system",
        review="approved",
    ) -> int:
        return self.records.add(
            deputy_id=deputy_id,
            kind=kind,
            title=title[:200],
            occurred_on=day,
            quantity=Decimal(str(quantity)),
            unit=unit,
            source_type=source[0] if source else "",
            source_id=str(source[1]) if source else "",
            source_url=url,
            origin=origin,
            review_state=review,
            attributes=attributes or {},
        )

    # --- suggestions ---

    def phase_suggestions(self) -> int:
        rng = self.rng("suggestions")
        self.records = self.writer.table(DutyRecord, flush_at=50_000)
        sugg = self.writer.table(Suggestion, flush_at=20_000)
        signers = self.writer.table(SuggestionSigner)
        assignments = self.writer.table(Assignment)
        events = self.writer.table(SuggestionEvent)
        contacts = self.writer.table(SuggestionContact)
        replies = self.writer.table(Reply)
        evaluations = self.writer.table(Evaluation)
        counters = self.writer.table(SuggestionCounter)
        states = [s.value for s in State]
        counties = [c for c in self.counties if c.deputies]
        if not counties:
            return 0
        numbers: dict[tuple[int, int, str], int] = {}
        accepted_by_congress: dict[int, list[int]] = {}
        old_weights = {
            "closed": 70,
            "assigned": 6,
            "replied": 5,
            "rehandling": 2,
            "accepted": 2,
            "not_accepted": 3,
            "withdrawn": 2,
            "merged": 2,
            "submitted": 1,
            "revision": 1,
            "draft": 1,
        }
        recent_weights = {"draft": 10, "submitted": 25, "revision": 5, "accepted": 20, "assigned": 40}
        for i in range(self.sizes.suggestions):
            county = counties[i % len(counties)]
            day = self._day(rng, self.start)
            age = (self.until - day).days
            if i < len(states):
                state = states[i]
            else:
                weights = recent_weights if age < 60 else old_weights
                state = rng.choices(list(weights), weights=list(weights.values()))[0]
            if state == "merged" and not accepted_by_congress.get(county.congress_id):
                state = "accepted"
            motion = rng.random() < 0.02
            kind = "motion" if motion else "suggestion"
            category = rng.choice(list(TOPICS))
            topic = rng.choice(TOPICS[category])
            lead = rng.choice(county.deputies)
            township = rng.choice(county.townships)
            title = f"关于加快解决{township.name}{topic}问题的{'议案' if motion else '建议'}"
            self.checksum.update(f"{title}|{state}\n".encode())
            session = min(self.sizes.years, max(1, (day - self.term_start).days // 365 + 1))
            submitted = _at(day, 10)
            accepted_on = day + datetime.timedelta(days=7)
            assigned_on = accepted_on + datetime.timedelta(days=7)
            due_on = assigned_on + datetime.timedelta(days=90)
            reached = _reached(state)
            number = None
            if "accept" in reached:
                key = (county.congress_id, session, kind)
                number = numbers[key] = numbers.get(key, 0) + 1
            is_key = "accept" in reached and rng.random() < 0.02
            # The reply and evaluation written below, drawn now: the suggestion row stores their facts
            # (first_reply_on_time, last_reply_category, last_evaluation_result) as the services do.
            reply_category = rng.choice("AABBCD") if "reply" in reached else ""
            result = (
                rng.choice(["satisfied", "satisfied", "satisfied", "basic"]) if "evaluate" in reached else ""
            )
            pk = sugg.add(
                kind=kind,
                period="session" if rng.random() < 0.4 else "recess",
                source="portal",
                congress_id=county.congress_id,
                term=COUNTY_TERM,
                session=session,
                number=number,
                title=title[:200],
                body=f"{topic}问题群众反映强烈，建议有关部门统筹资金、加快推进。",
                category=category,
                region_id=township.pk,
                lead_deputy_id=lead,
                state=state,
                submitted_at=submitted if state != "draft" else None,
                accepted_at=_at(accepted_on, 15) if "accept" in reached else None,
                assigned_on=assigned_on if "assign" in reached else None,
                due_on=due_on if "assign" in reached else None,
                closed_at=_at(due_on - datetime.timedelta(days=10), 16) if state == "closed" else None,
                rehandle_count=1 if state == "rehandling" else 0,
                first_reply_on_time=True if reply_category else None,
                last_reply_category=reply_category,
                last_evaluation_result=result,
                decision_reason="不属于本级人民代表大会职权范围" if state == "not_accepted" else "",
                merged_into_id=rng.choice(accepted_by_congress[county.congress_id])
                if state == "merged"
                else None,
                is_key=is_key,
                key_leader="常委会副主任" if is_key else "",
                created_by_id=county.staff_id,
            )
            if "accept" in reached:
                accepted_by_congress.setdefault(county.congress_id, []).append(pk)
            signers.add(suggestion_id=pk, deputy_id=lead, is_lead=True)
            cosigners = [d for d in rng.sample(county.deputies, min(3, len(county.deputies))) if d != lead]
            cosigners = cosigners[: rng.choice([0, 0, 1, 2])]
            for deputy_id in cosigners:
                signers.add(suggestion_id=pk, deputy_id=deputy_id, is_lead=False)
            word = "议案" if motion else "建议"
            if state != "draft" and day <= self.until:
                for deputy_id, role in [(lead, "lead"), *[(d, "cosigner") for d in cosigners]]:
                    role_word = "领衔" if role == "lead" else "联名"
                    self.record(
                        deputy_id,
                        kind,
                        f"提出{word}（{role_word}）：{title}",
                        day,
                        source=("suggestions.suggestion", pk),
                        url=f"/suggestions/{pk}/",
                        attributes={
                            "stage": "submitted",
                            "role": role,
                            "suggestion_kind": kind,
                            "is_key": is_key,
                        },
                    )
            # The timeline: one event per step the state implies.
            lead_part = reply = None
            steps = _path(state)
            moments = _moments(steps, submitted, accepted_on, assigned_on, due_on)
            for (action, from_state, to_state), moment in zip(steps, moments, strict=True):
                if action == "assign":
                    unit = county.units[CATEGORY_UNIT[category]]
                    lead_state = {
                        "assigned": "accepted",
                        "replied": "done",
                        "closed": "done",
                        "rehandling": "accepted",
                    }[state]
                    lead_part = assignments.add(
                        suggestion_id=pk,
                        unit_id=unit,
                        role="lead",
                        state=lead_state,
                        assigned_on=assigned_on,
                        due_on=due_on,
                        return_due_on=assigned_on + datetime.timedelta(days=9),
                        accepted_at=_at(assigned_on + datetime.timedelta(days=2), 10),
                    )
                    if rng.random() < 0.3:
                        other = rng.choice([u for u in county.units if u != unit])
                        assignments.add(
                            suggestion_id=pk,
                            unit_id=other,
                            role="co",
                            state="accepted" if lead_state == "accepted" else "done",
                            assigned_on=assigned_on,
                            due_on=assigned_on + datetime.timedelta(days=30),
                            return_due_on=assigned_on + datetime.timedelta(days=9),
                            accepted_at=_at(assigned_on + datetime.timedelta(days=3), 10),
                            co_input="同意主办单位意见，配合做好相关工作。" if lead_state == "done" else "",
                            co_input_at=_at(assigned_on + datetime.timedelta(days=25), 10)
                            if lead_state == "done"
                            else None,
                        )
                if moment.date() > self.until:
                    moment = _at(self.until, 8)
                events.add(
                    suggestion_id=pk,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    actor_name="工作人员",
                    assignment_id=lead_part if action in ("unit_accept", "contact", "reply") else None,
                    occurred_at=moment,
                )
                if action == "accept" and moment.date() <= self.until:
                    self.record(
                        lead,
                        kind,
                        f"{word}被立案（第{COUNTY_TERM}届第{session}次会议第{number:03d}号）：{title}",
                        moment.date(),
                        source=("suggestions.suggestionevent", events.next_id - 1),
                        attributes={
                            "stage": "accepted",
                            "role": "lead",
                            "suggestion_kind": kind,
                            "is_key": is_key,
                        },
                    )
                if action == "contact":
                    contacts.add(
                        suggestion_id=pk,
                        assignment_id=lead_part,
                        round=1,
                        contacted_on=moment.date(),
                        way=rng.choice(["phone", "visit", "meeting"]),
                        content="与领衔代表沟通办理方案",
                    )
                if action == "reply":
                    reply = replies.add(
                        suggestion_id=pk,
                        assignment_id=lead_part,
                        round=1,
                        category=reply_category,
                        text="经研究，已列入年度计划逐步解决。",
                        signer="局长",
                        replied_on=moment.date(),
                        due_on=due_on,
                        on_time=True,
                    )
                if action == "evaluate":
                    evaluation = evaluations.add(
                        suggestion_id=pk,
                        reply_id=reply,
                        round=1,
                        result=result,
                        attitude="satisfied",
                        deputy_id=lead,
                    )
                    if moment.date() <= self.until:
                        self.record(
                            lead,
                            "evaluation",
                            f"评价办理结果：{title}",
                            moment.date(),
                            source=("suggestions.evaluation", evaluation),
                            attributes={"stage": "evaluated", "result": result, "is_key": is_key},
                        )
        for (congress_id, session, kind), last in sorted(numbers.items()):
            counters.add(
                congress_id=congress_id, term=COUNTY_TERM, session=session, kind=kind, last_number=last
            )
        self.counts["suggestions"] = self.sizes.suggestions
        return 0

    # --- opinions ---

    def phase_opinions(self) -> int:
        rng = self.rng("opinions")
        opinions = self.writer.table(Opinion, flush_at=20_000)
        events = self.writer.table(OpinionEvent)
        taken = set(Opinion.objects.values_list("tracking_code", flat=True))
        stations = self.all_stations
        if not stations:
            return 0
        categories = [
            "transport",
            "education",
            "health",
            "social_security",
            "agriculture",
            "urban",
            "environment",
        ]
        for _i in range(self.sizes.opinions):
            county, station, region_id = stations[rng.randrange(len(stations))]
            category = rng.choice(categories)
            topic = rng.choice(
                TOPICS[{"social_security": "social", "urban": "construction"}.get(category, category)]
            )
            day = self._day(rng, self.start)
            received = _at(day, rng.randint(8, 17), rng.randint(0, 59))
            state = rng.choices(["received", "answered", "referred", "closed"], weights=[1, 2, 2, 6])[0]
            if (self.until - day).days < 15:
                state = "received"
            replied = (
                received + datetime.timedelta(days=rng.randint(2, 14))
                if state in ("answered", "closed")
                else None
            )
            referred = state == "referred"
            pk = opinions.add(
                tracking_code=self._code(rng, taken, TRACKING_ALPHABET, TRACKING_LENGTH),
                state=state,
                channel=rng.choice(["qr_form", "walk_in", "phone_call", "deputy"]),
                category=category,
                title=f"{topic}"[:100],
                content=f"希望尽快解决{topic}的问题。",
                station_id=station,
                region_id=region_id,
                deputy_id=rng.choice(county.deputies) if county.deputies and rng.random() < 0.3 else None,
                constituent_name=self._name(rng, "male")[:1] + "先生",
                constituent_phone=f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"
                if rng.random() < 0.5
                else "",
                department_id=rng.choice(county.units) if referred else None,
                department_due_on=day + datetime.timedelta(days=20) if referred else None,
                reply="已转交有关部门办理，并答复反映人。" if replied else "",
                replied_at=replied,
                satisfaction=rng.choice(["satisfied", "basically_satisfied"]) if state == "closed" else "",
                received_at=received,
            )
            events.add(
                opinion_id=pk,
                action="receive",
                from_state="",
                to_state="received",
                actor_label="群众",
                occurred_at=received,
            )
            if state != "received":
                via = "referred" if state == "referred" else "answered"
                events.add(
                    opinion_id=pk,
                    action="transition",
                    from_state="received",
                    to_state=via,
                    actor_label="站点管理员",
                    occurred_at=received + datetime.timedelta(days=1),
                )
                if state == "closed":
                    events.add(
                        opinion_id=pk,
                        action="rate",
                        from_state="answered",
                        to_state="closed",
                        actor_label="群众",
                        occurred_at=replied + datetime.timedelta(days=1),
                    )
        return 0

    # --- activities ---

    def phase_activities(self) -> int:
        rng = self.rng("activities")
        self.records = self.writer.table(DutyRecord, flush_at=50_000)
        activities = self.writer.table(Activity)
        invitations = self.writer.table(Invitation, flush_at=50_000)
        counties = [c for c in self.counties if c.deputies]
        for county in counties:
            organizer = county.committee_id
            for n, day in self._occasions("activities", county, ACTIVITY_INVITEES, len(counties)):
                kind = ACTIVITY_KINDS[n % len(ACTIVITY_KINDS)]
                topic = rng.choice(rng.choice(list(TOPICS.values())))
                done = day < self.until
                hours = Decimal(rng.choice(["3", "4", "6"]))
                title = f"{county.region.name}人大常委会组织代表{Activity.Kind(kind).label}：{topic}"
                activity = activities.add(
                    kind=kind,
                    title=title[:200],
                    organizer_id=organizer,
                    region_id=county.region.pk,
                    law=rng.choice(LAWS) if kind == "law_inspection" else "",
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 9 + int(hours)),
                    place=county.region.name,
                    hours=hours,
                    state="closed" if done else "planned",
                    attendance_closed_at=_at(day, 18) if done else None,
                )
                attributes = {
                    "activity_id": activity,
                    "activity_kind": kind,
                    "organiser_id": organizer,
                    "campaign_id": None,
                    "role": "participant",
                }
                for deputy_id in rng.sample(county.deputies, min(ACTIVITY_INVITEES, len(county.deputies))):
                    fate = rng.random()
                    attendance = (
                        ""
                        if not done
                        else "present"
                        if fate < 0.85
                        else "excused"
                        if fate < 0.96
                        else "absent"
                    )
                    record = None
                    if attendance:
                        if attendance == "present":
                            kind_, quantity, unit, text = ACTIVITY_DUTY_KIND[kind], hours, "小时", title
                        else:
                            kind_ = "leave" if attendance == "excused" else "absence"
                            quantity, unit = 1, "次"
                            text = ("请假：" if attendance == "excused" else "无故缺席：") + title
                        record = self.record(
                            deputy_id,
                            kind_,
                            text,
                            day,
                            quantity=quantity,
                            unit=unit,
                            source=("activities.invitation", invitations.next_id),
                            url=f"/activities/{activity}/",
                            attributes=attributes,
                        )
                    invitations.add(
                        activity_id=activity,
                        deputy_id=deputy_id,
                        answer=""
                        if not done and fate < 0.5
                        else "leave"
                        if attendance == "excused"
                        else "attend",
                        leave_reason="外出务工" if attendance == "excused" else "",
                        leave_state="approved" if attendance == "excused" else "",
                        attendance=attendance,
                        duty_record_id=record,
                    )
        return 0

    # --- training ---

    def phase_training(self) -> int:
        rng = self.rng("training")
        self.records = self.writer.table(DutyRecord, flush_at=50_000)
        sessions = self.writer.table(TrainingSession)
        days = self.writer.table(TrainingDay)
        attendees = self.writer.table(Attendee, flush_at=50_000)
        attendance = self.writer.table(Attendance, flush_at=50_000)
        counties = [c for c in self.counties if c.deputies]
        for county in counties:
            for n, start in self._occasions("training", county, TRAINING_ATTENDEES, len(counties)):
                title = f"{start.year}年{county.region.name}人大代表履职学习培训班（第{n + 1}期）"
                closed = start + datetime.timedelta(days=1) < self.until
                session = sessions.add(
                    congress_id=county.congress_id,
                    title=title,
                    form="concentrated",
                    organizer=f"{county.region.name}人大常委会代表工作委员会",
                    place=county.region.name,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=1),
                    state="closed" if closed else "open",
                    closed_at=_at(start + datetime.timedelta(days=1), 18) if closed else None,
                )
                day_ids = [
                    (
                        days.add(
                            session_id=session,
                            date=start + datetime.timedelta(days=d),
                            hours=Decimal("6"),
                        ),
                        d,
                    )
                    for d in range(2)
                ]
                for deputy_id in rng.sample(county.deputies, min(TRAINING_ATTENDEES, len(county.deputies))):
                    attendee = attendees.next_id
                    total = Decimal("0")
                    for day_id, _d in day_ids:
                        hours = Decimal("6") if rng.random() < 0.92 else Decimal("3")
                        total += hours
                        attendance.add(attendee_id=attendee, day_id=day_id, hours=hours)
                    record = None
                    if closed:
                        record = self.record(
                            deputy_id,
                            "training",
                            f"参加{title}",
                            start + datetime.timedelta(days=1),
                            quantity=total,
                            unit="学时",
                            source=("training.attendee", attendee),
                        )
                    attendees.add(session_id=session, deputy_id=deputy_id, name="", duty_record_id=record)
        return 0

    # --- guidance ---

    def phase_guidance(self) -> int:
        rng = self.rng("guidance")
        lists = self.writer.table(GuidanceList)
        items = self.writer.table(GuidanceItem)
        cells = self.writer.table(TownshipItem, flush_at=50_000)
        events = self.writer.table(TownshipItemEvent, flush_at=50_000)
        for county in self.counties:
            for year in range(self.start.year + 1, self.until.year + 1):
                guidance = lists.add(
                    year=year,
                    title=f"{county.region.name}{year}年乡镇（街道）人大工作指导清单",
                    region_id=county.region.pk,
                    issued_on=datetime.date(year, 2, 20),
                )
                for number, title in enumerate(GUIDANCE_ITEMS, start=1):
                    due = datetime.date(year, min(12, 2 + number * 2), 28)
                    item = items.add(guidance_list_id=guidance, number=number, title=title, due_on=due)
                    for township in county.townships:
                        past = due < self.until
                        state = (
                            rng.choices(["accepted", "reported", "open"], weights=[8, 1, 1])[0]
                            if past
                            else "open"
                        )
                        cell = cells.add(
                            guidance_item_id=item,
                            township_id=township.pk,
                            state=state,
                            result="done" if state != "open" else "",
                            reported_at=_at(due - datetime.timedelta(days=5)) if state != "open" else None,
                            reviewed_at=_at(due) if state == "accepted" else None,
                        )
                        if state != "open":
                            events.add(
                                township_item_id=cell,
                                action="report",
                                from_state="open",
                                to_state="reported",
                                result="done",
                                occurred_at=_at(due - datetime.timedelta(days=5)),
                            )
                        if state == "accepted":
                            events.add(
                                township_item_id=cell,
                                action="accept",
                                from_state="reported",
                                to_state="accepted",
                                occurred_at=_at(due),
                            )
        return 0

    # --- the rest of the duty records ---

    def phase_duty_records(self) -> int:
        rng = self.rng("duty_records")
        self.records = self.writer.table(DutyRecord, flush_at=50_000)
        written = DutyRecord.objects.count() - self.demo_records
        remaining = max(0, self.sizes.duty_records - written)
        deputies = sorted(self.deputy_county)
        if not deputies:
            return 0
        topics = [t for ts in TOPICS.values() for t in ts]
        titles = {
            "meeting": "出席代表小组活动",
            "contact": "走访联系选民：{t}",
            "reception": "进站接待选民：{t}",
            "study": "参加集中学习",
            "legislation": "对法规草案提出意见",
            "other": "参加村民代表大会，宣传{t}政策",
        }
        for _i in range(remaining):
            deputy_id = deputies[rng.randrange(len(deputies))]
            kind = rng.choice(FREE_KINDS)
            day = self._day(rng, self.start)
            declared = kind in ("contact", "reception", "other") and rng.random() < 0.3
            review = "approved"
            if declared:
                fate = rng.random()
                review = "approved" if fate < 0.85 else "rejected" if fate < 0.9 else "pending"
            self.record(
                deputy_id,
                kind,
                titles[kind].format(t=rng.choice(topics)),
                day,
                origin="declared" if declared else "system",
                review=review,
            )
        return 0

    # --- points ---

    def phase_points(self) -> int:
        """A published scheme per county congress for the last full year, computed by the points app
        itself (ledger and standings exactly as a recompute gives them)."""
        year = self.until.year - 1 if self.until.month < 12 else self.until.year
        if year < self.term_start.year:
            return 0
        document = dict(points_demo.DOCUMENT, year=year)
        rows = 0
        for county in self.counties:
            if not county.deputies:
                continue
            congress = Congress.objects.get(pk=county.congress_id)
            document["name"] = f"{county.region.name}人大代表履职积分管理办法（{year}年）"
            scheme = scheme_import(actor=None, congress=congress, document=document, year=year)
            scheme_publish(actor=None, scheme=scheme)
        rows += LedgerEntry.objects.filter(
            scheme__congress_id__in=[c.congress_id for c in self.counties]
        ).count()
        rows += Standing.objects.filter(
            scheme__congress_id__in=[c.congress_id for c in self.counties]
        ).count()
        rows += Scheme.objects.filter(congress_id__in=[c.congress_id for c in self.counties]).count()
        return rows

    def phase_finish(self) -> int:
        from django.apps import apps

        models = [
            m for m in apps.get_models() if m._meta.app_label not in ("contenttypes", "auth", "sessions")
        ]
        reset_sequences(models)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return 0


def _moments(steps, submitted, accepted_on, assigned_on, due_on) -> list[datetime.datetime]:
    """When each step happened: handling steps on their days, the others three days after the last."""
    day = datetime.timedelta(days=1)
    fixed = {
        "accept": (accepted_on, 15),
        "assign": (assigned_on, 10),
        "unit_accept": (assigned_on + 2 * day, 10),
        "contact": (assigned_on + 30 * day, 10),
        "reply": (due_on - 20 * day, 10),
        "evaluate": (due_on - 10 * day, 16),
        "rehandle": (due_on - 10 * day, 16),
    }
    out, moment = [], submitted
    for action, _f, _t in steps:
        if action in fixed:
            moment = _at(*fixed[action])
        elif action != "submit":
            moment = moment + 3 * day
        out.append(moment)
    return out


def _reached(state: str) -> set[str]:
    return {action for action, _f, _t in _path(state)}


def _path(state: str) -> list[tuple[str, str, str]]:
    """The steps (action, from, to) that bring a new item to `state`, as workflow.TABLE allows them."""
    submit = [("submit", "draft", "submitted")]
    handled = [
        *submit,
        ("accept", "submitted", "accepted"),
        ("assign", "accepted", "assigned"),
        ("unit_accept", "assigned", "assigned"),
        ("contact", "assigned", "assigned"),
    ]
    replied = [*handled, ("reply", "assigned", "replied")]
    return {
        "draft": [],
        "submitted": submit,
        "revision": [*submit, ("return_for_revision", "submitted", "revision")],
        "withdrawn": [*submit, ("withdraw", "submitted", "withdrawn")],
        "not_accepted": [*submit, ("reject", "submitted", "not_accepted")],
        "merged": [*submit, ("merge", "submitted", "merged")],
        "accepted": [*submit, ("accept", "submitted", "accepted")],
        "assigned": handled[:-1],
        "replied": replied,
        "rehandling": [*replied, ("rehandle", "replied", "rehandling")],
        "closed": [*replied, ("evaluate", "replied", "closed")],
    }[state]


def seed_scale(*, seed: int, sizes: Sizes, until: datetime.date | None = None, stdout=None) -> ScaleSeeder:
    seeder = ScaleSeeder(seed=seed, sizes=sizes, until=until or timezone.localdate(), stdout=stdout)
    seeder.demo_records = DutyRecord.objects.count()
    seeder.run()
    return seeder
