"""Users' text never becomes a formula in an exported workbook, and shows exactly as typed."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from renda.core.spreadsheets import safe_cell, safe_row

TRIGGERS = ['=HYPERLINK("http://evil.example")', "+1", "-2号路", "@SUM(A1)", "=1+1"]


def _read_back(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write_only"])
def test_formula_triggers_are_stored_as_text_exactly_as_typed(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    sheet.append(safe_row([*TRIGGERS, "黄泥塘镇", 3, -4, None], sheet=sheet))
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(_read_back(buffer.getvalue()).iter_rows(min_row=1, max_row=1))
    for cell, typed in zip(row, TRIGGERS, strict=False):
        # A string, never a formula; no apostrophe added; Excel/WPS keep it text when edited.
        assert cell.data_type == "s" and cell.value == typed
        assert cell.quotePrefix
    assert row[len(TRIGGERS)].value == "黄泥塘镇" and not row[len(TRIGGERS)].quotePrefix
    assert row[len(TRIGGERS) + 1].value == 3 and row[len(TRIGGERS) + 2].value == -4


def test_without_a_sheet_in_a_normal_workbook():
    book = Workbook()
    book.active.append(safe_row(["=1+1", "普通文本"]))
    buffer = io.BytesIO()
    book.save(buffer)
    cell = _read_back(buffer.getvalue())["A1"]
    assert cell.data_type == "s" and cell.value == "=1+1"


def test_control_characters_are_shown_escaped_not_refused():
    """openpyxl refuses U+0007 and kin; an export shows them as control pictures instead."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(safe_row(["ad\x07min", "a\x0bb\x00c", "行1\n行2\t列"], sheet=sheet))
    buffer = io.BytesIO()
    book.save(buffer)
    row = [c.value for c in next(_read_back(buffer.getvalue()).iter_rows())]
    assert row == ["ad␇min", "a␋b␀c", "行1\n行2\t列"]


def test_plain_values_pass_through():
    assert safe_cell("黄泥塘镇") == "黄泥塘镇"
    assert safe_cell(5) == 5 and safe_cell(None) is None
