"""The roster import's bench figures (renda/deputies/bench.py) on a small roster: every step sees the
outcomes it should, the unchanged re-import writes only the import's own audit entry, and nothing is
left behind. Seconds are reported, never asserted."""

from renda.audit.models import AuditEntry
from renda.deputies.bench import roster_import_figures
from renda.deputies.models import Deputy, RosterImport
from renda.regions.models import Region


def test_roster_import_figures_on_a_small_roster(db):
    figures = roster_import_figures(rows=40, repeat=1)
    assert figures["dry_run_counts"] == {"new": 40, "update": 0, "unchanged": 0, "error": 0}
    assert figures["confirm_counts"]["new"] == 40
    assert figures["again_counts"] == {"new": 0, "update": 0, "unchanged": 40, "error": 0}
    assert figures["update_counts"]["update"] == 40
    assert figures["again_writes"] == 2  # roster_import.apply and the audit chain's head
    # The dry run: reference data, deputies, the import saved with its plan and its audit entry.
    assert figures["dry_run_queries"] <= 15 and figures["confirm_queries_per_100_rows"] > 0
    assert figures["confirm_queries"] <= 50  # as many for 1,500 rows (about 3 per hundred)
    assert not Deputy.objects.exists() and not RosterImport.objects.exists()
    assert not Region.objects.exists() and not AuditEntry.objects.exists()
