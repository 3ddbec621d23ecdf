"""The inbox: own notifications only, at /notifications/ and at the units' old address."""

import pytest

from renda.notifications.models import Notification
from renda.notifications.services import notification_send


@pytest.mark.parametrize("path", ["/notifications/", "/suggestions/notifications/"])
def test_inbox_shows_own_unread_and_marks_all_read(users, client, path):
    notification_send(recipient=users["unit"], kind="suggestion.reminder", key="k1", title="还有15天到期",
                      body="请办理", url="/suggestions/7/")  # fmt: skip
    notification_send(recipient=users["deputy"], kind="x.y", title="别人的提醒")
    client.force_login(users["unit"])
    body = client.get(path).content.decode()
    assert "还有15天到期" in body and "未读" in body and 'href="/suggestions/7/"' in body
    assert "别人的提醒" not in body
    response = client.post(path, {"all": "1"})
    assert response.status_code == 302 and response["Location"] == path
    assert Notification.objects.get(user=users["unit"]).read_at is not None
    assert Notification.objects.get(user=users["deputy"]).read_at is None


def test_inbox_marks_chosen_ids_and_ignores_others(users, client):
    mine = notification_send(recipient=users["unit"], kind="x.y", title="一")
    other = notification_send(recipient=users["unit"], kind="x.y", title="二")
    theirs = notification_send(recipient=users["deputy"], kind="x.y", title="三")
    client.force_login(users["unit"])
    client.post("/notifications/", {"ids": [str(mine.pk), str(theirs.pk), "x"]})
    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {mine.pk}
    assert other.pk not in read


def test_inbox_is_refused_to_roles_without_one(users, client):
    for username in ("admin", "auditor", "station_keeper"):
        client.force_login(users[username])
        assert client.get("/notifications/").status_code == 404, username


def test_inbox_query_count_does_not_grow_with_the_list(users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["unit"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/notifications/").status_code == 200
        return len(ctx)

    notification_send(recipient=users["unit"], kind="x.y", title="提醒")
    few = queries()
    for i in range(25):
        notification_send(recipient=users["unit"], kind="x.y", title=f"提醒{i}")
    assert queries() == few
