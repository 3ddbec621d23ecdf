"""Issue 15 §4: no page renders a choice list that grows with the installation.

A province holds hundreds of congresses and thousands of townships, stations, constituencies,
organisations and accounts. The fixture puts more than SELECT_LIMIT of each kind in one jurisdiction
and renders the pages that carry forms as a province and as a county user: every <select> stays
within SELECT_LIMIT options (large sets are search pickers, renda/core/pickers.py), and the pickers
find what the selects used to list, scoped to the user.
"""

import re

import pytest

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.conftest import PASSWORD
from renda.core.access import Role
from renda.core.pickers import PICKER_LIMIT, SELECT_LIMIT
from renda.deputies.models import Congress, Constituency, Level, Mandate
from renda.network.models import Station
from renda.organizations.models import Organization
from renda.regions.models import Region

MANY = SELECT_LIMIT + 1
# A county's own lists (its townships and their congresses, ~30) stay <select>s: bounded by construction.
_SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)


def _largest_select(html: str) -> int:
    return max((body.count("<option") for body in _SELECT.findall(html)), default=0)


@pytest.fixture
def crowded(regions, users, deputies):
    """A province of 11 counties (大方县 and ten more) of 28 townships each: 308 townships, each with
    a congress, a constituency and a station; 301 organisations and 301 committee members in 大方县."""
    county = regions["county"]
    counties = [
        county,
        *Region.objects.bulk_create(
            Region(
                code=f"5205{60 + c}",
                name=f"测试{c}县",
                level="county",
                parent=regions["city"],
                path=f"{regions['city'].path}5205{60 + c}/",
            )
            for c in range(10)
        ),
    ]
    townships = Region.objects.bulk_create(
        Region(
            code=f"{k.code}{300 + i:03d}",
            name=f"测试{n * 28 + i}镇",
            level="township",
            parent=k,
            path=f"{k.path}{k.code}{300 + i:03d}/",
        )
        for n, k in enumerate(counties)
        for i in range(28)
    )
    county_congress = Congress.objects.create(
        level=Level.COUNTY, region=county, term=18, name="大方县第十八届人民代表大会"
    )
    congresses = Congress.objects.bulk_create(
        Congress(level=Level.TOWNSHIP, region=t, term=17, name=f"{t.name}第十七届人民代表大会")
        for t in townships
    )
    Constituency.objects.bulk_create(
        Constituency(congress=c, name=f"第{i}选区", number=i, region=t)
        for i, (c, t) in enumerate(zip(congresses, townships, strict=True), start=1)
    )
    Constituency.objects.bulk_create(
        Constituency(congress=county_congress, name=f"县第{i}选区", number=i, region=townships[i % 28])
        for i in range(40)
    )
    Station.objects.bulk_create(
        Station(
            name=f"{t.name}代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=t, public_code=f"T{i:06d}"
        )
        for i, t in enumerate(townships)
    )
    Organization.objects.bulk_create(
        Organization(name=f"测试单位{i}", kind=Organization.Kind.HANDLING_UNIT, region=county)
        for i in range(MANY)
    )
    User.objects.bulk_create(
        User(username=f"leader{i}", full_name=f"委员{i}", role=Role.LEADER, region=county, password="!")
        for i in range(MANY)
    )
    Mandate.objects.create(deputy=deputies["wang"], congress=county_congress, status=Mandate.Status.SERVING)
    province = user_create(
        username="province_staff", password=PASSWORD, role=Role.PROVINCE_STAFF, region=regions["province"]
    )
    return {"county_congress": county_congress, "province": province, "townships": townships}


def _pages(deputy_pk: int, congress_pk: int) -> list[str]:
    return [
        "/deputies/",
        f"/deputies/?congress={congress_pk}",
        f"/deputies/{deputy_pk}/",
        "/deputies/new/",
        "/deputies/congresses/",
        "/dossier/batch/",
        "/duty-reports/new/",
    ]


@pytest.mark.parametrize("who", ["province", "county_staff"])
def test_no_select_grows_with_the_installation(crowded, users, deputies, client, who):
    user = crowded["province"] if who == "province" else users[who]
    client.force_login(user)
    for url in _pages(deputies["wang"].pk, crowded["county_congress"].pk):
        response = client.get(url)
        if response.status_code != 200:
            continue  # a page the role may not open renders no form
        html = response.content.decode()
        assert _largest_select(html) <= SELECT_LIMIT, url


def test_the_pickers_find_what_the_selects_listed_scoped_and_bounded(crowded, users, regions, client):
    client.force_login(crowded["province"])
    found = client.get("/pick/roster-township/", {"q": "测试", "field": "township"}).content.decode()
    assert found.count('type="radio"') == PICKER_LIMIT and "只显示前20条" in found
    assert (
        "测试7镇（大方县）"
        in client.get("/pick/roster-township/", {"q": "测试7镇", "field": "township"}).content.decode()
    )
    found = client.get("/pick/roster-station/", {"q": "测试12镇", "field": "station"}).content.decode()
    assert "测试12镇代表联络站" in found
    found = client.get("/pick/roster-congress/", {"q": "测试3镇", "field": "congress"}).content.decode()
    assert "测试3镇第十七届人民代表大会" in found
    # Narrowed to the congress chosen beside it (the form's other field, under its prefix).
    county = crowded["county_congress"]
    found = client.get(
        "/pick/roster-constituency/", {"q": "选区", "field": "c-constituency", "c-congress": county.pk}
    ).content.decode()
    assert "县第1选区（大方县第十八届）" in found and "测试" not in found

    # A township clerk finds nothing of another township; a deputy may not use the pickers at all.
    client.force_login(users["township_staff"])
    for name in ("roster-township", "roster-station", "roster-congress"):
        found = client.get(f"/pick/{name}/", {"q": "测试", "field": "x"}).content.decode()
        assert 'type="radio"' not in found, name
    client.force_login(users["deputy"])
    for name in ("roster-township", "roster-station", "mandate-constituency", "committee-member"):
        assert client.get(f"/pick/{name}/", {"q": "测试", "field": "x"}).status_code == 404


def test_a_chosen_filter_shows_its_name_and_filters(crowded, users, deputies, client):
    client.force_login(users["county_staff"])
    township = deputies["wang"].region
    page = client.get("/deputies/", {"township": township.code}).content.decode()
    assert f'value="{township.code}" checked' in page and "黄泥塘镇（大方县）" in page
    assert "王芳" in page and "李明" not in page
