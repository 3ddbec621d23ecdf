"""Figures for `manage.py bench`: how long recomputing a year takes for each published scheme on
the current database (the demo county after seed_demo), per hundred deputies.

Two measurements per scheme, each inside a transaction that is rolled back (nothing is kept):
- from scratch: a new version is published, so its whole ledger (base, awards) and every standing
  are computed and inserted;
- again: the published version is recomputed when nothing changed (the reconciliation reads
  everything, appends nothing, rewrites standings).

And the baseline the issue compares the scratch figure with ("within 3× the time to bulk-insert its
ledger rows"): `ledger_insert_seconds` bulk-inserts as many plain ledger rows as the scratch run
wrote, the same way the ledger does (batches of 2,000), also rolled back. Works on any database with
published schemes (the demo county, seed_scale's province).
"""

import contextlib
import time

from django.db import transaction

from . import ledger
from .models import LedgerEntry, Scheme, Standing

BATCH = 2000  # as ledger._reconcile


class _Rollback(Exception):
    """Raised to undo a measured recompute, so the bench leaves the ledger as it found it."""


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = None
    with contextlib.suppress(_Rollback), transaction.atomic():
        result = work()
        raise _Rollback
    return time.perf_counter() - started, result


def ledger_insert_seconds(*, scheme: Scheme, rows: int, repeat: int = 3) -> float:
    """Seconds (best of `repeat`, rolled back) to bulk-insert `rows` ledger lines for `scheme`: the
    baseline of the recompute figure. The lines are spread over the scheme's members and categories
    like real ones (one per deputy in turn), as adjustments without a key, so no unique constraint
    is involved and nothing is computed: only the insert is measured."""
    deputies = sorted(ledger.mandate_spans(scheme)) or []
    categories = list(scheme.categories.values_list("pk", flat=True))
    if not rows or not deputies or not categories:
        return 0.0
    day = scheme.starts_on

    def insert():
        LedgerEntry.objects.bulk_create(
            (
                LedgerEntry(
                    scheme=scheme,
                    deputy_id=deputies[n % len(deputies)],
                    kind=LedgerEntry.Kind.ADJUSTMENT,
                    category_id=categories[n % len(categories)],
                    occurred_on=day,
                    units=1,
                    points=3,
                    reason="bench",
                )
                for n in range(rows)
            ),
            batch_size=BATCH,
        )

    return min(_timed(insert)[0] for _ in range(repeat))


def recompute_figures(*, repeat: int = 3) -> list[dict]:
    """[{scheme, congress, deputies, records_counted, ledger_rows, standing_rows, scratch_s,
    scratch_per_100_deputies_s, again_s, again_per_100_deputies_s, insert_s, scratch_over_insert}]
    — seconds, best of `repeat`; `insert_s` is `ledger_insert_seconds` for the scratch run's row
    count and `scratch_over_insert` the ratio the issue bounds by 3."""
    from .services import scheme_new_version, scheme_publish

    figures = []
    for scheme in Scheme.objects.filter(state=Scheme.State.PUBLISHED).select_related("congress"):
        deputies = len(ledger.mandate_spans(scheme))
        if not deputies:
            continue

        def scratch(scheme=scheme):
            fresh = scheme_publish(actor=None, scheme=scheme_new_version(actor=None, scheme=scheme))
            return LedgerEntry.objects.filter(scheme=fresh).count(), Standing.objects.filter(
                scheme=fresh
            ).count()

        def again(scheme=scheme):
            return ledger.sync_scheme(scheme=scheme)

        scratch_runs = [_timed(scratch) for _ in range(repeat)]
        again_runs = [_timed(again) for _ in range(repeat)]
        best_scratch = min(t for t, _ in scratch_runs)
        best_again = min(t for t, _ in again_runs)
        rows, standings = scratch_runs[0][1]
        insert = ledger_insert_seconds(scheme=scheme, rows=rows, repeat=repeat)
        figures.append(
            {
                "scheme": str(scheme),
                "congress": scheme.congress.name,
                "deputies": deputies,
                "records_counted": ledger._counting_records(scheme).count(),
                "ledger_rows": rows,
                "standing_rows": standings,
                "scratch_s": round(best_scratch, 3),
                "scratch_per_100_deputies_s": round(best_scratch * 100 / deputies, 3),
                "again_s": round(best_again, 3),
                "again_per_100_deputies_s": round(best_again * 100 / deputies, 3),
                "insert_s": round(insert, 3),
                "scratch_over_insert": round(best_scratch / insert, 2) if insert else None,
            }
        )
    return figures


def recompute_summary(figures: list[dict]) -> dict:
    """All schemes together (a province is one scheme per county congress): deputies, ledger rows,
    seconds from scratch, seconds to bulk-insert those rows, and their ratio (the issue's "within 3×")."""
    scratch = sum(f["scratch_s"] for f in figures)
    insert = sum(f["insert_s"] for f in figures)
    return {
        "schemes": len(figures),
        "deputies": sum(f["deputies"] for f in figures),
        "ledger_rows": sum(f["ledger_rows"] for f in figures),
        "scratch_s": round(scratch, 3),
        "insert_s": round(insert, 3),
        "scratch_over_insert": round(scratch / insert, 2) if insert else None,
        "scratch_per_100_deputies_s": round(scratch * 100 / max(1, sum(f["deputies"] for f in figures)), 3),
    }
