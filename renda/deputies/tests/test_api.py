"""The deputies API: deputies and mandates with filters and stroke order, contacts, masking, 404s."""

import datetime

from renda.deputies.services import contact_assignment_add, external_role_add


def test_deputy_detail_has_mandates_and_external_roles(seated, users, client):
    wang = seated["wang_county"].deputy
    external_role_add(deputy=wang, kind="enforcement_monitor", starts_on=datetime.date(2022, 3, 1))
    client.force_login(users["leader"])
    body = client.get(f"/api/v1/deputies/{wang.pk}").json()
    assert (
        body["name"] == "王芳"
        and body["id_number"] == "520521********1224"
        and body["phone"] == "138****5678"
    )
    assert [(m["level"], m["term"], m["constituency"]) for m in body["mandates"]] == [
        ("county", 18, "第41选区"),
        ("township", 17, "第1选区"),
    ]
    assert (
        body["mandates"][0]["congress"] == "大方县第十八届人民代表大会"
        and body["mandates"][0]["status"] == "serving"
    )
    assert body["external_roles"][0]["title"] == "执法活动监督员"


def test_mandate_list_filters_and_order(seated, congresses, users, client):
    client.force_login(users["county_staff"])
    everything = client.get("/api/v1/deputies/mandates").json()
    assert everything["count"] == 3
    assert [m["deputy_name"] for m in everything["items"]] == ["王芳", "王芳", "李明"]
    county = client.get("/api/v1/deputies/mandates", {"congress": congresses["county"].pk}).json()
    assert {m["deputy_name"] for m in county["items"]} == {"王芳", "李明"}
    township = client.get("/api/v1/deputies/mandates", {"level": "township"}).json()
    assert [m["congress"] for m in township["items"]] == ["黄泥塘镇第十七届人民代表大会"]
    one = client.get(f"/api/v1/deputies/mandates/{seated['li_county'].pk}").json()
    assert one["delegation"] == "九驿街道代表团" and one["status_label"] == "在任"


def test_member_logs_committee_contacts_through_the_api(seated, users, client):
    wang = seated["wang_county"].deputy
    client.force_login(users["leader"])
    payload = {
        "kind": "committee",
        "deputy_id": wang.pk,
        "method": "meeting",
        "occurred_on": "2025-03-01",
        "topics": "座谈",
    }
    refused = client.post("/api/v1/deputies/contacts", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"] == {"field": "member"}
    contact_assignment_add(member=users["leader"], deputy=wang, starts_on=datetime.date(2022, 1, 1))
    created = client.post("/api/v1/deputies/contacts", payload, content_type="application/json")
    assert (
        created.status_code == 201
        and created.json()["member"] == "leader"
        and created.json()["initiator"] == "member"
    )
    listed = client.get("/api/v1/deputies/contacts", {"kind": "committee"}).json()
    assert listed["count"] == 1 and listed["items"][0]["deputy_name"] == "王芳"
    assert client.get("/api/v1/deputies/contacts", {"year": 2024}).json()["count"] == 0


def test_contacts_out_of_jurisdiction_are_not_found(seated, users, client):
    client.force_login(users["jiuyi_staff"])
    response = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "deputy_id": seated["wang_county"].deputy_id, "method": "visit",
         "occurred_on": "2025-03-01", "topics": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    client.force_login(users["unit"])
    assert client.get("/api/v1/deputies/contacts").status_code == 404


def test_anonymous_calls_are_refused_and_paths_are_documented(client, db):
    assert client.get("/api/v1/deputies").status_code == 401
    assert client.get("/api/v1/deputies/mandates").status_code == 401
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/deputies",
        "/api/v1/deputies/mandates",
        "/api/v1/deputies/contacts",
        "/api/v1/deputies/imports",
        "/api/v1/deputies/imports/{import_id}",
        "/api/v1/deputies/imports/{import_id}/confirm",
    ):
        assert path in paths, path


def _contact(kind: str, deputy_id: int, **extra) -> dict:
    return {"kind": kind, "deputy_id": deputy_id, "method": "visit", "occurred_on": "2025-03-01",
            "topics": "听取意见", **extra}  # fmt: skip


def test_a_leader_cannot_log_duty_records_for_any_deputy(seated, users, client):
    from renda.duty_records.models import DutyRecord

    wang, li = seated["wang_county"].deputy, seated["li_county"].deputy
    client.force_login(users["leader"])
    for deputy in (wang, li):
        refused = client.post(
            "/api/v1/deputies/contacts", _contact("constituent", deputy.pk), content_type="application/json"
        )
        assert refused.status_code == 400 and refused.json()["detail"] == {"field": "deputy"}
    # Nor a 双联系 contact with a deputy assigned to another member.
    contact_assignment_add(member=users["leader"], deputy=wang, starts_on=datetime.date(2022, 1, 1))
    assert (
        client.post(
            "/api/v1/deputies/contacts", _contact("committee", li.pk), content_type="application/json"
        ).status_code
        == 400
    )
    assert DutyRecord.objects.count() == 0
    # Staff in jurisdiction still log a deputy's constituent contacts; outside it, not found.
    client.force_login(users["township_staff"])
    made = client.post(
        "/api/v1/deputies/contacts", _contact("constituent", wang.pk), content_type="application/json"
    )
    assert made.status_code == 201 and DutyRecord.objects.filter(deputy=wang).count() == 1
    assert (
        client.post(
            "/api/v1/deputies/contacts", _contact("constituent", li.pk), content_type="application/json"
        ).status_code
        == 404
    )
    # County staff, who arrange 双联系, may log one for the assigned member.
    client.force_login(users["county_staff"])
    committee = client.post(
        "/api/v1/deputies/contacts",
        _contact("committee", wang.pk, member_id=users["leader"].pk),
        content_type="application/json",
    )
    assert committee.status_code == 201 and committee.json()["member"] == "leader"
    assert DutyRecord.objects.filter(deputy=li).count() == 0


def test_a_deputy_filters_contacts_by_their_own_id(seated, users, client):
    from renda.audit.models import AuditEntry

    wang, li = seated["wang_county"].deputy, seated["li_county"].deputy
    client.force_login(users["deputy"])
    client.post(
        "/api/v1/deputies/contacts", _contact("constituent", wang.pk), content_type="application/json"
    )
    own = client.get("/api/v1/deputies/contacts", {"deputy": wang.pk})
    assert own.status_code == 200 and own.json()["count"] == 1
    assert not AuditEntry.objects.filter(action="access.denied", actor_username="deputy").exists()
    assert client.get("/api/v1/deputies/contacts", {"deputy": li.pk}).status_code == 404
    client.force_login(users["jiuyi_staff"])
    assert client.get("/api/v1/deputies/contacts", {"deputy": wang.pk}).status_code == 404
    assert client.get("/api/v1/deputies/contacts", {"deputy": li.pk}).json()["count"] == 0
