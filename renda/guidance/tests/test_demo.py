"""The demo: the 2024 guidance board and the 2024 work plan, through the API and the pages."""

import io

from django.core.management import call_command

from renda.accounts.models import User
from renda.guidance.models import GuidanceList, StationRule, TownshipItem, TownshipItemEvent


def test_demo_guidance_board_and_work_plan(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    events = TownshipItemEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert TownshipItemEvent.objects.count() == events

    guidance = GuidanceList.objects.get(year=2024)
    assert guidance.townships.count() == 29 and guidance.groups.count() == 4
    client.force_login(User.objects.get(username="leader"))
    board = client.get(f"/api/v1/guidance/lists/{guidance.pk}/board").json()
    assert len(board["rows"]) == 29
    statuses = {c["status"] for row in board["rows"] for c in row["cells"] if c["status"]}
    # A year on, what was sent back or left in progress is overdue; the states are still there.
    assert {"done", "not_applicable", "reported", "overdue"} <= statuses
    assert {"accepted", "reported", "returned", "in_progress", "open"} <= set(
        TownshipItem.objects.values_list("state", flat=True)
    )
    earlier = client.get(f"/api/v1/guidance/lists/{guidance.pk}/board", {"as_of": "2024-03-01"}).json()
    assert earlier["rate"] == 0.0 and earlier["overdue"] == 0
    assert 40 < board["rate"] < 90
    actions = set(TownshipItemEvent.objects.values_list("action", flat=True))
    assert actions == {"report", "accept", "send_back"}
    assert client.get(f"/guidance/{guidance.pk}/board/").status_code == 200

    # The demo township account reports to the demo leader's group and has work left.
    staff = User.objects.get(username="township_staff")
    client.force_login(staff)
    items = client.get(f"/api/v1/guidance/lists/{guidance.pk}/townships/520521105/items").json()
    assert {"open", "returned"} <= {i["state"] for i in items}

    demo_rules = StationRule.objects.filter(station__demonstrations__isnull=False, posted=True).count()
    assert demo_rules == 8  # the four rules at each of the two demonstration stations

    client.force_login(User.objects.get(username="leader"))
    plans = client.get("/api/v1/workplans").json()["items"]
    assert [p["title"] for p in plans] == ["大方县人大常委会2024年工作要点"]
    plan = client.get(f"/api/v1/workplans/{plans[0]['id']}").json()
    bodies = {i["lead_body"] for i in plan["items"]}
    assert bodies == {"办公室", "法制工作委员会", "预算工作委员会", "代表工作委员会"}
    assert plan["figures"]["late"] >= 3
    assert client.get("/api/v1/workplans/late-items").json()["count"] == plan["figures"]["late"]
    assert client.get(f"/workplan/{plans[0]['id']}/").status_code == 200
