"""Stations and reception days in the API: filters, scoping the same as the pages, 404 when denied."""

import datetime

import pytest
import time_machine

from renda.network import services

EXPECTED = {
    "county_staff": {
        "大方县人大代表联络服务中心",
        "黄泥塘镇人大代表联络站",
        "黄泥塘社区代表联络室",
        "九驿街道人大代表联络站",
    },
    "leader": {
        "大方县人大代表联络服务中心",
        "黄泥塘镇人大代表联络站",
        "黄泥塘社区代表联络室",
        "九驿街道人大代表联络站",
    },
    "township_staff": {"黄泥塘镇人大代表联络站", "黄泥塘社区代表联络室"},
    "jiuyi_staff": {"九驿街道人大代表联络站"},
    "station_keeper": {"黄泥塘镇人大代表联络站"},
}


@pytest.mark.parametrize("username", [*EXPECTED, "deputy", "unit", "admin", "security", "auditor"])
def test_station_list_is_scoped_per_role(username, users, stations, client):
    client.force_login(users[username])
    response = client.get("/api/v1/stations")
    if username in EXPECTED:
        data = response.json()
        assert {item["name"] for item in data["items"]} == EXPECTED[username]
        assert data["count"] == len(EXPECTED[username])
    else:
        assert response.status_code == 404


def test_station_filters(users, stations, client):
    services.demonstration_set(station=stations["huangnitang"], level="city", year=2024, status="building")
    services.demonstration_set(station=stations["village"], level="county", year=2023, status="named")
    client.force_login(users["county_staff"])

    def names(**params):
        return sorted(i["name"] for i in client.get("/api/v1/stations", params).json()["items"])

    assert names(kind="township_station") == ["九驿街道人大代表联络站", "黄泥塘镇人大代表联络站"]
    assert names(region="520521105") == ["黄泥塘社区代表联络室", "黄泥塘镇人大代表联络站"]
    assert names(region="520521004", kind="township_station") == ["九驿街道人大代表联络站"]
    assert names(region="999999") == []
    assert names(demonstration="city") == ["黄泥塘镇人大代表联络站"]
    assert names(demonstration="any") == ["黄泥塘社区代表联络室", "黄泥塘镇人大代表联络站"]
    assert names(demonstration="named") == ["黄泥塘社区代表联络室"]
    assert names(demonstration="province") == []
    assert len(names(demonstration="none")) == 2
    item = client.get("/api/v1/stations", {"demonstration": "city"}).json()["items"][0]
    assert item["demonstrations"] == [{"level": "city", "year": 2024, "status": "building"}]
    assert item["opinion_path"] == f"/o/{stations['huangnitang'].public_code}/"
    assert item["region_code"] == "520521105" and item["kind_label"] == "乡级代表联络站"


def test_station_detail_and_denial(users, stations, deputies, client):
    station = stations["huangnitang"]
    services.stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十八届")
    services.funding_add(station=station, year=2024, amount="1234.50", source="乡镇财政", purpose="维护")
    services.facility_add(station=station, kind="facility", name="接待室")
    client.force_login(users["township_staff"])
    data = client.get(f"/api/v1/stations/{station.pk}").json()
    assert data["stationed_deputies"] == [
        {"deputy_id": deputies["wang"].pk, "name": "王芳", "term": "第十八届"}
    ]
    assert data["fundings"] == [{"year": 2024, "amount": "1234.50", "source": "乡镇财政", "purpose": "维护"}]
    assert data["facilities"] == [{"kind": "facility", "name": "接待室", "quantity": 1, "note": ""}]
    denied = client.get(f"/api/v1/stations/{stations['jiuyi'].pk}")
    missing = client.get("/api/v1/stations/999999")
    assert denied.status_code == missing.status_code == 404 and denied.json() == missing.json()


@time_machine.travel(datetime.datetime(2030, 3, 1, 10), tick=False)
def test_reception_days_api(users, stations, deputies, client):
    day = services.reception_day_schedule(
        station=stations["huangnitang"],
        held_on=datetime.date(2030, 3, 15),
        deputies=[deputies["wang"]],
        starts_at=datetime.time(9),
        theme="接待选民",
    )
    services.reception_day_schedule(
        station=stations["jiuyi"], held_on=datetime.date(2030, 3, 15), deputies=[deputies["li"]]
    )
    client.force_login(users["station_keeper"])
    data = client.get("/api/v1/reception-days").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["station_name"] == "黄泥塘镇人大代表联络站" and item["held_on"] == "2030-03-15"
    assert (
        item["state"] == "scheduled" and item["state_label"] == "已安排" and item["starts_at"] == "09:00:00"
    )
    assert item["deputies"] == [
        {"deputy_id": deputies["wang"].pk, "name": "王芳", "attended": None, "duty_record_id": None}
    ]
    assert client.get(f"/api/v1/reception-days/{day.pk}").json()["theme"] == "接待选民"
    client.force_login(users["county_staff"])
    assert client.get("/api/v1/reception-days", {"year": 2030}).json()["count"] == 2
    assert client.get("/api/v1/reception-days", {"station_id": stations["jiuyi"].pk}).json()["count"] == 1
    assert client.get("/api/v1/reception-days", {"state": "held"}).json()["count"] == 0
    client.force_login(users["jiuyi_staff"])
    assert client.get(f"/api/v1/reception-days/{day.pk}").status_code == 404
    assert client.get("/api/v1/reception-days", {"station_id": stations["huangnitang"].pk}).status_code == 404


def test_anonymous_api_is_401(stations, client):
    assert client.get("/api/v1/stations").status_code == 401
    assert client.get("/api/v1/reception-days").status_code == 401


def test_api_list_query_count(users, stations, regions, client, django_assert_max_num_queries):
    for i in range(30):
        station = services.station_create(name=f"联络室{i}", kind="village_room", region=regions["village"])
        services.demonstration_set(station=station, level="county", year=2024, status="named")
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/stations", {"limit": 50}).json()
    assert data["count"] == 34
