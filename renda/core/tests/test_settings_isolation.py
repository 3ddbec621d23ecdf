"""Tests leave the settings as they found them."""

import ast
from pathlib import Path

from django.conf import settings


def test_no_test_mixes_the_override_settings_decorator_with_the_settings_fixture():
    """The decorator's override ends when the test function returns, before pytest-django's `settings`
    fixture undoes its own; undone out of order, the fixture restores the decorator's values for good.
    A test that did both leaked RENDA_REMINDER_SENDER into every later test on its worker (a
    notifications test then found its sender never called). Use one or the other."""
    mixed = []
    for path in sorted((Path(settings.BASE_DIR) / "renda").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            decorated = any("override_settings" in ast.unparse(d) for d in node.decorator_list)
            if decorated and any(arg.arg == "settings" for arg in node.args.args):
                mixed.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {node.name}")
    assert mixed == []
