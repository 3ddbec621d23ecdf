"""Create the reference county 大方县 with a demo account for every role. Safe to run again."""

from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.organizations.models import Organization
from renda.organizations.services import organization_create
from renda.regions.models import Region
from renda.regions.services import regions_load_csv

# Domain apps' demo seeders, run in this order after the accounts exist (later ones use earlier data).
DEMO_MODULES = [
    "renda.organizations.demo",
    "renda.deputies.demo",
    "renda.network.demo",
    "renda.opinions.demo",
    "renda.legislation.demo",
    "renda.suggestions.demo",
    "renda.guidance.demo",
    "renda.workplan.demo",
    "renda.training.demo",
    "renda.cooperation.demo",
    "renda.media_column.demo",
    "renda.activities.demo",
    "renda.duty_reports.demo",
    "renda.dossier.demo",
    "renda.points.demo",  # last: reads the duty records every module above wrote
]

COUNTY = "520521"
HUANGNITANG = "520521105"
DIVISIONS = Path(settings.BASE_DIR) / "data" / "divisions-guizhou.csv"

WORK_BODIES = ["办公室", "法制工作委员会", "预算工作委员会", "代表工作委员会"]
HANDLING_UNITS = [
    "县交通运输局",
    "县教育局",
    "县卫生健康局",
    "县住房和城乡建设局",
    "县农业农村局",
    "县市场监管局",
]

# username, role, full name, region code, organisation name
ACCOUNTS = [
    ("admin", Role.SYSTEM_ADMIN, "系统管理员", COUNTY, None),
    ("security", Role.SECURITY_ADMIN, "安全管理员", COUNTY, None),
    ("auditor", Role.AUDITOR, "审计管理员", COUNTY, None),
    ("county_staff", Role.COUNTY_STAFF, "陈立新", COUNTY, "代表工作委员会"),
    ("township_staff", Role.TOWNSHIP_STAFF, "罗燕", HUANGNITANG, "黄泥塘镇人大主席团"),
    ("station_keeper", Role.STATION_KEEPER, "杨光明", HUANGNITANG, None),
    ("deputy", Role.DEPUTY, "王芳", None, None),
    ("unit", Role.HANDLING_UNIT, "县交通运输局办公室", COUNTY, "县交通运输局"),
    ("leader", Role.LEADER, "张国华", COUNTY, "大方县人大常委会"),
    # City and province standing committees (issue 15 §2): read everything below, roll-up dashboards.
    ("city_staff", Role.CITY_STAFF, "毕节市人大常委会工作人员", "5205", None),
    ("province_staff", Role.PROVINCE_STAFF, "贵州省人大常委会工作人员", "52", None),
]


class Command(BaseCommand):
    help = "创建大方县演示数据与各角色演示账号（可重复运行）"

    def handle(self, *args, **options):
        if settings.RENDA_ENVIRONMENT == "production":
            raise CommandError("seed_demo 不能在生产环境运行")
        with DIVISIONS.open(encoding="utf-8", newline="") as stream:
            loaded = regions_load_csv(stream=stream)
        self.stdout.write(f"行政区划：新增 {loaded.created}，更新 {loaded.updated}，未变 {loaded.unchanged}")
        with transaction.atomic():
            orgs = self._organizations()
            self._accounts(orgs)
        # Each domain app adds its own demo data in a `demo.py` with `seed(stdout=...)`, in the order of
        # DEMO_MODULES (later ones use earlier data). A misspelt module fails loudly.
        for module in DEMO_MODULES:
            seeder = import_module(module)
            with transaction.atomic():
                seeder.seed(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("演示数据已就绪。演示账号见 README，密码为 RENDA_DEMO_PASSWORD。")
        )

    def _organizations(self) -> dict[str, Organization]:
        county = Region.objects.get(code=COUNTY)
        huangnitang = Region.objects.get(code=HUANGNITANG)
        existing = {o.name: o for o in Organization.objects.filter(region__in=[county, huangnitang])}

        def ensure(name, kind, region, parent=None):
            if name not in existing:
                existing[name] = organization_create(name=name, kind=kind, region=region, parent=parent)
            return existing[name]

        committee = ensure("大方县人大常委会", Organization.Kind.STANDING_COMMITTEE, county)
        for name in WORK_BODIES:
            ensure(name, Organization.Kind.WORK_BODY, county, committee)
        ensure("黄泥塘镇人大主席团", Organization.Kind.TOWNSHIP_PRESIDIUM, huangnitang)
        for name in HANDLING_UNITS:
            ensure(name, Organization.Kind.HANDLING_UNIT, county)
        return existing

    def _accounts(self, orgs) -> dict[str, User]:
        codes = {a[3] for a in ACCOUNTS if a[3]}
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        users = {u.username: u for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])}
        for username, role, full_name, region_code, org_name in ACCOUNTS:
            if username in users:
                continue
            users[username] = user_create(
                username=username,
                password=settings.RENDA_DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                region=regions.get(region_code),
                organization=orgs.get(org_name) if org_name else None,
            )
        return users
