"""The official working calendar: the State Council's holiday arrangements, with local overrides.

Source: the PyPI package `chinesecalendar` (pinned in requirements.lock), which carries each year's
国务院办公厅关于部分节假日安排的通知 — the holidays and the weekend days worked instead (调休) — from 2004
to the last year it was released for (1.11.0: 2004–2026). Chosen over `holidays` (whose CN calendar is the
other maintained source) because it is exactly the two lists deadlines need — holidays and 调休 working
days — behind one `is_workday`, with a year range `calendar_covers` can read, and no dependencies.
A new year needs a new release: `pip install -U chinesecalendar`, then update the pin.

Local overrides (settings, ISO dates): RENDA_HOLIDAYS adds rest days (a local holiday, or a year the package
does not carry yet), RENDA_EXTRA_WORKDAYS adds working days; both win over the package.

A year the package does not carry and no override mentions is *not covered*: working days then fall back to
Monday–Friday, and this is reported — a system check warning (renda.W001) and a notice on the staff home
page from RENDA_CALENDAR_WARN_DAYS days before the year starts, and `calendar_covers(year)` for /healthz.

Periods (Civil Code art. 203): a period counted in months whose last day is a rest day ends on the next
working day (RENDA_PERIOD_END_ON_WORKING_DAY, default on). 2024-07-01 + 3 months = 1 October (国庆) →
2024-10-08.
"""

import datetime
import functools
import hashlib

from django.conf import settings


def _dates(values) -> frozenset[datetime.date]:
    return frozenset(datetime.date.fromisoformat(str(v).strip()) for v in values if str(v).strip())


def local_holidays() -> frozenset[datetime.date]:
    return _dates(getattr(settings, "RENDA_HOLIDAYS", ()))


def local_workdays() -> frozenset[datetime.date]:
    return _dates(getattr(settings, "RENDA_EXTRA_WORKDAYS", ()))


@functools.cache
def package_years() -> tuple[int, int]:
    """(first, last) year the installed chinesecalendar carries."""
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays] + [d.year for d in constants.workdays]
    return min(years), max(years)


def _package_version() -> str:
    from importlib.metadata import version

    return version("chinesecalendar")


def calendar_covers(year: int) -> bool:
    """Does the calendar in force carry the official arrangements of `year`? (For /healthz and checks.)

    True when the package carries the year, or when a local override (RENDA_HOLIDAYS) lists a date in it —
    that is how an office loads a year published after the package's last release.
    """
    first, last = package_years()
    return first <= year <= last or any(d.year == year for d in local_holidays())


def is_working_day(day: datetime.date) -> bool:
    if day in local_workdays():
        return True
    if day in local_holidays():
        return False
    first, last = package_years()
    if first <= day.year <= last:
        from chinese_calendar import is_workday

        return is_workday(day)
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (the start day itself is not counted)."""
    current, left = start, days
    while left > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def period_end(day: datetime.date) -> datetime.date:
    """The last day of a period that falls on `day`: moved to the next working day when `day` is a rest
    day (Civil Code art. 203), unless RENDA_PERIOD_END_ON_WORKING_DAY is off."""
    if not getattr(settings, "RENDA_PERIOD_END_ON_WORKING_DAY", True):
        return day
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def calendar_fingerprint() -> str:
    """Changes whenever the calendar in force changes (package release or local overrides)."""
    parts = [
        _package_version(),
        ",".join(sorted(d.isoformat() for d in local_holidays())),
        ",".join(sorted(d.isoformat() for d in local_workdays())),
        str(getattr(settings, "RENDA_PERIOD_END_ON_WORKING_DAY", True)),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def calendar_gap(today: datetime.date | None = None) -> int | None:
    """The first year not covered that is in force now or starts within RENDA_CALENDAR_WARN_DAYS days;
    None when there is nothing to report (or the warning is switched off with 0)."""
    warn_days = getattr(settings, "RENDA_CALENDAR_WARN_DAYS", 60)
    if not warn_days:
        return None
    today = today or datetime.date.today()
    if not calendar_covers(today.year):
        return today.year
    if (datetime.date(today.year + 1, 1, 1) - today).days <= warn_days and not calendar_covers(
        today.year + 1
    ):
        return today.year + 1
    return None


def calendar_notice(today: datetime.date | None = None, *, user=None) -> str:
    """The home page's sentence when the official calendar is missing a year, else ''. Only those who
    can act on it see it: the administrators who run the installation get the full instruction, staff
    who keep deadlines a short plain note, everyone else nothing (units, keepers, leaders cannot act).
    Without a user (the system check, tests), the full instruction."""
    from django.utils.translation import gettext as _

    from .access import Role

    year = calendar_gap(today)
    if year is None:
        return ""
    role = getattr(user, "role", None) if user is not None else Role.SYSTEM_ADMIN
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return _(
            "工作日历尚未包含%(y)d年的法定节假日和调休安排：届时办理期限只能按周一至周五计算。"
            "请升级 chinesecalendar 软件包，或在设置 RENDA_HOLIDAYS / RENDA_EXTRA_WORKDAYS 中录入该年安排。"
        ) % {"y": year}
    if role in (Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCE_STAFF):
        return _(
            "%(y)d年的节假日安排尚未录入，届时办理期限暂按周一至周五计算。如有疑问请联系系统管理员。"
        ) % {"y": year}
    return ""
