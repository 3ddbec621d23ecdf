"""A phone client starts from /api/v1/me (the linked deputy, masked) and does what the portal does."""

import datetime

from django.utils import timezone

from renda.duty_records.models import DutyRecord

PASSWORD = "Renda#2024x"


def _token(client, username):
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_me_names_the_linked_deputy_with_masked_numbers(users, deputies, client):
    from renda.deputies.services import congress_create, mandate_create

    congress = congress_create(level="county", region=deputies["wang"].region.parent, term=18)
    mandate_create(deputy=deputies["wang"], congress=congress, delegation="黄泥塘代表团")
    me = client.get("/api/v1/me", **_token(client, "deputy")).json()
    assert me["deputy"]["id"] == deputies["wang"].pk and me["deputy"]["name"] == "王芳"
    assert me["deputy"]["phone_masked"] == "138****5678" and "13812345678" not in str(me)
    assert me["deputy"]["mandates"] == [
        {"congress": "大方县第十八届人民代表大会", "delegation": "黄泥塘代表团", "status": "在任"}
    ]
    # Accounts without a deputy say so plainly.
    assert client.get("/api/v1/me", **_token(client, "county_staff")).json()["deputy"] is None


def test_deputy_declares_a_record_and_logs_a_contact_through_the_api(users, deputies, client):
    auth = _token(client, "deputy")
    today = timezone.localdate().isoformat()
    response = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "other", "title": "参加村民议事会", "occurred_on": today},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and response.json()["review_state"] == "pending"
    record = DutyRecord.objects.get(title="参加村民议事会")
    assert record.deputy == deputies["wang"] and record.origin == DutyRecord.Origin.DECLARED
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "other", "title": "明天的事", "occurred_on": future},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400 and response.json()["detail"]["field"] == "occurred_on"
    response = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "nonsense", "title": "x", "occurred_on": today},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400 and "类别" in response.json()["message"]
    response = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "method": "visit", "occurred_on": today, "topics": "道路维修"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    # Staff cannot declare for themselves: looks missing.
    staff = _token(client, "county_staff")
    response = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "other", "title": "x", "occurred_on": today},
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 404
