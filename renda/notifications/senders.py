"""Senders deliver a notification beyond the inbox; the setting RENDA_NOTIFICATION_SENDER names the class.

A sender is any class with `send(notification) -> None`. The older setting name RENDA_REMINDER_SENDER
(from when only suggestion reminders were sent) is still read and, when set, wins.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSender:
    """Writes the notification to the log; replace with an e-mail or SMS gateway through the setting."""

    def send(self, notification) -> None:
        logger.info("提醒 %s：%s %s", notification.user.get_username(), notification.title, notification.body)


def notification_sender():
    """An instance of the configured sender class."""
    path = getattr(settings, "RENDA_REMINDER_SENDER", None) or settings.RENDA_NOTIFICATION_SENDER
    return import_string(path)()
