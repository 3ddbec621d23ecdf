"""Keyset (cursor) pages of the duty-record list (issue 15 §4, renda/core/paging.py): deep pages go on
by `?after=` on the indexed (occurred_on, id) keys — every record once, none skipped, however many
share a date — in the page, the API and backwards by `?before=`."""

import datetime
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from renda.core.paging import BadCursor, keyset_page
from renda.deputies.models import Deputy
from renda.duty_records.models import DutyRecord
from renda.duty_records.selectors import duty_record_list
from renda.regions.keys import region_keys_follow

DAY = datetime.date(2025, 3, 1)
NEXT = r'rel="next" href="[^"]*after=([\w-]+)"'


def _records(deputy, offsets) -> None:
    DutyRecord.objects.bulk_create(
        DutyRecord(
            deputy=deputy, kind="contact", title=f"走访{i}", occurred_on=DAY + datetime.timedelta(days=d)
        )
        for i, d in enumerate(offsets)
    )
    # bulk_create skips save(): the records take their deputy's jurisdiction keys as a bulk writer's do.
    region_keys_follow(Deputy, [deputy.pk])


def _forward(qs, size):
    seen, after, pages = [], "", 0
    while True:
        page = keyset_page(qs, size=size, after=after)
        seen += [r.pk for r in page.object_list]
        pages += 1
        if not page.has_next():
            return seen, pages
        after = page.next_cursor


@given(
    offsets=st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=40),
    size=st.integers(min_value=1, max_value=7),
)
@hsettings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_cursor_pages_cover_the_list_once_over_ties_in_the_date(users, deputies, offsets, size):
    with transaction.atomic():
        _records(deputies["wang"], offsets)
        qs = duty_record_list(user=users["county_staff"])
        expected = list(qs.values_list("pk", flat=True))
        seen, pages = _forward(qs, size)
        assert seen == expected
        assert pages == max(1, -(-len(expected) // size))
        # and back again from the last page, by `before`
        if expected:
            last = keyset_page(qs, size=size, after="")
            while last.has_next():
                last = keyset_page(qs, size=size, after=last.next_cursor)
            back, page = [r.pk for r in last.object_list], last
            while page.has_previous():
                page = keyset_page(qs, size=size, before=page.previous_cursor)
                back = [r.pk for r in page.object_list] + back
            assert back == expected
        transaction.set_rollback(True)


def test_a_bad_cursor_is_refused(users, deputies):
    qs = duty_record_list(user=users["county_staff"])
    for bad in ("x", "bm90IGpzb24", "WzFd", "WyIyMDI1LTAxLTAxIiwiYSJd"):  # junk, not JSON, [1], ["…","a"]
        with pytest.raises(BadCursor):
            keyset_page(qs, size=5, after=bad)


def test_the_page_goes_on_by_cursor_beyond_the_numbered_pages(
    users, deputies, client, settings, django_assert_max_num_queries
):
    settings.RENDA_KEYSET_FROM_PAGE = 2
    _records(deputies["wang"], [0] * 50 + [1] * 45)  # 95 records, 30 a page, mostly one date
    client.force_login(users["county_staff"])
    expected = list(duty_record_list(user=users["county_staff"]).values_list("title", flat=True))
    first = client.get("/duty-records/").content.decode()
    assert 'page=2"' in first and 'page=4"' not in first  # numbers only up to the threshold
    second = client.get("/duty-records/", {"page": 2}).content.decode()
    after = re.search(NEXT, second).group(1)
    shown = []
    for _page in range(10):  # bounded: a cursor that did not move would loop
        if not after:
            break
        with django_assert_max_num_queries(12):
            page = client.get("/duty-records/", {"after": after})
        html = page.content.decode()
        shown += re.findall(r"走访\d+", html)
        found = re.search(NEXT, html)
        assert not found or found.group(1) != after, html
        after = found.group(1) if found else ""
        assert "上一页" in html and "第一页" in html
    assert shown == expected[60:]
    # An edited cursor starts again at the first page instead of failing.
    assert client.get("/duty-records/", {"after": "garbage!"}).status_code == 200


def test_the_api_answers_a_cursor(users, deputies, client):
    _records(deputies["wang"], [0] * 7)
    client.force_login(users["county_staff"])
    expected = [r.pk for r in duty_record_list(user=users["county_staff"])]
    first = client.get("/api/v1/duty-records", {"page_size": 3}).json()
    seen, body = [i["id"] for i in first["items"]], first
    while body["next"]:
        body = client.get("/api/v1/duty-records", {"page_size": 3, "after": body["next"]}).json()
        assert body["count"] is None
        seen += [i["id"] for i in body["items"]]
    assert seen == expected
    refused = client.get("/api/v1/duty-records", {"after": "garbage"})
    assert refused.status_code == 422 and "after" in str(refused.json()["detail"])
