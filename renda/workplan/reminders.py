"""Reminders on work-plan items, sent through renda.notifications.

Rules (settings): RENDA_WORKPLAN_REMIND_BEFORE_DAYS (15) days before an item's due date (the end of
its month or quarter) and on the day, the lead body's staff are reminded of an item not at 100 %;
once late, every RENDA_WORKPLAN_REMIND_OVERDUE_EVERY_DAYS (7) days, up to
RENDA_WORKPLAN_REMIND_OVERDUE_MAX_DAYS (90) days. Keys are unique per recipient (item, due date,
kind, slot): never twice, at most one a day per item.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from renda.core.access import Role
from renda.notifications.services import notification_send

from .models import PlanItem


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reminder_for(item: PlanItem, today) -> tuple[str, str, str] | None:
    left = (item.due_on - today).days
    base = f"workplan:{item.pk}:{item.due_on.isoformat()}"
    label = f"{item.number}. {item.text[:40]}"
    if 0 < left <= settings.RENDA_WORKPLAN_REMIND_BEFORE_DAYS:
        return (
            f"{base}:before",
            f"还有{left}天到期：{label}",
            f"完成时限{item.due_label}（{_cn(item.due_on)}），当前进度{item.percent}%。",
        )
    if left == 0:
        return f"{base}:due", f"今天到期：{label}", f"当前进度{item.percent}%，请报告进展。"
    if left < 0 and -left <= settings.RENDA_WORKPLAN_REMIND_OVERDUE_MAX_DAYS:
        slot = (-left - 1) // settings.RENDA_WORKPLAN_REMIND_OVERDUE_EVERY_DAYS
        return (
            f"{base}:overdue:{slot}",
            f"已逾期{-left}天：{label}",
            f"完成时限{item.due_label}（{_cn(item.due_on)}），当前进度{item.percent}%。",
        )
    return None


def workplan_reminders_send(*, today=None, tally=None) -> int:
    from renda.accounts.models import User

    today = today or timezone.localdate()
    staff: dict[int, list] = {}
    sent = 0
    items = PlanItem.objects.filter(percent__lt=100, lead_body__isnull=False).order_by("due_on", "pk")
    for item in items.iterator(chunk_size=500):
        due = reminder_for(item, today)
        if due is None:
            continue
        key, title, body = due
        if item.lead_body_id not in staff:
            staff[item.lead_body_id] = list(
                User.objects.filter(role=Role.COUNTY_STAFF, organization_id=item.lead_body_id, is_active=True)
            )
        for user in staff[item.lead_body_id]:
            notification = notification_send(
                recipient=user,
                kind="workplan.reminder",
                key=key,
                title=title,
                body=body,
                url=reverse("workplan:item", args=[item.pk]),
            )
            if notification is not None:
                sent += 1
                if tally is not None:  # by outcome: sent, failed (retried later), no address
                    tally.add(notification)
    return sent
