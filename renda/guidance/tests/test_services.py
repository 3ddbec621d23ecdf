"""Guidance services: who reports and reviews what, the events every step leaves, evidence checks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from renda.core.errors import DomainError, InvalidTransition
from renda.guidance import selectors, services
from renda.guidance.models import TownshipItem, TownshipItemEvent

from .conftest import cell, jpeg, pdf

pytestmark = pytest.mark.django_db

State = TownshipItem.State
Result = TownshipItem.Result


def test_items_apply_to_towns_streets_or_both(guidance, regions):
    assert set(guidance["presidium"].cells.values_list("township__name", flat=True)) == {"黄泥塘镇"}
    assert guidance["reception"].cells.count() == 2


def test_township_sees_and_reports_only_its_own_items(guidance, regions, users):
    gl = guidance["list"]
    mine = selectors.township_item_list(user=users["township_staff"], guidance_list=gl)
    assert {c.township.name for c in mine} == {"黄泥塘镇"}
    jiuyi_cell = cell(guidance["reception"], regions["jiuyi"])
    with pytest.raises(Http404):
        selectors.township_item_get(
            user=users["township_staff"], pk=jiuyi_cell.pk, permission="guidance.report"
        )
    # The street sees only its own; the county all.
    assert {
        c.township.name for c in selectors.township_item_list(user=users["jiuyi_staff"], guidance_list=gl)
    } == {"九驿街道"}
    assert selectors.township_item_list(user=users["county_staff"], guidance_list=gl).count() == 5
    assert list(selectors.township_choices(user=users["township_staff"], guidance_list=gl)) == [
        regions["huangnitang"]
    ]


def test_report_with_evidence_send_back_and_re_report_each_leave_an_event(guidance, regions, users):
    item = cell(guidance["presidium"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"],
        item=item,
        result=Result.DONE,
        note="2月28日召开主席团第一次会议",
        files=[pdf(), jpeg()],
    )
    item.refresh_from_db()
    assert item.state == State.REPORTED and item.evidence.count() == 2
    report = item.events.get()
    assert (
        report.action == "report" and report.evidence.count() == 2 and report.actor == users["township_staff"]
    )

    services.township_item_review(actor=users["leader"], item=item, decision="send_back", note="缺少签到表")
    item.refresh_from_db()
    assert item.state == State.RETURNED and item.review_note == "缺少签到表"

    # Re-report without new files: the evidence already sent still counts.
    services.township_item_report(
        actor=users["township_staff"], item=item, result=Result.DONE, note="补充说明"
    )
    services.township_item_review(actor=users["leader"], item=item, decision="accept")
    item.refresh_from_db()
    assert item.state == State.ACCEPTED
    events = list(item.events.values_list("action", "from_state", "to_state", "actor__username"))
    assert events == [
        ("report", "open", "reported", "township_staff"),
        ("send_back", "reported", "returned", "leader"),
        ("report", "returned", "reported", "township_staff"),
        ("accept", "reported", "accepted", "leader"),
    ]
    with pytest.raises(InvalidTransition):
        services.township_item_report(
            actor=users["township_staff"], item=item, result=Result.DONE, note="再报"
        )


def test_group_leader_reviews_only_the_townships_of_their_group(guidance, regions, users, other_leader):
    town = cell(guidance["reception"], regions["huangnitang"])
    street = cell(guidance["reception"], regions["jiuyi"])
    services.township_item_report(
        actor=users["township_staff"], item=town, result=Result.IN_PROGRESS, note="已开展3次"
    )
    services.township_item_report(
        actor=users["jiuyi_staff"], item=street, result=Result.IN_PROGRESS, note="已开展2次"
    )
    # 九驿街道 is in no group of `leader`; a leader with no group reviews nothing.
    with pytest.raises(DomainError) as refused:
        services.township_item_review(actor=users["leader"], item=street, decision="accept")
    assert refused.value.field == "decision"
    with pytest.raises(DomainError):
        services.township_item_review(actor=other_leader, item=town, decision="accept")
    # Township staff cannot review even their own.
    with pytest.raises(DomainError):
        services.township_item_review(actor=users["township_staff"], item=town, decision="accept")
    services.township_item_review(actor=users["leader"], item=town, decision="accept")
    town.refresh_from_db()
    assert town.state == State.IN_PROGRESS  # accepted progress, to be reported again
    waiting = selectors.township_item_list(
        user=users["leader"], guidance_list=guidance["list"], to_review=True
    )
    assert list(waiting) == []


def test_a_group_member_reviews_too(guidance, regions, users):
    guidance["group"].members.add(users["county_staff"])
    item = cell(guidance["records"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"], item=item, result=Result.DONE, note="已建档", files=[pdf()]
    )
    services.township_item_review(actor=users["county_staff"], item=item, decision="accept")
    assert item.events.filter(action="accept", actor=users["county_staff"]).exists()


def test_bad_reports_are_refused_with_the_field_named(guidance, regions, users):
    item = cell(guidance["presidium"], regions["huangnitang"])
    staff = users["township_staff"]
    cases = [
        ({"result": "", "note": "x"}, "result"),
        ({"result": Result.DONE, "note": "  "}, "note"),
        ({"result": Result.NOT_APPLICABLE, "note": "本镇无"}, "reason"),
        ({"result": Result.DONE, "note": "开了会"}, "files"),  # done without evidence
        (
            {
                "result": Result.DONE,
                "note": "x",
                "files": [SimpleUploadedFile("记录.pdf", b"MZ\x90\x00fake")],
            },
            "files",
        ),
        ({"result": Result.DONE, "note": "x", "files": [SimpleUploadedFile("a.exe", b"MZ")]}, "files"),
        (
            {
                "result": Result.DONE,
                "note": "x",
                "files": [SimpleUploadedFile("照片.jpg", b"\xff\xd8\xffnot really")],
            },
            "files",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as refused:
            services.township_item_report(actor=staff, item=item, **kwargs)
        assert refused.value.field == field, kwargs
    item.refresh_from_db()
    assert item.state == State.OPEN and not item.events.exists() and not item.evidence.exists()
    with pytest.raises(DomainError) as refused:
        services.township_item_review(actor=users["leader"], item=item, decision="send_back", note="")
    assert refused.value.field == "note"


def test_photos_are_shrunk_and_stripped(guidance, regions, users):
    item = cell(guidance["presidium"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"],
        item=item,
        result=Result.DONE,
        note="x",
        files=[jpeg(4000, 3000, "IMG_0001.JPG")],
    )
    evidence = item.evidence.get()
    assert evidence.is_photo and evidence.name == "IMG_0001.jpg"
    with evidence.file.open("rb") as stream, Image.open(stream) as image:
        assert max(image.size) == 1600 and image.format == "JPEG"
        assert not image.getexif()


def test_stale_version_is_refused(guidance, regions, users):
    item = cell(guidance["records"], regions["huangnitang"])
    stale = TownshipItem.objects.get(pk=item.pk)
    services.township_item_report(
        actor=users["township_staff"], item=item, result=Result.IN_PROGRESS, note="a"
    )
    with pytest.raises(DomainError) as refused:
        services.township_item_report(
            actor=users["township_staff"], item=stale, result=Result.IN_PROGRESS, note="b"
        )
    assert refused.value.status == 409
    assert TownshipItemEvent.objects.filter(township_item=item).count() == 1


def test_group_rules(guidance, regions, users, other_leader):
    gl = guidance["list"]
    with pytest.raises(DomainError) as refused:
        services.guidance_group_create(
            guidance_list=gl, name="第二组", leader=users["county_staff"], townships=[regions["jiuyi"]]
        )
    assert refused.value.field == "leader"
    with pytest.raises(DomainError) as refused:
        services.guidance_group_create(
            guidance_list=gl, name="第二组", leader=other_leader, townships=[regions["huangnitang"]]
        )
    assert refused.value.field == "townships" and "第一指导组" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.guidance_item_add(guidance_list=gl, title="x", due_on=datetime.date(2030, 1, 1))
    assert refused.value.field == "due_on"


def test_board_rates_are_computed_from_events_and_match_hand_figures(guidance, regions, users, other_leader):
    """黄泥塘镇: 3 items. presidium done+accepted, reception not applicable+accepted, records open.
    → done 1 of (3 − 1 n/a) = 50.0 %. 九驿街道: 2 items (no presidium). reception reported, not yet
    accepted; records done+accepted → 1 of 2 = 50.0 %. County: 2 of 4 = 50.0 %.
    All events dated 2024-06-15. As of 2024-07-01 nothing open is past due (黄泥塘镇's records is due
    12-31); as of 2025-01-01 黄泥塘镇's records is overdue; as of 2024-04-30 nothing had happened and
    黄泥塘镇's presidium meeting (due 03-31) was overdue."""
    services.guidance_group_create(
        guidance_list=guidance["list"], name="第二指导组", leader=other_leader, townships=[regions["jiuyi"]]
    )
    town, street = regions["huangnitang"], regions["jiuyi"]
    staff, leader = users["township_staff"], users["leader"]
    p = cell(guidance["presidium"], town)
    services.township_item_report(actor=staff, item=p, result=Result.DONE, note="x", files=[pdf()])
    services.township_item_review(actor=leader, item=p, decision="accept")
    r = cell(guidance["reception"], town)
    services.township_item_report(
        actor=staff, item=r, result=Result.NOT_APPLICABLE, note="x", reason="站点改建"
    )
    services.township_item_review(actor=leader, item=r, decision="accept")
    s = cell(guidance["reception"], street)
    services.township_item_report(
        actor=users["jiuyi_staff"], item=s, result=Result.DONE, note="x", files=[pdf()]
    )
    s2 = cell(guidance["records"], street)
    services.township_item_report(
        actor=users["jiuyi_staff"], item=s2, result=Result.DONE, note="x", files=[pdf()]
    )
    services.township_item_review(actor=other_leader, item=s2, decision="accept")

    TownshipItemEvent.objects.update(occurred_at=datetime.datetime(2024, 6, 15, 8, tzinfo=datetime.UTC))
    b = selectors.board(
        user=users["county_staff"], guidance_list=guidance["list"], as_of=datetime.date(2024, 7, 1)
    )
    rows = {row.township.name: row for row in b.rows}
    assert (rows["黄泥塘镇"].applicable, rows["黄泥塘镇"].done, rows["黄泥塘镇"].not_applicable) == (3, 1, 1)
    assert rows["黄泥塘镇"].rate == 50.0 and rows["九驿街道"].rate == 50.0 and b.rate == 50.0
    assert b.overdue == 0
    # The state column says the same as the events.
    assert TownshipItem.objects.get(pk=s.pk).state == State.REPORTED
    assert (
        rows["九驿街道"].cells[[i.pk for i in b.items].index(guidance["reception"].pk)].status == "reported"
    )

    later = selectors.board(
        user=users["county_staff"], guidance_list=guidance["list"], as_of=datetime.date(2025, 1, 1)
    )
    assert later.overdue == 1 and later.items[0] == guidance["records"]  # overdue item first
    assert later.rows[0].township == town  # township with overdue items first

    # Before anything happened (the events are dated 2024-06-15): everything open, nothing done.
    early = selectors.board(
        user=users["county_staff"], guidance_list=guidance["list"], as_of=datetime.date(2024, 4, 30)
    )
    assert early.rate == 0.0 and early.overdue == 1  # presidium (due 03-31) open at 黄泥塘镇

    # A township's board shows only its own row; a group's board only its townships.
    mine = selectors.board(user=staff, guidance_list=guidance["list"])
    assert [row.township for row in mine.rows] == [town]
    grouped = selectors.board(user=leader, guidance_list=guidance["list"], group=guidance["group"])
    assert [row.township for row in grouped.rows] == [town]
