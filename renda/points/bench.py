"""Figures for `manage.py bench`: how long recomputing a year takes for each published scheme on
the current database (the demo county after seed_demo), per hundred deputies.

Two measurements per scheme, each inside a transaction that is rolled back (nothing is kept):
- from scratch: a new version is published, so its whole ledger (base, awards) and every standing
  are computed and inserted;
- again: the published version is recomputed when nothing changed (the reconciliation reads
  everything, appends nothing, rewrites standings).
"""

import contextlib
import time

from django.db import transaction

from . import ledger
from .models import LedgerEntry, Scheme, Standing


class _Rollback(Exception):
    """Raised to undo a measured recompute, so the bench leaves the ledger as it found it."""


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = None
    with contextlib.suppress(_Rollback), transaction.atomic():
        result = work()
        raise _Rollback
    return time.perf_counter() - started, result


def recompute_figures(*, repeat: int = 3) -> list[dict]:
    """[{scheme, deputies, records, ledger_rows, scratch_s, scratch_per_100_s, again_s,
    again_per_100_s}] — seconds, best of `repeat`."""
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
        figures.append(
            {
                "scheme": str(scheme),
                "congress": scheme.congress.name,
                "deputies": deputies,
                "records_counted": len(list(ledger._counting_records(scheme))),
                "ledger_rows": rows,
                "standing_rows": standings,
                "scratch_s": round(best_scratch, 3),
                "scratch_per_100_deputies_s": round(best_scratch * 100 / deputies, 3),
                "again_s": round(best_again, 3),
                "again_per_100_deputies_s": round(best_again * 100 / deputies, 3),
            }
        )
    return figures
