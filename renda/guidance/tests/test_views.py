"""Guidance pages and API: who sees what (denied looks like missing), reporting with a photo through
the page, reviewing, the board and its export, query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.guidance import services
from renda.guidance.models import GuidanceItem, RuleKind, StationRule, TownshipItem
from renda.network.models import Station
from renda.network.services import station_create

from .conftest import cell, jpeg, pdf

pytestmark = pytest.mark.django_db


def test_township_staff_land_on_their_own_items(guidance, regions, users, login):
    client = login(users["township_staff"])
    response = client.get(reverse("guidance:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("guidance:township", args=[guidance["list"].pk, "520521105"])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "召开主席团会议" in page.content.decode()
    # Another township's page and item: 404, like missing.
    assert (
        client.get(reverse("guidance:township", args=[guidance["list"].pk, "520521004"])).status_code == 404
    )
    street = cell(guidance["reception"], regions["jiuyi"])
    assert client.get(reverse("guidance:item", args=[street.pk])).status_code == 404
    assert client.post(reverse("guidance:report", args=[street.pk]), {"result": "done"}).status_code == 404


def test_roles_without_the_permission_get_404(guidance, users, login):
    for name in ("deputy", "unit", "station_keeper", "admin", "auditor"):
        client = login(users[name])
        assert client.get(reverse("guidance:detail", args=[guidance["list"].pk])).status_code == 404, name
        assert client.get(reverse("guidance:board", args=[guidance["list"].pk])).status_code == 404, name


def test_report_with_a_photo_then_review_through_the_pages(guidance, regions, users, login, client):
    item = cell(guidance["presidium"], regions["huangnitang"])
    login(users["township_staff"])
    response = client.post(
        reverse("guidance:report", args=[item.pk]),
        {"result": "done", "note": "3月5日召开主席团会议", "files": [jpeg(), pdf()]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.state == TownshipItem.State.REPORTED and item.evidence.count() == 2
    # A bad file is shown next to the field and nothing is written.
    other = cell(guidance["records"], regions["huangnitang"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("签到表.pdf", b"not a pdf")
    response = client.post(
        reverse("guidance:report", args=[other.pk]), {"result": "done", "note": "x", "files": [bad]}
    )
    assert response.status_code == 400 and "文件内容与扩展名" in response.content.decode()
    assert not other.events.exists()

    # The leader of another group cannot review; the group's leader can.
    login(users["leader"])
    page = client.get(reverse("guidance:item", args=[item.pk]))
    assert "提交审核" in page.content.decode()
    evidence = item.evidence.filter(is_photo=True).get()
    photo = client.get(reverse("guidance:evidence", args=[evidence.pk]))
    assert photo.status_code == 200 and b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"
    response = client.post(reverse("guidance:review", args=[item.pk]), {"decision": "send_back", "note": ""})
    assert response.status_code == 400 and "退回须说明理由" in response.content.decode()
    response = client.post(reverse("guidance:review", args=[item.pk]), {"decision": "accept"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == TownshipItem.State.ACCEPTED


def test_leader_of_another_group_gets_404_on_review(guidance, regions, users, other_leader, login):
    item = cell(guidance["records"], regions["huangnitang"])
    services.township_item_report(actor=users["township_staff"], item=item, result="in_progress", note="x")
    client = login(other_leader)
    assert client.post(reverse("guidance:review", args=[item.pk]), {"decision": "accept"}).status_code == 404
    item.refresh_from_db()
    assert item.state == TownshipItem.State.REPORTED


def _many(regions, guidance, n_townships=6, n_items=6):
    from renda.conftest import make_region

    gl = guidance["list"]
    for i in range(n_townships):
        township = make_region(f"52052120{i}", f"测试乡{i}", "township", regions["county"])
        gl.townships.add(township)
    for i in range(n_items):
        services.guidance_item_add(guidance_list=gl, title=f"事项{i}", due_on=datetime.date(2024, 5, 1 + i))
    return gl


def test_board_and_township_pages_query_counts_do_not_grow(
    guidance, regions, users, login, django_assert_max_num_queries
):
    client = login(users["county_staff"])
    url = reverse("guidance:board", args=[guidance["list"].pk])
    client.get(url)  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many(regions, guidance)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    with django_assert_max_num_queries(len(small)):
        client.get(url)

    township_url = reverse("guidance:township", args=[guidance["list"].pk, "520521105"])
    staff = login(users["township_staff"])
    with CaptureQueriesContext(connection) as first:
        staff.get(township_url)
    services.guidance_item_add(
        guidance_list=guidance["list"], title="再加一项", due_on=datetime.date(2024, 9, 1)
    )
    with django_assert_max_num_queries(len(first)):
        assert staff.get(township_url).status_code == 200
    list_url = reverse("guidance:detail", args=[guidance["list"].pk])
    with CaptureQueriesContext(connection) as first:
        client.get(list_url)
    services.guidance_item_add(
        guidance_list=guidance["list"], title="又一项", due_on=datetime.date(2024, 9, 2)
    )
    with django_assert_max_num_queries(len(first)):
        assert client.get(list_url).status_code == 200


def test_board_page_shows_symbols_and_words_and_exports(guidance, regions, users, login):
    item = cell(guidance["presidium"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"], item=item, result="done", note="x", files=[pdf()]
    )
    guidance["list"].title = '=HYPERLINK("http://x")'
    guidance["list"].save()
    client = login(users["leader"])
    page = client.get(
        reverse("guidance:board", args=[guidance["list"].pk]) + f"?group={guidance['group'].pk}"
    )
    html = page.content.decode()
    assert "◇" in html and "待审" in html and "九驿街道" not in html.split("<table")[1]
    response = client.get(reverse("guidance:board_xlsx", args=[guidance["list"].pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    # Users' text never becomes a formula: a text cell, shown as typed.
    assert sheet["A1"].value.startswith("=HYPERLINK") and sheet["A1"].data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    values = [c.value for row in sheet.iter_rows(min_row=4) for c in row]
    assert "◇ 待审" in values and "✕ 逾期" in values


def test_manage_list_items_and_groups_through_pages(regions, users, login, other_leader):
    client = login(users["county_staff"])
    response = client.post(
        reverse("guidance:create"),
        {
            "year": 2025,
            "title": "2025年工作指导清单",
            "townships": [regions["huangnitang"].pk, regions["jiuyi"].pk],
        },
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(
        reverse("guidance:part_add", args=[pk, "item"]),
        {"title": "依法召开人代会", "due_on": "2025-03-31", "applies_to": GuidanceItem.AppliesTo.TOWNSHIP},
    )
    client.post(
        reverse("guidance:part_add", args=[pk, "group"]),
        {"name": "第一组", "leader": other_leader.pk, "townships": [regions["jiuyi"].pk]},
    )
    page = client.get(reverse("guidance:detail", args=[pk])).content.decode()
    assert "依法召开人代会" in page and "第一组" in page
    assert (
        TownshipItem.objects.filter(guidance_item__guidance_list_id=pk).count() == 1
    )  # the street is left out
    # Township staff may not manage.
    assert login(users["township_staff"]).post(reverse("guidance:create"), {}).status_code == 404


def test_station_rules_record_and_evidence(regions, users, login):
    station = station_create(
        name="黄泥塘镇人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["huangnitang"]
    )
    services.rule_template_set(
        region=regions["county"], kind=RuleKind.STUDY, title="代表学习制度", text="一、每季度集中学习一次。"
    )
    client = login(users["township_staff"])
    url = reverse("guidance:rule_edit", args=[station.pk, 2024, "study"])
    assert client.post(url, {"posted": "on", "posted_on": "2024-03-01"}).status_code == 400  # nothing to post
    assert client.post(url, {"template": "on", "posted": "on", "posted_on": "2024-03-01"}).status_code == 302
    rule = StationRule.objects.get(station=station, year=2024, kind="study")
    assert rule.posted and rule.text.startswith("一、")
    page = client.get(reverse("guidance:rules") + "?year=2024").content.decode()
    assert "黄泥塘镇人大代表联络站" in page and "已上墙" in page
    # The street's staff cannot record the town's rules.
    assert login(users["jiuyi_staff"]).get(url).status_code == 404


def test_api_board_and_township_items(guidance, regions, users, client):
    from renda.accounts.services import api_token_issue

    item = cell(guidance["reception"], regions["huangnitang"])
    token = api_token_issue(user=users["township_staff"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post(
        f"/api/v1/guidance/township-items/{item.pk}/report",
        {"result": "in_progress", "note": "已开展3次"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["events"][0]["action"] == "report"
    rows = client.get(f"/api/v1/guidance/lists/{guidance['list'].pk}/board", **headers).json()["rows"]
    assert [r["township_code"] for r in rows] == ["520521105"]
    items = client.get(
        f"/api/v1/guidance/lists/{guidance['list'].pk}/townships/520521105/items", **headers
    ).json()
    assert len(items) == 3
    assert (
        client.get(
            f"/api/v1/guidance/lists/{guidance['list'].pk}/townships/520521004/items", **headers
        ).status_code
        == 404
    )
    leader = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=users['leader'])}"}
    response = client.post(
        f"/api/v1/guidance/township-items/{item.pk}/review",
        {"decision": "accept"},
        content_type="application/json",
        **leader,
    )
    assert response.status_code == 200 and response.json()["state"] == "in_progress"
    board = client.get(f"/api/v1/guidance/lists/{guidance['list'].pk}/board", **leader).json()
    assert {r["township_code"] for r in board["rows"]} == {"520521105", "520521004"}


def test_accepted_not_applicable_item_reads_not_applicable_not_done(guidance, regions, users, login):
    """An accepted "not applicable" report closes the item, but the township's list and the item page
    must say 不适用 — not 已完成, which the board would contradict."""
    item = cell(guidance["presidium"], regions["huangnitang"])
    services.township_item_report(
        actor=users["township_staff"],
        item=item,
        result="not_applicable",
        note="本镇今年未换届",
        reason="无此项工作",
    )
    services.township_item_review(actor=users["leader"], item=item, decision="accept")
    client = login(users["township_staff"])
    page = client.get(reverse("guidance:township", args=[guidance["list"].pk, "520521105"])).content.decode()
    entry = page.split("召开主席团会议", 1)[1].split("</li>", 1)[0]
    assert "不适用" in entry and "已完成" not in entry
    detail = client.get(reverse("guidance:item", args=[item.pk])).content.decode()
    state = detail.split('id="item-state"', 1)[1].split("</dd>", 1)[0]
    assert "不适用" in state and "已完成" not in state
