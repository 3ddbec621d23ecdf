"""Senders deliver a notification beyond the inbox; the setting RENDA_NOTIFICATION_SENDER names the class.

A sender is any class with `send(notification) -> bool | None`: it raises when delivery failed (the
notification is then retried with back-off, see services.notification_retry), returns False when it
has nowhere to deliver to (no address: nothing to retry), and None or True when delivered. The older
setting name RENDA_REMINDER_SENDER (from when only suggestion reminders were sent) is still read and,
when set, wins.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSender:
    """Writes the notification to the log; replace with an e-mail or SMS gateway through the setting."""

    def send(self, notification) -> None:
        logger.info("提醒 %s：%s %s", notification.user.get_username(), notification.title, notification.body)


class EmailSender:
    """E-mail through Django's mail backend (EMAIL_BACKEND; SMTP with EMAIL_HOST, EMAIL_PORT,
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL from the environment). A recipient without
    an e-mail address is skipped; a refused or unreachable server raises, so the send is retried."""

    def send(self, notification) -> bool:
        from django.core.mail import EmailMessage

        address = (notification.user.email or "").strip()
        if not address:
            return False
        body = notification.body
        if notification.url:
            base = (getattr(settings, "RENDA_PUBLIC_BASE_URL", "") or "").rstrip("/")
            body = f"{body}\n\n{base}{notification.url}" if base else f"{body}\n\n{notification.url}"
        message = EmailMessage(
            subject=f"【人大履职通】{notification.title}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        message.send(fail_silently=False)
        return True


def notification_sender():
    """An instance of the configured sender class."""
    path = getattr(settings, "RENDA_REMINDER_SENDER", None) or settings.RENDA_NOTIFICATION_SENDER
    return import_string(path)()
