"""不满意 closes the loop back to the lead unit: the item it must handle again is in a work queue of
its home (with the new deadline) and it is notified; county staff see the items returned for
re-handling in a queue of their own (issue 11, a fresh tester's report)."""

from django.urls import reverse

from renda.core.queues import work_queues
from renda.notifications.models import Notification
from renda.suggestions.models import State


def test_the_lead_unit_is_told_and_sees_the_item_to_handle_again(
    make, users, client, django_capture_on_commit_callbacks
):
    make(State.REPLIED, title="已答复待评价的那件")
    with django_capture_on_commit_callbacks(execute=True):
        again = make(State.REHANDLING, title="代表不满意的那件")
    queues = {q["key"]: q for q in work_queues(users["unit"])}
    assert queues["suggestions.unit_rehandle"]["count"] == 1
    client.force_login(users["unit"])
    listing = client.get(queues["suggestions.unit_rehandle"]["url"]).content.decode()
    assert "代表不满意的那件" in listing and "已答复待评价的那件" not in listing
    sent = Notification.objects.get(user=users["unit"], kind="suggestion.rehandle")
    assert "代表不满意的那件" in sent.title and "修复范围太小" in sent.body
    assert sent.url == reverse("suggestions:detail", args=[again.pk])
    staff = {q["key"]: q for q in work_queues(users["county_staff"])}
    assert staff["suggestions.rehandling"]["count"] == 1
    client.force_login(users["county_staff"])
    listing = client.get(staff["suggestions.rehandling"]["url"]).content.decode()
    assert "代表不满意的那件" in listing and "已答复待评价的那件" not in listing
