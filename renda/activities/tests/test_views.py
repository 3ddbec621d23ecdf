"""Activity pages and API: scoping (township, department, deputy) in both, the deputy's answer and
check-in through the pages, staff corrections, invitations by filter, and query counts of lists."""

import datetime

import pytest
from django.utils import timezone

from renda.activities import checkin, services
from renda.activities.models import Invitation
from renda.core.access import Role
from renda.duty_records.models import DutyRecord


@pytest.fixture
def spread(plan, orgs, users, roster):
    """One activity per organiser: the county committee (county), 黄泥塘's presidium, 九驿's street
    committee, and the 县市场监管局 (a department) — each inviting one deputy."""
    county = plan(title="县人大常委会视察")
    township = plan(title="黄泥塘镇人大调研", kind="survey", organizer=orgs["presidium"])
    jiuyi = plan(title="九驿街道人大视察", organizer=orgs["jiuyi_committee"])
    market = plan(title="市场监管局行风监督活动", kind="supervision", organizer=orgs["market"])
    staff = users["county_staff"]
    services.invitations_add(actor=staff, activity=county, deputies=[roster["li"]])
    services.invitations_add(actor=staff, activity=township, deputies=[roster["wang"]])
    services.invitations_add(actor=staff, activity=jiuyi, deputies=[roster["li"]])
    services.invitations_add(actor=staff, activity=market, deputies=[roster["wang"]])
    return {"county": county, "township": township, "jiuyi": jiuyi, "market": market}


def _market_user(orgs):
    from renda.accounts.services import user_create

    return user_create(
        username="market", password="Renda#2024x", role=Role.HANDLING_UNIT, full_name="市场监管局",
        organization=orgs["market"],
    )  # fmt: skip


