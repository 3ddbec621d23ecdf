"""Fixtures shared by every app's tests: a small region tree and one user per role."""

import pytest
from hypothesis import HealthCheck, settings

from renda.accounts.services import user_create
from renda.core.access import Role
from renda.deputies.services import deputy_create
from renda.organizations.models import Organization
from renda.regions.models import Region

# Property tests: the same examples on every run (a failure reproduces), and no timing checks, which
# fail spuriously when two pytest workers share a busy two-core machine.
settings.register_profile(
    "renda", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("renda")

PASSWORD = "Renda#2024x"


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    path = (parent.path if parent else "") + code + "/"
    return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)


@pytest.fixture
def regions(db):
    province = make_region("52", "贵州省", "province")
    city = make_region("5205", "毕节市", "city", province)
    county = make_region("520521", "大方县", "county", city)
    huangnitang = make_region("520521105", "黄泥塘镇", "township", county)
    jiuyi = make_region("520521004", "九驿街道", "township", county)
    village = make_region("520521105002", "黄泥塘社区居民委员会", "village", huangnitang)
    other_county = make_region("520502", "七星关区", "county", city)
    return {
        "province": province,
        "city": city,
        "county": county,
        "huangnitang": huangnitang,
        "jiuyi": jiuyi,
        "village": village,
        "other_county": other_county,
    }


@pytest.fixture
def unit_org(regions):
    return Organization.objects.create(
        name="县交通运输局", kind=Organization.Kind.HANDLING_UNIT, region=regions["county"]
    )


@pytest.fixture
def users(regions, unit_org):
    """One account per role, as the demo has them."""
    specs = {
        "admin": (Role.SYSTEM_ADMIN, None),
        "security": (Role.SECURITY_ADMIN, None),
        "auditor": (Role.AUDITOR, None),
        "county_staff": (Role.COUNTY_STAFF, regions["county"]),
        "township_staff": (Role.TOWNSHIP_STAFF, regions["huangnitang"]),
        "jiuyi_staff": (Role.TOWNSHIP_STAFF, regions["jiuyi"]),
        "station_keeper": (Role.STATION_KEEPER, regions["huangnitang"]),
        "deputy": (Role.DEPUTY, None),
        "unit": (Role.HANDLING_UNIT, None),
        "leader": (Role.LEADER, regions["county"]),
    }
    made = {}
    for username, (role, region) in specs.items():
        made[username] = user_create(
            username=username,
            password=PASSWORD,
            role=role,
            full_name=username,
            region=region,
            organization=unit_org if role == Role.HANDLING_UNIT else None,
        )
    return made


@pytest.fixture
def deputies(regions, users):
    """A deputy in 黄泥塘镇 linked to the `deputy` account, and one in 九驿街道."""
    return {
        "wang": deputy_create(
            name="王　芳",
            gender="female",
            region=regions["huangnitang"],
            id_number="520521198003151224",
            phone="138 1234 5678",
            user=users["deputy"],
        ),
        "li": deputy_create(
            name="李明",
            gender="male",
            region=regions["jiuyi"],
            id_number="52052119750308107x",
            phone="13987654321",
        ),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# ---------- browser tests (Playwright driving Debian's Chromium) ----------
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

# A deputy's phone page, cold cache, on a slow network: what travels and what the phone must parse.
# Production serves static files precompressed by WhiteNoise (gzip/brotli) and HTML as it is, so the
# bytes on the wire are the HTML plus each static file gzip-compressed; the uncompressed total bounds
# the parsing a cheap phone does.
PAGE_WIRE_BUDGET = 50_000
PAGE_PARSE_BUDGET = 120_000


def assert_light(bodies: dict[str, bytes]) -> None:
    """`bodies`: {path: response body} of one page load. Fails when the page loads a third-party asset or
    exceeds PAGE_WIRE_BUDGET bytes on the wire (static files as gzip level 9, like WhiteNoise) or
    PAGE_PARSE_BUDGET bytes uncompressed."""
    import gzip

    assert bodies and not [path for path in bodies if path.startswith("http")], bodies.keys()
    wire = {
        path: len(gzip.compress(body, 9)) if path.startswith("/static/") else len(body)
        for path, body in bodies.items()
    }
    parsed = sum(len(body) for body in bodies.values())
    assert sum(wire.values()) < PAGE_WIRE_BUDGET, wire
    assert parsed < PAGE_PARSE_BUDGET, {path: len(body) for path, body in bodies.items()}


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (a module may define its own `browser`, which wins).

    Skips when Debian's chromium is not installed. Playwright's sync API runs an event loop in this
    thread, so DJANGO_ALLOW_ASYNC_UNSAFE must be set by the module before it imports playwright."""
    import os
    import shutil

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
