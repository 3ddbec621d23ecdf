"""Network pages: who sees and edits which station (a grid), the poster's QR link, query counts."""

import datetime
from unittest import mock

import pytest
import time_machine

from renda.audit.models import AuditEntry
from renda.duty_records.models import DutyRecord
from renda.network import services
from renda.network.models import ReceptionDay, Station

STATIONS = ("center", "huangnitang", "village", "jiuyi")
ALL = set(STATIONS)
# username -> stations whose page they may see / edit. Everyone else gets 404.
VIEW_GRID = {
    "county_staff": ALL,
    "leader": ALL,
    "township_staff": {"huangnitang", "village"},
    "jiuyi_staff": {"jiuyi"},
    "station_keeper": {"huangnitang"},
    "deputy": set(),
    "unit": set(),
    "admin": set(),
    "security": set(),
    "auditor": set(),
}
EDIT_GRID = {
    "county_staff": ALL,
    "township_staff": {"huangnitang", "village"},
    "jiuyi_staff": {"jiuyi"},
}


@pytest.mark.parametrize("username", VIEW_GRID)
def test_station_page_and_list_scoping_grid(username, users, stations, client):
    client.force_login(users[username])
    for key in STATIONS:
        status = client.get(f"/network/{stations[key].pk}/").status_code
        assert status == (200 if key in VIEW_GRID[username] else 404), (username, key, status)
    listing = client.get("/network/")
    if VIEW_GRID[username]:
        body = listing.content.decode()
        shown = {key for key in STATIONS if f'href="/network/{stations[key].pk}/"' in body}
        assert shown == VIEW_GRID[username]
    else:
        assert listing.status_code == 404


@pytest.mark.parametrize("username", VIEW_GRID)
def test_station_edit_grid_other_township_is_404(username, users, stations, client):
    client.force_login(users[username])
    for key in STATIONS:
        station = stations[key]
        status = client.get(f"/network/{station.pk}/edit/").status_code
        post = client.post(f"/network/{station.pk}/edit/", {"name": "改名", "kind": station.kind})
        expected = key in EDIT_GRID.get(username, set())
        assert status == (200 if expected else 404), (username, key, status)
        assert (post.status_code != 404) == expected, (username, key, post.status_code)
    assert not Station.objects.filter(name="改名").exists()


def test_township_user_editing_another_townships_station_gets_404_and_is_audited(users, stations, client):
    client.force_login(users["township_staff"])
    jiuyi = stations["jiuyi"]
    response = client.post(
        f"/network/{jiuyi.pk}/edit/",
        {"name": "被改名", "kind": "township_station", "region_code": "520521105", "is_active": "on"},
    )
    assert response.status_code == 404
    jiuyi.refresh_from_db()
    assert jiuyi.name == "九驿街道人大代表联络站"
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(jiuyi.pk)).exists()
    assert (
        client.post(
            f"/network/{jiuyi.pk}/add/facility/", {"kind": "facility", "name": "x", "quantity": 1}
        ).status_code
        == 404
    )
    assert not jiuyi.facilities.exists()


def test_township_user_creates_and_edits_within_their_township(users, stations, client):
    client.force_login(users["township_staff"])
    data = {
        "name": "新塘社区代表之家",
        "kind": "deputies_home",
        "region_code": "520521105002",
        "parent": stations["huangnitang"].pk,
        "opening_hours": "每月15日",
        "contact_phone": "0857-5231111",
        "is_active": "on",
    }
    response = client.post("/network/new/", data)
    created = Station.objects.get(name="新塘社区代表之家")
    assert response.status_code == 302 and response["Location"] == f"/network/{created.pk}/"
    assert created.region.code == "520521105002" and created.parent == stations["huangnitang"]
    # A region outside the township is refused on the field, not saved.
    response = client.post("/network/new/", {**data, "name": "越界站", "region_code": "520521004"})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    # A kind at the wrong level is refused with the message next to the region field.
    response = client.post("/network/new/", {**data, "name": "错层级", "kind": "township_station"})
    assert response.status_code == 400 and "应设在" in response.content.decode()
    assert not Station.objects.filter(name__in=["越界站", "错层级"]).exists()


