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
    assert counts["suggestions.key_changes"][0] == 1  # submitted, accepted, assigned within 30 days
    assert "suggestions.submitted" not in counts  # staff's queues are not the leader's
    client.force_login(leader)
    response = client.get(counts["suggestions.key_changes"][1])
    assert response.status_code == 302 and response["Location"].startswith("/suggestions/key/?mine=1&since=")
    assert item.title in client.get(response["Location"]).content.decode()
    assert _counts(leader)["suggestions.key_changes"][0] == 0


def test_queue_open_refuses_queues_of_other_roles(users, client):
    client.force_login(users["county_staff"])
    assert client.get("/queues/suggestions.key_changes/").status_code == 404


def test_unit_sees_parts_to_sign_due_soon_overdue_and_co_input(users, make, units, client):
    to_sign = make(State.ASSIGNED, title="待签收的那件")
    signed = make(State.ASSIGNED, title="快到期的那件")
    signed_part = signed.assignments.get(role=Assignment.Role.LEAD)
    Assignment.objects.filter(pk=signed_part.pk).update(
        state=Assignment.State.ACCEPTED, due_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    late = make(State.ASSIGNED, title="超期的那件")
    Assignment.objects.filter(suggestion=late).update(
        state=Assignment.State.ACCEPTED, due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    co = make(State.ASSIGNED, title="协办的那件", lead_unit=units["education"], co_units=[units["transport"]])
    Assignment.objects.filter(suggestion=co, role=Assignment.Role.CO).update(state=Assignment.State.ACCEPTED)
    counts = _counts(users["unit"])
    assert counts["suggestions.unit_to_sign"][0] == 1
    assert counts["suggestions.unit_due_soon"][0] == 1
    assert counts["suggestions.unit_overdue"][0] == 1
    assert counts["suggestions.unit_co_input"][0] == 1
    client.force_login(users["unit"])
    page = client.get(counts["suggestions.unit_to_sign"][1]).content.decode()
    assert to_sign.title in page and signed.title not in page and "只显示待签收" in page
    page = client.get(counts["suggestions.unit_co_input"][1]).content.decode()
    assert co.title in page and late.title not in page
    assert "待签收的承办件" in client.get("/").content.decode()


def test_deputy_sees_replies_to_evaluate_on_the_portal(users, make, client):
    replied = make(State.REPLIED, title="已答复待评价的那件")
    make(State.ASSIGNED, title="还在办理的那件")
    counts = _counts(users["deputy"])
    assert counts["suggestions.to_evaluate"][0] == 1
    client.force_login(users["deputy"])
    page = client.get(counts["suggestions.to_evaluate"][1]).content.decode()
    assert replied.title in page and "还在办理的那件" not in page
    assert "等待我评价的答复" in client.get("/deputies/portal/").content.decode()
