"""Deadline arithmetic on the official calendar (renda/core/calendar.py), and keeping open deadlines current.

- Calendar months clamp at month end (31 January + 3 months = 30 April); a period whose last day is a rest
  day ends on the next working day (Civil Code art. 203; RENDA_PERIOD_END_ON_WORKING_DAY, default on):
  handed over 2024-07-01, the 3-month reply is due 2024-10-08, not on National Day.
- Working days follow the State Council's arrangements with their make-up working days (调休): handed over
  2024-09-27, a return request is due 7 working days later on 2024-10-12 (29 September and 12 October
  were worked, 1–7 October were not).
- Deadlines are stored on the rows (lists filter and sort by them), so when the calendar changes — a
  package release, a local holiday added to RENDA_HOLIDAYS — `deadlines_refresh()` recomputes the computed
  deadlines of open items; closed items keep the deadline they were handled against, and a date a person
  decided (an approved extension) is never recomputed. It runs before each daily reminder run and as
  `manage.py suggestion_deadlines_refresh`.
"""

import calendar
import datetime

from django.conf import settings

from renda.core.calendar import add_working_days, is_working_day, period_end

__all__ = [
    "add_months",
    "add_working_days",
    "cohandler_due",
    "deadlines_refresh",
    "is_working_day",
    "max_due",
    "rehandle_due",
    "reply_due",
    "return_due",
]


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 3 months = 30 April)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def _period(start: datetime.date, months: int) -> datetime.date:
    return period_end(add_months(start, months))


def reply_due(assigned_on: datetime.date) -> datetime.date:
    return _period(assigned_on, settings.RENDA_SUGGESTION_REPLY_MONTHS)


def max_due(assigned_on: datetime.date) -> datetime.date:
    """The latest any extension may reach."""
    return _period(assigned_on, settings.RENDA_SUGGESTION_MAX_MONTHS)


def cohandler_due(assigned_on: datetime.date) -> datetime.date:
    return _period(assigned_on, settings.RENDA_SUGGESTION_COHANDLER_MONTHS)


def return_due(assigned_on: datetime.date) -> datetime.date:
    return add_working_days(assigned_on, settings.RENDA_SUGGESTION_RETURN_WORKING_DAYS)


def rehandle_due(started_on: datetime.date) -> datetime.date:
    return _period(started_on, settings.RENDA_SUGGESTION_REHANDLE_MONTHS)


def deadlines_refresh() -> int:
    """Recompute the calendar-derived deadlines of open items under the calendar in force; return how many
    rows changed. Open: the suggestion is being handled (交办 or 重新办理) and the unit's part is not done,
    returned or closed. Skipped: a due date set by an approved extension (a person's decision)."""
    from django.db import transaction
    from django.utils import timezone

    from .models import HANDLING_STATES, Assignment, Extension, State, Suggestion

    open_parts = (Assignment.State.PENDING, Assignment.State.ACCEPTED, Assignment.State.RETURN_REQUESTED)
    extended = set(
        Extension.objects.filter(state=Extension.State.APPROVED).values_list("assignment_id", flat=True)
    )
    changed = 0
    parts = Assignment.objects.filter(state__in=open_parts, suggestion__state__in=HANDLING_STATES)
    with transaction.atomic():
        for part in parts.select_related("suggestion").order_by("pk"):
            suggestion = part.suggestion
            updates = {"return_due_on": return_due(part.assigned_on)}
            if part.pk not in extended:
                if part.role == Assignment.Role.CO:
                    updates["due_on"] = cohandler_due(part.assigned_on)
                elif suggestion.state == State.REHANDLING:
                    started = suggestion.events.filter(action="rehandle").order_by("-occurred_at").first()
                    if started is not None:
                        updates["due_on"] = rehandle_due(timezone.localtime(started.occurred_at).date())
                else:
                    updates["due_on"] = reply_due(part.assigned_on)
            updates = {k: v for k, v in updates.items() if getattr(part, k) != v}
            if not updates:
                continue
            Assignment.objects.filter(pk=part.pk).update(**updates)
            changed += 1
            if "due_on" in updates and part.role == Assignment.Role.LEAD:
                Suggestion.objects.filter(pk=suggestion.pk).update(due_on=updates["due_on"])
    return changed