def test_station_parts_are_added_and_removed_from_the_station_page(users, stations, deputies, client):
    client.force_login(users["township_staff"])
    station = stations["huangnitang"]
    base = f"/network/{station.pk}/add/"
    assert (
        client.post(base + "stationed/", {"deputy": deputies["wang"].pk, "term": "第十八届"}).status_code
        == 302
    )
    # 李明 is a deputy of 九驿街道: not offered, and refused when posted.
    client.post(base + "stationed/", {"deputy": deputies["li"].pk, "term": "第十八届"})
    client.post(base + "facility/", {"kind": "equipment", "name": "办公电脑", "quantity": 2})
    client.post(
        base + "funding/", {"year": 2024, "amount": "20000.00", "source": "乡镇财政", "purpose": "阵地维护"}
    )
    client.post(base + "demonstration/", {"level": "city", "year": 2024, "status": "building"})
    assert list(station.stationed_deputies.values_list("deputy__name", flat=True)) == ["王芳"]
    assert list(station.facilities.values_list("name", "quantity")) == [("办公电脑", 2)]
    assert station.fundings.get().amount == 20000
    page = client.get(f"/network/{station.pk}/").content.decode()
    assert "王芳" in page and "2024年市级示范点（创建中）" in page and "2万元" in page
    facility = station.facilities.get()
    assert client.post(f"/network/remove/facility/{facility.pk}/").status_code == 302
    assert not station.facilities.exists()
    # Removing a row of another township's station is 404.
    other = services.facility_add(station=stations["jiuyi"], kind="facility", name="接待室")
    assert client.post(f"/network/remove/facility/{other.pk}/").status_code == 404
    assert stations["jiuyi"].facilities.count() == 1
    assert client.post(base + "nonsense/", {}).status_code == 404


def test_poster_qr_encodes_the_absolute_opinion_url_of_the_station(users, stations, client, settings):
    settings.RENDA_PUBLIC_BASE_URL = ""
    station = stations["huangnitang"]
    client.force_login(users["station_keeper"])
    expected = f"http://testserver/o/{station.public_code}/"
    import segno

    with mock.patch("renda.network.posters.segno.make", wraps=segno.make) as make:
        response = client.get(f"/network/{station.pk}/poster/")
    assert response.status_code == 200
    make.assert_called_once_with(expected, error="m", micro=False)
    body = response.content.decode()
    assert expected in body and "<svg" in body and station.name in body
    # The link leads to that station and no other: the code resolves back to it.
    from renda.network.selectors import station_public_get

    assert station_public_get(code=expected.rstrip("/").rsplit("/", 1)[-1]) == station


def test_poster_uses_the_configured_public_address(users, stations, client, settings):
    settings.RENDA_PUBLIC_BASE_URL = "https://rd.dafang.example.cn/"
    station = stations["jiuyi"]
    client.force_login(users["county_staff"])
    with mock.patch("renda.network.posters.segno.make") as make:
        make.return_value.svg_inline.return_value = "<svg></svg>"
        body = client.get(f"/network/{station.pk}/poster/").content.decode()
    make.assert_called_once_with(
        f"https://rd.dafang.example.cn/o/{station.public_code}/", error="m", micro=False
    )
    assert f"https://rd.dafang.example.cn/o/{station.public_code}/" in body


