"""Writing cells that users' text flows into, without letting that text become a formula.

openpyxl stores any string that starts with "=" as a formula, and Excel (or a CSV made from the file)
evaluates cells starting with + - @ as well. Text from users — a deputy's workplace, a suggestion's
title, a username typed at a failed login — therefore goes through `safe_cell`, which keeps it text
by prefixing an apostrophe, as OWASP's advice on formula injection does.
"""

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
