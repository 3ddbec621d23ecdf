"""Activities: planning rules, invitations by every filter, the answer / check-in / leave / absence
cycle and its duty records (with withdrawal on correction), check-in codes, campaigns, follow-ups."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.activities import checkin, selectors, services
from renda.activities.models import Activity, Invitation
from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_withdraw


def standing(deputy):
    return list(DutyRecord.objects.standing().filter(deputy=deputy).order_by("id"))


# --- planning ---


def test_end_before_start_is_refused_by_the_service_and_the_database(plan, orgs):
    with pytest.raises(DomainError) as info:
        plan(length=-1)
    assert info.value.field == "ends_at" and "晚于开始" in info.value.message
    activity = plan()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(
            ends_at=activity.starts_at - datetime.timedelta(hours=1)
        )


def test_a_law_enforcement_inspection_names_its_law_and_gets_a_follow_up(plan):
    with pytest.raises(DomainError) as info:
        plan(kind="law_inspection", title="执法检查")
    assert info.value.field == "law"
    activity = plan(
        kind="law_inspection", title="《中华人民共和国食品安全法》执法检查", law="中华人民共和国食品安全法"
    )
    assert activity.follow_up.due_on is None


def test_hours_default_to_the_duration_and_region_to_the_organiser(plan, orgs, regions):
    activity = plan(length=2.6, organizer=orgs["presidium"])
    assert activity.hours == Decimal("2.5") and activity.region == regions["huangnitang"]


def test_organiser_must_be_an_organising_body(plan, orgs):
    with pytest.raises(DomainError) as info:
        plan(organizer=orgs["cppcc"])
    assert info.value.field == "organizer"


def test_material_is_checked_by_signature(plan, users):
    activity = plan()
    fake = SimpleUploadedFile("议程.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="不符"):
        services.material_add(actor=users["county_staff"], activity=activity, upload=fake)
    real = SimpleUploadedFile("议程.pdf", b"%PDF-1.7 agenda", content_type="application/pdf")
    assert (
        services.material_add(actor=users["county_staff"], activity=activity, upload=real).name == "议程.pdf"
    )


def test_external_participants_write_no_duty_record(plan, users):
    activity = plan(kind="joint_inspection", title="联合视察")
    services.external_participant_add(
        actor=users["county_staff"],
        activity=activity,
        name="赵政协",
        organization_name="县政协",
        role="cppcc_member",
    )
    with pytest.raises(DomainError) as info:
        services.external_participant_add(
            actor=users["county_staff"], activity=activity, name=" ", role="expert"
        )
    assert info.value.field == "name"
    assert DutyRecord.objects.count() == 0


# --- invitations by filter ---


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"level": "county"}, {"wang", "li"}),
        ({"level": "township"}, {"zhang"}),
        ({"congress": "county"}, {"wang", "li"}),
        ({"township": "520521004"}, {"li"}),
        ({"constituency": "c1"}, {"wang"}),
        ({"sector": "education"}, {"li"}),
        ({"station": "station"}, {"wang"}),
        ({"delegation": "第二代表团"}, {"li"}),
        ({"external_role": "department_appointment"}, {"wang"}),
        ({"external_role": "policy_publicist"}, {"li"}),
        ({"external_organization": "market"}, {"wang"}),
        ({"names": ["王芳", "张强"]}, {"wang", "zhang"}),
        ({"ids": "li"}, {"li"}),
        ({}, set()),
    ],
)
def test_invitees_by_each_filter(users, roster, orgs, filters, expected):
    resolved = {}
    for key, value in filters.items():
        if key in ("congress", "constituency", "station"):
            value = roster[value]
        elif key == "external_organization":
            value = orgs[value]
        elif key == "ids":
            value = [roster[value].pk]
        resolved[key] = value
    found = selectors.invitee_candidates(user=users["county_staff"], **resolved)
    names = {k for k in ("wang", "li", "zhang") if roster[k] in set(found)}
    assert names == expected


def test_township_staff_pick_only_their_own_deputies(users, roster):
    found = set(selectors.invitee_candidates(user=users["township_staff"], level="county"))
    assert found == {roster["wang"]}


def test_invitations_are_not_repeated(plan, users, roster):
    activity = plan()
    first = services.invitations_add(
        actor=users["county_staff"], activity=activity, deputies=[roster["wang"]]
    )
    again = services.invitations_add(
        actor=users["county_staff"], activity=activity, deputies=[roster["wang"], roster["li"]]
    )
    assert len(first) == 1 and [i.deputy for i in again] == [roster["li"]]
    with pytest.raises(DomainError):
        services.invitations_add(actor=users["county_staff"], activity=activity, deputies=[])


# --- the cycle ---


def _invite(activity, users, *deputies):
    services.invitations_add(actor=users["county_staff"], activity=activity, deputies=list(deputies))
    return {i.deputy_id: i for i in activity.invitations.all()}


def test_answer_needs_a_reason_for_leave_and_ones_own_invitation(plan, users, roster):
    activity = plan(start=2)
    invitations = _invite(activity, users, roster["wang"], roster["li"])
    with pytest.raises(DomainError) as info:
        services.invitation_answer(
            actor=users["deputy"], invitation=invitations[roster["wang"].pk], answer="leave"
        )
    assert info.value.field == "reason"
    with pytest.raises(InvalidTransition, match="本人"):
        services.invitation_answer(
            actor=users["deputy"], invitation=invitations[roster["li"].pk], answer="attend"
        )
    services.invitation_answer(
        actor=users["deputy"], invitation=invitations[roster["wang"].pk], answer="attend"
    )
    assert Invitation.objects.get(pk=invitations[roster["wang"].pk].pk).answer == "attend"


def test_check_in_writes_a_record_of_the_activitys_kind_with_hours(plan, users, roster, orgs):
    activity = plan(kind="survey", title="乡村振兴调研", length=3)
    invitation = _invite(activity, users, roster["wang"])[roster["wang"].pk]
    token = checkin.checkin_token(activity)
    services.invitation_check_in(actor=users["deputy"], activity=activity, token=token)
    invitation.refresh_from_db()
    record = invitation.duty_record
    assert invitation.attendance == "present" and record.kind == "survey"
    assert record.quantity == Decimal("3.0") and record.unit == "小时"
    assert record.attributes == {
        "activity_id": activity.pk,
        "activity_kind": "survey",
        "organiser_id": orgs["committee"].pk,
        "campaign_id": None,
        "role": "participant",
    }
    with pytest.raises(InvalidTransition, match="无需重复签到"):
        services.invitation_check_in(actor=users["deputy"], activity=activity, token=token)
    assert len(standing(roster["wang"])) == 1


def test_forged_expired_early_and_other_activity_codes_are_refused(plan, users, roster):
    activity = plan()
    other = plan(title="另一次视察")
    _invite(activity, users, roster["wang"])
    good = checkin.checkin_token(activity)
    cases = [
        (good[:-3] + "abc", "签到码无效"),
        ("not-a-token", "签到码无效"),
        (checkin.checkin_token(other), "不属于本次活动"),
    ]
    for token, message in cases:
        with pytest.raises(DomainError, match=message):
            services.invitation_check_in(actor=users["deputy"], activity=activity, token=token)
    late = activity.ends_at + datetime.timedelta(hours=5)
    with pytest.raises(DomainError, match="已过期"):
        services.invitation_check_in(actor=users["deputy"], activity=activity, token=good, now=late)
    early = activity.starts_at - datetime.timedelta(hours=5)
    with pytest.raises(DomainError, match="尚未开始"):
        services.invitation_check_in(actor=users["deputy"], activity=activity, token=good, now=early)
    assert DutyRecord.objects.count() == 0


def test_a_code_older_than_its_maximum_age_is_expired(plan, users, roster, settings, monkeypatch):
    activity = plan()
    _invite(activity, users, roster["wang"])
    token = checkin.checkin_token(activity)
    settings.RENDA_CHECKIN_TOKEN_MAX_AGE_DAYS = 0
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    with pytest.raises(DomainError, match="已过期"):
        services.invitation_check_in(actor=users["deputy"], activity=activity, token=token)


def test_moving_the_activity_voids_codes_already_shown(plan, users, roster):
    activity = plan()
    _invite(activity, users, roster["wang"])
    token = checkin.checkin_token(activity)
    services.activity_update(
        actor=users["county_staff"],
        activity=activity,
        data={"starts_at": activity.starts_at - datetime.timedelta(minutes=30)},
    )
    activity.refresh_from_db()
    with pytest.raises(DomainError, match="已失效"):
        services.invitation_check_in(actor=users["deputy"], activity=activity, token=token)


def test_a_deputy_not_invited_cannot_check_in(plan, users, roster):
    activity = plan()
    with pytest.raises(DomainError, match="不在本次活动的邀请名单"):
        services.invitation_check_in(
            actor=users["deputy"], activity=activity, token=checkin.checkin_token(activity)
        )


def _past(plan, **fields):
    """An activity that ended an hour ago, beyond the check-in grace period."""
    return plan(start=-5, length=3, **fields)


def test_leave_absence_and_corrections_on_the_spine(plan, users, roster):
    activity = plan(start=-1, length=3)
    invitations = _invite(activity, users, roster["wang"], roster["li"])
    wang = invitations[roster["wang"].pk]
    li = invitations[roster["li"].pk]
    staff = users["county_staff"]
    # 王芳 asks for leave; staff refuse without a reason: refused.
    services.invitation_answer(actor=users["deputy"], invitation=wang, answer="leave", reason="住院治疗")
    with pytest.raises(DomainError) as info:
        services.leave_decide(actor=staff, invitation=wang, approve=False)
    assert info.value.field == "note"
    services.leave_decide(actor=staff, invitation=wang, approve=True)
    wang.refresh_from_db()
    assert wang.attendance == "excused" and wang.duty_record.kind == "leave"
    # Time passes: attendance is closed; 李明 neither came nor asked for leave.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=6),
        ends_at=timezone.now() - datetime.timedelta(hours=4),
    )
    assert services.absences_mark() == {"activities": 1, "absent": 1, "failed": 0}
    assert services.absences_mark()["activities"] == 0  # idempotent
    li.refresh_from_db()
    assert li.attendance == "absent" and li.duty_record.kind == "absence"
    assert [r.kind for r in standing(roster["li"])] == ["absence"]
    # Staff find 李明 did come (signed the paper list): the absence is withdrawn, attendance written.
    with pytest.raises(DomainError) as info:
        services.attendance_correct(actor=staff, invitation=li, present=True, reason="")
    assert info.value.field == "reason"
    services.attendance_correct(actor=staff, invitation=li, present=True, reason="纸质签到表有签名")
    li.refresh_from_db()
    assert li.attendance == "present" and li.duty_record.kind == "inspection"
    withdrawn = DutyRecord.objects.get(deputy=roster["li"], kind="absence")
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == staff
    assert withdrawn.withdrawal_reason == "纸质签到表有签名"
    assert [r.kind for r in standing(roster["li"])] == ["inspection"]
    # …and then that it was a mistake after all: check-out after closing makes him absent again.
    services.attendance_correct(actor=staff, invitation=li, present=False, reason="签名系他人代签")
    li.refresh_from_db()
    assert li.attendance == "absent"
    assert [r.kind for r in standing(roster["li"])] == ["absence"]
    assert DutyRecord.objects.filter(deputy=roster["li"]).count() == 3
    # Staff revoke the absence with a reason.
    services.absence_revoke(actor=staff, invitation=li, reason="经核实因公出差")
    li.refresh_from_db()
    assert li.attendance == "" and standing(roster["li"]) == []
    with pytest.raises(InvalidTransition):
        services.absence_revoke(actor=staff, invitation=li, reason="再次")
    # Lists and counts exclude withdrawn records.
    from renda.duty_records.selectors import duty_record_list

    assert duty_record_list(user=staff, deputy=roster["li"]).count() == 0
    assert duty_record_list(user=staff, deputy=roster["li"], include_withdrawn=True).count() == 3


def test_leave_for_a_future_activity_is_recorded_when_attendance_closes(plan, users, roster):
    activity = plan(start=48)
    wang = _invite(activity, users, roster["wang"])[roster["wang"].pk]
    services.invitation_answer(actor=users["deputy"], invitation=wang, answer="leave", reason="外出学习")
    services.leave_decide(actor=users["county_staff"], invitation=wang, approve=True)
    wang.refresh_from_db()
    assert wang.attendance == "excused" and wang.duty_record is None  # no record dated in the future
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=6),
        ends_at=timezone.now() - datetime.timedelta(hours=4),
    )
    call_command("activity_absences")
    wang.refresh_from_db()
    assert wang.attendance == "excused" and wang.duty_record.kind == "leave"


def test_a_deputy_on_approved_leave_who_comes_anyway_is_present(plan, users, roster):
    activity = plan()
    wang = _invite(activity, users, roster["wang"])[roster["wang"].pk]
    services.invitation_answer(actor=users["deputy"], invitation=wang, answer="leave", reason="可能出差")
    services.leave_decide(actor=users["county_staff"], invitation=wang, approve=True)
    services.invitation_check_in(
        actor=users["deputy"], activity=activity, token=checkin.checkin_token(activity)
    )
    assert [r.kind for r in standing(roster["wang"])] == ["inspection"]
    assert DutyRecord.objects.get(kind="leave").withdrawn_at is not None


def test_closing_attendance_too_early_is_refused_and_one_failure_does_not_stop_others(
    plan, users, roster, monkeypatch
):
    running = plan()
    with pytest.raises(InvalidTransition):
        services.activity_close_attendance(activity=running)
    first = _past(plan, title="甲")
    second = _past(plan, title="乙")
    _invite(first, users, roster["wang"])
    _invite(second, users, roster["li"])
    real = services.activity_close_attendance

    def flaky(*, activity, actor=None):
        if activity.pk == first.pk:
            raise RuntimeError("boom")
        return real(activity=activity, actor=actor)

    monkeypatch.setattr(services, "activity_close_attendance", flaky)
    assert services.absences_mark() == {"activities": 1, "absent": 1, "failed": 1}
    first.refresh_from_db()
    assert first.state == "planned"  # retried on the next run


# --- the spine's withdrawal ---


def test_withdrawal_needs_a_reason_happens_once_and_frees_the_source(deputies, users):
    source = users["county_staff"]
    day = datetime.date(2026, 3, 1)
    record = duty_record_add(
        deputy=deputies["wang"], kind="survey", title="调研", occurred_on=day, source=source
    )
    with pytest.raises(DomainError):
        duty_record_withdraw(record=record, actor=source, reason=" ")
    duty_record_withdraw(record=record, actor=source, reason="录错")
    with pytest.raises(InvalidTransition):
        duty_record_withdraw(record=record, actor=source, reason="再撤")
    again = duty_record_add(
        deputy=deputies["wang"], kind="survey", title="调研", occurred_on=day, source=source
    )
    assert again.pk != record.pk
    with pytest.raises(DomainError, match="已记入"):
        duty_record_add(deputy=deputies["wang"], kind="survey", title="调研", occurred_on=day, source=source)


def test_deputies_cannot_declare_leave_or_absence(deputies):
    with pytest.raises(DomainError) as info:
        duty_record_add(
            deputy=deputies["wang"],
            kind="absence",
            title="x",
            occurred_on=datetime.date(2026, 3, 1),
            origin="declared",
        )
    assert info.value.field == "kind"


# --- campaigns ---


def test_campaign_completion_is_counted_from_the_spine(users, roster, orgs, plan):
    staff = users["county_staff"]
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=staff,
        name="高质量发展，代表在行动",
        organizer=orgs["committee"],
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )
    services.campaign_task_add(actor=staff, campaign=campaign, title="提出一件建议", duty_kind="suggestion")
    services.campaign_task_add(
        actor=staff, campaign=campaign, title="走访选民两次", duty_kind="contact", target=2
    )
    with pytest.raises(DomainError):
        services.campaign_task_add(actor=staff, campaign=campaign, title="缺席", duty_kind="absence")
    wang, li = roster["wang"], roster["li"]
    duty_record_add(deputy=wang, kind="suggestion", title="建议", occurred_on=today)
    duty_record_add(deputy=wang, kind="contact", title="走访", occurred_on=today)
    withdrawn = duty_record_add(deputy=wang, kind="contact", title="走访", occurred_on=today)
    duty_record_withdraw(record=withdrawn, actor=staff, reason="重复")
    duty_record_add(deputy=li, kind="contact", title="走访", occurred_on=today)
    duty_record_add(deputy=li, kind="contact", title="走访", occurred_on=today)
    # Outside the period, pending review: not counted.
    duty_record_add(
        deputy=li, kind="suggestion", title="旧建议", occurred_on=today - datetime.timedelta(days=60)
    )
    duty_record_add(deputy=li, kind="suggestion", title="申报", occurred_on=today, origin="declared")
    participants = list(selectors.campaign_participants(campaign=campaign))
    assert set(participants) == {wang, li}  # 张强 holds only a township mandate
    rows = {r["deputy"]: r for r in selectors.campaign_completion(campaign=campaign, deputies=participants)}
    assert [(i["done"], i["complete"]) for i in rows[wang]["tasks"]] == [(1, True), (1, False)]
    assert [(i["done"], i["complete"]) for i in rows[li]["tasks"]] == [(0, False), (2, True)]
    assert rows[wang]["completed"] == 1
    portal = selectors.portal_campaigns(deputy=wang)
    assert [p["campaign"] for p in portal] == [campaign]


def test_campaign_period_and_activity_dates(users, orgs, plan):
    staff = users["county_staff"]
    with pytest.raises(DomainError) as info:
        services.campaign_create(
            actor=staff,
            name="四个表率四个一",
            organizer=orgs["committee"],
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 4, 1),
        )
    assert info.value.field == "ends_on"
    old = services.campaign_create(
        actor=staff,
        name="四个表率四个一",
        organizer=orgs["committee"],
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    with pytest.raises(DomainError) as info:
        plan(campaign=old)
    assert info.value.field == "campaign"


# --- law-enforcement follow-up ---


def test_follow_up_is_due_two_months_after_sending_and_shows_when_overdue(plan, users, settings):
    staff = users["county_staff"]
    activity = plan(kind="law_inspection", title="食品安全法执法检查", law="中华人民共和国食品安全法")
    with pytest.raises(DomainError) as info:
        services.follow_up_update(
            actor=staff, activity=activity, reported_on=None, review_opinions="",
            sent_on=datetime.date(2024, 8, 31), responded_on=None, response="",
        )  # fmt: skip
    assert info.value.field == "review_opinions"
    follow_up = services.follow_up_update(
        actor=staff,
        activity=activity,
        reported_on=datetime.date(2024, 8, 28),
        review_opinions="加强农村集体聚餐监管。",
        sent_on=datetime.date(2024, 12, 31),
        responded_on=None,
        response="",
    )
    assert follow_up.due_on == datetime.date(2025, 2, 28)  # clamped at month end
    assert list(selectors.overdue_follow_ups(user=staff)) == [follow_up]
    assert list(selectors.overdue_follow_ups(user=staff, today=datetime.date(2025, 2, 28))) == []
    settings.RENDA_INSPECTION_RESPONSE_MONTHS = 3
    with pytest.raises(DomainError) as info:
        services.follow_up_update(
            actor=staff, activity=activity, reported_on=datetime.date(2024, 8, 28), review_opinions="意见",
            sent_on=datetime.date(2024, 12, 31), responded_on=datetime.date(2025, 3, 1), response="",
        )  # fmt: skip
    assert info.value.field == "response"
    follow_up = services.follow_up_update(
        actor=staff, activity=activity, reported_on=datetime.date(2024, 8, 28), review_opinions="意见",
        sent_on=datetime.date(2024, 12, 31), responded_on=datetime.date(2025, 3, 1), response="已整改。",
    )  # fmt: skip
    assert follow_up.due_on == datetime.date(2025, 3, 31) and not follow_up.is_overdue
    assert list(selectors.overdue_follow_ups(user=staff)) == []
    survey = plan(kind="survey", title="调研")
    with pytest.raises(InvalidTransition):
        services.follow_up_update(
            actor=staff, activity=survey, reported_on=None, review_opinions="", sent_on=None,
            responded_on=None, response="",
        )  # fmt: skip


# --- opinions raised ---


def test_an_opinion_raised_becomes_a_suggestion_draft_linked_both_ways(plan, users, roster):
    activity = plan()
    _invite(activity, users, roster["wang"])
    staff = users["county_staff"]
    with pytest.raises(DomainError) as info:
        services.raised_opinion_add(
            actor=staff, activity=activity, title="t", content="c", deputy=roster["li"]
        )
    assert info.value.field == "deputy"
    opinion = services.raised_opinion_add(
        actor=staff,
        activity=activity,
        title="加快通组路硬化",
        content="部分村组道路仍为泥路。",
        deputy=roster["wang"],
    )
    with pytest.raises(InvalidTransition):
        services.raised_opinion_take_up(actor=staff, opinion=opinion, category="transport")
    suggestion = services.raised_opinion_take_up(actor=users["deputy"], opinion=opinion, category="transport")
    opinion.refresh_from_db()
    assert suggestion.state == "draft" and suggestion.lead_deputy == roster["wang"]
    assert opinion.suggestion == suggestion and suggestion.raised_opinion == opinion
    with pytest.raises(InvalidTransition, match="已转为建议"):
        services.raised_opinion_take_up(actor=users["deputy"], opinion=opinion, category="transport")


def test_invitations_and_chases_notify_the_deputy_after_commit(
    plan, users, roster, django_capture_on_commit_callbacks
):
    from renda.notifications.models import Notification

    activity = plan(start=24)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_add(
            actor=users["county_staff"], activity=activity, deputies=[roster["wang"], roster["li"]]
        )
    notice = Notification.objects.get(user=users["deputy"])  # 李明 has no account: nothing to send
    assert notice.kind == "activity.invitation" and activity.title in notice.title
    assert notice.url == f"/activities/mine/{activity.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_chase(actor=users["county_staff"], activity=activity) == 2
    assert Notification.objects.filter(user=users["deputy"], kind="activity.chase").count() == 1


def test_a_confirmed_department_proposal_becomes_a_supervision_activity(users, roster, orgs):
    from renda.accounts.services import user_create
    from renda.cooperation.services import proposal_create, proposal_decide
    from renda.core.access import Role

    market_user = user_create(
        username="market", password="Renda#2024x", role=Role.HANDLING_UNIT, full_name="市场监管局",
        organization=orgs["market"],
    )  # fmt: skip
    starts = timezone.now() + datetime.timedelta(days=7)
    proposal = proposal_create(
        actor=market_user,
        organization=orgs["market"],
        title="农贸市场计量监督",
        agenda="检查电子秤",
        place="红旗街道农贸市场",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        deputies=[roster["wang"]],
    )
    proposal = proposal_decide(actor=users["county_staff"], proposal=proposal, confirm=True, note="同意")
    activity = Activity.objects.get(pk=int(proposal.activity_ref))
    assert activity.kind == "supervision" and activity.organizer == orgs["market"]
    assert [i.deputy for i in activity.invitations.all()] == [roster["wang"]]
    assert list(selectors.activity_list(user=market_user)) == [activity]
