"""The bench command measures each target for a county and a province user and reports JSON and a
Markdown table; --compare flags what misses issue 15 §5's targets. No timings are asserted."""

import io
import json

import pytest
from django.core.management import call_command

from renda.accounts.services import user_create
from renda.core.access import Role
from renda.operations.management.commands.bench import TARGETS, compare, target_flags

FIGURES = {
    "path",
    "runs",
    "median_ms",
    "p95_ms",
    "cpu_ms",
    "queries",
    "selects",
    "bytes",
    "content_type",
    "sql_ms",
}


@pytest.fixture
def province_staff(regions):
    return user_create(
        username="province_staff",
        password="Renda#2024x",
        role=Role.PROVINCE_STAFF,
        full_name="省人大常委会工作人员",
        region=regions["province"],
    )


def test_bench_measures_every_target_for_both_users(users, deputies, province_staff, tmp_path):
    out = io.StringIO()
    path = tmp_path / "bench.json"
    call_command("bench", repeat=1, budget=0, json_path=str(path), label="test", stdout=out)
    figures = json.loads(path.read_text(encoding="utf-8"))
    assert figures["label"] == "test" and figures["deputies"] == 2
    assert {"database", "duty_records", "suggestions", "results"} <= figures.keys()
    measured = {(r["user"], r["name"]): r for r in figures["results"]}
    assert {(user, t.name) for user in ("county", "province") for t in TARGETS} <= measured.keys()
    # No target fails: each is measured, or refused as the role's jurisdiction says (never a 500).
    assert not [r for r in figures["results"] if r.get("skipped", "").startswith("HTTP 5")]
    for user in ("county", "province"):
        page = measured[(user, "deputies.list")]
        assert page.keys() >= FIGURES, page
        assert page["runs"] == 1 and isinstance(page["queries"], int) and isinstance(page["selects"], int)
        assert 0 < page["selects"] <= page["queries"] and page["bytes"] > 1000 and page["sql_ms"] >= 0
        detail = measured[(user, "deputies.detail")]
        assert "skipped" not in detail and detail["path"].startswith("/deputies/"), detail
        assert isinstance(measured[(user, "api.deputies")]["queries"], int)
    assert measured[("deputy", "deputies.portal")]["queries"] > 0
    table = out.getvalue()
    assert table.startswith("| user | target |") and "| province | deputies.list | list |" in table


def _row(**figures):
    return {"user": "county", "name": "deputies.list", "kind": "list", "content_type": "text/html", **figures}


def test_compare_flags_growth_size_and_time_over_sql():
    small = _row(median_ms=20.0, cpu_ms=15.0, queries=8, bytes=40_000, sql_ms=5.0, page_to_sql=4.0)
    grown = _row(median_ms=30.0, cpu_ms=16.0, queries=8, bytes=200_000, sql_ms=25.0, page_to_sql=1.2)
    flags = target_flags(grown, small)
    assert [f.split()[0] for f in flags] == ["增长", "HTML"]
    slow = _row(median_ms=60.0, queries=8, bytes=10_000, sql_ms=25.0, page_to_sql=2.4)
    assert target_flags(slow)[-1].startswith("页面为SQL的")
    # A growth within the slack (2 ms by default) is noise, not a miss; API answers are not pages.
    assert (
        target_flags(_row(median_ms=3.0, queries=8, bytes=10, sql_ms=1.0, page_to_sql=3), _row(median_ms=2.0))
        == []
    )
    table, missed = compare({"results": [small]}, {"results": [grown]})
    assert missed == 1 and "1.50×" in table and "8→8" in table