def test_poster_pdf_is_a_pdf(users, stations, client):
    client.force_login(users["county_staff"])
    response = client.get(f"/network/{stations['huangnitang'].pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/network/{stations['huangnitang'].pk}/poster.pdf").status_code == 200
    client.force_login(users["jiuyi_staff"])
    assert client.get(f"/network/{stations['huangnitang'].pk}/poster.pdf").status_code == 404


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_keeper_schedules_and_records_a_reception_day_through_the_pages(users, stations, deputies, client):
    station = stations["huangnitang"]
    client.force_login(users["station_keeper"])
    response = client.post(
        f"/network/{station.pk}/receptions/new/",
        {
            "held_on": "2024-08-15",
            "starts_at": "09:00",
            "ends_at": "12:00",
            "theme": "接待选民",
            "deputies": [deputies["wang"].pk],
            "backfill": "on",  # held five days ago: entered from the notebook
        },
    )
    day = ReceptionDay.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/network/receptions/{day.pk}/"
    assert "登记接待情况" in client.get(response["Location"]).content.decode()
    data = {
        "constituents_received": 9,
        "topics": "道路维修",
        "summary": "",
        "attended": [deputies["wang"].pk],
    }
    assert client.post(f"/network/receptions/{day.pk}/record/", data).status_code == 302
    assert client.post(f"/network/receptions/{day.pk}/record/", data).status_code == 302  # amended, same
    assert DutyRecord.objects.filter(deputy=deputies["wang"], kind="reception").count() == 1
    # A scheduled day at 九驿 is out of the keeper's reach.
    other = services.reception_day_schedule(
        station=stations["jiuyi"],
        held_on=datetime.date(2024, 8, 15),
        deputies=[deputies["li"]],
        backfill=True,
    )
    assert client.get(f"/network/receptions/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/network/receptions/{other.pk}/record/", {**data, "attended": [deputies["li"].pk]}
        ).status_code
        == 404
    )
    assert client.post(f"/network/receptions/{other.pk}/cancel/", {"note": "x"}).status_code == 404
    # The leader reads but cannot record.
    client.force_login(users["leader"])
    assert client.get(f"/network/receptions/{day.pk}/").status_code == 200
    assert client.post(f"/network/receptions/{other.pk}/cancel/", {"note": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.state == "scheduled"


def test_cancel_needs_a_reason(users, stations, deputies, client):
    day = services.reception_day_schedule(
        station=stations["huangnitang"],
        held_on=datetime.date.today() + datetime.timedelta(days=30),
        deputies=[deputies["wang"]],
    )
    client.force_login(users["township_staff"])
    assert client.post(f"/network/receptions/{day.pk}/cancel/", {"note": ""}).status_code == 400
    assert client.post(f"/network/receptions/{day.pk}/cancel/", {"note": "暴雨"}).status_code == 302
    day.refresh_from_db()
    assert day.state == "cancelled"


def _many_stations(regions, n=25):
    for i in range(n):
        station = services.station_create(
            name=f"测试联络室{i}", kind="village_room", region=regions["village"]
        )
        services.demonstration_set(station=station, level="county", year=2024, status="named")


def test_station_list_query_count(users, stations, regions, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    client.get("/network/")
    _many_stations(regions)
    with django_assert_max_num_queries(9):
        response = client.get("/network/")
    assert response.status_code == 200 and response.content.decode().count("2024年县级示范点") == 25


def test_reception_day_list_query_count(users, stations, deputies, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    client.get("/network/receptions/")
    for i in range(20):
        services.reception_day_schedule(
            station=stations["huangnitang"],
            held_on=datetime.date.today() + datetime.timedelta(days=1 + i),
            deputies=[deputies["wang"], deputies["li"]],
        )
    with django_assert_max_num_queries(10):
        response = client.get("/network/receptions/")
    assert response.status_code == 200 and response.content.decode().count("李明、王芳") == 20


def test_public_directory_and_station_page_need_no_login(
    stations, deputies, client, regions, django_assert_max_num_queries
):
    services.stationed_deputy_add(station=stations["huangnitang"], deputy=deputies["wang"], term="第十八届")
    services.station_update(station=stations["jiuyi"], data={"is_active": False})
    _many_stations(regions)
    with django_assert_max_num_queries(6):
        response = client.get("/stations/")
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "黄泥塘镇人大代表联络站" in body and "九驿街道人大代表联络站" not in body
    )  # inactive ones are hidden
    filtered = client.get(
        "/stations/", {"township": "520521105", "kind": "township_station"}
    ).content.decode()
    assert "黄泥塘镇人大代表联络站" in filtered and "测试联络室" not in filtered
    station = stations["huangnitang"]
    page = client.get(f"/stations/{station.public_code}/")
    text = page.content.decode()
    assert page.status_code == 200 and f'href="/o/{station.public_code}/"' in text and "王芳" in text
    assert "0857-5231234" in text
    # Nothing personal: a deputy's phone and ID number are never on the public page.
    assert "138" not in text and "520521198003151224" not in text
    assert client.get(f"/stations/{stations['jiuyi'].public_code}/").status_code == 404
    assert client.get("/stations/zzzzzzzz/").status_code == 404


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_a_stationed_deputy_who_came_unscheduled_is_recorded_too(users, stations, deputies, regions, client):
    from renda.deputies.services import deputy_create

    station = stations["huangnitang"]
    zhao = deputy_create(name="赵敏", gender="female", region=regions["huangnitang"])
    services.stationed_deputy_add(station=station, deputy=zhao, term="第十八届")
    day = services.reception_day_schedule(
        station=station, held_on=datetime.date(2024, 8, 15), deputies=[deputies["wang"]], backfill=True
    )
    client.force_login(users["station_keeper"])
    page = client.get(f"/network/receptions/{day.pk}/").content.decode()
    assert "未排班但来参加的进站代表" in page and "赵敏" in page
    data = {
        "constituents_received": 5,
        "topics": "饮水",
        "attended": [deputies["wang"].pk],
        "extra_deputies": [zhao.pk],
    }
    assert client.post(f"/network/receptions/{day.pk}/record/", data).status_code == 302
    assert DutyRecord.objects.filter(deputy=zhao, kind="reception").count() == 1
    # Someone not stationed here cannot be slipped in.
    other = services.reception_day_schedule(
        station=station, held_on=datetime.date(2024, 8, 16), deputies=[deputies["wang"]], backfill=True
    )
    bad = {**data, "extra_deputies": [deputies["li"].pk]}
    assert client.post(f"/network/receptions/{other.pk}/record/", bad).status_code == 400
    assert not DutyRecord.objects.filter(deputy=deputies["li"]).exists()


def test_scheduling_a_reception_day_ticks_nobody_and_offers_all_none_and_a_filter(
    users, stations, deputies, client
):
    from renda.network.services import stationed_deputy_add

    station = stations["huangnitang"]
    stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十八届")
    client.force_login(users["station_keeper"])
    page = client.get(f"/network/{station.pk}/receptions/new/").content.decode()
    form = page.split('id="id_deputies"', 1)[1].split("</form>", 1)[0]
    assert "王芳" in form and "checked" not in form
    assert "data-checklist-all" in page and "data-checklist-none" in page and "data-checklist-filter" in page


def test_the_schedule_form_refuses_a_past_day_in_plain_chinese_and_offers_backfill(
    users, stations, deputies, client
):
    client.force_login(users["township_staff"])
    url = f"/network/{stations['huangnitang'].pk}/receptions/new/"
    data = {"held_on": "2020-06-01", "deputies": [deputies["wang"].pk]}
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10), tick=False):
        assert "补录已举行的接待日" in client.get(url).content.decode()
        page = client.post(url, data).content.decode()
        assert "2020年6月1日太早" in page
        page = client.post(url, {**data, "held_on": "2026-11-10"}).content.decode()
        assert "已经过去" in page and "补录" in page
        response = client.post(url, {**data, "held_on": "2026-11-10", "backfill": "on"})
    assert response.status_code == 302
    assert ReceptionDay.objects.get().held_on == datetime.date(2026, 11, 10)
