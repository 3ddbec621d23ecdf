"""The English catalogue is complete and compiled: every string the code and templates mark for
translation has an English text, none is a fuzzy guess, and locale/en's django.mo says what django.po says.

The strings are extracted the way a developer does it (`manage.py makemessages -l en`, GNU gettext),
in a copy of the source so that the work tree is not touched. The check does not depend on the
database, so it runs once, on SQLite.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite" or shutil.which("xgettext") is None,
    reason="the catalogue does not depend on the database; it is checked on SQLite (needs GNU gettext)",
)


def _msgids(po_file: Path, *flags: str) -> list[str]:
    """msgids of `po_file` selected by msgattrib `flags` (e.g. --untranslated), header left out."""
    out = subprocess.run(  # noqa: S603 — our own files, a fixed tool
        [shutil.which("msgattrib"), "--no-obsolete", "--no-wrap", *flags, str(po_file)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    msgids, current = [], None
    for line in out.splitlines():
        if line.startswith("msgid "):
            current = [line[7:-1]]
        elif current is not None and line.startswith('"'):
            current.append(line[1:-1])
        elif current is not None:
            if "".join(current):
                msgids.append("".join(current))
            current = None
    return msgids


def test_every_marked_string_has_an_english_text(tmp_path):
    for name in ("manage.py", "config", "renda", "templates", "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = _msgids(extracted, "--untranslated") + _msgids(extracted, "--only-fuzzy")
    assert not missing, (
        f"{len(missing)} 条界面文字没有英文译文"
        f"（运行 make messages 后在 locale/en/LC_MESSAGES/django.po 中补译）：{missing[:20]}"
    )


def test_compiled_catalogue_matches_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    msgfmt = [shutil.which("msgfmt"), "--check", "-o", str(compiled), str(PO)]
    subprocess.run(msgfmt, check=True, capture_output=True)  # noqa: S603 — our own file, a fixed tool
    with compiled.open("rb") as fresh, MO.open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        actual = gettext.GNUTranslations(committed)._catalog
    stale = sorted(str(key) for key in expected.keys() ^ actual.keys())
    changed = sorted(str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key])
    differing = (stale + changed)[:20]
    assert not stale and not changed, f"django.mo 与 django.po 不一致（运行 make messages）：{differing}"
