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
