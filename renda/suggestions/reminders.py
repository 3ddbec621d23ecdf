"""Deadline reminders, sent through renda.notifications (the inbox plus the configured sender).

Rules (settings): RENDA_SUGGESTION_REMIND_BEFORE_DAYS (15) days before a deadline, on the day, and
every RENDA_SUGGESTION_REMIND_OVERDUE_EVERY_DAYS (3) days while overdue (the first the day after the
deadline, then days 4, 7, …). Each reminder has a key (part, kind, deadline, overdue slot) that is
unique per user, so running the command twice a day, or again after a missed day, never repeats one;
a missed "before" or overdue reminder is caught up on the next run. A new deadline (an approved
extension, re-handling) starts a new series.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from renda.core.access import Role
from renda.notifications.senders import ConsoleSender  # noqa: F401  (older settings name it here)
from renda.notifications.services import notification_send

from .models import HANDLING_STATES, Assignment


@dataclass(frozen=True)
class Due:
    key: str
    title: str
    body: str


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reminder_for(assignment: Assignment, today) -> Due | None:
    """The reminder this part is due today (or the one a missed run left), or None."""
    due_on = assignment.due_on
    left = (due_on - today).days
    before = settings.RENDA_SUGGESTION_REMIND_BEFORE_DAYS
    every = settings.RENDA_SUGGESTION_REMIND_OVERDUE_EVERY_DAYS
    what = "答复" if assignment.role == Assignment.Role.LEAD else "报送协办意见"
    label = assignment.suggestion.number_label_zh or assignment.suggestion.title
    base = f"a{assignment.pk}:{due_on.isoformat()}"
    if 0 < left <= before:
        return Due(
            f"{base}:before",
            f"还有{left}天到期：{label}",
            f"请于{_cn(due_on)}前{what}《{assignment.suggestion.title}》。",
        )
    if left == 0:
        return Due(f"{base}:due", f"今天到期：{label}", f"今天（{_cn(due_on)}）是{what}的最后期限。")
    if left < 0:
        slot = (-left - 1) // every
        return Due(
            f"{base}:overdue:{slot}",
            f"已超期{-left}天：{label}",
            f"{what}期限为{_cn(due_on)}，已超期{-left}天，请尽快办理。",
        )
    return None


def _open_parts():
    """Parts whose deadline runs: lead units of items being handled, co-handlers not yet done."""
    return (
        Assignment.objects.filter(
            suggestion__state__in=HANDLING_STATES,
            state__in=[
                Assignment.State.PENDING,
                Assignment.State.ACCEPTED,
                Assignment.State.RETURN_REQUESTED,
            ],
        )
        .select_related("suggestion", "unit")
        .order_by("due_on", "pk")
    )


def reminders_send(*, today=None, tally=None) -> int:
    """Create and send every reminder due today that has not been sent; return how many were sent."""
    from renda.accounts.models import User

    from .deadlines import deadlines_refresh

    today = today or timezone.localdate()
    deadlines_refresh()  # a calendar corrected since yesterday moves open deadlines before anyone is reminded
    sent = 0
    units: dict[int, list] = {}
    for assignment in _open_parts().iterator(chunk_size=500):
        due = reminder_for(assignment, today)
        if due is None:
            continue
        if assignment.unit_id not in units:
            units[assignment.unit_id] = list(
                User.objects.filter(
                    organization_id=assignment.unit_id, role=Role.HANDLING_UNIT, is_active=True
                )
            )
        for user in units[assignment.unit_id]:
            notification = notification_send(
                recipient=user,
                kind="suggestion.reminder",
                key=due.key,
                title=due.title,
                body=due.body,
                url=reverse("suggestions:detail", args=[assignment.suggestion_id]),
            )
            if notification is not None:  # None: already sent, the key is unique per user
                sent += 1
                if tally is not None:  # by outcome: sent, failed (retried later), no address
                    tally.add(notification)
    return sent
