"""Bodies and appointments in the API: scoping, derived members, the validation of appointments."""

import datetime

import pytest
import time_machine

from renda.organizations.models import Appointment


@pytest.mark.parametrize(
    "username, expected",
    [
        (
            "county_staff",
            {
                "大方县人大常委会",
                "代表工作委员会",
                "黄泥塘镇人大主席团",
                "九驿街道人大工作委员会",
                "县交通运输局",
            },
        ),
        ("township_staff", {"黄泥塘镇人大主席团"}),
        ("jiuyi_staff", {"九驿街道人大工作委员会"}),
        ("admin", set()),
    ],
)
def test_body_list_scoping(username, expected, users, bodies, client):
    client.force_login(users[username])
    data = client.get("/api/v1/bodies").json()
    assert {b["name"] for b in data["items"]} == expected and data["count"] == len(expected)


@pytest.mark.parametrize("username", ["station_keeper", "deputy", "unit", "auditor", "security"])
def test_body_list_without_permission_is_404(username, users, bodies, client):
    client.force_login(users[username])
    assert client.get("/api/v1/bodies").status_code == 404
    assert client.get(f"/api/v1/bodies/{bodies['committee'].pk}").status_code == 404


@time_machine.travel(datetime.datetime(2024, 8, 1, 9), tick=False)
def test_body_detail_and_appointments(users, bodies, street_members, client):
    client.force_login(users["jiuyi_staff"])
    data = client.get(f"/api/v1/bodies/{bodies['street'].pk}").json()
    assert [(m["post"], m["person_name"]) for m in data["members"]] == [
        ("director", "赵明远"),
        ("member", "袁玉兰"),
        ("staff", "宋杰"),
    ]
    assert data["duties"] is None and data["duty_version_count"] == 0
    current = client.get("/api/v1/appointments", {"current": "true"}).json()
    assert current["count"] == 3
    past = client.get("/api/v1/appointments", {"current": "false"}).json()["items"]
    assert [(a["person_name"], a["ended_on"], a["is_current"]) for a in past] == [
        ("马光荣", "2023-06-30", False)
    ]
    directors = client.get("/api/v1/appointments", {"post": "director"}).json()
    assert directors["count"] == 2
    client.force_login(users["township_staff"])
    assert client.get("/api/v1/appointments").json()["count"] == 0
    assert client.get(f"/api/v1/appointments/{street_members['director'].pk}").status_code == 404


def test_appointment_create_through_the_api(users, bodies, client):
    client.force_login(users["county_staff"])
    payload = {
        "organization_id": bodies["street"].pk,
        "person_name": "张三",
        "post": "member",
        "started_on": "2024-05-01",
        "ended_on": "2024-04-01",
    }
    bad = client.post("/api/v1/appointments", payload, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"message": "任职终止日期不能早于起始日期", "detail": {"field": "ended_on"}}
    assert not Appointment.objects.exists()
    good = client.post(
        "/api/v1/appointments",
        {**payload, "ended_on": None, "document_number": "大人常任〔2024〕3号"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["post_label"] == "委员"
    wrong_post = client.post(
        "/api/v1/appointments",
        {**payload, "post": "chairman", "ended_on": None},
        content_type="application/json",
    )
    assert wrong_post.status_code == 422
    client.force_login(users["township_staff"])
    other = client.post(
        "/api/v1/appointments", {**payload, "ended_on": None}, content_type="application/json"
    )
    assert other.status_code == 404
    client.force_login(users["leader"])
    assert (
        client.post(
            "/api/v1/appointments", {**payload, "ended_on": None}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Appointment.objects.count() == 1
