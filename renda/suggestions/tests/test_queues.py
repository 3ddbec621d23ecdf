"""Work queues on the home pages (core/queues.py): county staff and leaders; one query per queue."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.core.queues import queues_for, work_queues
from renda.suggestions.models import Assignment, Extension, State


def _counts(user):
    with CaptureQueriesContext(connection) as queries:
        found = work_queues(user)
    # Exactly one query per queue, whatever the data.
    assert len(queries) == len(queues_for(user)), [q["sql"] for q in queries]
    return {q["key"]: (q["count"], q["url"]) for q in found}


def test_county_staff_see_what_waits_for_them_linking_to_the_filtered_lists(users, make, client):
    make(State.SUBMITTED)
    make(State.SUBMITTED, title="关于改善九驿街道照明的建议")
    assigned = make(State.ASSIGNED)
    staff = users["county_staff"]
    counts = _counts(staff)
    assert counts["suggestions.submitted"][0] == 2
    assert counts["suggestions.return_requests"][0] == 0
    # Following the link lists exactly those items.
    client.force_login(staff)
    page = client.get(counts["suggestions.submitted"][1]).content.decode()
    assert "关于改善九驿街道照明的建议" in page and f"/suggestions/{assigned.pk}/" not in page

    part = assigned.assignments.get(role=Assignment.Role.LEAD)
    Assignment.objects.filter(pk=part.pk).update(state=Assignment.State.RETURN_REQUESTED)
    Extension.objects.create(
        assignment=part,
        requested_due_on=timezone.localdate() + datetime.timedelta(days=60),
        reason="需协调资金",
    )
    counts = _counts(staff)
    assert counts["suggestions.return_requests"][0] == 1
    assert counts["suggestions.extension_requests"][0] == 1
    listed = client.get(counts["suggestions.extension_requests"][1]).content.decode()
    assert f"/suggestions/{assigned.pk}/" in listed
    home = client.get("/").content.decode()
    assert "待办事项" in home and "承办单位的延期申请" in home and "?pending=extension" in home


def test_leader_sees_key_items_and_changes_since_last_look(users, make, client):
    leader = users["leader"]
    item = make(State.ASSIGNED)
    type(item).objects.filter(pk=item.pk).update(
        is_key=True, key_leader="县人大常委会主任", key_leader_user=leader
    )
    counts = _counts(leader)
    assert counts["suggestions.key_mine"][0] == 1
    assert counts["suggestions.key_changes"][0] >= 3  # submit, accept, assign within 30 days
    assert "suggestions.submitted" not in counts  # staff's queues are not the leader's
    client.force_login(leader)
    response = client.get(counts["suggestions.key_changes"][1])
    assert response.status_code == 302 and response["Location"] == "/suggestions/key/"
    assert _counts(leader)["suggestions.key_changes"][0] == 0


def test_queue_open_refuses_queues_of_other_roles(users, client):
    client.force_login(users["county_staff"])
    assert client.get("/queues/suggestions.key_changes/").status_code == 404
