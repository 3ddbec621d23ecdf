"""Writes of notifications: every app sends through `notification_send`."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification
from .senders import notification_sender


def notification_send(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> Notification | None:
    """Store one notification for `recipient` and hand it to the configured sender at once.

    kind: `<app>.<what>`, e.g. "suggestion.reminder". title: cut to 200 characters. url: a path in
    this site the notification is about ("" for none). key: when given, the notification is sent
    once only per recipient and key — a second call with the same key sends nothing and returns None.
    The sender runs straight after the row is written, not on commit: a caller that rolls back its
    own transaction afterwards has still delivered the message beyond the inbox.
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
    notification_sender().send(notification)
    return notification


def notification_read(*, user, notification_ids) -> int:
    """Mark the user's own unread notifications among `notification_ids` read; return how many."""
    return Notification.objects.filter(user=user, pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
