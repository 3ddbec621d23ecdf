"""Recomputing a year is set-based: the number of queries does not grow with the congress (10 or 40
deputies, each with records, cost the same), a recompute that changes nothing writes no standing,
and standings written by the fast path read back exactly as the arithmetic gives them."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.duty_records.services import duty_record_add
from renda.points import ledger
from renda.points.engine import Compiled
from renda.points.models import Scheme, Standing
from renda.points.services import scheme_import, scheme_new_version, scheme_publish

from .conftest import SHAPE_C, YEAR
from .test_ledger import _from_scratch, _standings

KINDS = ["inspection", "contact", "reception", "absence"]


def _congress_of(make_member, members, n):
    """n deputies (besides wang and li), each with a few counting records."""
    people = [make_member(f"代表{i:02d}", delegation=f"第{i % 3}代表团") for i in range(n)]
    for i, deputy in enumerate([*people, members["wang"], members["li"]]):
        for j in range(3):
            duty_record_add(
                deputy=deputy, kind=KINDS[(i + j) % len(KINDS)], title="履职",
                occurred_on=datetime.date(YEAR, 1 + (i + 5 * j) % 12, 10),
            )  # fmt: skip
    return people


def _recompute_queries(scheme) -> tuple[int, int]:
    """(queries of a recompute from scratch — a new version published —, queries of a recompute
    when nothing changed)."""
    with CaptureQueriesContext(connection) as scratch:
        fresh = scheme_publish(actor=None, scheme=scheme_new_version(actor=None, scheme=scheme))
    with CaptureQueriesContext(connection) as again:
        ledger.sync_scheme(scheme=fresh)
    return len(scratch), len(again)


def test_recompute_queries_do_not_grow_with_the_congress(congress, members, make_member):
    _congress_of(make_member, members, 8)
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_C))
    scheme = Scheme.objects.select_related("congress").get(pk=scheme.pk)
    ten = _recompute_queries(scheme)
    _congress_of(make_member, members, 30)
    current = Scheme.objects.select_related("congress").get(lineage=scheme.lineage, state="published")
    forty = _recompute_queries(current)
    assert Standing.objects.filter(scheme__state="published").count() == 40 * 19
    assert forty == ten
    assert ten[1] <= 15


def test_unchanged_recompute_writes_no_standing_and_matches_the_arithmetic(congress, members, make_member):
    _congress_of(make_member, members, 5)
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_C))
    assert _standings(scheme) == _from_scratch(scheme)
    stamps = dict(Standing.objects.filter(scheme=scheme).values_list("pk", "computed_at"))
    ledger.sync_scheme(scheme=scheme)
    assert dict(Standing.objects.filter(scheme=scheme).values_list("pk", "computed_at")) == stamps
    # One deputy's record changes: only that deputy's rows are rewritten, and still match.
    wang = members["wang"]
    duty_record_add(deputy=wang, kind="inspection", title="视察", occurred_on=datetime.date(YEAR, 6, 1))
    after = dict(Standing.objects.filter(scheme=scheme).values_list("pk", "computed_at"))
    changed = {pk for pk, at in after.items() if stamps.get(pk) != at}
    assert changed and set(Standing.objects.filter(pk__in=changed).values_list("deputy_id", flat=True)) == {
        wang.pk
    }
    assert _standings(scheme) == _from_scratch(scheme)
    # The township and delegation columns are filled as before.
    row = Standing.objects.get(scheme=scheme, deputy=wang, period="year")
    assert row.delegation == "黄泥塘代表团" and row.region_id is not None
    assert Compiled.load(scheme).scheme == scheme
