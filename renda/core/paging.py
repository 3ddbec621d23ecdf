"""Paging that stays cheap on big tables (issue 15 §4): counts that do not scan a million rows, an
elided page range, and one page-size rule for the API.

- `count_or_estimate(qs)`: the exact count up to settings.RENDA_COUNT_EXACT_UP_TO rows (counted
  over `LIMIT n+1`, so never more than n+1 rows are read); above it, on PostgreSQL, the planner's
  estimate for the same filtered query (EXPLAIN's "Plan Rows"), shown as "约 N 条". Other databases
  report the exact count.
- `Paginator`: Django's, with that count (`paginator.estimated` says which) — every list page uses
  it, and templates/components/_pagination.html renders `get_elided_page_range`.
- `list_page(request, qs, size=…)`: numbered pages up to RENDA_KEYSET_FROM_PAGE, then keyset
  (cursor) pages `?after=` / `?before=` ordered by the queryset's own indexed keys (below).
"""

import base64
import binascii
import contextlib
import json

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.db.models import Q
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


# --- keyset (cursor) pages: deep pages of very large lists (issue 15 §4) ---
#
# A numbered page N reads and throws away (N-1) × size rows (OFFSET). Beyond the first
# RENDA_KEYSET_FROM_PAGE pages a list goes on by cursor instead: `?after=<opaque>` names the last row
# shown by its ordering keys (e.g. occurred_on and id), and the next page is the rows after it — one
# index range scan, however deep. `?before=` goes back the same way. The keys are the queryset's own
# ordering, which must end with the primary key so that ties (many records on one date) are cut
# exactly: no row is shown twice or skipped.


class BadCursor(ValueError):
    """A cursor that does not decode for this list (edited, or from another list)."""


def ordering_keys(queryset) -> list[tuple[str, bool]]:
    """[(field name, descending)] of the queryset's ordering; refused unless every key is a column of
    the model itself and the last one is the primary key."""
    order = list(queryset.query.order_by or queryset.model._meta.ordering)
    keys = []
    opts = queryset.model._meta
    for item in order:
        if not isinstance(item, str) or "__" in item or "?" in item:
            raise ValueError(f"keyset paging needs plain column ordering, not {item!r}")
        descending = item.startswith("-")
        name = item.lstrip("-")
        try:
            field = opts.pk if name == "pk" else opts.get_field(name)
        except FieldDoesNotExist as exc:
            raise ValueError(f"keyset paging needs model columns, not {name!r}") from exc
        keys.append((field.attname if field.is_relation else field.name, descending))
    if not keys or keys[-1][0] not in (opts.pk.name, opts.pk.attname):
        raise ValueError("keyset paging needs an ordering that ends with the primary key")
    return keys


def _encode(values: list) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(queryset, keys, cursor: str) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys) or None in values:
            raise BadCursor(cursor)
        opts = queryset.model._meta
        return [
            opts.get_field(name).to_python(value) for (name, _desc), value in zip(keys, values, strict=True)
        ]
    except (ValueError, TypeError, ValidationError, binascii.Error) as exc:
        raise BadCursor(cursor) from exc


def cursor_for(obj, keys) -> str:
    return _encode([getattr(obj, name) for name, _desc in keys])


def _beyond(keys, values, *, backwards: bool) -> Q:
    """Rows after `values` in the ordering (before them when `backwards`). The first key also gets a
    plain bound (≥/≤) so that the index scan starts at the cursor instead of filtering from the top."""

    def op(descending: bool, strict: bool) -> str:
        later = "lt" if descending != backwards else "gt"
        return later if strict else later + "e"

    (first, first_desc), first_value = keys[0], values[0]
    condition = Q()
    for i in range(len(keys)):
        name, descending = keys[i]
        step = Q(**{f"{name}__{op(descending, True)}": values[i]})
        for j in range(i):
            step &= Q(**{keys[j][0]: values[j]})
        condition |= step
    return Q(**{f"{first}__{op(first_desc, False)}": first_value}) & condition


class KeysetPage:
    """One page read by cursor; the template shows 上一页/下一页 and a way back to the first page."""

    keyset = True

    def __init__(self, rows, *, keys, has_next: bool, has_previous: bool):
        self.object_list = rows
        self.has_next_page = has_next
        self.has_previous_page = has_previous
        self.next_cursor = cursor_for(rows[-1], keys) if rows and has_next else ""
        self.previous_cursor = cursor_for(rows[0], keys) if rows and has_previous else ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.has_previous_page


def keyset_page(queryset, *, size: int, after: str = "", before: str = "") -> KeysetPage:
    """The `size` rows after the cursor `after` (or before `before`) in the queryset's ordering.
    One query. A bad cursor raises BadCursor (views start again at the first page)."""
    keys = ordering_keys(queryset)
    if before:
        values = _decode(queryset, keys, before)
        reverse = [("-" if not desc else "") + name for name, desc in keys]
        rows = list(queryset.filter(_beyond(keys, values, backwards=True)).order_by(*reverse)[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, keys=keys, has_next=True, has_previous=more)
    qs = queryset
    if after:
        qs = queryset.filter(_beyond(keys, _decode(queryset, keys, after), backwards=False))
    rows = list(qs[: size + 1])
    return KeysetPage(rows[:size], keys=keys, has_next=len(rows) > size, has_previous=bool(after))


def list_page(request, queryset, *, size: int):
    """A list page for a view: numbered pages (elided range, estimated count) up to
    RENDA_KEYSET_FROM_PAGE; from there, and whenever the address carries `after`/`before`, pages by
    cursor. A numbered page at the threshold gets `next_cursor`, so its 下一页 goes on by cursor."""
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    if after or before:
        # An edited or stale cursor falls through to the first page, as a bad page number does.
        with contextlib.suppress(BadCursor):
            return keyset_page(queryset, size=size, after=after[:400], before=before[:400])
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    threshold = settings.RENDA_KEYSET_FROM_PAGE
    page.keyset_from = threshold
    if page.has_next() and page.number >= threshold and page.object_list:
        keys = ordering_keys(queryset)
        last = list(page.object_list)[-1]
        if all(getattr(last, name) is not None for name, _desc in keys):
            page.next_cursor = cursor_for(last, keys)
    return page


def list_query(request) -> str:
    """The list's filters as a query string, without its place (page, after, before): what pager
    links append their own place to."""
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return query.urlencode()
