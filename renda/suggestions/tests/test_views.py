"""Pages: scoping per role, every list's query count, the step forms, the deputy's and units' pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.models import State, Suggestion


@pytest.fixture
def world(make, deputies, users, units):
    """王芳's item handed to 交通局, 李明's accepted one, 李明's item co-signed by 王芳, 王芳's draft."""
    return {
        "wang": make("assigned"),
        "li": make(
            "accepted",
            deputy=deputies["li"],
            title="关于九驿街道学校扩建的建议",
            body="九驿街道小学学位紧张。",
            category="education",
        ),
        "li_cosigned": make(
            "submitted",
            deputy=deputies["li"],
            cosigners=[deputies["wang"]],
            title="关于农村饮水安全的建议",
            body="部分村组饮水不稳定。",
            category="agriculture",
        ),
        "draft": make("draft", title="草稿：关于集市管理的建议", body="集市占道经营。"),
    }


SEES = {
    "county_staff": {"wang", "li", "li_cosigned"},
    "leader": {"wang", "li", "li_cosigned"},
    "township_staff": {"wang"},
    "jiuyi_staff": {"li", "li_cosigned"},
    "deputy": {"wang", "li_cosigned", "draft"},
    "unit": {"wang"},
    "station_keeper": set(),
    "admin": set(),
    "auditor": set(),
    "security": set(),
}


@pytest.mark.parametrize("username", SEES)
def test_detail_scoping_per_role(username, world, users, client):
    client.force_login(users[username])
    for name, suggestion in world.items():
        status = client.get(f"/suggestions/{suggestion.pk}/").status_code
        api = client.get(f"/api/v1/suggestions/{suggestion.pk}").status_code
        expected = 200 if name in SEES[username] else 404
        assert (status, api) == (expected, expected), (username, name)


@pytest.mark.parametrize("username", SEES)
def test_api_list_scoping_per_role(username, world, users, client):
    client.force_login(users[username])
    response = client.get("/api/v1/suggestions")
    titles = {world[n].title for n in SEES[username] if n != "draft"}
    if not SEES[username]:
        assert response.status_code == 404
    else:
        assert {item["title"] for item in response.json()["items"]} == titles


def test_staff_list_filters_and_flags_overdue(world, users, client):
    Suggestion.objects.filter(pk=world["wang"].pk).update(due_on=timezone.localdate().replace(year=2020))
    client.force_login(users["county_staff"])
    body = client.get("/suggestions/").content.decode()
    assert "关于修复黄泥塘镇通村公路的建议" in body and "超期" in body
    assert "集市管理" not in body
    body = client.get("/suggestions/?overdue=on").content.decode()
    assert "关于修复黄泥塘镇通村公路的建议" in body and "学校扩建" not in body
    body = client.get("/suggestions/?category=education").content.decode()
    assert "学校扩建" in body and "通村公路" not in body
    body = client.get("/suggestions/?township=520521004").content.decode()
    assert "学校扩建" in body and "通村公路" not in body
    partial = client.get("/suggestions/?q=饮水", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="suggestion-rows"') and "饮水" in partial


def test_list_page_query_count_does_not_grow(make, users, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    make("assigned")
    client.get("/suggestions/")
    for i in range(20):
        make("accepted", title=f"第{i}件建议", body=f"第{i}件建议的内容")
    with django_assert_max_num_queries(12):
        response = client.get("/suggestions/")
    assert response.status_code == 200 and response.content.decode().count("/suggestions/") > 20


def test_unit_inbox_lists_only_own_parts_with_deadlines(
    world, users, client, django_assert_max_num_queries, make
):
    for i in range(5):
        make("assigned", title=f"交办件{i}", body="内容")
    client.force_login(users["unit"])
    with django_assert_max_num_queries(10):
        response = client.get("/suggestions/unit/")
    body = response.content.decode()
    assert response.status_code == 200 and body.count("待签收") == 6
    assert "学校扩建" not in body and world["wang"].due_on.strftime("%Y年%-m月%-d日") in body


def test_deputy_pages_on_the_phone(world, users, client, django_assert_max_num_queries):
    client.force_login(users["deputy"])
    with django_assert_max_num_queries(10):
        body = client.get("/suggestions/mine/").content.decode()
    assert (
        "关于修复黄泥塘镇通村公路的建议" in body
        and "草稿：关于集市管理的建议" in body
        and "学校扩建" not in body
    )
    page = client.get("/suggestions/write/")
    assert page.status_code == 200 and 'name="title"' in page.content.decode()
    response = client.post(
        "/suggestions/write/",
        {
            "kind": "suggestion",
            "period": "recess",
            "title": "关于增设校车的建议",
            "body": "学生上学路远。",
            "category": "education",
            "region": world["wang"].region.pk,
        },
    )
    created = Suggestion.objects.get(title="关于增设校车的建议")
    assert response.status_code == 302 and created.state == State.DRAFT and created.lead_deputy.name == "王芳"
    detail = client.get(f"/suggestions/{created.pk}/").content.decode()
    assert "提交" in detail and "/step/submit/" in detail
    response = client.post(f"/suggestions/{created.pk}/step/submit/", {"version": created.version})
    created.refresh_from_db()
    assert response.status_code == 302 and created.state == State.SUBMITTED


def test_draft_form_errors_show_next_to_fields(deputies, users, client):
    client.force_login(users["deputy"])
    response = client.post(
        "/suggestions/write/", {"kind": "suggestion", "period": "recess", "title": "", "body": ""}
    )
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert not Suggestion.objects.exists()


def test_similar_suggestions_while_writing(world, users, client):
    client.force_login(users["deputy"])
    body = client.post(
        "/suggestions/similar/", {"title": "九驿街道小学扩建", "body": "学位紧张，建议扩建学校"}
    ).content.decode()
    assert "学校扩建" in body and "相似度" in body
    assert client.post("/suggestions/similar/", {"title": "路灯", "body": ""}).content.decode().strip() == ""


def test_step_refused_shows_409_with_reason(world, users, client):
    client.force_login(users["county_staff"])
    suggestion = world["li_cosigned"]
    # The version the user saw is stale: another staff member accepted it meanwhile.
    seen = suggestion.version
    services.suggestion_accept(actor=users["county_staff"], suggestion=suggestion)
    response = client.post(f"/suggestions/{suggestion.pk}/step/reject/", {"version": seen, "note": "理由"})
    assert response.status_code == 409
    assert "不能不予立案" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED


def test_stale_form_gets_the_concurrent_update_message(world, users, client, units):
    client.force_login(users["county_staff"])
    suggestion = world["li"]
    seen = suggestion.version
    services.suggestion_designate_key(actor=users["county_staff"], suggestion=suggestion, leader="县长")
    response = client.post(
        f"/suggestions/{suggestion.pk}/step/assign/", {"version": seen, "lead_unit": units["education"].pk}
    )
    assert response.status_code == 409 and "在您打开此页后，该件已由" in response.content.decode()
    assert not suggestion.assignments.exists()


def test_unit_walks_its_part_through_the_pages(world, users, client):
    client.force_login(users["unit"])
    suggestion = world["wang"]
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert "签收" in detail and "申请退回" in detail and "答复内容" not in detail
    client.post(f"/suggestions/{suggestion.pk}/step/unit_accept/", {"version": suggestion.version})
    suggestion.refresh_from_db()
    client.post(
        f"/suggestions/{suggestion.pk}/step/contact/",
        {
            "version": suggestion.version,
            "contacted_on": timezone.localdate().isoformat(),
            "way": "phone",
            "content": "电话沟通",
        },
    )
    suggestion.refresh_from_db()
    letter = SimpleUploadedFile("reply.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        f"/suggestions/{suggestion.pk}/step/reply/",
        {
            "version": suggestion.version,
            "category": "A",
            "text": "已修复",
            "signer": "张局长",
            "letter": letter,
        },
    )
    suggestion.refresh_from_db()
    assert response.status_code == 302 and suggestion.state == State.REPLIED
    reply = suggestion.replies.get()
    assert client.get(f"/suggestions/{suggestion.pk}/replies/{reply.pk}/letter/").status_code == 200
    # Another unit's item is not there for this unit, in the page or the step.
    other = world["li"]
    assert (
        client.post(f"/suggestions/{other.pk}/step/unit_accept/", {"version": other.version}).status_code
        == 404
    )


def test_api_step_answers_409_with_the_reason(world, users, client):
    client.force_login(users["county_staff"])
    suggestion = world["li_cosigned"]
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/steps/reply", {"text": "x"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json() == {"message": "当前状态为「待审查」，不能答复", "detail": None}
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/steps/accept",
        {"version": suggestion.version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["number"] == "第18届第3次会议第003号"
    stale = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/steps/assign",
        {"version": suggestion.version, "lead_unit": users["unit"].organization_id},
        content_type="application/json",
    )
    assert stale.status_code == 409 and "在您打开此页后，该件已由" in stale.json()["message"]
    client.force_login(users["unit"])
    other = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/steps/unit_accept", {}, content_type="application/json"
    )
    assert other.status_code == 404 and other.json()["message"] == "未找到"


def test_api_walks_a_unit_reply(world, users, client):
    client.force_login(users["unit"])
    suggestion = world["wang"]
    for step, payload in [
        ("unit_accept", {}),
        ("contact", {"contacted_on": timezone.localdate().isoformat(), "way": "phone", "content": "沟通"}),
        ("reply", {"category": "C", "text": "列入长远规划", "signer": "局长"}),
    ]:
        response = client.post(
            f"/api/v1/suggestions/{suggestion.pk}/steps/{step}", payload, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "replied" and data["replies"][0]["category"] == "C"
    assert [e["action"] for e in data["events"]][-3:] == ["unit_accept", "contact", "reply"]


def test_timeline_and_key_list(world, users, client):
    staff = users["county_staff"]
    suggestion = world["wang"]
    services.suggestion_designate_key(actor=staff, suggestion=suggestion, leader="县委副书记 王某")
    services.supervision_note_add(
        actor=staff, suggestion=suggestion, kind="visit", occurred_on=timezone.localdate(), text="实地督办"
    )
    client.force_login(users["leader"])
    body = client.get(f"/suggestions/{suggestion.pk}/timeline/").content.decode()
    assert "交办" in body and "实地督办" in body and "县委副书记 王某" in body
    assert (
        "实地督办" in client.get("/suggestions/key/").content.decode()
        or "县委副书记" in client.get("/suggestions/key/").content.decode()
    )


def test_paper_entry_by_staff(deputies, users, client, regions):
    client.force_login(users["county_staff"])
    assert client.get("/suggestions/new/").status_code == 200
    response = client.post(
        "/suggestions/new/",
        {
            "lead_deputy": deputies["li"].pk,
            "received_on": timezone.localdate().isoformat(),
            "term": 18,
            "session": 3,
            "kind": "suggestion",
            "period": "session",
            "title": "关于改善农贸市场环境的建议",
            "body": "农贸市场脏乱差。",
            "category": "market",
            "region": regions["jiuyi"].pk,
        },
    )
    suggestion = Suggestion.objects.get(title="关于改善农贸市场环境的建议")
    assert (
        response.status_code == 302 and suggestion.state == State.SUBMITTED and suggestion.source == "paper"
    )


def test_public_pages_show_only_published_and_completed(world, users, client, regions):
    staff = users["county_staff"]
    replied = world["wang"]
    services.assignment_accept(actor=users["unit"], suggestion=replied)
    services.contact_add(
        actor=users["unit"], suggestion=replied, contacted_on=timezone.localdate(), way="phone", content="x"
    )
    services.reply_submit(
        actor=users["unit"], suggestion=replied, category="A", text="请联系13812345678王芳", signer="局长"
    )
    assert "通村公路" not in client.get("/suggestions/public/").content.decode()
    services.suggestion_publish(actor=staff, suggestion=replied)
    body = client.get("/suggestions/public/").content.decode()
    assert "通村公路" in body
    detail = client.get(f"/suggestions/public/{replied.pk}/").content.decode()
    assert "13812345678" not in detail and "王某" in detail and "王芳" not in detail
    assert client.get(f"/suggestions/public/{world['li'].pk}/").status_code == 404
    fund = services.fund_create(
        actor=staff,
        source="county",
        year=2024,
        amount="8000",
        project="九驿街道路灯",
        region=regions["jiuyi"],
    )
    assert "九驿街道路灯" not in client.get("/suggestions/public/micro-projects/").content.decode()
    services.fund_advance(actor=staff, fund=fund, on=timezone.localdate())
    services.fund_advance(actor=staff, fund=fund, on=timezone.localdate(), outcome="安装路灯20盏")
    body = client.get("/suggestions/public/micro-projects/").content.decode()
    assert "九驿街道路灯" in body and "安装路灯20盏" in body and "8,000.00元" in body


def test_funds_page_and_api_totals(users, client, regions):
    staff = users["county_staff"]
    for project, source, amount in [
        ("甲", "county", "300000"),
        ("乙", "county", "258600"),
        ("丙", "city", "100000"),
    ]:
        services.fund_create(
            actor=staff,
            source=source,
            year=2024,
            amount=amount,
            project=project,
            region=regions["huangnitang"],
        )
    client.force_login(staff)
    body = client.get("/suggestions/funds/").content.decode()
    assert "55.86万元" in body and "10万元" in body
    data = client.get("/api/v1/suggestions/funds").json()
    assert data["count"] == 2 and data["total"] == "658600.00"
    assert {(i["source"], i["amount"]) for i in data["items"]} == {
        ("county", "558600.00"),
        ("city", "100000.00"),
    }
    response = client.post(
        "/suggestions/funds/",
        {"source": "city", "year": 2025, "amount": "5000", "project": "丁", "region": regions["jiuyi"].pk},
    )
    assert response.status_code == 302
    client.force_login(users["leader"])
    assert client.post("/suggestions/funds/", {"source": "city"}).status_code == 404
