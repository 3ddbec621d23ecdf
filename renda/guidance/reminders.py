"""Reminders on guidance items, sent through renda.notifications (the inbox plus the sender).

Rules (settings): RENDA_GUIDANCE_REMIND_BEFORE_DAYS (7) days before an item's due date and on the
day, the township's staff are reminded of each item they have not yet reported (open, sent back, or
in progress); once past due, every RENDA_GUIDANCE_REMIND_OVERDUE_EVERY_DAYS (7) days the township's
staff and the leader of the guidance group that covers the township are told it is overdue, until
RENDA_GUIDANCE_REMIND_OVERDUE_MAX_DAYS (90) days after the due date (a past year's list does not
nag for ever). Each reminder's key (item, due date, kind, overdue slot) is unique per recipient, so a
run twice a day, or after a missed day, never repeats one — at most one reminder per item a day.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from renda.core.access import Role
from renda.notifications.services import notification_send

from .models import GuidanceGroup, TownshipItem


@dataclass(frozen=True)
class Due:
    key: str
    title: str
    body: str
    overdue: bool


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reminder_for(cell: TownshipItem, today) -> Due | None:
    """The reminder this township's item is due today (or the one a missed run left), or None."""
    item = cell.guidance_item
    left = (item.due_on - today).days
    before = settings.RENDA_GUIDANCE_REMIND_BEFORE_DAYS
    every = settings.RENDA_GUIDANCE_REMIND_OVERDUE_EVERY_DAYS
    base = f"guidance:{cell.pk}:{item.due_on.isoformat()}"
    label = f"{item.number}. {item.title}"
    if 0 < left <= before:
        return Due(
            f"{base}:before", f"还有{left}天到期：{label}", f"请于{_cn(item.due_on)}前报送落实情况。", False
        )
    if left == 0:
        return Due(
            f"{base}:due", f"今天到期：{label}", f"今天（{_cn(item.due_on)}）是报送的最后期限。", False
        )
    if left < 0 and -left <= settings.RENDA_GUIDANCE_REMIND_OVERDUE_MAX_DAYS:
        slot = (-left - 1) // every
        return Due(
            f"{base}:overdue:{slot}",
            f"已逾期{-left}天：{cell.township.name} {label}",
            f"完成时限为{_cn(item.due_on)}，{cell.township.name}尚未报送或未通过审核。",
            True,
        )
    return None


def guidance_reminders_send(*, today=None, tally=None) -> int:
    """Send every reminder due today that has not been sent; return how many were sent."""
    from renda.accounts.models import User

    today = today or timezone.localdate()
    cells = (
        TownshipItem.objects.filter(
            state__in=[TownshipItem.State.OPEN, TownshipItem.State.RETURNED, TownshipItem.State.IN_PROGRESS]
        )
        .select_related("guidance_item", "township")
        .order_by("guidance_item__due_on", "pk")
    )
    staff: dict[int, list] = {}
    leaders: dict[tuple[int, int], object] = {}
    sent = 0
    for cell in cells.iterator(chunk_size=500):
        due = reminder_for(cell, today)
        if due is None:
            continue
        if cell.township_id not in staff:
            staff[cell.township_id] = list(
                User.objects.filter(role=Role.TOWNSHIP_STAFF, region_id=cell.township_id, is_active=True)
            )
        recipients = list(staff[cell.township_id])
        if due.overdue:
            group_key = (cell.guidance_item.guidance_list_id, cell.township_id)
            if group_key not in leaders:
                group = (
                    GuidanceGroup.objects.filter(guidance_list_id=group_key[0], townships=cell.township_id)
                    .select_related("leader")
                    .first()
                )
                leaders[group_key] = group.leader if group and group.leader.is_active else None
            if leaders[group_key] is not None:
                recipients.append(leaders[group_key])
        for user in recipients:
            notification = notification_send(
                recipient=user,
                kind="guidance.reminder",
                key=due.key,
                title=due.title,
                body=due.body,
                url=reverse("guidance:item", args=[cell.pk]),
            )
            if notification is not None:
                sent += 1
                if tally is not None:  # by outcome: sent, failed (retried later), no address
                    tally.add(notification)
    return sent
