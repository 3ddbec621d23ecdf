"""City and province accounts (issue 15 §2): roles, roll-up with drill-down, nothing outside the
jurisdiction, their own congress's deputies only, and the county pages working across counties."""

import io

import pytest
from openpyxl import load_workbook

from renda.accounts.services import user_create
from renda.conftest import PASSWORD, make_region
from renda.core.access import Role
from renda.core.errors import DomainError
from renda.deputies.selectors import congress_kept
from renda.deputies.services import congress_create, deputy_create, mandate_create
from renda.network.services import station_create
from renda.opinions.services import opinion_create
from renda.organizations.models import Organization
from renda.suggestions.tests import factories


@pytest.fixture
def province(regions, users, deputies):
    """Two cities: 毕节市 (大方县, 七星关区) and 贵阳市 (南明区), each county with its congress,
    a deputy, a station, an opinion and a suggestion; a city congress for 毕节市; the upper accounts."""
    guiyang = make_region("5201", "贵阳市", "city", regions["province"])
    nanming = make_region("520102", "南明区", "county", guiyang)
    nanming_town = make_region("520102001", "新华路街道", "township", nanming)
    qx_town = make_region("520502001", "市西街道", "township", regions["other_county"])
    counties = {
        "dafang": (regions["county"], regions["huangnitang"]),
        "qixing": (regions["other_county"], qx_town),
        "nanming": (nanming, nanming_town),
    }
    made = {"guiyang": guiyang, "nanming": nanming}
    staff = users["county_staff"]
    for key, (county, town) in counties.items():
        congress = congress_create(level="county", region=county, term=18)
        if key == "dafang":
            deputy = deputies["wang"]
            for d in deputies.values():
                mandate_create(deputy=d, congress=congress)
        else:
            deputy = deputy_create(name=f"{county.name}代表", gender="male", region=town)
            mandate_create(deputy=deputy, congress=congress)
        station = station_create(name=f"{town.name}代表联络站", kind="township_station", region=town)
        unit = Organization.objects.filter(region=county, kind="handling_unit").first() or (
            Organization.objects.create(name="县交通运输局", kind="handling_unit", region=county)
        )
        county_staff = staff
        unit_user = users["unit"]
        if key != "dafang":
            county_staff = user_create(
                username=f"{key}_staff", password=PASSWORD, role=Role.COUNTY_STAFF, region=county
            )
            unit_user = user_create(
                username=f"{key}_unit", password=PASSWORD, role=Role.HANDLING_UNIT, organization=unit
            )
        opinion_create(
            actor=county_staff, station=station, channel="walk_in", content=f"{town.name}的路灯坏了"
        )
        own = {**users, "county_staff": county_staff, "unit": unit_user}
        made[key] = factories.make(
            users=own,
            deputy=deputy,
            state="closed" if key == "dafang" else "assigned",
            lead_unit=unit,
            title=f"{county.name}的建议",
            body=f"{county.name}建议的内容",
        )
    city_congress = congress_create(level="city", region=regions["city"], term=5)
    mandate_create(deputy=deputies["li"], congress=city_congress)
    made["city_congress"] = city_congress
    made["city_staff"] = user_create(
        username="bijie_staff", password=PASSWORD, role=Role.CITY_STAFF, region=regions["city"]
    )
    made["city_leader"] = user_create(
        username="bijie_leader", password=PASSWORD, role=Role.CITY_LEADER, region=regions["city"]
    )
    made["province_staff"] = user_create(
        username="gz_staff", password=PASSWORD, role=Role.PROVINCE_STAFF, region=regions["province"]
    )
    return made


def test_upper_roles_hold_a_region_of_their_level(regions):
    with pytest.raises(DomainError) as info:
        user_create(username="x", password=PASSWORD, role=Role.CITY_STAFF, region=regions["county"])
    assert info.value.field == "region" and "市（州）" in info.value.message
    with pytest.raises(DomainError):
        user_create(username="y", password=PASSWORD, role=Role.PROVINCE_LEADER, region=regions["city"])


