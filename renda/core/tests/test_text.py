"""The text policy (renda/core/text.py): properties of the input cleaners over families of nasty text, and
every output writer fed whatever may already be stored (controls, format characters, astral CJK)."""

import io
import unicodedata

import pytest
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from renda.audit.exports import write_audit_xlsx
from renda.audit.models import AuditEntry
from renda.core.spreadsheets import safe_cell
from renda.core.text import (
    clean_code,
    clean_name,
    clean_person_name,
    clean_text,
    docx_text,
    export_text,
    is_person_name,
)
from renda.core.validators import id_check_character, normalize_phone, validate_id_number

ID_NUMBER = "52052119801005024" + id_check_character("52052119801005024")
C0 = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
# Format characters that arrive with copied text: zero-width space/joiners, BOM, soft hyphen, marks.
CF = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202c"]
ASTRAL = ["𠮷", "𡈽", "𪚥", "𫖮", "𬌗"]  # Extension B, B, C, E, E

# Text as people paste it: anything printable, plus controls, format characters and astral ideographs.
pasted = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from([*C0, "\x7f", "\x85", "\x9f", *CF, *ASTRAL, "\ufffe", "\uffff"]),
    ),
    max_size=60,
)
invisible = st.lists(st.sampled_from([*CF, "\x07", "\x0b"]), max_size=4)


def _sprinkle(text: str, extras: list[str], positions: list[int]) -> str:
    chars = list(text)
    for extra, position in zip(extras, positions, strict=False):
        chars.insert(position % (len(chars) + 1), extra)
    return "".join(chars)


@given(pasted)
def test_cleaned_codes_and_names_hold_no_format_or_control_character_and_are_stable(value):
    for cleaner in (clean_code, clean_name, clean_person_name):
        once = cleaner(value)
        assert not any(unicodedata.category(c) in ("Cf", "Cc") for c in once), repr(once)
        assert cleaner(once) == once
    assert clean_code(value) == unicodedata.normalize("NFKC", clean_code(value))


@given(pasted)
def test_free_text_keeps_tab_and_newline_but_no_other_control(value):
    cleaned = clean_text(value)
    assert all(c in "\t\n" or unicodedata.category(c) != "Cc" for c in cleaned)
    assert clean_text(cleaned) == cleaned
    assert "\r" not in cleaned


@given(invisible, st.lists(st.integers(0, 30), min_size=4, max_size=4), st.booleans())
def test_an_id_number_with_invisible_or_full_width_characters_is_the_same_number(extras, positions, wide):
    typed = _sprinkle(ID_NUMBER, extras, positions)
    if wide:
        typed = typed.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert validate_id_number(typed) == ID_NUMBER
    assert normalize_phone(_sprinkle("１３９ ０８５７ １２３４", extras, positions)) == "13908571234"


@pytest.mark.parametrize("name", ["𠮷田", "王𠮷", "𡈽明", "阿依古丽·买买提", "王芳"])
def test_astral_han_names_are_names(name):
    assert is_person_name(name)
    assert clean_person_name(name[:1] + "\u200b" + name[1:] + "\u3000") == name


@pytest.mark.parametrize("name", ["王", "王😀", "王<b>", "王1"])
def test_what_is_not_a_name(name):
    assert not is_person_name(name)


def _xml_compatible(text: str) -> bool:
    try:
        etree.Element("a").text = text  # what python-docx and openpyxl's lxml writer do
    except ValueError:
        return False
    return True


def _stand_in(char: str) -> str:
    """A control picture (␇) for C0 controls and DEL, a [U+0085] escape for the rest."""
    if char < " " or char == "\x7f":
        return chr(0x2400 + (ord(char) if char < " " else 0x21))
    return f"[U+{ord(char):04X}]"


@settings(max_examples=40)
@given(pasted)
def test_export_text_is_always_writable_and_loses_nothing_silently(value):
    shown = export_text(value)
    assert _xml_compatible(shown)
    # Every character removed from the output has a visible stand-in in it.
    for char in set(value) - set(shown):
        assert _stand_in(char) in shown
    workbook = Workbook()
    workbook.active.append([safe_cell(value)])
    workbook.save(io.BytesIO())
    document = Document()
    document.add_paragraph(docx_text(value)).add_run(docx_text(value))
    document.add_table(rows=1, cols=1).rows[0].cells[0].text = docx_text(value)
    document.save(io.BytesIO())


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=pasted.filter(lambda v: "\x00" not in v), detail=pasted.filter(lambda v: "\x00" not in v))
@pytest.mark.django_db
def test_the_audit_export_completes_whatever_a_failed_login_typed(username, detail):
    """`ad` BEL `min` at a failed login: the export used to fail for as long as the row was kept."""
    entry = AuditEntry.objects.create(
        occurred_at=timezone.now(),
        action="auth.login",
        outcome="denied",
        actor_username=("ad\x07min" + username)[:150],
        detail=detail,
    )
    data = write_audit_xlsx(AuditEntry.objects.filter(pk=entry.pk), 1, lambda *a: None)
    row = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))]
    assert row[1].startswith("ad␇min")
    # The record itself keeps what was typed.
    assert AuditEntry.objects.get(pk=entry.pk).actor_username.startswith("ad\x07min")


# Every module that writes a .docx, .xlsx or .pdf, and the safe helper it must pass stored text through.
# A new writer module fails test_every_writer_passes_stored_text_through_the_output_policy until it uses
# one of them and is listed here.
_SAFE_HELPERS = ("docx_text", "export_text", "safe_cell", "safe_row", "OfficialDocument")
_WRITER_MARKERS = ("from docx import Document", "Workbook(", "WriteOnlyCell(", "weasyprint")


def _writer_modules():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name in ("text.py", "spreadsheets.py"):
            continue
        source = path.read_text(encoding="utf-8")
        if any(marker in source for marker in _WRITER_MARKERS):
            yield path.relative_to(root.parent).as_posix(), source


def test_every_writer_passes_stored_text_through_the_output_policy():
    """Writers that build documents with python-docx or openpyxl must use the shared safe-text helpers;
    weasyprint writers render Django templates, whose output is HTML-escaped and parsed leniently."""
    import re

    unsafe = []
    for name, source in _writer_modules():
        if "weasyprint" in source and "render_to_string" in source:
            continue
        builds_docx = "from docx import Document" in source and re.search(r"\bDocument\(\)", source)
        builds_xlsx = re.search(r"\b(Workbook|WriteOnlyCell)\(", source)
        if (builds_docx or builds_xlsx) and not any(helper in source for helper in _SAFE_HELPERS):
            unsafe.append(name)
    assert not unsafe, f"writers without the output policy: {unsafe}"


@given(st.text(alphabet="黄泥塘镇（中心）卫生院　院长：，。ＡＢ１２", min_size=1, max_size=30))
def test_names_and_free_text_are_never_folded_only_codes_are(value):
    """NFKC is for codes: （中心）, ：，。 and full-width letters in a workplace or a note stay as written."""
    kept = value.strip().replace("\u3000\u3000", "\u3000")
    while "\u3000\u3000" in kept:
        kept = kept.replace("\u3000\u3000", "\u3000")
    assert clean_name(value) == kept
    assert clean_text(value) == value.strip()
    assert clean_code(value) == unicodedata.normalize("NFKC", "".join(value.split()))


def test_the_workplace_of_the_field_report_is_kept_as_written():
    assert clean_name("黄泥塘镇（中心）卫生院　院长\u200b") == "黄泥塘镇（中心）卫生院　院长"
