"""Opinions in the API: list shape, filters, the detail with its events, masking, anonymous refusal."""

from renda.opinions import services
from renda.opinions.models import Opinion


def test_list_and_detail(make_opinion, users, client):
    received = make_opinion(constituent_phone="13812345678", title="甲")
    closed = services.opinion_transition(
        opinion=make_opinion(title="乙"),
        to_state=Opinion.State.CLOSED,
        actor=users["station_keeper"],
        note="重复反映",
    )
    client.force_login(users["township_staff"])
    data = client.get("/api/v1/opinions", {"limit": 1}).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    items = client.get("/api/v1/opinions", {"state": "received"}).json()["items"]
    assert [i["id"] for i in items] == [received.pk]
    assert (
        items[0]["constituent_phone"] == "138****5678"
        and items[0]["station_name"] == "黄泥塘镇人大代表联络站"
    )
    assert items[0]["region_code"] == "520521105" and items[0]["state_label"] == "已受理"
    detail = client.get(f"/api/v1/opinions/{closed.pk}").json()
    assert detail["state"] == "closed" and "tracking_code" not in detail
    assert [(e["from_state"], e["to_state"], e["note"]) for e in detail["events"]] == [
        ("received", "closed", "重复反映")
    ]
    assert detail["events"][0]["actor"].startswith("station_keeper")


def test_the_tracking_code_is_not_in_the_api(make_opinion, users, client):
    opinion = make_opinion()
    client.force_login(users["county_staff"])
    assert opinion.tracking_code not in client.get(f"/api/v1/opinions/{opinion.pk}").content.decode()


def test_anonymous_api_is_401(make_opinion, client):
    make_opinion()
    assert client.get("/api/v1/opinions").status_code == 401


# --- issue 11: what the pages let a department and a resident do, for a phone client ---


def _referred(make_opinion, users, unit_org):
    return services.opinion_transition(
        opinion=make_opinion(title="路灯不亮"),
        to_state=Opinion.State.REFERRED,
        actor=users["township_staff"],
        department=unit_org,
        note="请核实",
    )


def test_the_department_answers_a_referred_opinion_through_the_api(make_opinion, users, unit_org, client):
    opinion = _referred(make_opinion, users, unit_org)
    url = f"/api/v1/opinions/{opinion.pk}/department"
    body = {"decision": "reply", "text": "已安排维修。"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    client.force_login(users["county_staff"])  # not the department it was referred to
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(users["unit"])
    missing = client.post(url, {"decision": "reply", "text": " "}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["detail"]["field"] == "text"
    wrong = client.post(url, {"decision": "maybe", "text": "x"}, content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "decision"
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["reply"] == "已安排维修。"
    opinion.refresh_from_db()
    assert opinion.reply == "已安排维修。" and opinion.department_replied_at is not None


def test_the_department_hands_an_opinion_back_with_its_reason(make_opinion, users, unit_org, client):
    opinion = _referred(make_opinion, users, unit_org)
    client.force_login(users["unit"])
    url = f"/api/v1/opinions/{opinion.pk}/department"
    done = client.post(url, {"decision": "return", "text": "不属本局职责"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "received"
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.RECEIVED and opinion.department is None


def test_the_resident_rates_the_answer_by_tracking_code(make_opinion, users, client):
    opinion = make_opinion(Opinion.State.ANSWERED, reply="已修好。")
    url = "/api/v1/opinions/track/rate"
    unknown = client.post(
        url, {"code": "ZZZZZZZZ", "satisfaction": "dissatisfied"}, content_type="application/json"
    )
    assert unknown.status_code == 404
    long_note = {"code": opinion.tracking_code, "satisfaction": "dissatisfied", "note": "长" * 201}
    refused = client.post(url, long_note, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "note"
    body = {"code": opinion.tracking_code, "satisfaction": "dissatisfied", "note": "路灯还是不亮"}
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "received"
    opinion.refresh_from_db()
    assert opinion.satisfaction == "dissatisfied"
    assert opinion.events.filter(note__contains="路灯还是不亮").exists()
