"""Moving the model out of suggestions keeps every stored reminder, with a link to its suggestion."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("suggestions", "0002_suggestion_public_title"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_reminders_stored_in_suggestions_survive_the_move(users, make):
    suggestion_id = make("draft").pk
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state([BEFORE[0]]).apps
        Suggestion = old.get_model("suggestions", "Suggestion")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM suggestions_notification")
            assert cursor.fetchone()[0] == 0
        Notification = old.get_model("suggestions", "Notification")
        assert Suggestion.objects.filter(pk=suggestion_id).exists()
        Notification.objects.create(
            user_id=users["unit"].pk,
            suggestion_id=suggestion_id,
            key="a1:due",
            title="今天到期：甲",
            body="请答复",
        )
        Notification.objects.create(user_id=users["unit"].pk, key="a2:due", title="今天到期：乙")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    from renda.notifications.models import Notification as Moved

    rows = {n.title: n for n in Moved.objects.filter(user=users["unit"])}
    assert set(rows) == {"今天到期：甲", "今天到期：乙"}
    assert rows["今天到期：甲"].kind == "suggestion.reminder" and rows["今天到期：甲"].key == "a1:due"
    assert rows["今天到期：甲"].url == f"/suggestions/{suggestion_id}/"
    assert rows["今天到期：乙"].url == "" and rows["今天到期：乙"].read_at is None