SEES = {
    "county_staff": {"county", "township", "jiuyi", "market"},
    "leader": {"county", "township", "jiuyi", "market"},
    "township_staff": {"township"},
    "jiuyi_staff": {"jiuyi"},
    "deputy": {"township", "market"},
    "unit": set(),  # 县交通运输局 organises none of them
    "market": {"market"},
    "station_keeper": set(),
    "admin": set(),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_scoping_in_pages_and_api(who, spread, users, orgs, client):
    user = _market_user(orgs) if who == "market" else users[who]
    client.force_login(user)
    expected = SEES[who]
    titles = {key: a.title for key, a in spread.items()}
    listing = client.get("/activities/")
    if user.role in ("county_staff", "leader", "township_staff", "handling_unit"):
        body = listing.content.decode()
        assert {k for k, t in titles.items() if t in body} == expected
    else:
        assert listing.status_code == 404
    api = client.get("/api/v1/activities")
    if user.role in ("station_keeper", "system_admin"):
        assert api.status_code == 404
    else:
        assert {i["title"] for i in api.json()["items"]} == {titles[k] for k in expected}
    for key, activity in spread.items():
        page = client.get(f"/activities/{activity.pk}/")
        detail = client.get(f"/api/v1/activities/{activity.pk}")
        if user.role == "deputy":
            assert page.status_code == 404  # the staff page; deputies use /activities/mine/<pk>/
            mine = client.get(f"/activities/mine/{activity.pk}/")
            assert mine.status_code == (200 if key in expected else 404)
        else:
            assert page.status_code == (200 if key in expected else 404), key
        assert detail.status_code == (200 if key in expected else 404), key


def test_a_deputy_answers_only_their_own_invitation_in_page_and_api(spread, users, client, roster):
    client.force_login(users["deputy"])
    other = spread["county"].invitations.get()  # 李明's
    response = client.post(
        f"/api/v1/activities/invitations/{other.pk}/answer",
        {"answer": "attend"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.post(f"/activities/mine/{spread['county'].pk}/", {"answer": "attend"}).status_code == 404
    own = spread["township"].invitations.get()
    response = client.post(
        f"/api/v1/activities/invitations/{own.pk}/answer",
        {"answer": "leave"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"] == {"field": "reason"}
    assert "事由" in response.json()["message"]
    response = client.post(f"/activities/mine/{spread['township'].pk}/", {"answer": "leave", "reason": ""})
    assert response.status_code == 400 and "请假须填写事由" in response.content.decode()
    response = client.post(
        f"/api/v1/activities/invitations/{own.pk}/answer",
        {"answer": "leave", "reason": "参加镇人代会"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["leave_state"] == "pending"
    mine = client.get("/api/v1/activities/invitations/mine").json()
    assert {i["activity"]["title"] for i in mine["items"]} == {"黄泥塘镇人大调研", "市场监管局行风监督活动"}


def test_check_in_through_the_qr_link_and_the_api(spread, users, client, roster):
    activity = spread["township"]
    path = checkin.checkin_path(activity)
    # Not logged in: the login page, then back to the link.
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(users["deputy"])
    page = client.get(path)
    assert page.status_code == 200 and "确认签到" in page.content.decode()
    token = path.split("t=", 1)[1]
    done = client.post(f"/activities/{activity.pk}/checkin/", {"t": token})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    again = client.post(f"/activities/{activity.pk}/checkin/", {"t": token})
    assert again.status_code == 400 and "无需重复签到" in again.content.decode()
    forged = client.get(f"/activities/{activity.pk}/checkin/?t=forged:token")
    assert forged.status_code == 400 and "签到码无效" in forged.content.decode()
    # The API, with another activity's code.
    other = spread["market"]
    response = client.post(
        f"/api/v1/activities/{other.pk}/check-in", {"token": token}, content_type="application/json"
    )
    assert response.status_code == 400 and "不属于本次活动" in response.json()["message"]
    response = client.post(
        f"/api/v1/activities/{other.pk}/check-in",
        {"token": checkin.checkin_token(other)},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["attendance"] == "present"
    # Staff see it in the attendance table and the API.
    client.force_login(users["township_staff"])
    table = client.get(f"/activities/{activity.pk}/attendance/").content.decode()
    assert "已签到" in table
    rows = client.get(f"/api/v1/activities/{activity.pk}/attendance").json()
    assert rows[0]["attendance"] == "present" and rows[0]["duty_record_id"]


def test_opening_the_qr_link_again_after_checking_in_says_so_without_a_second_button(
    spread, users, client, roster
):
    """Scanning the code a second time shows the earlier check-in, not another 确认签到 button."""
    activity = spread["township"]
    path = checkin.checkin_path(activity)
    client.force_login(users["deputy"])
    token = path.split("t=", 1)[1]
    assert client.post(f"/activities/{activity.pk}/checkin/", {"t": token}).status_code == 200
    again = client.get(path)
    body = again.content.decode()
    assert "无需重复签到" in body and "确认签到" not in body


def test_the_close_attendance_button_fits_a_phone(plan, users, client):
    """The button label is short (its explanation is a note beside it), so it fits at 360 px."""
    activity = plan(start=-5, length=2)
    client.force_login(users["county_staff"])
    body = client.get(f"/activities/{activity.pk}/").content.decode()
    assert ">结束考勤</button>" in body and "未签到且未准假的代表记为无故缺席" in body


def test_staff_check_in_by_hand_needs_a_reason_and_records_it(spread, users, client, roster):
    activity = spread["county"]
    invitation = activity.invitations.get()
    client.force_login(users["county_staff"])
    client.post(f"/activities/invitations/{invitation.pk}/check_in/", {"reason": ""})
    invitation.refresh_from_db()
    assert invitation.attendance == ""
    client.post(f"/activities/invitations/{invitation.pk}/check_in/", {"reason": "忘带手机"})
    invitation.refresh_from_db()
    assert invitation.attendance == "present"
    assert invitation.events.filter(action="check_in_manual", note="忘带手机").exists()
    # Another township's staff cannot touch it.
    client.force_login(users["township_staff"])
    response = client.post(f"/activities/invitations/{invitation.pk}/check_out/", {"reason": "x"})
    assert response.status_code == 404


def test_leave_approval_through_the_page(spread, users, client):
    invitation = spread["township"].invitations.get()
    services.invitation_answer(actor=users["deputy"], invitation=invitation, answer="leave", reason="生病")
    client.force_login(users["township_staff"])
    client.post(f"/activities/invitations/{invitation.pk}/leave/", {"decision": "approve"})
    invitation.refresh_from_db()
    assert invitation.attendance == "excused"
    assert DutyRecord.objects.get(pk=invitation.duty_record_id).kind == "leave"


def test_invite_by_filter_previews_then_invites(plan, users, client, roster):
    activity = plan(title="代表集中学习", kind="study")
    client.force_login(users["county_staff"])
    preview = client.post(f"/activities/{activity.pk}/invite/", {"level": "county"})
    body = preview.content.decode()
    assert preview.status_code == 200 and "符合条件的代表 2 人" in body
    assert not Invitation.objects.exists()
    # Unticking 李明 in the preview invites only 王芳.
    client.post(
        f"/activities/{activity.pk}/invite/", {"level": "county", "confirm": "1", "pick": [roster["wang"].pk]}
    )
    assert [i.deputy for i in activity.invitations.all()] == [roster["wang"]]


def test_code_page_shows_a_qr_and_the_chase_reminds_the_silent(spread, users, client):
    client.force_login(users["county_staff"])
    page = client.get(f"/activities/{spread['county'].pk}/code/")
    assert (
        page.status_code == 200
        and "<svg" in page.content.decode()
        and "/checkin/?t=" in page.content.decode()
    )
    client.post(f"/activities/{spread['county'].pk}/chase/")
    assert spread["county"].invitations.get().chased_at is not None
    client.force_login(users["deputy"])
    assert client.get(f"/activities/{spread['county'].pk}/code/").status_code == 404


def test_activity_form_refuses_an_end_before_the_start(users, orgs, client):
    client.force_login(users["county_staff"])
    response = client.post(
        "/activities/new/",
        {
            "kind": "inspection",
            "title": "视察",
            "organizer": orgs["committee"].pk,
            "place": "县城",
            "starts_at": "2024-05-10T14:00",
            "ends_at": "2024-05-10T09:00",
        },
    )
    assert response.status_code == 400 and "结束时间须晚于开始时间" in response.content.decode()
    response = client.post(
        "/activities/new/",
        {
            "kind": "law_inspection",
            "title": "执法检查",
            "organizer": orgs["committee"].pk,
            "place": "县城",
            "starts_at": "2024-05-10T09:00",
            "ends_at": "2024-05-10T12:00",
        },
    )
    assert response.status_code == 400 and "所检查的法律法规" in response.content.decode()


# --- query counts ---


def _many(plan, users, roster, n=12):
    for i in range(n):
        activity = plan(title=f"视察第{i}次", start=-1 - i)
        services.invitations_add(
            actor=users["county_staff"], activity=activity, deputies=[roster["wang"], roster["li"]]
        )


def test_activity_list_query_count(plan, users, roster, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    client.get("/activities/")
    _many(plan, users, roster)
    with django_assert_max_num_queries(8):
        response = client.get("/activities/")
    assert response.content.decode().count("视察第") == 12


def test_portal_query_count(plan, users, roster, client, django_assert_max_num_queries):
    client.force_login(users["deputy"])
    client.get("/activities/mine/")
    _many(plan, users, roster)
    with django_assert_max_num_queries(10):
        response = client.get("/activities/mine/")
    assert response.status_code == 200 and response.content.decode().count("视察第") >= 10


def test_campaign_pages_query_count(users, orgs, roster, client, django_assert_max_num_queries, regions):
    from renda.deputies.services import deputy_create, mandate_create

    staff = users["county_staff"]
    today = timezone.localdate()
    for n in range(5):
        campaign = services.campaign_create(
            actor=staff, name=f"主题活动{n}", organizer=orgs["committee"], starts_on=today, ends_on=today
        )
        services.campaign_task_add(actor=staff, campaign=campaign, title="建议", duty_kind="suggestion")
        services.campaign_task_add(actor=staff, campaign=campaign, title="走访", duty_kind="contact")
    for n in range(20):
        deputy = deputy_create(name=f"代表{n}", gender="male", region=regions["jiuyi"])
        mandate_create(deputy=deputy, congress=roster["county"])
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        assert client.get("/activities/campaigns/").content.decode().count("主题活动") >= 5
    with django_assert_max_num_queries(12):
        response = client.get(f"/activities/campaigns/{campaign.pk}/")
    assert response.content.decode().count("0/1") == 2 * 22


def test_follow_up_list_query_count(plan, users, client, django_assert_max_num_queries):
    for n in range(8):
        activity = plan(kind="law_inspection", title=f"执法检查{n}", law="食品安全法")
        services.follow_up_update(
            actor=users["county_staff"], activity=activity, reported_on=None, review_opinions="意见",
            sent_on=datetime.date(2024, 1, 1), responded_on=None, response="",
        )  # fmt: skip
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(8):
        response = client.get("/activities/follow-ups/")
    assert response.content.decode().count("已超期") == 8


def test_detail_page_query_count(spread, users, roster, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    activity = spread["county"]
    services.invitations_add(
        actor=users["county_staff"], activity=activity, deputies=[roster["wang"], roster["zhang"]]
    )
    with django_assert_max_num_queries(40):
        response = client.get(f"/activities/{activity.pk}/")
    assert response.status_code == 200


def test_work_queues_overdue_follow_ups_pending_leave_and_invitations_to_answer(plan, users, client, roster):
    activity = plan(kind="law_inspection", title="大气污染防治法执法检查", law="中华人民共和国大气污染防治法")
    from renda.core.queues import work_queues

    def count(user, key):
        return {q["key"]: q["count"] for q in work_queues(user)}[key]

    client.force_login(users["county_staff"])
    assert count(users["county_staff"], "activities.follow_ups_overdue") == 0
    services.follow_up_update(
        actor=users["county_staff"], activity=activity, reported_on=None, review_opinions="意见",
        sent_on=datetime.date(2024, 1, 10), responded_on=None, response="",
    )  # fmt: skip
    body = client.get("/").content.decode()
    assert "研究处理情况超期" in body and "/activities/follow-ups/?overdue=1" in body
    listing = client.get("/activities/follow-ups/?overdue=1").content.decode()
    assert "大气污染防治法执法检查" in listing
    assert count(users["county_staff"], "activities.follow_ups_overdue") == 1
    assert count(users["jiuyi_staff"], "activities.follow_ups_overdue") == 0  # not their township's
    # Leave waiting for a decision; an invitation waiting for an answer.
    upcoming = plan(start=24, title="下周调研", kind="survey")
    services.invitations_add(actor=users["county_staff"], activity=upcoming, deputies=[roster["wang"]])
    assert count(users["deputy"], "activities.to_answer") == 1
    invitation = upcoming.invitations.get()
    services.invitation_answer(actor=users["deputy"], invitation=invitation, answer="leave", reason="出差")
    assert count(users["deputy"], "activities.to_answer") == 0
    assert count(users["county_staff"], "activities.leave_pending") == 1
    client.force_login(users["county_staff"])
    listing = client.get("/activities/?leave=pending").content.decode()
    assert "下周调研" in listing and "大气污染防治法执法检查" not in listing


def test_sections_on_the_deputys_record_and_portal(spread, users, client, roster):
    client.force_login(users["township_staff"])
    page = client.get(f"/deputies/{roster['wang'].pk}/").content.decode()
    assert "黄泥塘镇人大调研" in page and "市场监管局行风监督活动" not in page  # another body's, out of scope
    client.force_login(users["deputy"])
    portal = client.get("/deputies/portal/").content.decode()
    assert "有 2 个活动邀请待答复" in portal and "/activities/mine/" in portal


def test_the_stylesheet_styles_the_activity_time_inputs_like_every_other_field():
    """The activity form's 开始/结束时间 are datetime-local inputs; unstyled they were tiny at 360 px."""
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/renda.css").read_text(encoding="utf-8")
    rule = css.split("min-height: var(--tap); padding: 0.5rem 0.75rem;", 1)[0].rsplit("}", 1)[-1]
    assert 'input[type="datetime-local"]' in rule
