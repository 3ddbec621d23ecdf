"""The demo county through the API: the counts the issue names (one test; seeding takes seconds)."""

import io

from django.core.management import call_command

from renda.accounts.models import User


def test_seed_demo_counts_through_the_api(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="county_staff"))

    def count(path, **params):
        response = client.get(path, params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count("/api/v1/stations", kind="township_station") == 29
    assert count("/api/v1/stations", kind="county_center") == 1
    assert count("/api/v1/stations", kind="industry_station") == 1
    assert (
        count("/api/v1/stations", kind="village_room") + count("/api/v1/stations", kind="deputies_home")
        == 115
    )
    assert count("/api/v1/stations", kind="legislative_station") == 1
    assert count("/api/v1/stations", kind="legislative_room") == 28
    legislative = client.get("/api/v1/stations", {"kind": "legislative_station"}).json()["items"][0]
    assert legislative["region_name"] == "九驿街道"
    demos = client.get("/api/v1/stations", {"demonstration": "city"}).json()["items"]
    assert sorted(d["name"] for d in demos) == ["西南社区代表之家", "黄泥塘镇人大代表联络站"]
    assert all(d["demonstrations"] == [{"level": "city", "year": 2024, "status": "building"}] for d in demos)
    # Every village-level point sits on a real village of the region data.
    rooms = client.get("/api/v1/stations", {"kind": "village_room", "limit": 200}).json()["items"]
    assert all(len(r["region_code"]) == 12 for r in rooms)

    assert count("/api/v1/bodies", kind="work_body") == 4
    assert count("/api/v1/bodies", kind="street_committee") == 4
    street_ids = [b["id"] for b in client.get("/api/v1/bodies", {"kind": "street_committee"}).json()["items"]]
    posts = {"director": 0, "member": 0, "staff": 0}
    for body_id in street_ids:
        body = client.get(f"/api/v1/bodies/{body_id}").json()
        assert body["duties"]["version"] == 1
        staff = [m for m in body["members"] if m["post"] == "staff"]
        assert len(staff) == 1
        for member in body["members"]:
            posts[member["post"]] += 1
    assert posts == {"director": 4, "member": 12, "staff": 4}
    for body in client.get("/api/v1/bodies", {"kind": "work_body"}).json()["items"]:
        assert client.get(f"/api/v1/bodies/{body['id']}").json()["duties"]["text"]

    # The demo keeper keeps 黄泥塘镇's station and sees it alone.
    client.force_login(User.objects.get(username="station_keeper"))
    data = client.get("/api/v1/stations").json()
    assert [s["name"] for s in data["items"]] == ["黄泥塘镇人大代表联络站"]
    assert client.get("/api/v1/reception-days").json()["count"] >= 1

    # Running our seeders again creates nothing new (the whole seed_demo twice would double the time).
    from renda.network import demo as network_demo
    from renda.network.models import ReceptionDay, Station, StationedDeputy
    from renda.organizations import demo as organizations_demo
    from renda.organizations.models import Appointment, Organization

    def counts():
        return [
            m.objects.count() for m in (Station, StationedDeputy, ReceptionDay, Organization, Appointment)
        ]

    before = counts()
    organizations_demo.seed(stdout=io.StringIO())
    network_demo.seed(stdout=io.StringIO())
    assert counts() == before
