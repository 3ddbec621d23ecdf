"""Writing cells that users' text flows into, without letting that text become a formula.

openpyxl stores any string that starts with "=" as a formula, and Excel, WPS (or a CSV made from
the file) evaluate cells starting with + - @ as well. Text from users — a deputy's workplace, a
suggestion's title, a username typed at a failed login — therefore goes through `safe_cell`, which
writes it as a string cell (data type "s", so the file holds text, not a formula) with the
quotePrefix style (so Excel and WPS keep it text even when the cell is edited). The reader sees
exactly what was typed: "-2号路" stays "-2号路", with no apostrophe added (issue 13 §11).

Control characters that the xlsx format cannot hold (U+0000–U+0008, U+000B, U+000C,
U+000E–U+001F; openpyxl refuses them and the whole export would fail) are shown as their Unicode
control pictures (U+0007 → "␇"). Only the export is changed: the stored record keeps the original.
"""

import re

from openpyxl.cell import Cell, WriteOnlyCell

from .text import export_text

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _picture(match: re.Match) -> str:
    return chr(0x2400 + ord(match.group()))


def escape_control(text: str) -> str:
    """`text` with the control characters xlsx refuses replaced by control pictures (␀ … ␟), and what
    else no output can hold escaped visibly: the core output policy, renda.core.text.export_text."""
    return export_text(_ILLEGAL.sub(_picture, text))


def safe_cell(value, sheet=None):
    """A value to append to `sheet`: text that could be read as a formula becomes a text cell.

    `sheet` is the worksheet the row goes to; it is required for write-only worksheets (their
    cells must know their sheet to carry a style) and optional for normal ones.
    """
    if not isinstance(value, str):
        return value
    value = escape_control(value)
    if not value.startswith(_TRIGGERS):
        return value
    cell = WriteOnlyCell(sheet) if sheet is not None else Cell(None)
    # Set the type after the value: openpyxl would otherwise infer a formula from a leading "=".
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(values, sheet=None) -> list:
    return [safe_cell(v, sheet) for v in values]
