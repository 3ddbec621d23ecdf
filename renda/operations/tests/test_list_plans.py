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


def test_duty_record_list_reads_its_order_from_an_index(users, deputies):
    plan = _plan(duty_record_list(user=users["county_staff"])[:30])
    assert "duty_date_id" in plan and "Sort Key" not in plan, plan


def test_a_deputys_duty_records_use_the_deputy_date_index(users, deputies):
    plan = _plan(duty_record_list(user=users["county_staff"], deputy=deputies["wang"], year=2025)[:30])
    assert ("duty_deputy_date_id" in plan or "duty_date_id" in plan) and "Sort Key" not in plan, plan


def test_audit_log_reads_its_order_from_an_index(users):
    plan = _plan(audit_list(user=users["auditor"], filters={})[:50])
    assert "audit_time_id" in plan and "Sort Key" not in plan, plan


def test_roster_order_and_name_search_use_indexes(users, deputies):
    plan = _plan(deputy_list(user=users["county_staff"])[:30])
    assert "deputy_stroke_order" in plan and "Sort Key" not in plan, plan
    # The search's own filter over every deputy (a province-wide search; the county's rows are found
    # through the region index, as above).
    from renda.deputies.models import Deputy

    plan = _plan(Deputy.objects.filter(name__contains="王芳").order_by(), sort=True)
    assert "deputy_name_trgm" in plan, plan
