"""Demo data for the network: the reference county's "1+N" stations as published in 2024.

Which 29 township-level units. The region data lists 40 township-level rows under 520521, but the
county itself reports 4 streets, 9 towns and 16 townships = 29 (the other rows — 归化 and 鹏程 streets,
对江镇 and the 雨冲, 黄泥, 大水, 沙厂, 普底, 百纳, 三元, 星宿 townships — are administered by the
百里杜鹃 management zone or otherwise not counted by the county). We take them by their real names:
the streets 红旗, 顺德, 慕俄格古城, 九驿; the towns 双山, 猫场, 马场, 羊场, 黄泥塘, 六龙, 达溪, 瓢井, 长石;
and the 16 townships 东关 … 大山 (codes 520521200–217, as listed in TOWNSHIPS below).

What is built (idempotent: stations are found by region and name, the rest added only when absent):
- 1 county center and 1 medical-and-health industry station (县级 "1"),
- 29 township stations, one per unit above,
- 115 village-level points on real villages: in each unit the first village (by code) gets a
  代表之家 and the next three a 村级代表联络室 (the last unit gets two rooms), i.e. 29 homes + 86
  rooms; 红旗街道西南社区 is taken first in 红旗街道 because it is a demonstration site,
- 1 基层立法联络站 at 九驿街道 and 28 乡镇基层立法联络室 in the other units,
- the 2024 city-level demonstration sites being built: 红旗街道西南社区 and 黄泥塘镇,
- the demo `station_keeper` account as keeper of 黄泥塘镇's township station,
- stationed deputies (whatever Deputy rows exist in each unit), inventory, funds, and for stations
  with deputies a few reception days: three held (recorded, with duty records) and one ahead.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Deputy
from renda.regions.models import Region

from . import services
from .models import Demonstration, Facility, Station, StationKeeper

COUNTY = "520521"
STREETS = ["520521001", "520521002", "520521003", "520521004"]
TOWNS = [f"5205211{n:02d}" for n in range(1, 10)]  # 双山 … 长石 (对江镇 520521110 is not counted)
TOWNSHIPS = [
    "520521200", "520521201", "520521202", "520521203", "520521204", "520521205", "520521206", "520521208",
    "520521209", "520521211", "520521212", "520521213", "520521214", "520521215", "520521216", "520521217",
]  # fmt: skip
UNITS = STREETS + TOWNS + TOWNSHIPS
LEGISLATIVE_STATION_AT = "520521004"  # 九驿街道
DEMONSTRATION_VILLAGE = "520521001005"  # 红旗街道西南社区
DEMONSTRATION_TOWNSHIP = "520521105"  # 黄泥塘镇
VILLAGE_POINTS = 115
TERM = "第十八届"

OPENING_HOURS = "工作日 9:00—12:00、14:30—17:30；每月15日为代表接待日"
FACILITIES = [
    (Facility.Kind.FACILITY, "接待室", 1),
    (Facility.Kind.FACILITY, "代表履职公示栏", 1),
    (Facility.Kind.FACILITY, "群众意见箱", 1),
    (Facility.Kind.EQUIPMENT, "办公电脑", 1),
    (Facility.Kind.EQUIPMENT, "会议桌椅（套）", 1),
]
TOPICS = [
    "通组路硬化和路灯维修；农村饮水管网老化；医保缴费咨询。",
    "学校周边交通安全；农产品销售渠道；危房改造补助政策。",
    "集镇垃圾清运不及时；产业路建设；养老保险待遇认证。",
]


def _short_village(name: str) -> str:
    for suffix, keep in (("村民委员会", ""), ("居民委员会", "")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + keep
    return name


def _fifteenth(year: int, month: int) -> datetime.date:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return datetime.date(year, month, 15)


class _Seeder:
    def __init__(self, stdout):
        self.stdout = stdout
        self.stations = {(s.region_id, s.name): s for s in Station.objects.all()}
        self.counts = {"stations": 0, "rows": 0, "reception_days": 0}

    def station(self, *, name: str, kind: str, region: Region, **data) -> Station:
        key = (region.pk, name)
        if key not in self.stations:
            self.stations[key] = services.station_create(name=name, kind=kind, region=region, **data)
            self.counts["stations"] += 1
        return self.stations[key]

    def furnish(self, station: Station, *, fundings=(), deputies=()) -> None:
        if not station.facilities.exists():
            for kind, name, quantity in FACILITIES:
                services.facility_add(station=station, kind=kind, name=name, quantity=quantity)
                self.counts["rows"] += 1
        if not station.fundings.exists():
            for year, amount, source, purpose in fundings:
                services.funding_add(
                    station=station, year=year, amount=Decimal(amount), source=source, purpose=purpose
                )
                self.counts["rows"] += 1
        self.station_deputies(station, deputies)

    def station_deputies(self, station: Station, deputies) -> None:
        if deputies and not station.stationed_deputies.exists():
            self.counts["rows"] += services.stationed_deputies_add(
                station=station, deputies=deputies, term=TERM
            )

    def receptions(self, station: Station, deputies: list[Deputy], offset: int) -> None:
        if not deputies or station.reception_days.exists():
            return
        today = timezone.localdate()
        on_duty = deputies[:3]
        for months_ago in (3, 2, 1):
            held_on = _fifteenth(today.year, today.month - months_ago)
            day = services.reception_day_schedule(
                station=station,
                held_on=held_on,
                deputies=on_duty,
                starts_at=datetime.time(9, 0),
                ends_at=datetime.time(12, 0),
                theme="代表进站接待选民",
                backfill=True,  # held in the past months: entered as the notebook records them
            )
            services.reception_day_record(
                reception_day=day,
                constituents_received=6 + (offset * 3 + months_ago * 5) % 17,
                topics=TOPICS[(offset + months_ago) % len(TOPICS)],
                summary="现场答复3件，其余已转交有关部门办理并限期答复。",
                attended=on_duty,
            )
            self.counts["reception_days"] += 1
        upcoming = _fifteenth(today.year, today.month + 1)
        services.reception_day_schedule(
            station=station,
            held_on=upcoming,
            deputies=on_duty,
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(12, 0),
            theme="听取群众对乡村振兴工作的意见建议",
        )
        self.counts["reception_days"] += 1


def seed(*, stdout) -> None:
    seeder = _Seeder(stdout)
    county = Region.objects.get(code=COUNTY)
    units = {r.code: r for r in Region.objects.filter(code__in=UNITS)}
    villages: dict[str, list[Region]] = {code: [] for code in UNITS}
    for village in Region.objects.filter(level=Region.Level.VILLAGE, parent__code__in=UNITS).select_related(
        "parent"
    ):
        villages[village.parent.code].append(village)
    deputies: dict[str, list[Deputy]] = {code: [] for code in UNITS}
    for deputy in (
        Deputy.objects.filter(region__path__startswith=county.path).select_related("region").order_by("pk")
    ):
        # A deputy's region may be the unit itself or a village in it: find the unit in the path.
        unit_code = next((c for c in deputy.region.path.split("/") if c in deputies), None)
        if unit_code is not None:
            deputies[unit_code].append(deputy)

    center = seeder.station(
        name="大方县人大代表联络服务中心",
        kind=Station.Kind.COUNTY_CENTER,
        region=county,
        address="大方县红旗街道县人大常委会机关一楼",
        opening_hours=OPENING_HOURS,
        contact_person="陈立新",
        contact_phone="0857-5221001",
    )
    all_deputies = [d for code in UNITS for d in deputies[code]]
    seeder.furnish(
        center,
        fundings=[
            (2023, "300000.00", "县级财政", "县级代表联络服务中心建设"),
            (2024, "80000.00", "县级财政", "设施设备更新和代表履职培训"),
        ],
        deputies=all_deputies[:6],
    )
    industry = seeder.station(
        name="大方县医疗卫生行业代表联络站",
        kind=Station.Kind.INDUSTRY_STATION,
        region=county,
        parent=center,
        sector="医疗卫生",
        address="大方县人民医院门诊楼三楼",
        opening_hours="每月第一个星期三 9:00—12:00",
        contact_person="何丽",
        contact_phone="0857-5221002",
    )
    seeder.furnish(
        industry,
        fundings=[(2024, "30000.00", "县卫生健康局", "行业代表联络站建设")],
        deputies=all_deputies[6:9],
    )

    township_stations: dict[str, Station] = {}
    for offset, code in enumerate(UNITS):
        unit = units[code]
        station = seeder.station(
            name=f"{unit.name}人大代表联络站",
            kind=Station.Kind.TOWNSHIP_STATION,
            region=unit,
            parent=center,
            address=f"大方县{unit.name}{'办事处' if unit.name.endswith('街道') else '人民政府'}便民服务中心",
            opening_hours=OPENING_HOURS,
            contact_person="杨光明" if code == DEMONSTRATION_TOWNSHIP else "",
            contact_phone=f"0857-52{offset + 30:02d}{offset + 100:03d}",
        )
        township_stations[code] = station
        seeder.furnish(
            station,
            fundings=[(2024, "20000.00", "乡镇（街道）财政", "接待日活动和阵地维护")],
            deputies=deputies[code],
        )
        seeder.receptions(station, deputies[code], offset)

    # 115 village-level points over 29 units: 4 in each of the first 28, 3 in the last.
    base, extra = divmod(VILLAGE_POINTS, len(UNITS))
    for index, code in enumerate(UNITS):
        quota = base + (1 if index < extra else 0)
        chosen = sorted(villages[code], key=lambda v: (v.code != DEMONSTRATION_VILLAGE, v.code))[:quota]
        for position, village in enumerate(chosen):
            home = position == 0
            short = _short_village(village.name)
            station = seeder.station(
                name=f"{short}{'代表之家' if home else '代表联络室'}",
                kind=Station.Kind.DEPUTIES_HOME if home else Station.Kind.VILLAGE_ROOM,
                region=village,
                parent=township_stations[code],
                address=f"{units[code].name}{short}{'居委会' if short.endswith('社区') else '村委会'}",
                opening_hours="每月15日 9:00—12:00",
            )
            seeder.station_deputies(station, deputies[code][:2])
            if village.code == DEMONSTRATION_VILLAGE:
                _demonstration(station)

    legislative = seeder.station(
        name="大方县基层立法联络站",
        kind=Station.Kind.LEGISLATIVE_STATION,
        region=units[LEGISLATIVE_STATION_AT],
        address="大方县九驿街道办事处二楼",
        opening_hours="工作日 9:00—17:00；法律法规草案征求意见期间另行公告",
        contact_person="龙海燕",
        contact_phone="0857-5221003",
    )
    for code in UNITS:
        if code != LEGISLATIVE_STATION_AT:
            seeder.station(
                name=f"{units[code].name}基层立法联络室",
                kind=Station.Kind.LEGISLATIVE_ROOM,
                region=units[code],
                parent=legislative,
                address=township_stations[code].address,
            )

    _demonstration(township_stations[DEMONSTRATION_TOWNSHIP])
    keeper = User.objects.filter(username="station_keeper").first()
    huangnitang = township_stations[DEMONSTRATION_TOWNSHIP]
    if keeper is not None and not StationKeeper.objects.filter(station=huangnitang, user=keeper).exists():
        services.station_keeper_add(station=huangnitang, user=keeper)
    stdout.write(
        "联络网络：新增站点 {stations}，台账 {rows}，接待日 {reception_days}".format(**seeder.counts)
    )


def _demonstration(station: Station) -> None:
    if not station.demonstrations.filter(level=Demonstration.Level.CITY).exists():
        services.demonstration_set(
            station=station,
            level=Demonstration.Level.CITY,
            year=2024,
            status=Demonstration.Status.BUILDING,
            note="2024年市级代表联络站（室）示范点创建",
        )
        services.funding_add(
            station=station,
            year=2024,
            amount=Decimal("50000.00"),
            source="市人大常委会补助",
            purpose="市级示范点创建",
        )
