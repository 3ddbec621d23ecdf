"""Deadline arithmetic: calendar months that clamp at month end, and working days.

Working days skip Saturdays and Sundays. The official holiday calendar (published by the State
Council each year, with weekend days worked instead, 调休) is data, not code: list the dates in the
settings RENDA_HOLIDAYS and RENDA_EXTRA_WORKDAYS (ISO dates). With both empty only weekends count.
"""

import calendar
import datetime

from django.conf import settings


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 3 months = 30 April)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def _dates(values) -> frozenset[datetime.date]:
    return frozenset(datetime.date.fromisoformat(str(v).strip()) for v in values if str(v).strip())


def is_working_day(day: datetime.date) -> bool:
    if day in _dates(settings.RENDA_EXTRA_WORKDAYS):
        return True
    if day in _dates(settings.RENDA_HOLIDAYS):
        return False
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (the start day itself is not counted)."""
    holidays, workdays = _dates(settings.RENDA_HOLIDAYS), _dates(settings.RENDA_EXTRA_WORKDAYS)
    current, left = start, days
    while left > 0:
        current += datetime.timedelta(days=1)
        if current in workdays or (current not in holidays and current.weekday() < 5):
            left -= 1
    return current


def reply_due(assigned_on: datetime.date) -> datetime.date:
    return add_months(assigned_on, settings.RENDA_SUGGESTION_REPLY_MONTHS)


def max_due(assigned_on: datetime.date) -> datetime.date:
    """The latest any extension may reach."""
    return add_months(assigned_on, settings.RENDA_SUGGESTION_MAX_MONTHS)


def cohandler_due(assigned_on: datetime.date) -> datetime.date:
    return add_months(assigned_on, settings.RENDA_SUGGESTION_COHANDLER_MONTHS)


def return_due(assigned_on: datetime.date) -> datetime.date:
    return add_working_days(assigned_on, settings.RENDA_SUGGESTION_RETURN_WORKING_DAYS)


def rehandle_due(started_on: datetime.date) -> datetime.date:
    return add_months(started_on, settings.RENDA_SUGGESTION_REHANDLE_MONTHS)
