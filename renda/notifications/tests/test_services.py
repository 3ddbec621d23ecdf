"""notification_send: stored for its recipient, handed to the configured sender, once-only by key."""

import pytest
from django.db import IntegrityError
from django.test import override_settings

from renda.notifications.models import Notification
from renda.notifications.selectors import notification_list, notification_unread_count
from renda.notifications.services import notification_read, notification_send


class Recorder:
    sent: list = []

    def send(self, notification):
        Recorder.sent.append((notification.user.username, notification.kind, notification.title))


@override_settings(RENDA_NOTIFICATION_SENDER="renda.notifications.tests.test_services.Recorder")
def test_send_stores_and_delivers_and_a_key_makes_it_once_only(users):
    Recorder.sent = []
    first = notification_send(
        recipient=users["unit"],
        kind="suggestion.reminder",
        title="还有15天到期",
        body="请办理",
        url="/x/",
        key="k1",
    )
    again = notification_send(recipient=users["unit"], kind="suggestion.reminder", title="重复", key="k1")
    assert first is not None and again is None
    assert Recorder.sent == [("unit", "suggestion.reminder", "还有15天到期")]
    # Without a key nothing is deduplicated, and the same key is free for another user.
    assert notification_send(recipient=users["unit"], kind="activity.invite", title="无键") is not None
    assert notification_send(recipient=users["unit"], kind="activity.invite", title="无键") is not None
    assert notification_send(recipient=users["deputy"], kind="suggestion.reminder", title="他人", key="k1")
    assert Notification.objects.filter(user=users["unit"]).count() == 3
    stored = Notification.objects.get(pk=first.pk)
    assert (stored.url, stored.body, stored.read_at) == ("/x/", "请办理", None)


@override_settings(RENDA_NOTIFICATION_SENDER="renda.notifications.tests.test_services.Recorder")
def test_long_titles_are_cut_to_the_column(users):
    notice = notification_send(recipient=users["unit"], kind="x.y", title="长" * 300)
    assert len(Notification.objects.get(pk=notice.pk).title) == 200


@override_settings(
    RENDA_NOTIFICATION_SENDER="renda.notifications.senders.ConsoleSender",
    RENDA_REMINDER_SENDER="renda.notifications.tests.test_services.Recorder",
)
def test_the_older_setting_name_still_chooses_the_sender(users):
    Recorder.sent = []
    notification_send(recipient=users["deputy"], kind="x.y", title="旧设置")
    assert Recorder.sent == [("deputy", "x.y", "旧设置")]


def test_read_marks_only_the_users_own_and_the_selectors_count_them(users):
    mine = [notification_send(recipient=users["unit"], kind="x.y", title=f"第{i}条") for i in range(3)]
    theirs = notification_send(recipient=users["deputy"], kind="x.y", title="他人的")
    assert notification_unread_count(user=users["unit"]) == 3
    assert notification_read(user=users["unit"], notification_ids=[mine[0].pk, theirs.pk]) == 1
    assert notification_unread_count(user=users["unit"]) == 2
    assert notification_unread_count(user=users["deputy"]) == 1
    assert [n.title for n in notification_list(user=users["unit"])] == ["第2条", "第1条", "第0条"]


def test_a_duplicate_without_key_is_impossible_but_a_real_integrity_error_is_not_hidden(users):
    with pytest.raises(IntegrityError):
        notification_send(recipient=None, kind="x.y", title="无收件人")
