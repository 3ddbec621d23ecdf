"""The points API: schemes and their document, standings, ledger and own points scoped like the
pages; staff add a record for a deputy in their jurisdiction; a deputy declares, staff approve,
reject or approve with adjusted points."""

import datetime

from renda.points.models import LedgerEntry, Standing
from renda.points.services import scheme_import, scheme_publish

from .conftest import SHAPE_A, SHAPE_B, YEAR

JSON = "application/json"


def test_read_schemes_standings_and_ledger_by_role(congress, members, users, login):
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_B))
    staff = login(users["county_staff"])
    listing = staff.get("/api/v1/points/schemes").json()
    assert listing["count"] == 1 and listing["items"][0]["rhythm"] == "quarter"
    document = staff.get(f"/api/v1/points/schemes/{scheme.pk}/document").json()
    assert document["format"] == "renda.points.scheme/1" and document["categories"][0]["base"] == "60"
    rows = staff.get(f"/api/v1/points/schemes/{scheme.pk}/standings?period=year&index=1").json()
    assert rows["count"] == 2 and {r["total"] for r in rows["items"]} == {"60.00"}
    assert {r["rank"] for r in rows["items"]} == {1}  # a tie
    township = (
        login(users["jiuyi_staff"]).get(f"/api/v1/points/schemes/{scheme.pk}/standings?period=year").json()
    )
    assert [r["deputy_id"] for r in township["items"]] == [members["li"].pk]
    assert (
        login(users["jiuyi_staff"])
        .get(f"/api/v1/points/schemes/{scheme.pk}/ledger/{members['wang'].pk}")
        .status_code
        == 404
    )
    staff = login(users["county_staff"])  # one test client: log the staff member back in
    ledger = staff.get(f"/api/v1/points/schemes/{scheme.pk}/ledger/{members['wang'].pk}").json()
    assert [e["kind"] for e in ledger["items"]] == ["base"]
    deputy = login(users["deputy"])
    assert deputy.get("/api/v1/points/schemes").status_code == 404
    assert deputy.get(f"/api/v1/points/schemes/{scheme.pk}/ledger/{members['wang'].pk}").json()["count"] == 1
    assert deputy.get(f"/api/v1/points/schemes/{scheme.pk}/ledger/{members['li'].pk}").status_code == 404
    mine = deputy.get(f"/api/v1/points/mine?year={YEAR}").json()
    assert mine[0]["periods"][-1]["label"] == "全年" and mine[0]["periods"][-1]["total"] == "60.00"


def test_import_refuses_a_bad_document_naming_the_entry(congress, users, login):
    staff = login(users["county_staff"])
    bad = {**SHAPE_A, "rules": [{**SHAPE_A["rules"][0], "category": "nope"}]}
    response = staff.post(
        "/api/v1/points/schemes/import", {"congress_id": congress.pk, "document": bad}, content_type=JSON
    )
    assert response.status_code == 400 and "rules[0].category" in response.json()["message"]
    ok = staff.post(
        "/api/v1/points/schemes/import", {"congress_id": congress.pk, "document": SHAPE_A}, content_type=JSON
    )
    assert ok.status_code == 201 and ok.json()["state"] == "draft"
    assert (
        login(users["township_staff"])
        .post(
            "/api/v1/points/schemes/import",
            {"congress_id": congress.pk, "document": SHAPE_A},
            content_type=JSON,
        )
        .status_code
        == 404
    )


def test_add_declare_review_and_adjust(congress, members, users, login):
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_A))
    staff = login(users["township_staff"])
    day = datetime.date(YEAR, 6, 1).isoformat()
    added = staff.post(
        "/api/v1/points/records",
        {"deputy_id": members["wang"].pk, "kind": "inspection", "title": "视察农村公路", "occurred_on": day},
        content_type=JSON,
    )
    assert added.status_code == 201 and added.json()["review_state"] == "approved"
    # Not in this township's jurisdiction: not found.
    assert (
        staff.post(
            "/api/v1/points/records",
            {"deputy_id": members["li"].pk, "kind": "inspection", "title": "视察", "occurred_on": day},
            content_type=JSON,
        ).status_code
        == 404
    )
    deputy = login(users["deputy"])
    declared = deputy.post(
        "/api/v1/duty-records/declare",
        {"kind": "survey", "title": "调研茶产业", "occurred_on": day},
        content_type=JSON,
    ).json()
    county = login(users["county_staff"])
    reviewed = county.post(
        f"/api/v1/points/records/{declared['id']}/review",
        {
            "decision": "adjust",
            "note": "调研报告质量高，加2分",
            "scheme_id": scheme.pk,
            "category": "all",
            "points": 2,
        },
        content_type=JSON,
    )
    assert reviewed.status_code == 200 and reviewed.json()["review_state"] == "approved"
    assert LedgerEntry.objects.filter(kind="adjustment", record_id=declared["id"]).count() == 1
    # inspection 3 + survey 3 + adjustment 2
    assert Standing.objects.get(scheme=scheme, deputy=members["wang"], period="year").total == 8
    again = county.post(
        f"/api/v1/points/records/{declared['id']}/review", {"decision": "approve"}, content_type=JSON
    )
    assert again.status_code in (400, 409)
