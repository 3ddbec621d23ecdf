"""Paging that stays cheap on big tables (issue 15 §4): counts that do not scan a million rows, an
elided page range, and one page-size rule for the API.

- `count_or_estimate(qs)`: the exact count up to settings.RENDA_COUNT_EXACT_UP_TO rows (counted
  over `LIMIT n+1`, so never more than n+1 rows are read); above it, on PostgreSQL, the planner's
  estimate for the same filtered query (EXPLAIN's "Plan Rows"), shown as "约 N 条". Other databases
  report the exact count.
- `Paginator`: Django's, with that count (`paginator.estimated` says which) — every list page uses
  it, and templates/components/_pagination.html renders `get_elided_page_range`.
"""

import json

from django.conf import settings
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.utils.functional import cached_property


def _estimate(queryset) -> int | None:
    """PostgreSQL's row estimate for the filtered query (no ordering), or None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def count_or_estimate(queryset, *, exact_up_to: int | None = None) -> tuple[int, bool]:
    """(count, estimated). Exact when at most `exact_up_to` (default RENDA_COUNT_EXACT_UP_TO) rows
    match; above it the planner's estimate on PostgreSQL, never less than `exact_up_to` + 1.
    Lists (not querysets) are counted with len()."""
    if not hasattr(queryset, "query"):
        return len(queryset), False
    limit = settings.RENDA_COUNT_EXACT_UP_TO if exact_up_to is None else exact_up_to
    bounded = queryset.order_by()[: limit + 1].count()
    if bounded <= limit:
        return bounded, False
    estimate = _estimate(queryset)
    if estimate is None:
        return queryset.count(), False
    return max(estimate, limit + 1), True


class Paginator(DjangoPaginator):
    """Django's Paginator whose count is `count_or_estimate` (see `estimated`)."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return count_or_estimate(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def estimated(self) -> bool:
        return self._counted[1]

    def elided(self, number: int):
        """Page numbers around `number`, the first and the last, with Paginator.ELLIPSIS between."""
        return self.get_elided_page_range(number, on_each_side=2, on_ends=1)
