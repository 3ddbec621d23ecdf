"""Writes of notifications: every app sends through `notification_send`; failed deliveries are
retried with back-off by `notification_retry` (command `notification_retry`, task of the same name)."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Delivery, Notification
from .senders import notification_sender

logger = logging.getLogger(__name__)


def notification_send(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> Notification | None:
    """Store one notification for `recipient` and hand it to the configured sender at once.

    kind: `<app>.<what>`, e.g. "suggestion.reminder". title: cut to 200 characters. url: a path in
    this site the notification is about ("" for none). key: when given, the notification is sent
    once only per recipient and key — a second call with the same key sends nothing and returns None.
    The sender runs straight after the row is written, not on commit: a caller that rolls back its
    own transaction afterwards has still delivered the message beyond the inbox. A sender that
    fails does not fail the caller: the failure is recorded on the row and retried later.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=recipient, kind=kind, key=key, title=title[:200], body=body, url=url
            )
    except IntegrityError:
        if key is None:
            raise
        return None  # already sent: the key is unique per recipient
    notification_deliver(notification=notification, sender=notification_sender())
    return notification


class SendTally:
    """What one run of reminders did, by outcome: `add(notification)` after each `notification_send`
    (None — already sent earlier — is not counted). `report(what)` is the line a command prints:
    "提醒共 17 条：已发送 8 条，发送失败 9 条（已记录，将自动重试）" — a failure is never counted as sent."""

    def __init__(self):
        self.sent = self.failed = self.skipped = 0

    def add(self, notification) -> None:
        if notification is None:
            return
        if notification.delivery == Delivery.SENT:
            self.sent += 1
        elif notification.delivery == Delivery.SKIPPED:
            self.skipped += 1
        else:  # failed (to be retried) or abandoned
            self.failed += 1

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.skipped

    def report(self, what: str = "提醒") -> str:
        parts = [f"已发送 {self.sent} 条"]
        if self.failed:
            parts.append(f"发送失败 {self.failed} 条（已记录，将自动重试）")
        if self.skipped:
            parts.append(f"无发送地址 {self.skipped} 条（仅站内通知）")
        return f"{what}共 {self.total} 条：" + "，".join(parts)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after the `attempts`-th failure: RENDA_NOTIFICATION_RETRY_BASE_SECONDS (300) doubled
    each time (5, 10, 20, 40 minutes …), at most RENDA_NOTIFICATION_RETRY_MAX_SECONDS (a day)."""
    base = settings.RENDA_NOTIFICATION_RETRY_BASE_SECONDS
    return datetime.timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.RENDA_NOTIFICATION_RETRY_MAX_SECONDS)
    )


def notification_deliver(*, notification: Notification, sender, now: datetime.datetime | None = None) -> str:
    """Hand one notification to `sender` and record the outcome on the row; never raises for a
    sender's failure. After RENDA_NOTIFICATION_MAX_ATTEMPTS (6) failures the notification is
    abandoned (it stays in the inbox). Returns the new delivery state."""
    now = now or timezone.now()
    attempts = notification.attempts + 1
    try:
        outcome = sender.send(notification)
    except Exception as exc:  # any sender failure (SMTP refused, gateway down) is recorded, not raised
        logger.warning("notification %s delivery failed (attempt %s): %s", notification.pk, attempts, exc)
        give_up = attempts >= settings.RENDA_NOTIFICATION_MAX_ATTEMPTS
        fields = {
            "delivery": Delivery.ABANDONED if give_up else Delivery.FAILED,
            "attempts": attempts,
            "next_attempt_at": None if give_up else now + retry_delay(attempts),
            "last_error": f"{type(exc).__name__}: {exc}"[:300],
        }
    else:
        fields = {
            "delivery": Delivery.SKIPPED if outcome is False else Delivery.SENT,
            "attempts": attempts,
            "next_attempt_at": None,
            "delivered_at": None if outcome is False else now,
        }
    Notification.objects.filter(pk=notification.pk).update(**fields)
    for name, value in fields.items():
        setattr(notification, name, value)
    return fields["delivery"]


def notification_retry(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Deliver again every failed notification whose back-off has passed, oldest first. One failure
    never stops the others. Shape: {"sent": n, "failed": n, "abandoned": n, "skipped": n}."""
    now = now or timezone.now()
    sender = notification_sender()
    counts = dict.fromkeys((Delivery.SENT, Delivery.FAILED, Delivery.ABANDONED, Delivery.SKIPPED), 0)
    due = (
        Notification.objects.filter(delivery=Delivery.FAILED, next_attempt_at__lte=now)
        .select_related("user")
        .order_by("next_attempt_at", "pk")[:limit]
    )
    for notification in list(due):
        counts[notification_deliver(notification=notification, sender=sender, now=now)] += 1
    return {str(k): v for k, v in counts.items()}


def notification_read(*, user, notification_ids) -> int:
    """Mark the user's own unread notifications among `notification_ids` read; return how many."""
    return Notification.objects.filter(user=user, pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
