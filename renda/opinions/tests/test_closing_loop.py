"""Closing the loop on opinions: a department answers (or hands back) what was referred to it within
its deadline, the resident sees the answer; 不满意 sends the opinion back to handling; staff filter by
satisfaction; a station keeper may reveal a resident's phone for the opinions of their own station."""

import datetime

import pytest
from django.utils import timezone

from renda.accounts.services import user_create
from renda.audit.models import AuditEntry
from renda.core.calendar import add_working_days
from renda.core.errors import DomainError, InvalidTransition
from renda.core.queues import work_queues
from renda.opinions import services
from renda.opinions.models import Opinion, OpinionEvent
from renda.organizations.models import Organization


@pytest.fixture
def referred(make_opinion, users, unit_org):
    opinion = make_opinion(constituent_phone="13912345678")
    return services.opinion_transition(
        opinion=opinion,
        to_state=Opinion.State.REFERRED,
        actor=users["township_staff"],
        department=unit_org,
        note="请交通局核实路段",
    )


def test_referring_sets_the_departments_deadline(referred, settings):
    today = timezone.localdate()
    assert referred.department_due_on == add_working_days(today, settings.RENDA_OPINION_REFERRAL_WORKING_DAYS)


def test_the_department_replies_and_the_resident_sees_it(referred, users, client):
    unit = users["unit"]
    queues = {q["key"]: q for q in work_queues(unit)}
    assert queues["opinions.referred_to_me"]["count"] == 1
    client.force_login(unit)
    page = client.get(f"/opinions/{referred.pk}/").content.decode()
    assert 'id="department-answer"' in page and "答复期限" in page
    with pytest.raises(DomainError) as info:
        services.opinion_department_reply(actor=unit, opinion=referred, reply="  ")
    assert info.value.field == "reply"
    response = client.post(
        f"/opinions/{referred.pk}/department/", {"decision": "reply", "text": "该路段已列入本年度维修计划。"}
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.reply == "该路段已列入本年度维修计划。" and referred.department_replied_at is not None
    assert {q["key"]: q for q in work_queues(unit)}["opinions.referred_to_me"]["count"] == 0
    # The resident's tracking page shows the department's answer and who gave it.
    client.logout()
    body = client.post("/opinions/track/", {"code": referred.tracking_code}).content.decode()
    assert "该路段已列入本年度维修计划。" in body and "县交通运输局" in body and "承办部门答复" in body
    # The opinion's timeline shows the referral and the answer, with the department's name.
    client.force_login(users["township_staff"])
    page = client.get(f"/opinions/{referred.pk}/").content.decode()
    timeline = page.split('id="events-title"', 1)[1]
    assert "转交部门" in page and "部门答复" in timeline and "县交通运输局" in timeline
    assert "该路段已列入本年度维修计划。" in timeline


def test_a_late_answer_is_marked_late(referred, users):
    later = timezone.now() + datetime.timedelta(days=60)
    services.opinion_department_reply(actor=users["unit"], opinion=referred, reply="已处理", at=later)
    event = referred.events.get(action=OpinionEvent.Action.DEPARTMENT_REPLY)
    assert "超期" in event.note


def test_the_department_hands_it_back_with_a_reason(referred, users, client):
    unit = users["unit"]
    with pytest.raises(DomainError) as info:
        services.opinion_department_return(actor=unit, opinion=referred, reason="")
    assert info.value.field == "reason"
    client.force_login(unit)
    response = client.post(
        f"/opinions/{referred.pk}/department/", {"decision": "return", "text": "该路段属乡镇管养"}
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.state == Opinion.State.RECEIVED and referred.department is None
    event = referred.events.get(action=OpinionEvent.Action.DEPARTMENT_RETURN)
    assert "该路段属乡镇管养" in event.note and "县交通运输局" in event.actor_label
    # No longer the unit's: it looks missing now.
    assert client.get(f"/opinions/{referred.pk}/").status_code == 404


def test_only_the_department_it_was_referred_to_may_answer(referred, users, regions):
    other_org = Organization.objects.create(name="县教育局", kind="handling_unit", region=regions["county"])
    other = user_create(username="edu", password="Renda#2024x", role="handling_unit", organization=other_org)
    with pytest.raises(InvalidTransition):
        services.opinion_department_reply(actor=other, opinion=referred, reply="x")
    with pytest.raises(InvalidTransition):
        services.opinion_department_reply(actor=users["township_staff"], opinion=referred, reply="x")


def test_dissatisfied_resident_gives_a_reason_and_the_opinion_returns_to_handling(
    make_opinion, client, users
):
    opinion = make_opinion(Opinion.State.ANSWERED, reply="已派人查看。")
    page = client.post(
        "/opinions/track/",
        {"code": opinion.tracking_code, "satisfaction": "dissatisfied", "note": "路灯还是不亮"},
    )
    assert page.status_code == 200
    opinion.refresh_from_db()
    assert opinion.satisfaction == "dissatisfied" and opinion.state == Opinion.State.RECEIVED
    event = opinion.events.get(action=OpinionEvent.Action.RATE)
    assert event.from_state == "answered" and event.to_state == "received" and "路灯还是不亮" in event.note
    # Staff find it by satisfaction, answer again, and the resident may rate the new answer.
    client.force_login(users["township_staff"])
    listing = client.get("/opinions/?satisfaction=dissatisfied").content.decode()
    assert opinion.title in listing
    other = client.get("/opinions/?satisfaction=satisfied").content.decode()
    assert opinion.title not in other
    services.opinion_transition(
        opinion=opinion, to_state=Opinion.State.ANSWERED, actor=users["township_staff"], reply="已更换灯泡。"
    )
    opinion.refresh_from_db()
    assert opinion.satisfaction == ""
    client.logout()
    body = client.post("/opinions/track/", {"code": opinion.tracking_code}).content.decode()
    assert "您对答复是否满意" in body


def test_satisfaction_filter_query_count(make_opinion, users, client, django_assert_max_num_queries):
    for n in range(5):
        make_opinion(Opinion.State.ANSWERED, reply="答复", satisfaction="dissatisfied", title=f"意见{n}")
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(12):
        response = client.get("/opinions/?satisfaction=dissatisfied")
    assert response.status_code == 200 and response.content.decode().count("意见") >= 5


def test_a_keeper_reveals_the_phone_for_their_own_station_only_audited(make_opinion, users, client):
    own = make_opinion(constituent_phone="13912345678")
    elsewhere = make_opinion(station="jiuyi", constituent_phone="13700001111")
    client.force_login(users["station_keeper"])
    page = client.get(f"/opinions/{own.pk}/").content.decode()
    assert "139****5678" in page and "查看完整联系电话" in page
    revealed = client.post(f"/opinions/{own.pk}/reveal/", HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "13912345678" in revealed.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.reveal", object_id=str(own.pk))
    assert entry.actor_id == users["station_keeper"].pk
    assert client.post(f"/opinions/{elsewhere.pk}/reveal/").status_code == 404
    assert not AuditEntry.objects.filter(action="personal_data.reveal", object_id=str(elsewhere.pk)).exists()


def test_the_residents_tracking_code_is_shown_to_staff_not_to_the_department(referred, users, client):
    """Only the resident (their receipt) and those who receive them (staff, keepers) need the code."""
    client.force_login(users["unit"])
    page = client.get(f"/opinions/{referred.pk}/").content.decode()
    assert 'id="department-answer"' in page
    assert referred.tracking_code not in page and "查询码</dt>" not in page
    assert referred.tracking_code not in client.get(f"/api/v1/opinions/{referred.pk}").content.decode()
    client.force_login(users["township_staff"])
    assert referred.tracking_code in client.get(f"/opinions/{referred.pk}/").content.decode()


@pytest.mark.parametrize("closed_first", [False, True])
def test_after_a_dissatisfied_rating_the_department_keeps_its_opinion_and_the_resident_is_told(
    referred, users, client, closed_first
):
    """不满意 sends the department's answer back to handling: the department still reads the opinion
    (no 404) and answers again when the office refers it back; the resident's page names the
    department and says 已重新办理 with the day; the timeline shows the step."""
    unit, staff = users["unit"], users["township_staff"]
    services.opinion_department_reply(actor=unit, opinion=referred, reply="路灯已更换。")
    if closed_first:
        services.opinion_transition(
            opinion=referred, to_state=Opinion.State.CLOSED, actor=staff, note="部门已答复"
        )
    client.post(
        "/opinions/track/",
        {"code": referred.tracking_code, "satisfaction": "dissatisfied", "note": "路灯还是不亮"},
    )
    referred.refresh_from_db()
    assert referred.state == Opinion.State.RECEIVED and referred.department_id == unit.organization_id
    today = timezone.localdate()
    day = f"{today.year}年{today.month}月{today.day}日"
    # The resident: the department named, 已重新办理 with the day, and the step in the timeline.
    body = client.post("/opinions/track/", {"code": referred.tracking_code}).content.decode()
    assert 'id="track-department">县交通运输局<' in body
    assert "已重新办理" in body.split('id="track-state"')[1].split("</span>")[0]
    assert f"本意见已于{day}退回重新办理" in body
    assert "您评价“不满意”，已重新办理" in body
    # The department: still its opinion (not a 404), with why it is back and no answer form.
    client.force_login(unit)
    page = client.get(f"/opinions/{referred.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"已于{day}退回重新办理" in text and 'id="department-answer"' not in text
    # Referred back to it, the department answers again and the resident's rating starts afresh.
    services.opinion_transition(
        opinion=referred, to_state=Opinion.State.REFERRED, actor=staff, department=unit.organization,
        note="请再次核实",
    )  # fmt: skip
    assert {q["key"]: q for q in work_queues(unit)}["opinions.referred_to_me"]["count"] == 1
    services.opinion_department_reply(actor=unit, opinion=referred, reply="已重新安装路灯。")
    referred.refresh_from_db()
    assert referred.satisfaction == "" and referred.reply == "已重新安装路灯。"
    client.logout()
    body = client.post("/opinions/track/", {"code": referred.tracking_code}).content.decode()
    assert "track-reopened" not in body and "已重新安装路灯。" in body
    # Staff's timeline has every step, the 不满意 with its reason among them.
    client.force_login(staff)
    page = client.get(f"/opinions/{referred.pk}/").content.decode()
    assert "不满意：路灯还是不亮" in page and "已重新安装路灯。" in page


def test_rating_with_no_option_chosen_names_the_field_in_the_summary_at_the_top(make_opinion, client):
    """A rating sent with no option (the radio buttons send nothing) is a rating, refused naming the
    field in the error summary above the page's forms, not the same form silently again."""
    opinion = make_opinion(Opinion.State.ANSWERED, reply="已派人查看。")
    page = client.post("/opinions/track/", {"code": opinion.tracking_code, "rate": "1", "note": ""})
    body = page.content.decode()
    assert page.status_code == 400
    summary = body.split('class="error-summary"')[1].split("</div>")[0]
    assert "请选择满意程度" in summary
    # The summary is at the top: before the lookup form, not below the answer.
    assert body.index('class="error-summary"') < body.index('id="result"')
    opinion.refresh_from_db()
    assert opinion.satisfaction == "" and opinion.state == Opinion.State.ANSWERED


def test_new_and_dissatisfied_opinions_wait_in_the_keepers_and_township_queues(make_opinion, users, client):
    """Township staff (who refer and convert) see the new opinions of their stations at once, not
    only after 15 days; an opinion a resident rated 不满意 is a queue of its own for keeper and township."""
    make_opinion(title="新来的意见")
    back = make_opinion(Opinion.State.ANSWERED, reply="已派人查看。", title="不满意退回的意见")
    client.post(
        "/opinions/track/", {"code": back.tracking_code, "satisfaction": "dissatisfied", "note": "没修好"}
    )
    township = {q["key"]: q for q in work_queues(users["township_staff"])}
    assert township["opinions.received"]["count"] == 2
    for role in ("station_keeper", "township_staff"):
        queues = {q["key"]: q for q in work_queues(users[role])}
        assert queues["opinions.dissatisfied"]["count"] == 1
        client.force_login(users[role])
        listing = client.get(queues["opinions.dissatisfied"]["url"]).content.decode()
        assert "不满意退回的意见" in listing and "新来的意见" not in listing


def test_the_keepers_page_says_who_refers_or_converts_an_opinion(make_opinion, users, client):
    opinion = make_opinion(title="需转交的意见")
    client.force_login(users["station_keeper"])
    body = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert 'id="handle-who"' in body and "乡镇人大工作人员" in body.split('id="handle-who"')[1]
