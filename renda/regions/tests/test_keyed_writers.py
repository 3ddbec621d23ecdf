"""Every bulk write of a keyed model (renda/regions/keys.py: deputies, constituencies, opinions,
suggestions, and duty records, which copy their deputy's keys) sets the jurisdiction keys, since county
and township users are scoped by them (issue 15 §4).

bulk_create, bulk_update, renda/core/inserts.py's insert_many, QuerySet.update, seed_scale's COPY
writer and raw SQL skip save(), which keeps the keys. This test reads the source: a new bulk write of
a keyed model, or a queryset update or raw SQL that writes a region or a key, fails it until it is
reviewed and listed in REVIEWED with how it keys its rows (and a test of that path checks
`region_keys_drift`).
"""

import ast
from pathlib import Path

from django.conf import settings

from renda.regions.keys import keyed_models

ROOT = Path(settings.BASE_DIR) / "renda"

# (file, model or column, how it is written) -> how the keys are set
REVIEWED = {
    ("deputies/services.py", "Deputy", "insert_many"): "deputy_create_many: region_keys_fill",
    ("deputies/services.py", "Deputy", "bulk_update"): "deputy_update_many: region_keys_fill",
    ("operations/scale.py", "Constituency", "table"): "operations/bulk.py Writer._set_region_keys",
    ("operations/scale.py", "Deputy", "table"): "operations/bulk.py Writer._set_region_keys",
    ("operations/scale.py", "Opinion", "table"): "operations/bulk.py Writer._set_region_keys",
    ("operations/scale.py", "Suggestion", "table"): "operations/bulk.py Writer._set_region_keys",
    ("operations/scale.py", "Activity", "table"): "operations/bulk.py Writer._set_region_keys",
    ("operations/scale.py", "DutyRecord", "table"): "operations/bulk.py Writer._copy_keys (the deputy's)",
    ("regions/keys.py", "county_code", "update"): "region_keys_refresh itself",
    ("regions/keys.py", "township_code", "update"): "region_keys_refresh itself",
    ("suggestions/views.py", "region", "update"): "a form's initial dict, not a queryset",
}
# A queryset update of these moves rows to another jurisdiction (a duty record's deputy: KeysFrom).
KEY_COLUMNS = {"region", "region_id", "county_code", "township_code", "deputy", "deputy_id"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield "/".join(parts), ast.parse(path.read_text(encoding="utf-8"))


def _writes() -> set[tuple[str, str, str]]:
    keyed = {m.__name__ for m in keyed_models()}
    tables = {m._meta.db_table for m in keyed_models()}
    found = set()
    for name, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.lower()
                if any(t in text for t in tables) and (
                    "insert" in text or "update" in text or "copy" in text
                ):
                    found.add((name, next(t for t in tables if t in text), "sql"))
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "insert_many":
                # insert_many(Model, rows)
                if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in keyed:
                    found.add((name, node.args[0].id, "insert_many"))
                continue
            if not isinstance(node.func, ast.Attribute):
                continue
            method, target = node.func.attr, node.func.value
            if method in ("bulk_create", "bulk_update"):
                # Model.objects.bulk_create(...) / Model._base_manager.bulk_update(...)
                owner = target.value if isinstance(target, ast.Attribute) else target
                model = owner.id if isinstance(owner, ast.Name) else ast.unparse(owner)
                if model in keyed:
                    found.add((name, model, method))
            elif method == "table" and node.args and isinstance(node.args[0], ast.Name):
                if node.args[0].id in keyed:
                    found.add((name, node.args[0].id, "table"))
            elif method == "update":
                for keyword in node.keywords:
                    if keyword.arg in KEY_COLUMNS:
                        found.add((name, keyword.arg, "update"))
    return found


def test_every_bulk_write_of_a_keyed_model_is_reviewed():
    assert {m.__name__ for m in keyed_models()} == {
        "Deputy",
        "Constituency",
        "Opinion",
        "Suggestion",
        "DutyRecord",
        "Activity",
    }
    found = _writes()
    unreviewed = found - REVIEWED.keys()
    assert not unreviewed, (
        f"{sorted(unreviewed)} write keyed rows without save(): set county_code/township_code "
        "(renda/regions/keys.py region_keys_fill or region_keys_refresh), test it, then list it in REVIEWED"
    )
    assert REVIEWED.keys() <= found, f"gone, remove from REVIEWED: {sorted(REVIEWED.keys() - found)}"
