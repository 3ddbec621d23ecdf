"""Reminders before due dates and on overdue items, once only, through renda.notifications."""

import datetime
import io

import pytest
from django.core.management import call_command

from renda.guidance import services
from renda.guidance.reminders import guidance_reminders_send
from renda.guidance.tasks import guidance_reminders_task
from renda.notifications.models import Notification
from renda.workplan.reminders import workplan_reminders_send

from .conftest import cell, pdf

pytestmark = pytest.mark.django_db


def test_before_due_then_overdue_to_the_group_leader_once_only(guidance, regions, users):
    # presidium due 2024-03-31 (黄泥塘镇 only); reception 06-30 (both); records 12-31.
    assert guidance_reminders_send(today=datetime.date(2024, 3, 25)) == 1  # 6 days before: 黄泥塘镇 staff
    note = Notification.objects.get()
    assert note.user == users["township_staff"] and note.kind == "guidance.reminder"
    assert note.title.startswith("还有6天到期") and note.url.startswith("/guidance/items/")
    assert guidance_reminders_send(today=datetime.date(2024, 3, 25)) == 0  # the same day again: nothing
    assert guidance_reminders_send(today=datetime.date(2024, 3, 26)) == 0  # the "before" one is sent once

    # Overdue: township staff and the leader of the group covering 黄泥塘镇.
    sent = guidance_reminders_send(today=datetime.date(2024, 4, 1))
    assert sent == 2
    assert set(
        Notification.objects.filter(title__startswith="已逾期").values_list("user__username", flat=True)
    ) == {
        "township_staff",
        "leader",
    }
    assert guidance_reminders_send(today=datetime.date(2024, 4, 3)) == 0  # same 7-day slot
    assert guidance_reminders_send(today=datetime.date(2024, 4, 8)) == 2  # next slot

    # A reported item is no longer reminded; 九驿街道 is in no group, so only its staff hear of it.
    town = cell(guidance["reception"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"], item=town, result="done", note="x", files=[pdf()]
    )
    before = Notification.objects.count()
    guidance_reminders_send(today=datetime.date(2024, 7, 1))
    new = Notification.objects.filter(pk__gt=before).values_list("user__username", "title")
    assert {u for u, _t in new} == {"jiuyi_staff"} or {u for u, _t in new} == {
        "jiuyi_staff",
        "township_staff",
        "leader",
    }
    assert not any("联络站每月接待日" in t and u == "township_staff" for u, t in new)


def test_no_nagging_for_ever_and_command_and_task(guidance, users):
    assert guidance_reminders_send(today=datetime.date(2025, 12, 31)) == 0  # long past: quiet
    out = io.StringIO()
    call_command("guidance_reminders", "--date", "2024-12-25", stdout=out)
    assert "提醒共" in out.getvalue() and "已发送" in out.getvalue()
    assert Notification.objects.filter(title__contains="建立代表履职档案").count() == 2  # both townships
    assert guidance_reminders_task.enqueue().return_value == 0  # today (2026+): all long past


def test_workplan_reminders_to_the_lead_body(db, regions):
    from renda.accounts.services import user_create
    from renda.conftest import PASSWORD
    from renda.organizations.models import Organization
    from renda.workplan import services as plan_services

    committee = Organization.objects.create(
        name="大方县人大常委会", kind="standing_committee", region=regions["county"]
    )
    legal = Organization.objects.create(name="法制工作委员会", kind="work_body", region=regions["county"])
    staff = user_create(
        username="legal", password=PASSWORD, role="county_staff", region=regions["county"], organization=legal
    )
    plan = plan_services.work_plan_create(
        year=2024, title="2024年工作要点", organization=committee, region=regions["county"]
    )
    chapter = plan_services.chapter_add(plan=plan, title="监督")
    item = plan_services.plan_item_add(
        plan=plan, chapter=chapter, text="执法检查", lead_body=legal, due_kind="month", due_month=6
    )
    assert workplan_reminders_send(today=datetime.date(2024, 6, 20)) == 1
    assert workplan_reminders_send(today=datetime.date(2024, 6, 21)) == 0
    assert workplan_reminders_send(today=datetime.date(2024, 7, 1)) == 1
    plan_services.progress_report_add(actor=staff, item=item, percent=100, note="完成")
    assert workplan_reminders_send(today=datetime.date(2024, 7, 9)) == 0
    assert Notification.objects.filter(user=staff, kind="workplan.reminder").count() == 2
