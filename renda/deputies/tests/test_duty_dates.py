"""Dates people type for what a deputy did (a contact, a 申报): not in the future, not before
1 January of RENDA_DUTY_BACKFILL_YEARS years ago, the same rule in the form and the API."""

import datetime

import pytest

from renda.deputies.models import Contact
from renda.duty_records.models import DutyRecord


def _too_early():
    return datetime.date(datetime.date.today().year - 2, 12, 31).isoformat()


@pytest.mark.parametrize("day", ["1990-01-01", "too-early"])
def test_contact_form_and_api_refuse_a_date_long_past_naming_the_field(seated, users, client, day):
    day = _too_early() if day == "too-early" else day
    client.force_login(users["deputy"])
    page = client.post(
        "/deputies/portal/contact/",
        {"method": "visit", "occurred_on": day, "topics": "走访", "people_count": "3"},
    )
    assert page.status_code == 400 and "联系时间不能早于" in page.content.decode()
    api = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "method": "visit", "occurred_on": day, "topics": "走访"},
        content_type="application/json",
    )
    assert api.status_code in (400, 422) and "联系时间不能早于" in api.json()["message"]
    assert not Contact.objects.exists() and not DutyRecord.objects.exists()


def test_declaration_form_and_api_refuse_a_date_long_past(seated, users, client):
    client.force_login(users["deputy"])
    page = client.post(
        "/deputies/portal/", {"kind": "survey", "title": "调研", "occurred_on": "1990-01-01", "note": ""}
    )
    assert page.status_code == 400 and "履职日期不能早于" in page.content.decode()
    api = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "survey", "title": "调研", "occurred_on": "1990-01-01"},
        content_type="application/json",
    )
    assert api.status_code in (400, 422) and "履职日期不能早于" in api.json()["message"]
    assert not DutyRecord.objects.exists()


def test_the_success_message_names_the_year_the_contact_counts_for(seated, users, client):
    client.force_login(users["deputy"])
    last_year = datetime.date(datetime.date.today().year - 1, 6, 1)
    response = client.post(
        "/deputies/portal/contact/",
        {"method": "visit", "occurred_on": last_year.isoformat(), "topics": "走访", "people_count": "3"},
        follow=True,
    )
    assert f"已计入{last_year.year}年度履职" in response.content.decode()
