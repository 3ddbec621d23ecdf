"""Training in the API: scoping as on the pages, the deputy's own hours."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from renda.training import services

from .conftest import marks_for

pytestmark = pytest.mark.django_db
HOURS = {"王芳": ["6", "6", "6", "3", "6"], "李明": ["6", "", "6", "6", "6"], "county_staff": ["6"] * 5}


@time_machine.travel(datetime.datetime(2024, 6, 25, 9, 0, tzinfo=datetime.UTC))
def test_sessions_and_my_hours(users, fudan, client):
    services.attendance_record(session=fudan, marks=marks_for(fudan, HOURS))
    services.training_session_close(session=fudan)
    client.force_login(users["county_staff"])
    listing = client.get("/api/v1/training/sessions").json()
    assert listing["count"] == 1 and listing["items"][0]["form_label"] == "异地培训"
    detail = client.get(f"/api/v1/training/sessions/{fudan.pk}").json()
    assert {a["name"]: Decimal(a["total_hours"]) for a in detail["attendees"]} == {
        "王芳": 27,
        "李明": 24,
        "county_staff": 30,
    }
    assert len(detail["days"]) == 5

    client.force_login(users["deputy"])
    detail = client.get(f"/api/v1/training/sessions/{fudan.pk}").json()
    assert [a["name"] for a in detail["attendees"]] == ["王芳"]
    mine = client.get("/api/v1/training/hours/mine").json()
    assert Decimal(mine["hours_this_year"]) == 27 and mine["year"] == 2024
    assert mine["sessions"][0]["certificate_url"].endswith(".pdf")
    assert client.get("/api/v1/training/plans").status_code == 404

    client.force_login(users["unit"])
    assert client.get("/api/v1/training/sessions").status_code == 404
    assert client.get(f"/api/v1/training/sessions/{fudan.pk}").status_code == 404
    assert client.get("/api/v1/training/hours/mine").status_code == 404


def test_plans_in_api(users, plan, client):
    client.force_login(users["county_staff"])
    assert client.get("/api/v1/training/plans").json()["count"] == 1
    detail = client.get(f"/api/v1/training/plans/{plan.pk}").json()
    assert {i["topic"] for i in detail["items"]} == {
        "复旦大学代表履职能力提升专题培训",
        "基层立法联络工作能力培训",
    }
    assert not any(i["held"] for i in detail["items"])
    client.force_login(users["jiuyi_staff"])
    assert client.get(f"/api/v1/training/plans/{plan.pk}").status_code == 404
