"""The bench command measures what exists and reports JSON."""

import io
import json

from django.core.management import call_command


def test_bench_reports_figures(users, deputies):
    out = io.StringIO()
    call_command("bench", repeat=2, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["database"] in ("sqlite", "postgresql") and figures["deputies"] == 2
    measured = {(r["user"], r["path"]): r for r in figures["results"]}
    page = measured[("county_staff", "/deputies/")]
    assert page["median_ms"] > 0 and page["queries"] > 0 and page["bytes"] > 1000
    assert measured[("auditor", "/audit/")]["queries"] > 0
