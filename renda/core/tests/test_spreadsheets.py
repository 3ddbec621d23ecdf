"""Users' text never becomes a formula in an exported workbook."""

import io

from openpyxl import Workbook, load_workbook

from renda.core.spreadsheets import safe_cell, safe_row


def test_formula_triggers_are_kept_as_text():
    assert safe_cell('=HYPERLINK("http://evil.example")') == '\'=HYPERLINK("http://evil.example")'
    assert safe_row(["+1", "-2", "@x", "黄泥塘镇", 3, -4, None]) == [
        "'+1",
        "'-2",
        "'@x",
        "黄泥塘镇",
        3,
        -4,
        None,
    ]


def test_round_trip_through_openpyxl_stays_a_string():
    book = Workbook()
    book.active.append(safe_row(["=1+1", "普通文本"]))
    buffer = io.BytesIO()
    book.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type == "s" and cell.value == "'=1+1"
