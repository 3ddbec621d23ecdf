"""Every main list has an index that serves its filter and its order (issue 15 §4), checked with
EXPLAIN on PostgreSQL. Sequential scans and sorts are switched off for the check (they are only made
dear, not impossible), so that the plan shows which index the planner can use whatever the tables'
size in the test; without a fitting index the plan keeps its Sort (or scans the whole table) and the
test fails. SQLite: skipped."""

import pytest
from django.db import connection, transaction

from renda.audit.selectors import audit_list
from renda.deputies.selectors import deputy_list
from renda.duty_records.selectors import duty_record_list

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")


def _plan(queryset, *, sort: bool = False) -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            if not sort:
                cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


def _province_user(deputies):
    from renda.accounts.models import User
    from renda.accounts.services import user_create
    from renda.core.access import Role

    found = User.objects.filter(username="province_plan").first()
    return found or user_create(
        username="province_plan",
        password="Renda#2024x",
        role=Role.PROVINCE_STAFF,
        region=deputies["wang"].region.parent.parent.parent,
    )


def _no_seq_scan_of(table: str, plan: str) -> None:
    assert f"Seq Scan on {table}" not in plan, plan


def test_duty_record_list_reads_its_order_from_an_index(users, deputies, settings):
    # A county's and a township's records: one range of the keyed index (the records' own keys,
    # renda/regions/keys.py KeysFrom), filtered and ordered there, no join to the deputies to filter.
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    plan = _plan(duty_record_list(user=users["county_staff"])[:30])
    assert "duty_county_date_id" in plan and "Sort Key" not in plan, plan
    assert "Index Cond: ((county_code)" in plan, plan
    _no_seq_scan_of("duty_records_dutyrecord", plan)
    plan = _plan(duty_record_list(user=users["township_staff"])[:30])
    assert "duty_township_date_id" in plan and "Sort Key" not in plan, plan
    # The province's list: the order's own index.
    plan = _plan(duty_record_list(user=_province_user(deputies))[:30])
    assert "duty_date_id" in plan and "Sort Key" not in plan, plan


def test_opinion_and_suggestion_lists_of_a_county_use_the_keyed_indexes(users, deputies, settings):
    from renda.opinions.selectors import opinion_list
    from renda.suggestions.selectors import suggestion_list

    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    plan = _plan(opinion_list(user=users["county_staff"])[:30])
    assert "opinion_county_received" in plan and "Sort Key" not in plan, plan
    assert "Index Cond: ((county_code)" in plan, plan
    _no_seq_scan_of("opinions_opinion", plan)
    plan = _plan(opinion_list(user=users["township_staff"])[:30])
    assert "opinion_township_received" in plan and "Sort Key" not in plan, plan
    plan = _plan(suggestion_list(user=users["county_staff"])[:30])
    assert "sugg_county_submitted" in plan and "Sort Key" not in plan, plan
    _no_seq_scan_of("suggestions_suggestion", plan)


def test_a_deputys_duty_records_use_the_deputy_date_index(users, deputies):
    plan = _plan(duty_record_list(user=users["county_staff"], deputy=deputies["wang"], year=2025)[:30])
    assert ("duty_deputy_date_id" in plan or "duty_county_date_id" in plan) and "Sort Key" not in plan, plan


def test_audit_log_reads_its_order_from_an_index(users):
    plan = _plan(audit_list(user=users["auditor"], filters={})[:50])
    assert "audit_time_id" in plan and "Sort Key" not in plan, plan


def test_roster_order_and_name_search_use_indexes(users, deputies, settings):
    # A county's roster: the county key (renda/regions/keys.py) filters and orders in one index.
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    plan = _plan(deputy_list(user=users["county_staff"])[:30])
    assert "deputy_county_stroke" in plan and "Sort Key" not in plan, plan
    assert "Index Cond: ((county_code)" in plan, plan
    plan = _plan(deputy_list(user=users["township_staff"])[:30])
    assert "deputy_township_stroke" in plan and "Sort Key" not in plan, plan
    # Province-wide (no key): the stroke order's own index.
    from renda.accounts.services import user_create
    from renda.core.access import Role

    province = user_create(
        username="province_plan",
        password="Renda#2024x",
        role=Role.PROVINCE_STAFF,
        region=deputies["wang"].region.parent.parent.parent,
    )
    plan = _plan(deputy_list(user=province)[:30])
    assert "deputy_stroke_order" in plan and "Sort Key" not in plan, plan
    # The search's own filter over every deputy (a province-wide search; the county's rows are found
    # through the region index, as above).
    from renda.deputies.models import Deputy

    plan = _plan(Deputy.objects.filter(name__contains="王芳").order_by(), sort=True)
    assert "deputy_name_trgm" in plan, plan


def test_county_filters_on_constituencies_and_mandates_use_the_keys(users, deputies, settings):
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    from renda.core.access import scope_queryset
    from renda.deputies.models import Constituency

    plan = _plan(scope_queryset(Constituency.objects.all(), users["county_staff"]), sort=True)
    assert "constituency_county" in plan, plan


def test_a_deep_duty_record_page_starts_its_index_scan_at_the_cursor(users, deputies):
    """Keyset paging (renda/core/paging.py): the page after a cursor is an index range that begins at
    the cursor's date (Index Cond), not a scan from the newest record that throws rows away."""
    import datetime

    from renda.core import paging

    qs = duty_record_list(user=users["county_staff"])
    keys = paging.ordering_keys(qs)
    deep = qs.filter(paging._beyond(keys, [datetime.date(2025, 3, 1), 12345], backwards=False))
    plan = _plan(deep[:30])
    assert "duty_county_date_id" in plan and "Sort Key" not in plan, plan
    assert "AND (occurred_on <=" in plan, plan


def test_activity_list_reads_its_order_from_an_index(users, deputies, settings):
    """The activities list: counts per listed row (subqueries), the keyed index for a county, the
    order's own index for the province; no join of every invitation before the first page."""
    from renda.activities.selectors import activity_list

    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    plan = _plan(activity_list(user=users["county_staff"])[:30])
    assert "activity_county_start" in plan and "Sort Key" not in plan, plan
    _no_seq_scan_of("activities_activity", plan)
    assert "HashAggregate" not in plan and "GroupAggregate" not in plan.split("SubPlan")[0], plan
    plan = _plan(activity_list(user=_province_user(deputies))[:30])
    assert "activity_start" in plan and "Sort Key" not in plan, plan