def test_province_rollup_drills_down_to_cities_and_counties(province, client, django_assert_max_num_queries):
    client.force_login(province["province_staff"])
    with django_assert_max_num_queries(14):
        page = client.get("/rollup/")
    assert page.status_code == 200
    result = page.context["result"]
    assert result["region"].name == "贵州省"
    rows = {r["region"].name: r for r in result["rows"]}
    assert set(rows) == {"毕节市", "贵阳市"}
    bijie, guiyang = rows["毕节市"], rows["贵阳市"]
    assert (bijie["received"], bijie["closed"], bijie["closing_rate"]) == (2, 1, 50.0)
    assert (guiyang["received"], guiyang["closed"], guiyang["closing_rate"]) == (1, 0, 0.0)
    assert bijie["satisfaction_strict"] == 100.0 and guiyang["satisfaction_strict"] is None
    # 王芳 and 李明 (大方县) and 七星关区's deputy serve in county congresses; 李明 also in the city's.
    assert bijie["deputies"] == {"provincial": 0, "city": 1, "county": 3, "township": 0}
    assert bijie["stations_total"] == 2 and bijie["opinions"] == 2 and guiyang["opinions"] == 1
    assert result["total"]["received"] == 3 and result["total"]["deputies_total"] == 5
    assert all(r["drill"] for r in result["rows"])
    body = page.content.decode()
    assert 'href="/rollup/5205/"' in body and 'id="rollup-data"' in body and "vendor/echarts" in body
    # Drill down: 毕节市 → its counties, then a county → its townships (not opened further).
    with django_assert_max_num_queries(14):
        city = client.get("/rollup/5205/")
    counties = {r["region"].name: r for r in city.context["result"]["rows"] if r["region"]}
    assert counties["大方县"]["received"] == 1 and counties["七星关区"]["overdue"] == 0
    assert counties["大方县"]["closing_rate"] == 100.0
    county = client.get("/rollup/520521/")
    towns = {r["region"].name: r for r in county.context["result"]["rows"] if r["region"]}
    assert towns["黄泥塘镇"]["received"] == 1 and not towns["黄泥塘镇"]["drill"]
    assert [r.name for r in county.context["result"]["trail"]] == ["贵州省", "毕节市", "大方县"]


def test_the_query_count_does_not_grow_with_the_regions(province, regions, client, django_assert_num_queries):
    client.force_login(province["province_staff"])
    client.get("/rollup/")  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/rollup/")
    for n in range(5):
        make_region(f"52{10 + n}", f"新市{n}", "city", regions["province"])
    with CaptureQueriesContext(connection) as after:
        client.get("/rollup/")
    assert len(after) == len(before)


def test_a_city_user_sees_nothing_outside_their_city(province, client):
    for user in (province["city_staff"], province["city_leader"]):
        client.force_login(user)
        page = client.get("/rollup/")
        result = page.context["result"]
        assert result["region"].name == "毕节市"
        assert {r["region"].name for r in result["rows"] if r["region"]} == {"大方县", "七星关区"}
        assert result["total"]["received"] == 2 and result["total"]["opinions"] == 2
        assert client.get("/rollup/5201/").status_code == 404  # 贵阳市
        assert client.get("/rollup/520102/").status_code == 404  # 南明区
        assert client.get("/rollup/52/").status_code == 404  # the province above
        assert client.get("/rollup/5201/rollup.xlsx").status_code == 404
        listing = client.get("/suggestions/").content.decode()
        assert "大方县的建议" in listing and "七星关区的建议" in listing and "南明区的建议" not in listing
        assert client.get(f"/suggestions/{province['nanming'].pk}/").status_code == 404
        roster = client.get("/deputies/").content.decode()
        assert "七星关区代表" in roster and "南明区代表" not in roster
        opinions = client.get("/opinions/").content.decode()
        assert "市西街道" in opinions and "新华路街道" not in opinions


