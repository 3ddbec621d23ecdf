"""Delivery beyond the inbox: a failing sender never fails the caller nor the others, failures are
retried with back-off, and e-mail goes through Django's SMTP backend to a real (local) SMTP server."""

import datetime
import socket

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from renda.notifications.models import Notification
from renda.notifications.services import notification_retry, notification_send, retry_delay

SENDER = "renda.notifications.tests.test_delivery.Flaky"


class Flaky:
    """Fails for the usernames in `down`; records what it delivered."""

    down: set = set()
    delivered: list = []

    def send(self, notification):
        if notification.user.username in Flaky.down:
            raise ConnectionRefusedError("gateway unreachable")
        Flaky.delivered.append((notification.user.username, notification.title))


@pytest.fixture
def flaky():
    Flaky.down, Flaky.delivered = set(), []
    with override_settings(RENDA_NOTIFICATION_SENDER=SENDER, RENDA_REMINDER_SENDER=None):
        yield Flaky


def test_a_failing_sender_is_recorded_and_retried_with_back_off(users, flaky, settings):
    settings.RENDA_NOTIFICATION_MAX_ATTEMPTS = 3
    flaky.down = {"deputy"}
    notice = notification_send(recipient=users["deputy"], kind="activity.invitation", title="活动邀请")
    notice.refresh_from_db()
    assert notice.delivery == "failed" and notice.attempts == 1
    assert "gateway unreachable" in notice.last_error
    first_due = notice.next_attempt_at
    # Not due yet: nothing happens.
    assert notification_retry(now=first_due - datetime.timedelta(seconds=1))["failed"] == 0
    # Due, still down: the second wait is twice the first.
    assert notification_retry(now=first_due)["failed"] == 1
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.next_attempt_at == first_due + retry_delay(2)
    assert retry_delay(2) == 2 * retry_delay(1)
    # Third failure: given up (it stays in the inbox).
    assert notification_retry(now=notice.next_attempt_at)["abandoned"] == 1
    notice.refresh_from_db()
    assert notice.delivery == "abandoned" and notice.next_attempt_at is None
    assert Notification.objects.filter(user=users["deputy"]).count() == 1


def test_one_failure_never_stops_the_others(users, flaky):
    flaky.down = {"unit", "deputy"}
    for name in ("unit", "deputy", "leader"):
        notification_send(recipient=users[name], kind="activity.chase", title=f"催复{name}")
    assert flaky.delivered == [("leader", "催复leader")]
    flaky.down = {"unit"}
    later = timezone.now() + datetime.timedelta(days=2)
    assert notification_retry(now=later) == {"sent": 1, "failed": 1, "abandoned": 0, "skipped": 0}
    assert ("deputy", "催复deputy") in flaky.delivered
    flaky.down = set()
    call_command("notification_retry", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's own output
    # The command uses the real clock: the unit's retry is not due yet.
    assert Notification.objects.get(user=users["unit"]).delivery == "failed"
    assert notification_retry(now=later + datetime.timedelta(days=2))["sent"] == 1
    assert Notification.objects.filter(delivery="sent").count() == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def test_email_through_a_local_smtp_server_and_retry_after_an_outage(users, settings):
    from email import message_from_string
    from email.header import decode_header, make_header

    from aiosmtpd.controller import Controller

    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.RENDA_NOTIFICATION_SENDER = "renda.notifications.senders.EmailSender"
    settings.RENDA_REMINDER_SENDER = None
    settings.RENDA_PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    deputy = users["deputy"]
    deputy.email = "wangfang@example.cn"
    deputy.save(update_fields=["email"])
    # The server is down: the send fails and waits for a retry.
    notice = notification_send(
        recipient=deputy, kind="activity.invitation", title="活动邀请：视察", url="/a/1/"
    )
    notice.refresh_from_db()
    assert notice.delivery == "failed"
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert notification_retry(now=notice.next_attempt_at)["sent"] == 1
        ((recipients, raw),) = inbox.messages
        message = message_from_string(raw)
        assert recipients == ["wangfang@example.cn"]
        assert str(make_header(decode_header(message["Subject"]))) == "【人大履职通】活动邀请：视察"
        assert "https://rd.example.gov.cn/a/1/" in message.get_payload(decode=True).decode("utf-8")
        # No address: skipped, nothing to retry.
        skipped = notification_send(recipient=users["unit"], kind="x.y", title="无邮箱")
        skipped.refresh_from_db()
        assert skipped.delivery == "skipped" and len(inbox.messages) == 1
    finally:
        controller.stop()
    notice.refresh_from_db()
    assert notice.delivery == "sent" and notice.attempts == 2 and notice.delivered_at is not None
