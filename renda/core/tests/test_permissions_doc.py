"""docs/permissions.md tells the truth: its role × permission table is ROLE_PERMISSIONS."""

import re

from django.conf import settings

from renda.core.access import ROLE_PERMISSIONS

COLUMNS = {
    "county_staff": "county_staff", "township_staff": "township_staff", "station_keeper": "station_keeper",
    "deputy": "deputy", "handling_unit": "handling_unit", "leader": "leader",
    "system_admin": "system_admin", "security_admin": "security_admin", "auditor": "auditor",
    "city_staff": "city_staff", "city_leader": "city_leader",
    "province_staff": "province_staff", "province_leader": "province_leader",
}  # fmt: skip


def _codes(cell: str) -> list[str]:
    """ "duty_records.add / review 录入" → duty_records.add, duty_records.review."""
    first = cell.split(" ")[0]
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", first), cell
    codes = [first]
    rest = cell[len(first) :].strip()
    while rest.startswith("/ "):
        nxt = rest[2:].split(" ")[0]
        codes.append(nxt if "." in nxt else first.split(".")[0] + "." + nxt)
        rest = rest[2 + len(nxt) :].strip()
    return codes


def test_the_documented_table_is_the_code():
    text = (settings.BASE_DIR / "docs" / "permissions.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    roles = header[1:]
    assert set(roles) == set(COLUMNS)
    documented: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != len(header) or set(cells[0]) <= {"-"}:
            continue
        for code in _codes(cells[0]):
            for role, cell in zip(roles, cells[1:], strict=True):
                if cell:
                    documented[role].add(code)
    for role in roles:
        assert documented[role] == set(ROLE_PERMISSIONS[role]), (
            role,
            "documented only:", sorted(documented[role] - set(ROLE_PERMISSIONS[role])),
            "in code only:", sorted(set(ROLE_PERMISSIONS[role]) - documented[role]),
        )  # fmt: skip
