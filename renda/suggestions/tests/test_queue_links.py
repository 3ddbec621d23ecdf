"""Every work queue of every role links to a list of exactly its items: following the link shows the
same number (the list's "共 N 条") as the queue says, with items outside the queue present."""

import datetime
import re

import pytest
from django.utils import timezone

from renda.core.queues import work_queues
from renda.suggestions.models import Assignment, State, Suggestion

ROLES = ("county_staff", "station_keeper", "deputy", "unit", "leader")


@pytest.fixture
def scene(users, make):
    make(State.SUBMITTED, title="待审查的那件")
    make(State.ASSIGNED, title="办理中的那件")
    late = make(State.ASSIGNED, title="超期的那件")
    Suggestion.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    Assignment.objects.filter(suggestion=late).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    make(State.REPLIED, title="已答复的那件")
    mine = make(State.ASSIGNED, title="领导督办的那件")
    others = make(State.ASSIGNED, title="别的领导督办的那件")
    closed = make(State.CLOSED, title="已办结的重点建议")
    Suggestion.objects.filter(pk__in=[mine.pk, closed.pk]).update(
        is_key=True, key_leader="县人大常委会主任", key_leader_user=users["leader"]
    )
    Suggestion.objects.filter(pk=others.pk).update(is_key=True, key_leader="县人大常委会副主任")


def _total(page: str) -> int | None:
    """The list's own count ("共 N 条"), or 0 for its empty state; None if it says neither."""
    found = re.search(r"共 (\d+) 条", page)
    if found:
        return int(found.group(1))
    return 0 if 'class="empty"' in page else None


@pytest.mark.parametrize("role", ROLES)
def test_each_queue_links_to_a_list_of_exactly_its_items(role, users, scene, client):
    user = users[role]
    client.force_login(user)
    wrong = []
    for queue in work_queues(user):
        response = client.get(queue["url"], follow=True)
        shown = _total(response.content.decode()) if response.status_code == 200 else None
        if shown != queue["count"]:
            wrong.append((queue["key"], queue["url"], queue["count"], response.status_code, shown))
    assert wrong == [], "\n".join(map(str, wrong))
