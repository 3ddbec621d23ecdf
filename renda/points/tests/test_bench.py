"""The recompute figures of `manage.py bench` and their baseline (the time to bulk-insert as many
ledger rows): both are measured on whatever published schemes the database holds, and nothing stays."""

from renda.duty_records.services import duty_record_add
from renda.points.bench import ledger_insert_seconds, recompute_figures, recompute_summary
from renda.points.models import LedgerEntry, Scheme, Standing
from renda.points.services import scheme_import, scheme_publish

from .conftest import SHAPE_B, YEAR
from .test_shapes import on


def test_recompute_figures_give_the_insert_baseline_and_leave_nothing(congress, members):
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_B))
    duty_record_add(deputy=members["wang"], kind="suggestion", title="建议", occurred_on=on(3))
    before = (LedgerEntry.objects.count(), Standing.objects.count(), Scheme.objects.count())
    figures = recompute_figures(repeat=1)
    assert len(figures) == 1
    row = figures[0]
    # Two bases (60 each) and one award: three rows.
    assert row["deputies"] == 2 and row["ledger_rows"] == 3 and row["records_counted"] == 1
    assert row["insert_s"] > 0 and row["scratch_over_insert"] > 0
    assert ledger_insert_seconds(scheme=scheme, rows=5000, repeat=1) > 0
    assert (LedgerEntry.objects.count(), Standing.objects.count(), Scheme.objects.count()) == before
    assert scheme.year == YEAR
    total = recompute_summary(figures)
    assert total["schemes"] == 1 and total["ledger_rows"] == 3 and total["deputies"] == 2
