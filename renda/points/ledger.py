"""The ledger's writes: reconcile what the published scheme says a record (or a year) is worth with
the open lines already written, appending awards and reversals only for the difference, then refresh
the precomputed standings. Used both incrementally (a duty record changed) and to recompute a year:
both run the same reconciliation, so both give the same ledger, and running either twice writes
nothing the second time (idempotent).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from renda.deputies.models import Mandate
from renda.duty_records.models import DutyRecord

from . import writes
from .engine import Compiled, Line, base_lines, record_lines, standings_for
from .models import LedgerEntry, Scheme, Standing

LINE_FIELDS = ("kind", "category_id", "occurred_on", "points", "units", "rule_id", "record_id")


def mandate_spans(scheme: Scheme, deputy_ids=None) -> dict[int, list]:
    """{deputy_id: [(start, end)]} of mandates in the scheme's congress overlapping its range; a
    mandate that left service ends on its status date. One query."""
    qs = Mandate.objects.filter(congress_id=scheme.congress_id).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=scheme.ends_on)
    )
    if deputy_ids is not None:
        qs = qs.filter(deputy_id__in=list(deputy_ids))
    spans: dict[int, list] = defaultdict(list)
    for deputy_id, start, end, status, changed in qs.values_list(
        "deputy_id", "starts_on", "ends_on", "status", "status_changed_on"
    ):
        if status != Mandate.Status.SERVING and changed and (end is None or changed < end):
            end = changed
        if end is not None and end < scheme.starts_on:
            continue
        spans[deputy_id].append((start, end))
    return dict(spans)


def _counting_records(scheme: Scheme, deputy_ids=None, record_ids=None):
    """Standing, approved records in the scheme's range: (id, deputy_id, kind, occurred_on, quantity,
    unit, attributes)."""
    qs = DutyRecord.objects.standing().filter(
        review_state=DutyRecord.Review.APPROVED,
        occurred_on__gte=scheme.starts_on,
        occurred_on__lte=scheme.ends_on,
    )
    if deputy_ids is not None:
        qs = qs.filter(deputy_id__in=list(deputy_ids))
    if record_ids is not None:
        qs = qs.filter(pk__in=list(record_ids))
    return qs.order_by().values_list(
        "id", "deputy_id", "kind", "occurred_on", "quantity", "unit", "attributes"
    )


def expected_awards(compiled: Compiled, records, members) -> dict[tuple[int, int], dict]:
    """{(record_id, rule_id): line fields} the scheme gives these records (members only)."""
    out = {}
    for record_id, deputy_id, kind, occurred_on, quantity, unit, attributes in records:
        if deputy_id not in members:
            continue
        for rule, units, points in record_lines(
            compiled,
            record_id=record_id,
            kind=kind,
            occurred_on=occurred_on,
            quantity=quantity,
            unit=unit,
            attributes=attributes,
        ):
            out[(record_id, rule.pk)] = {
                "deputy_id": deputy_id,
                "rule_id": rule.pk,
                "category_id": rule.category_id,
                "record_id": record_id,
                "occurred_on": occurred_on,
                "units": units,
                "points": points,
            }
    return out


def expected_bases(compiled: Compiled, spans: dict[int, list]) -> dict[tuple[int, int], dict]:
    out = {}
    for deputy_id, deputy_spans in spans.items():
        for category, points, on in base_lines(compiled, deputy_spans):
            out[(deputy_id, category.pk)] = {
                "deputy_id": deputy_id,
                "category_id": category.pk,
                "occurred_on": on,
                "points": points,
                "units": Decimal("0"),
            }
    return out


def _same(entry, want: dict) -> bool:
    return (
        entry.points == want["points"]
        and entry.units == want["units"]
        and entry.occurred_on == want["occurred_on"]
        and entry.category_id == want["category_id"]
    )


# What reconciling needs of an open line (read as plain rows, not model instances).
OPEN_FIELDS = (
    "id",
    "kind",
    "deputy_id",
    "record_id",
    "rule_id",
    "category_id",
    "occurred_on",
    "units",
    "points",
)
ENTRY_COLUMNS = (
    "scheme_id", "deputy_id", "kind", "record_id", "rule_id", "category_id", "occurred_on", "units",
    "points", "reverses_id", "open", "reason", "key", "actor_id",
)  # fmt: skip


def _open_rows(**filters):
    return LedgerEntry.objects.filter(open=True, **filters).order_by().values_list(*OPEN_FIELDS, named=True)


def _reconcile(scheme: Scheme, kind: str, open_entries: dict, expected: dict, actor, reason: str) -> set[int]:
    """Append reversals for open lines the scheme no longer supports and new lines for what is
    missing; return the deputies touched. Set-based: one update and the inserts (writes.insert_rows)."""
    reversals, closing, new = [], [], []
    touched: set[int] = set()
    actor_id = actor.pk if actor is not None else None
    reason = reason[:200]
    for key, entry in open_entries.items():
        want = expected.get(key)
        if want is None or not _same(entry, want):
            closing.append(entry.id)
            touched.add(entry.deputy_id)
            reversals.append(
                (
                    scheme.pk, entry.deputy_id, LedgerEntry.Kind.REVERSAL.value, entry.record_id,
                    entry.rule_id, entry.category_id, entry.occurred_on, -entry.units, -entry.points,
                    entry.id, False, reason, "", actor_id,
                )
            )  # fmt: skip
    for key, want in expected.items():
        entry = open_entries.get(key)
        if entry is None or not _same(entry, want):
            touched.add(want["deputy_id"])
            new.append(
                (
                    scheme.pk, want["deputy_id"], kind, want.get("record_id"), want.get("rule_id"),
                    want["category_id"], want["occurred_on"], want["units"], want["points"], None, True,
                    "", "", actor_id,
                )
            )  # fmt: skip
    for start in range(0, len(closing), writes.BATCH):
        LedgerEntry.objects.filter(pk__in=closing[start : start + writes.BATCH]).update(open=False)
    writes.insert_rows(LedgerEntry, ENTRY_COLUMNS, reversals + new)
    return touched


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def sync_records(
    *, scheme: Scheme, compiled: Compiled | None = None, record_ids, actor=None, reason=""
) -> set[int]:
    """Bring the open award lines of these records in line with the scheme. Returns deputies touched."""
    compiled = compiled or Compiled.load(scheme)
    record_ids = list(record_ids)
    open_entries = {
        (e.record_id, e.rule_id): e
        for e in _open_rows(scheme=scheme, kind=LedgerEntry.Kind.AWARD, record_id__in=record_ids)
    }
    records = list(_counting_records(scheme, record_ids=record_ids))
    members = mandate_spans(scheme, {r[1] for r in records})
    expected = expected_awards(compiled, records, members)
    return _reconcile(scheme, LedgerEntry.Kind.AWARD, open_entries, expected, _actor(actor), reason)


def sync_scheme(*, scheme: Scheme, deputy_ids=None, actor=None, reason="", report=None) -> set[int]:
    """Recompute the scheme's year (all members, or these deputies): base and awards reconciled
    set-based, then standings. Deterministic and idempotent. `report(percent, message)` if given."""
    compiled = Compiled.load(scheme)
    spans = mandate_spans(scheme, deputy_ids)
    members = set(spans)
    entry_filter = {"scheme": scheme}
    if deputy_ids is not None:
        entry_filter["deputy_id__in"] = list(deputy_ids)
    open_awards, open_bases = {}, {}
    for e in _open_rows(kind__in=["award", "base"], **entry_filter):
        if e.kind == LedgerEntry.Kind.AWARD:
            open_awards[(e.record_id, e.rule_id)] = e
        else:
            open_bases[(e.deputy_id, e.category_id)] = e
    if report:
        report(10, "")
    records = list(_counting_records(scheme, deputy_ids=members))
    expected = expected_awards(compiled, records, members)
    if report:
        report(40, "")
    touched = _reconcile(scheme, LedgerEntry.Kind.AWARD, open_awards, expected, _actor(actor), reason)
    touched |= _reconcile(
        scheme, LedgerEntry.Kind.BASE, open_bases, expected_bases(compiled, spans), _actor(actor), reason
    )
    if report:
        report(60, "")
    # Deputies touched but not members have no spans (the same query decided both): rows removed.
    refresh_standings(scheme=scheme, compiled=compiled, deputy_ids=members | touched, spans=spans)
    if report:
        report(95, "")
    return touched


def open_lines(scheme: Scheme, deputy_ids) -> dict[int, list[Line]]:
    """{deputy_id: [Line]} of the open award, base and adjustment lines. One query."""
    out: dict[int, list[Line]] = defaultdict(list)
    rows = (
        LedgerEntry.objects.filter(scheme=scheme, open=True, deputy_id__in=list(deputy_ids))
        .exclude(kind=LedgerEntry.Kind.REVERSAL)
        .order_by()
        .values_list("deputy_id", *LINE_FIELDS)
    )
    for deputy_id, *fields in rows:
        out[deputy_id].append(Line(*fields))
    return out


STANDING_COLUMNS = (
    "scheme_id", "deputy_id", "period", "index", "region_id", "delegation", "total", "period_points",
    "by_category", "grade",
)  # fmt: skip


def refresh_standings(
    *, scheme: Scheme, compiled: Compiled | None = None, deputy_ids, spans: dict | None = None
) -> int:
    """Bring the standings of these deputies in line with the ledger for every period of the
    scheme's year, set-based: one read of the open lines, one of the standings already written;
    rows that did not change are left alone, changed and stale ones deleted by id, new values
    inserted (writes.insert_rows). Returns rows written. `spans`: mandate_spans of these deputies
    when the caller has them."""
    from renda.deputies.models import Deputy

    compiled = compiled or Compiled.load(scheme)
    deputy_ids = set(deputy_ids)
    if scheme.state != Scheme.State.PUBLISHED or not deputy_ids:
        return 0
    if spans is None:
        spans = mandate_spans(scheme, deputy_ids)
    members = [d for d in deputy_ids if d in spans]
    lines = open_lines(scheme, members)
    info = townships(dict(Deputy.objects.filter(pk__in=members).values_list("pk", "region__path")))
    delegations = dict(
        Mandate.objects.filter(congress_id=scheme.congress_id, deputy_id__in=members).values_list(
            "deputy_id", "delegation"
        )
    )
    have = {
        (deputy_id, period, index): (pk, rest)
        for pk, deputy_id, period, index, *rest in Standing.objects.filter(
            scheme=scheme, deputy_id__in=list(deputy_ids)
        )
        .order_by()
        .values_list("pk", *STANDING_COLUMNS[1:])
    }
    stale, rows = [], []
    for deputy_id in members:
        region_id, delegation = info.get(deputy_id), delegations.get(deputy_id, "")
        for row in standings_for(compiled, lines.get(deputy_id, [])):
            values = [
                region_id, delegation, row["total"], row["period_points"], row["by_category"], row["grade"]
            ]  # fmt: skip
            old = have.pop((deputy_id, row["period"], row["index"]), None)
            if old is not None:
                if old[1] == values:
                    continue
                stale.append(old[0])
            rows.append((scheme.pk, deputy_id, row["period"], row["index"], *values))
    stale.extend(pk for pk, _rest in have.values())  # deputies no longer members
    with transaction.atomic():
        writes.delete_ids(Standing, stale)
        writes.insert_rows(Standing, STANDING_COLUMNS, rows)
    return len(rows)


def townships(paths: dict[int, str]) -> dict[int, int]:
    """{deputy_id: region id of the township above the deputy's region path} (or the region itself).
    Paths are "52/5205/520521/520521105/…": the township is the fourth code. One query."""
    from renda.regions.models import Region

    wanted = {}
    for deputy_id, path in paths.items():
        parts = [p for p in (path or "").split("/") if p]
        wanted[deputy_id] = parts[3] if len(parts) >= 4 else (parts[-1] if parts else "")
    ids = dict(Region.objects.filter(code__in=set(wanted.values())).values_list("code", "pk"))
    return {deputy_id: ids[code] for deputy_id, code in wanted.items() if code in ids}


def schemes_for_record(record: DutyRecord) -> list[Scheme]:
    """Published schemes that may count this record: its deputy's congresses, its date in range, or
    lines already written for it (a changed date moves it out)."""
    congress_ids = Mandate.objects.filter(deputy_id=record.deputy_id).values("congress_id")
    return list(
        Scheme.objects.filter(state=Scheme.State.PUBLISHED).filter(
            Q(
                congress_id__in=congress_ids,
                starts_on__lte=record.occurred_on,
                ends_on__gte=record.occurred_on,
            )
            | Q(pk__in=LedgerEntry.objects.filter(record_id=record.pk, open=True).values("scheme_id"))
        )
    )


def on_record_changed(record: DutyRecord, *, actor=None, reason: str = "") -> None:
    """Incremental path: a duty record was added, reviewed, withdrawn or changed."""
    for scheme in schemes_for_record(record):
        compiled = Compiled.load(scheme)
        touched = sync_records(
            scheme=scheme, compiled=compiled, record_ids=[record.pk], actor=actor, reason=reason
        )
        if touched:
            refresh_standings(scheme=scheme, compiled=compiled, deputy_ids=touched)