def test_city_staff_keep_only_their_own_congress(province, deputies, client):
    staff = province["city_staff"]
    assert list(congress_kept(user=staff)) == [province["city_congress"]]
    with pytest.raises(DomainError) as info:
        mandate_create(
            actor=staff, deputy=deputies["wang"], congress=deputies["wang"].mandates.get().congress
        )
    assert info.value.field == "congress"
    client.force_login(staff)
    # 李明 serves in the city congress: the city keeps him; 王芳 is the county's to keep (read only).
    assert client.get(f"/deputies/{deputies['li'].pk}/").status_code == 200
    assert client.get(f"/deputies/{deputies['wang'].pk}/").status_code == 200
    assert client.get(f"/deputies/{deputies['li'].pk}/edit/").status_code == 200
    assert client.get(f"/deputies/{deputies['wang'].pk}/edit/").status_code == 404
    client.force_login(province["city_leader"])
    assert client.get(f"/deputies/{deputies['li'].pk}/edit/").status_code == 404


def test_rollup_exports_xlsx_with_the_page_figures(province, client):
    client.force_login(province["province_staff"])
    response = client.get("/rollup/52/rollup.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {"毕节市", "贵阳市", "合计"}
    assert by_name["毕节市"]["收到"] == 2 and by_name["毕节市"]["办结率%"] == 50.0
    assert by_name["合计"]["在任代表合计"] == 5


def test_county_and_other_roles_have_no_rollup(province, users, client):
    for username in ("county_staff", "township_staff", "deputy", "unit", "admin"):
        client.force_login(users[username])
        assert client.get("/rollup/").status_code == 404


MAIN_LISTS = ["/deputies/", "/suggestions/", "/duty-records/", "/network/", "/opinions/", "/activities/"]


@pytest.mark.parametrize("path", MAIN_LISTS)
def test_a_province_user_uses_the_county_list_pages_across_counties(
    path, province, client, django_assert_max_num_queries
):
    client.force_login(province["province_staff"])
    with django_assert_max_num_queries(30):
        page = client.get(path)
    assert page.status_code == 200


def test_a_province_user_searches_and_filters_suggestions_everywhere(province, client):
    client.force_login(province["province_staff"])
    every = client.get("/suggestions/").content.decode()
    assert all(f"{name}的建议" in every for name in ("大方县", "七星关区", "南明区"))
    found = client.get("/suggestions/", {"q": "南明区"}).content.decode()
    assert "南明区的建议" in found and "大方县的建议" not in found
    assigned = client.get("/suggestions/", {"state": "assigned"}).content.decode()
    assert "七星关区的建议" in assigned and "大方县的建议" not in assigned
    # The unit filter (a search picker) names each county's 县交通运输局 apart.
    labels = client.get("/pick/suggestion-unit/", {"q": "县交通运输局", "field": "unit"}).content.decode()
    assert "县交通运输局（大方县）" in labels and "县交通运输局（南明区）" in labels
    # Statistics per unit come one row per county (a province has some 900 units), each row opening
    # that county's units: namesake units stay apart by county.
    stats = client.get("/suggestions/stats/", {"group_by": "unit"}).context["result"]
    assert stats["by_county"] and {g["key"] for g in stats["groups"]} == {
        "大方县（毕节市）",
        "七星关区（毕节市）",
        "南明区（贵阳市）",
    }
    dafang = client.get("/suggestions/stats/", {"group_by": "unit", "county": "520521"}).context["result"]
    assert not dafang["by_county"] and [g["key"] for g in dafang["groups"]] == ["县交通运输局"]
    assert dafang["total"]["received"] == 1
    roster = client.get("/deputies/").content.decode()
    assert "七星关区代表" in roster and "南明区代表" in roster


def test_the_api_gives_the_page_figures_and_the_same_refusals(province, client):
    client.force_login(province["city_staff"])
    data = client.get("/api/v1/rollup/5205").json()
    assert data["region"] == {"code": "5205", "name": "毕节市", "level": "city"}
    rows = {r["region"]["name"]: r for r in data["rows"] if r["region"]}
    assert rows["大方县"]["received"] == 1 and rows["大方县"]["closing_rate"] == 100.0
    assert data["total"]["received"] == 2 and data["total"]["deputies"]["city"] == 1
    assert client.get("/api/v1/rollup/5201").status_code == 404
    client.logout()
    assert client.get("/api/v1/rollup/5205").status_code == 401


def test_points_distribution_of_the_latest_publication_by_grade_and_band_with_drill_down(
    province, regions, deputies, client, django_assert_max_num_queries
):
    """Two counties publish their points (a 100-point scale, ≥80 好, 60–79 较好, <60 差): 王芳 80
    (on the 好 bound), 李明 30 (大方县), 七星关区's deputy 60 (on the 较好 bound). A first-quarter
    公示, when everyone still had 30, is older than the year's: the year's is the one counted."""
    import datetime

    from renda.deputies.models import Congress, Deputy
    from renda.duty_records.services import duty_record_add
    from renda.points.publications import publication_create
    from renda.points.services import scheme_import, scheme_publish
    from renda.points.tests.conftest import SHAPE_C, YEAR

    qixing_deputy = Deputy.objects.get(name="七星关区代表")
    for county, counts in (
        (regions["county"], {deputies["wang"]: (8, True)}),
        (regions["other_county"], {qixing_deputy: (6, False)}),
    ):
        congress = Congress.objects.get(region=county, level="county")
        scheme = scheme_publish(
            actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_C)
        )
        for deputy, (inspections, reception) in counts.items():
            for n in range(inspections):
                duty_record_add(
                    deputy=deputy,
                    kind="inspection",
                    title=f"视察{n}",
                    occurred_on=datetime.date(YEAR, 6, 1 + n),
                )
            if reception:
                duty_record_add(
                    deputy=deputy, kind="reception", title="进站", occurred_on=datetime.date(YEAR, 7, 1)
                )
        for period, index, starts in (
            ("quarter", 1, datetime.date(YEAR, 4, 1)),
            ("year", 1, datetime.date(YEAR + 1, 1, 5)),
        ):
            publication_create(
                actor=None, scheme=scheme, period=period, index=index, order="rank",
                starts_on=starts, ends_on=starts + datetime.timedelta(days=7),
            )  # fmt: skip
    client.force_login(province["province_staff"])
    with django_assert_max_num_queries(17):
        page = client.get("/rollup/")
    result = page.context["result"]
    rows = {r["region"].name: r for r in result["rows"]}
    assert rows["毕节市"]["grades"] == {"好": 1, "较好": 1, "差": 1} and rows["贵阳市"]["graded"] == 0
    assert rows["毕节市"]["points_bands"] == {
        "lt60": 1, "60-70": 1, "70-80": 0, "80-90": 1, "90-100": 0, "ge100": 0
    }  # fmt: skip
    assert result["grade_order"] == ["好", "较好", "差"]
    assert "好 1，较好 1，差 1" in page.content.decode()
    city = client.get("/rollup/5205/").context["result"]
    counties = {r["region"].name: r for r in city["rows"] if r["region"]}
    assert counties["大方县"]["grades"] == {"好": 1, "差": 1} and counties["七星关区"]["grades"] == {
        "较好": 1
    }
    county = client.get("/rollup/520521/").context["result"]
    towns = {r["region"].name: r for r in county["rows"] if r["region"]}
    assert towns["黄泥塘镇"]["grades"] == {"好": 1} and towns["九驿街道"]["grades"] == {"差": 1}
    # The export has the same figures, one column per grade and per band.
    sheet = load_workbook(io.BytesIO(client.get("/rollup/5205/rollup.xlsx").content)).active
    table = list(sheet.iter_rows(values_only=True))
    by_name = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert by_name["大方县"]["等次：好"] == 1 and by_name["七星关区"]["等次：较好"] == 1
    assert by_name["合计"]["积分段：60–70分"] == 1 and by_name["合计"]["积分公示人数"] == 3
    # A city user sees their city only; a year without a 公示 shows none.
    client.force_login(province["city_staff"])
    assert client.get(f"/rollup/5205/?year={YEAR - 1}").context["result"]["total"]["graded"] == 0


