"""Writing cells that users' text flows into, without letting that text become a formula.

openpyxl stores any string that starts with "=" as a formula, and Excel (or a CSV made from the file)
evaluates cells starting with + - @ as well. Text from users — a deputy's workplace, a suggestion's
title, a username typed at a failed login — therefore goes through `safe_cell`, which keeps it text
by prefixing an apostrophe, as OWASP's advice on formula injection does. Characters a spreadsheet cannot
hold (control characters in text stored before the text policy, or kept on purpose in the audit log) are
escaped visibly by `renda.core.text.export_text` rather than failing the whole export.
"""

from .text import export_text

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    value = export_text(value)
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
