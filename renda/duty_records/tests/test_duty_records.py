"""The spine: one fact per thing a deputy did, recorded once, reviewed when self-declared."""

import datetime

import pytest

from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.duty_records.selectors import duty_record_list
from renda.duty_records.services import duty_record_add, duty_record_review

DAY = datetime.date(2026, 3, 1)


def test_system_records_stand_and_declared_ones_wait(deputies):
    system = duty_record_add(
        deputy=deputies["wang"], kind="inspection", title="视察农村公路", occurred_on=DAY
    )
    declared = duty_record_add(
        deputy=deputies["wang"],
        kind="contact",
        title="走访",
        occurred_on=DAY,
        origin=DutyRecord.Origin.DECLARED,
    )
    assert system.review_state == "approved" and declared.review_state == "pending"


def test_the_same_source_counts_once(deputies, users):
    source = users["county_staff"]  # any row serves as a source here
    duty_record_add(deputy=deputies["wang"], kind="meeting", title="会议", occurred_on=DAY, source=source)
    with pytest.raises(DomainError, match="已记入"):
        duty_record_add(deputy=deputies["wang"], kind="meeting", title="会议", occurred_on=DAY, source=source)
    assert DutyRecord.objects.count() == 1
    # Another deputy at the same meeting is a separate fact.
    duty_record_add(deputy=deputies["li"], kind="meeting", title="会议", occurred_on=DAY, source=source)


def test_future_dates_and_zero_quantities_are_refused(deputies):
    with pytest.raises(DomainError) as info:
        duty_record_add(
            deputy=deputies["wang"], kind="meeting", title="x", occurred_on=datetime.date(2099, 1, 1)
        )
    assert info.value.field == "occurred_on"
    with pytest.raises(DomainError) as info:
        duty_record_add(deputy=deputies["wang"], kind="meeting", title="x", occurred_on=DAY, quantity=0)
    assert info.value.field == "quantity"


def test_review_once_and_rejection_needs_a_reason(deputies, users):
    record = duty_record_add(
        deputy=deputies["wang"],
        kind="contact",
        title="走访",
        occurred_on=DAY,
        origin=DutyRecord.Origin.DECLARED,
    )
    with pytest.raises(DomainError, match="审核意见"):
        duty_record_review(record=record, approve=False, actor=users["township_staff"])
    duty_record_review(record=record, approve=True, actor=users["township_staff"])
    with pytest.raises(InvalidTransition):
        duty_record_review(record=record, approve=False, note="重复", actor=users["township_staff"])
    record.refresh_from_db()
    assert record.review_state == "approved" and record.reviewed_by == users["township_staff"]


def test_scoping_of_records(deputies, users):
    duty_record_add(deputy=deputies["wang"], kind="meeting", title="a", occurred_on=DAY)
    duty_record_add(deputy=deputies["li"], kind="meeting", title="b", occurred_on=DAY)
    assert [r.title for r in duty_record_list(user=users["township_staff"])] == ["a"]
    assert [r.title for r in duty_record_list(user=users["deputy"])] == ["a"]
    assert len(duty_record_list(user=users["county_staff"])) == 2
    assert not duty_record_list(user=users["unit"]).exists()
    assert len(duty_record_list(user=users["county_staff"], year=2026)) == 2
    assert not duty_record_list(user=users["county_staff"], year=2025).exists()


def test_review_through_the_page_and_other_township_is_404(deputies, users, client):
    record = duty_record_add(
        deputy=deputies["wang"],
        kind="contact",
        title="走访",
        occurred_on=DAY,
        origin=DutyRecord.Origin.DECLARED,
    )
    client.force_login(users["jiuyi_staff"])
    assert client.post(f"/duty-records/{record.pk}/review/", {"decision": "approve"}).status_code == 404
    client.force_login(users["township_staff"])
    response = client.post(
        f"/duty-records/{record.pk}/review/", {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/duty-records/"
    record.refresh_from_db()
    assert record.review_state == "approved"


def test_record_list_query_count(deputies, users, client, django_assert_max_num_queries):
    for i in range(30):
        duty_record_add(
            deputy=deputies["wang" if i % 2 else "li"], kind="meeting", title=f"会议{i}", occurred_on=DAY
        )
    client.force_login(users["county_staff"])
    client.get("/duty-records/")
    with django_assert_max_num_queries(8):
        assert client.get("/duty-records/").status_code == 200


@pytest.mark.parametrize("viewer", ["deputy", "county_staff", "township_staff"])
def test_names_link_only_to_pages_the_viewer_may_open(deputies, users, client, viewer):
    """A deputy saw her name linked to /deputies/<id>/, which answers her 404: every deputy link on the
    list must open for the one who sees it."""
    import re

    for key in ("wang", "li"):
        duty_record_add(deputy=deputies[key], kind="meeting", title="会议", occurred_on=DAY)
    client.force_login(users[viewer])
    page = client.get("/duty-records/")
    if page.status_code != 200:
        return  # the viewer has no list at all
    links = set(re.findall(r'href="(/deputies/\d+/)"', page.content.decode()))
    for link in links:
        assert client.get(link).status_code == 200, (viewer, link)
    if viewer == "county_staff":
        assert f"/deputies/{deputies['wang'].pk}/" in links