def test_province_statistics_come_per_county_and_open_a_county(
    province, client, django_assert_max_num_queries
):
    """A province or city user's statistics per unit and per township: one row per county (a
    province has some 900 units), each opening that county's units; the figures are the roll-up's,
    counted from the suggestion rows alone (no reply or evaluation table in the SQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province["province_staff"])
    client.get("/suggestions/stats/")  # warm the session
    for group_by in ("unit", "township"):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(9):
            page = client.get("/suggestions/stats/", {"group_by": group_by})
        assert not any(
            "suggestions_reply" in q["sql"] or "suggestions_evaluation" in q["sql"] for q in queries
        )
        result = page.context["result"]
        assert result["by_county"]
        rows = {g["key"]: g for g in result["groups"]}
        assert set(rows) == {"大方县（毕节市）", "七星关区（毕节市）", "南明区（贵阳市）"}
        assert (rows["大方县（毕节市）"]["received"], rows["大方县（毕节市）"]["closing_rate"]) == (1, 100.0)
        assert rows["南明区（贵阳市）"]["closed"] == 0 and result["total"]["received"] == 3
        assert 'href="?group_by=' + group_by + '&amp;county=520102"' in page.content.decode()
    # The same figures as the roll-up's county rows.
    rollup = client.get("/rollup/5205/").context["result"]
    counties = {r["region"].name: r for r in rollup["rows"] if r["region"]}
    stats = {g["key"]: g for g in client.get("/suggestions/stats/").context["result"]["groups"]}
    assert counties["七星关区"]["handed_over"] == stats["七星关区（毕节市）"]["handed_over"] == 1
    # Opening a county: its own units, with the county's figures.
    with django_assert_max_num_queries(9):
        nanming = client.get("/suggestions/stats/", {"group_by": "unit", "county": "520102"})
    result = nanming.context["result"]
    assert result["county"] == {"code": "520102", "name": "南明区"} and not result["by_county"]
    assert [g["key"] for g in result["groups"]] == ["县交通运输局"] and result["total"]["received"] == 1
    api = client.get("/api/v1/suggestions/stats", {"group_by": "township", "county": "520102"}).json()
    assert [g["key"] for g in api["groups"]] == ["新华路街道"]
    # The export: per county too, and per unit within a county.
    sheets = load_workbook(io.BytesIO(client.get("/suggestions/stats.xlsx").content))
    assert "主办单位（按县汇总）" in sheets.sheetnames
    names = [r[0] for r in sheets["主办单位（按县汇总）"].iter_rows(min_row=2, values_only=True)]
    assert set(names) == {"大方县（毕节市）", "七星关区（毕节市）", "南明区（贵阳市）", "合计"}
    one = load_workbook(io.BytesIO(client.get("/suggestions/stats.xlsx", {"county": "520502"}).content))
    assert [r[0] for r in one["主办单位"].iter_rows(min_row=2, values_only=True)] == ["县交通运输局", "合计"]
    # A city user cannot open a county of another city; a county user keeps per-unit rows.
    client.force_login(province["city_staff"])
    assert client.get("/suggestions/stats/", {"county": "520102"}).status_code == 404
    assert client.get("/api/v1/suggestions/stats", {"county": "520102"}).status_code == 404
    assert client.get("/suggestions/stats.xlsx", {"county": "520102"}).status_code == 404
    client.force_login(province["city_staff"].__class__.objects.get(username="county_staff"))
    county = client.get("/suggestions/stats/", {"group_by": "unit"}).context["result"]
    assert not county["by_county"] and [g["key"] for g in county["groups"]] == ["县交通运输局"]
