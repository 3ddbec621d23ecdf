"""Writes to activities and campaigns. Every write is validated, atomic and audited; attendance is
recorded on the duty-record spine (one standing record per invitation, withdrawn when corrected).

Duty records written here (source = the Invitation row, attributes below):
- present (签到): kind = the activity's kind (ACTIVITY_DUTY_KIND), quantity = activity.hours, unit 小时;
- excused (请假已批准): kind "leave", quantity 1 次;
- absent (无故缺席): kind "absence", quantity 1 次.
attributes = {"activity_id", "activity_kind", "organiser_id", "campaign_id", "role": "participant"}.
A record dated after today cannot exist on the spine, so an approved leave for a future activity is
recorded when the activity's attendance is closed (`absences_mark`).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import model_update, validate
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_withdraw
from renda.organizations.models import Organization

from . import checkin
from .models import (
    Activity,
    Campaign,
    CampaignTask,
    ExternalParticipant,
    FollowUp,
    Invitation,
    InvitationEvent,
    Material,
    RaisedOpinion,
)

ACTIVITY_DUTY_KIND: dict[str, str] = {
    Activity.Kind.INSPECTION: DutyRecord.Kind.INSPECTION,
    Activity.Kind.SURVEY: DutyRecord.Kind.SURVEY,
    Activity.Kind.LAW_INSPECTION: DutyRecord.Kind.LAW_INSPECTION,
    Activity.Kind.INQUIRY: DutyRecord.Kind.INQUIRY,
    Activity.Kind.CAMPAIGN: DutyRecord.Kind.CAMPAIGN,
    Activity.Kind.JOINT_INSPECTION: DutyRecord.Kind.JOINT_INSPECTION,
    Activity.Kind.SUPERVISION: DutyRecord.Kind.SUPERVISION,
    Activity.Kind.STUDY: DutyRecord.Kind.STUDY,
    Activity.Kind.DUTY_REPORT: DutyRecord.Kind.DUTY_REPORT,
    Activity.Kind.OTHER: DutyRecord.Kind.OTHER,
}
ATTENDANCE_DUTY_KIND = {
    Invitation.Attendance.EXCUSED: DutyRecord.Kind.LEAVE,
    Invitation.Attendance.ABSENT: DutyRecord.Kind.ABSENCE,
}
ACTIVITY_FIELDS = [
    "kind",
    "title",
    "organizer",
    "campaign",
    "region",
    "law",
    "starts_at",
    "ends_at",
    "place",
    "agenda",
    "hours",
]
# Organisations that may organise an activity (a body, a street committee, a presidium, a department).
ORGANIZER_KINDS = {
    Organization.Kind.STANDING_COMMITTEE,
    Organization.Kind.WORK_BODY,
    Organization.Kind.STREET_COMMITTEE,
    Organization.Kind.TOWNSHIP_PRESIDIUM,
    Organization.Kind.HANDLING_UNIT,
}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def default_hours(starts_at: datetime.datetime, ends_at: datetime.datetime) -> Decimal:
    """The duration in hours, to the half hour, at least half an hour and at most 8 per day."""
    seconds = (ends_at - starts_at).total_seconds()
    days = max(1, (timezone.localtime(ends_at).date() - timezone.localtime(starts_at).date()).days + 1)
    hours = Decimal(seconds / 3600 * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return max(Decimal("0.5"), min(hours, Decimal(8 * days)))


# --- activities ---------------------------------------------------------------------------------


def _clean_activity(data: dict, activity: Activity | None = None) -> dict:
    data = dict(data)
    for key in ("title", "law", "place", "agenda"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    if "title" in data and not data["title"]:
        raise DomainError(_("请填写活动名称"), field="title")
    if "place" in data and not data["place"]:
        raise DomainError(_("请填写活动地点"), field="place")
    kind = data.get("kind", activity.kind if activity else "")
    law = data.get("law", activity.law if activity else "")
    if kind == Activity.Kind.LAW_INSPECTION and not law:
        raise DomainError(_("执法检查须填写所检查的法律法规"), field="law")
    starts_at = data.get("starts_at", activity.starts_at if activity else None)
    ends_at = data.get("ends_at", activity.ends_at if activity else None)
    if starts_at is None:
        raise DomainError(_("请填写开始时间"), field="starts_at")
    if ends_at is None:
        raise DomainError(_("请填写结束时间"), field="ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间须晚于开始时间"), field="ends_at")
    organizer = data.get("organizer", activity.organizer if activity else None)
    if organizer is None or organizer.kind not in ORGANIZER_KINDS:
        raise DomainError(
            _("请选择组织单位（常委会、工作机构、街道工委、乡镇人大主席团或部门）"), field="organizer"
        )
    campaign = data.get("campaign", activity.campaign if activity else None)
    if campaign is not None and not (
        campaign.starts_on <= timezone.localtime(starts_at).date() <= campaign.ends_on
    ):
        raise DomainError(_("活动日期不在所属主题活动的期间内"), field="campaign")
    if data.get("hours") is None and ("starts_at" in data or "ends_at" in data or activity is None):
        data["hours"] = default_hours(starts_at, ends_at)
    elif data.get("hours") is not None and Decimal(str(data["hours"])) <= 0:
        raise DomainError(_("履职时长须大于零"), field="hours")
    if not data.get("region") and activity is None:
        data["region"] = organizer.region
    return data


def activity_create(*, actor, co_organizers=(), **data) -> Activity:
    """Plan an activity. Required: kind, title, organizer, starts_at, ends_at (after the start), place;
    law for a law-enforcement inspection. `hours` defaults to the duration (default_hours); `region`
    to the organiser's region (it decides which township's staff see the activity)."""
    data = _clean_activity(data)
    activity = Activity(**{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}, created_by=_user(actor))
    validate(activity, validate_constraints=False)
    with transaction.atomic():
        activity.save()
        activity.co_organizers.set([o for o in co_organizers if o.pk != activity.organizer_id])
        if activity.kind == Activity.Kind.LAW_INSPECTION:
            FollowUp.objects.create(activity=activity)
        audit_record(
            action="activity.create",
            actor=actor,
            obj=activity,
            changes={
                "kind": activity.kind,
                "title": activity.title,
                "organizer": str(activity.organizer),
                "starts_at": activity.starts_at,
                "ends_at": activity.ends_at,
            },
        )
    return activity


def activity_update(*, actor, activity: Activity, data: dict, co_organizers=None) -> Activity:
    """Change what staff planned. Moving the start invalidates check-in codes already shown."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.state != Activity.State.PLANNED:
            raise InvalidTransition(_("考勤已结束或活动已取消，不能再修改活动安排"))
        data = _clean_activity(data, activity)
        changes = model_update(instance=activity, data=data, fields=ACTIVITY_FIELDS)
        validate(activity, validate_constraints=False)
        if changes:
            activity.save(update_fields=[*changes, "updated_at"])
        if co_organizers is not None:
            before = sorted(str(o) for o in activity.co_organizers.all())
            activity.co_organizers.set([o for o in co_organizers if o.pk != activity.organizer_id])
            after = sorted(str(o) for o in activity.co_organizers.all())
            if before != after:
                changes["co_organizers"] = [before, after]
        if activity.kind == Activity.Kind.LAW_INSPECTION:
            FollowUp.objects.get_or_create(activity=activity)
        if changes:
            audit_record(action="activity.update", actor=actor, obj=activity, changes=changes)
    return activity


def activity_outputs_update(*, actor, activity: Activity, report: str, problems: str) -> Activity:
    """The report and the problems found (成果：活动报告、发现的问题)."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        changes = model_update(
            instance=activity,
            data={"report": (report or "").strip(), "problems": (problems or "").strip()},
            fields=["report", "problems"],
        )
        if changes:
            activity.save(update_fields=[*changes, "updated_at"])
            audit_record(
                action="activity.outputs", actor=actor, obj=activity, changes=dict.fromkeys(changes, "…")
            )
    return activity


def material_add(*, actor, activity: Activity, upload, kind: str = Material.Kind.MATERIAL) -> Material:
    """Attach a file, checked by extension, size and file signature as suggestions' attachments are."""
    from renda.suggestions.services import _check_file

    if kind not in Material.Kind.values:
        raise DomainError(_("请选择材料类别"), field="kind")
    if upload is None:
        raise DomainError(_("请选择文件"), field="file")
    _check_file(upload, "file")
    with transaction.atomic():
        material = Material.objects.create(
            activity=activity, kind=kind, file=upload, name=upload.name[:200], uploaded_by=_user(actor)
        )
        audit_record(action="activity.material_add", actor=actor, obj=activity, detail=material.name)
    return material


def external_participant_add(
    *, actor, activity: Activity, name: str, organization_name: str = "", role: str, title: str = ""
) -> ExternalParticipant:
    """Someone who is not a deputy (政协委员, 专家, 部门负责人). No duty record is written for them."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写姓名"), field="name")
    row = ExternalParticipant(
        activity=activity,
        name=name,
        organization_name=(organization_name or "").strip(),
        role=role,
        title=(title or "").strip(),
    )
    validate(row)
    with transaction.atomic():
        row.save()
        audit_record(
            action="activity.external_add",
            actor=actor,
            obj=activity,
            changes={"name": name, "organization": row.organization_name, "role": role},
        )
    return row


def external_participant_remove(*, actor, participant: ExternalParticipant) -> None:
    with transaction.atomic():
        activity, name = participant.activity, participant.name
        participant.delete()
        audit_record(action="activity.external_remove", actor=actor, obj=activity, changes={"name": name})


def raised_opinion_add(*, actor, activity: Activity, title: str, content: str, deputy=None) -> RaisedOpinion:
    """An opinion raised at the activity (by a deputy, or by the group when `deputy` is None)."""
    title = (title or "").strip()
    content = (content or "").strip()
    if not title:
        raise DomainError(_("请填写意见标题"), field="title")
    if not content:
        raise DomainError(_("请填写意见内容"), field="content")
    if deputy is not None and not activity.invitations.filter(deputy=deputy).exists():
        raise DomainError(_("提出意见的代表须是本次活动的受邀代表"), field="deputy")
    with transaction.atomic():
        opinion = RaisedOpinion.objects.create(activity=activity, deputy=deputy, title=title, content=content)
        audit_record(
            action="activity.opinion_add",
            actor=actor,
            obj=activity,
            changes={"title": title, "deputy": str(deputy) if deputy else ""},
        )
    return opinion


def raised_opinion_take_up(*, actor, opinion: RaisedOpinion, category: str) -> "Suggestion":  # noqa: F821
    """A deputy takes an opinion raised at the activity up as their own suggestion draft, through the
    suggestions app's draft path (suggestion_create); the opinion then points to the draft and the
    draft back to it (`suggestion.raised_opinion`). Only an invitee, and only once."""
    from renda.deputies.selectors import deputy_for_user
    from renda.suggestions.services import suggestion_create

    deputy = deputy_for_user(user=actor)
    if deputy is None or actor.role != Role.DEPUTY:
        raise InvalidTransition(_("只有代表本人可以将意见转为建议"))
    with transaction.atomic():
        opinion = RaisedOpinion.objects.select_for_update().select_related("activity").get(pk=opinion.pk)
        if opinion.suggestion_id is not None:
            raise InvalidTransition(_("该意见已转为建议"))
        if opinion.deputy_id not in (None, deputy.pk):
            raise InvalidTransition(_("该意见由其他代表提出，只能由提出的代表转为建议"))
        if not opinion.activity.invitations.filter(deputy=deputy).exists():
            raise InvalidTransition(_("只有本次活动的受邀代表可以将意见转为建议"))
        suggestion = suggestion_create(
            actor=actor,
            lead_deputy=deputy,
            title=opinion.title,
            body=_("%(content)s\n\n（来源：%(activity)s中提出的意见）")
            % {"content": opinion.content, "activity": opinion.activity.title},
            category=category,
        )
        opinion.suggestion = suggestion
        opinion.save(update_fields=["suggestion", "updated_at"])
        audit_record(
            action="activity.opinion_take_up",
            actor=actor,
            obj=opinion.activity,
            changes={"opinion": opinion.title, "suggestion": suggestion.pk},
        )
    return suggestion


def follow_up_update(
    *,
    actor,
    activity: Activity,
    reported_on: datetime.date | None,
    review_opinions: str,
    sent_on: datetime.date | None,
    responded_on: datetime.date | None,
    response: str,
) -> FollowUp:
    """Record the follow-up of a law-enforcement inspection. When the 审议意见 are sent to the
    government, the report on their handling is due RENDA_INSPECTION_RESPONSE_MONTHS (default 2)
    months later (clamped at month end); a response needs the opinions sent first."""
    from renda.suggestions.deadlines import add_months

    if activity.kind != Activity.Kind.LAW_INSPECTION:
        raise InvalidTransition(_("只有执法检查需要跟踪审议意见的研究处理情况"))
    review_opinions = (review_opinions or "").strip()
    response = (response or "").strip()
    if sent_on is not None and not review_opinions:
        raise DomainError(_("送交政府前请填写审议意见"), field="review_opinions")
    if sent_on is not None and reported_on is not None and sent_on < reported_on:
        raise DomainError(_("送交日期不能早于提请审议日期"), field="sent_on")
    if responded_on is not None and sent_on is None:
        raise DomainError(_("审议意见尚未送交政府，不能登记研究处理情况"), field="responded_on")
    if responded_on is not None and responded_on < sent_on:
        raise DomainError(_("报告日期不能早于送交日期"), field="responded_on")
    if responded_on is not None and not response:
        raise DomainError(_("请填写研究处理情况"), field="response")
    with transaction.atomic():
        follow_up, _created = FollowUp.objects.select_for_update().get_or_create(activity=activity)
        data = {
            "reported_on": reported_on,
            "review_opinions": review_opinions,
            "sent_on": sent_on,
            "due_on": add_months(sent_on, settings.RENDA_INSPECTION_RESPONSE_MONTHS) if sent_on else None,
            "responded_on": responded_on,
            "response": response,
        }
        changes = model_update(instance=follow_up, data=data, fields=list(data))
        if changes:
            follow_up.save(update_fields=[*changes, "updated_at"])
            audit_record(
                action="activity.follow_up",
                actor=actor,
                obj=activity,
                changes={k: v for k, v in changes.items() if k not in ("review_opinions", "response")},
            )
    return follow_up


# --- campaigns ----------------------------------------------------------------------------------


def campaign_create(
    *,
    actor,
    name: str,
    organizer: Organization,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    level: str = "county",
    region=None,
) -> Campaign:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写主题活动名称"), field="name")
    if ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    campaign = Campaign(
        name=name,
        organizer=organizer,
        region=region or organizer.region,
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        description=(description or "").strip(),
    )
    validate(campaign, validate_constraints=False)
    try:
        with transaction.atomic():
            campaign.save()
            audit_record(
                action="campaign.create",
                actor=actor,
                obj=campaign,
                changes={"name": name, "starts_on": starts_on, "ends_on": ends_on},
            )
    except IntegrityError as exc:
        raise DomainError(_("已有同名主题活动"), field="name") from exc
    return campaign


def campaign_task_add(
    *, actor, campaign: Campaign, title: str, duty_kind: str, target: int = 1
) -> CampaignTask:
    """A task every deputy is expected to complete; completion is counted from the duty records of
    `duty_kind` dated within the campaign's period (nobody ticks it)."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写任务内容"), field="title")
    if duty_kind not in DutyRecord.Kind.values:
        raise DomainError(_("请选择对应的履职类别"), field="duty_kind")
    if duty_kind in DutyRecord.SYSTEM_ONLY_KINDS:
        raise DomainError(_("请假、缺席不能作为任务"), field="duty_kind")
    if target is None or target < 1:
        raise DomainError(_("次数至少为1"), field="target")
    with transaction.atomic():
        position = campaign.tasks.count()
        task = CampaignTask.objects.create(
            campaign=campaign, title=title, duty_kind=duty_kind, target=target, position=position
        )
        audit_record(
            action="campaign.task_add",
            actor=actor,
            obj=campaign,
            changes={"title": title, "duty_kind": duty_kind, "target": target},
        )
    return task


# --- invitations and attendance -----------------------------------------------------------------


def _event(invitation: Invitation, action: str, actor, note: str = "") -> None:
    InvitationEvent.objects.create(invitation=invitation, action=action, actor=_user(actor), note=note[:200])


def _notify(deputy, *, kind: str, title: str, body: str, url: str, key: str | None = None) -> None:
    """Tell a deputy through the notifications app (inbox + configured sender), if they have an
    account. Called on commit, so a rolled-back invitation sends nothing."""
    if deputy.user_id is None:
        return
    user = deputy.user

    def send():
        from renda.notifications.services import notification_send

        notification_send(recipient=user, kind=kind, title=title, body=body, url=url, key=key)

    transaction.on_commit(send)


def _when(activity: Activity) -> str:
    start = timezone.localtime(activity.starts_at)
    return f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}"


def invitations_add(*, actor, activity: Activity, deputies) -> list[Invitation]:
    """Invite deputies (chosen by filters or by hand); those already invited are skipped. Each new
    invitee is notified. Returns the new invitations."""
    if activity.state != Activity.State.PLANNED:
        raise InvalidTransition(_("考勤已结束或活动已取消，不能再邀请代表"))
    deputies = list({d.pk: d for d in deputies}.values())
    if not deputies:
        raise DomainError(_("没有符合条件的代表，请调整筛选条件或手工选择"), field="deputies")
    with transaction.atomic():
        present = set(activity.invitations.values_list("deputy_id", flat=True))
        new = [Invitation(activity=activity, deputy=d) for d in deputies if d.pk not in present]
        Invitation.objects.bulk_create(new)
        created = list(
            Invitation.objects.filter(
                activity=activity, deputy_id__in=[i.deputy_id for i in new]
            ).select_related("deputy")
        )
        InvitationEvent.objects.bulk_create(
            [
                InvitationEvent(invitation=i, action=InvitationEvent.Action.INVITE, actor=_user(actor))
                for i in created
            ]
        )
        url = reverse("activities:portal_detail", args=[activity.pk])
        for invitation in created:
            _notify(
                invitation.deputy,
                kind="activity.invitation",
                title=_("活动邀请：%(t)s") % {"t": activity.title},
                body=_("%(when)s，%(place)s。请在手机上报名或请假。")
                % {"when": _when(activity), "place": activity.place},
                url=url,
                key=f"activity{activity.pk}:invite",
            )
        if created:
            audit_record(
                action="activity.invite",
                actor=actor,
                obj=activity,
                changes={"deputies": [str(i.deputy) for i in created]},
            )
    return created


def _locked(invitation: Invitation) -> Invitation:
    return (
        # Lock the invitation row only: duty_record is the nullable side of an outer join.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__organizer", "deputy", "duty_record")
        .get(pk=invitation.pk)
    )


def invitation_answer(*, actor, invitation: Invitation, answer: str, reason: str = "") -> Invitation:
    """The deputy answers 报名 (attend) or 请假 (leave, with a reason). Answering again changes the
    answer until the activity ends; a leave request then waits for staff approval."""
    from renda.deputies.selectors import deputy_for_user

    reason = (reason or "").strip()
    if answer not in (Invitation.Answer.ATTEND, Invitation.Answer.LEAVE):
        raise DomainError(_("请选择报名或请假"), field="answer")
    if answer == Invitation.Answer.LEAVE and not reason:
        raise DomainError(_("请假须填写事由"), field="reason")
    with transaction.atomic():
        invitation = _locked(invitation)
        own = deputy_for_user(user=actor)
        if own is None or own.pk != invitation.deputy_id:
            raise InvalidTransition(_("只能答复发给本人的邀请"))
        activity = invitation.activity
        if activity.state != Activity.State.PLANNED or activity.has_ended:
            raise InvalidTransition(_("活动已结束，不能再报名或请假"))
        if invitation.attendance == Invitation.Attendance.PRESENT:
            raise InvalidTransition(_("您已签到，无需再报名或请假"))
        old = invitation.answer
        invitation.answer = answer
        invitation.answered_at = timezone.now()
        if answer == Invitation.Answer.LEAVE:
            invitation.leave_reason = reason[:200]
            invitation.leave_state = Invitation.Leave.PENDING
        else:
            invitation.leave_reason = ""
            invitation.leave_state = Invitation.Leave.NONE
            if invitation.attendance == Invitation.Attendance.EXCUSED:
                _set_attendance(
                    invitation, Invitation.Attendance.NONE, actor=actor, reason=_("代表改为报名参加")
                )
        invitation.save(update_fields=["answer", "answered_at", "leave_reason", "leave_state", "updated_at"])
        _event(
            invitation,
            InvitationEvent.Action.ANSWER_LEAVE
            if answer == "leave"
            else InvitationEvent.Action.ANSWER_ATTEND,
            actor,
            reason,
        )
        audit_record(
            action="invitation.answer",
            actor=actor,
            obj=invitation,
            changes={"answer": [old, answer]},
            detail=reason,
        )
    return invitation


def _duty_attributes(activity: Activity) -> dict:
    return {
        "activity_id": activity.pk,
        "activity_kind": activity.kind,
        "organiser_id": activity.organizer_id,
        "campaign_id": activity.campaign_id,
        "role": "participant",
    }


def _write_record(invitation: Invitation, *, actor) -> None:
    """Write the standing duty record the current attendance calls for (none when not yet due)."""
    activity = invitation.activity
    on = activity.local_date
    state = invitation.attendance
    if not state or invitation.duty_record_id is not None or on > timezone.localdate():
        return
    if state == Invitation.Attendance.PRESENT:
        kind, quantity, unit = ACTIVITY_DUTY_KIND[activity.kind], activity.hours, "小时"
        title = activity.title
    else:
        kind, quantity, unit = ATTENDANCE_DUTY_KIND[state], 1, "次"
        title = _("%(state)s：%(t)s") % {"state": Invitation.Attendance(state).label, "t": activity.title}
    invitation.duty_record = duty_record_add(
        deputy=invitation.deputy,
        kind=kind,
        title=title[:200],
        occurred_on=on,
        quantity=quantity,
        unit=unit,
        source=invitation,
        source_url=reverse("activities:detail", args=[activity.pk]),
        attributes=_duty_attributes(activity),
        actor=actor,
    )


def _set_attendance(invitation: Invitation, state: str, *, actor, reason: str) -> None:
    """Move an (already locked) invitation to `state`: withdraw the old record, write the new one.
    The caller saves nothing else of the attendance; this saves attendance, duty_record, checked_in_at."""
    if invitation.duty_record_id is not None:
        duty_record_withdraw(record=invitation.duty_record, actor=actor, reason=reason)
        invitation.duty_record = None
    invitation.attendance = state
    invitation.checked_in_at = timezone.now() if state == Invitation.Attendance.PRESENT else None
    _write_record(invitation, actor=actor)
    invitation.save(update_fields=["attendance", "duty_record", "checked_in_at", "updated_at"])


def leave_decide(*, actor, invitation: Invitation, approve: bool, note: str = "") -> Invitation:
    """Staff approve or refuse a leave request. Approval makes the invitee excused (a leave record;
    an absence already set is withdrawn); refusal needs a reason and leaves them expected."""
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("不批准请假时请填写理由"), field="note")
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.answer != Invitation.Answer.LEAVE or invitation.leave_state != Invitation.Leave.PENDING:
            raise InvalidTransition(_("该代表没有待批准的请假"))
        if invitation.attendance == Invitation.Attendance.PRESENT:
            raise InvalidTransition(_("该代表已签到，不能批准请假"))
        invitation.leave_state = Invitation.Leave.APPROVED if approve else Invitation.Leave.REJECTED
        invitation.save(update_fields=["leave_state", "updated_at"])
        if approve:
            _set_attendance(
                invitation,
                Invitation.Attendance.EXCUSED,
                actor=actor,
                reason=_("请假已批准：%(n)s") % {"n": note or invitation.leave_reason},
            )
        _event(
            invitation,
            InvitationEvent.Action.LEAVE_APPROVE if approve else InvitationEvent.Action.LEAVE_REJECT,
            actor,
            note,
        )
        audit_record(
            action="invitation.leave_decide",
            actor=actor,
            obj=invitation,
            changes={"leave_state": ["pending", invitation.leave_state]},
            detail=note,
        )
    return invitation


def invitation_check_in(*, actor, activity: Activity, token: str, now=None) -> Invitation:
    """The deputy scanned the code: check them in. Refuses (DomainError, in Chinese) a forged,
    expired, not-yet-valid or other activity's code, someone not invited, and a second check-in."""
    from renda.deputies.selectors import deputy_for_user

    checkin.checkin_verify(activity, token, now=now)
    deputy = deputy_for_user(user=actor)
    if deputy is None:
        raise DomainError(_("您的账号尚未关联代表信息，不能签到"), field="token")
    with transaction.atomic():
        invitation = Invitation.objects.filter(activity=activity, deputy=deputy).first()
        if invitation is None:
            raise DomainError(_("您不在本次活动的邀请名单中，请联系现场工作人员"), field="token")
        invitation = _locked(invitation)
        if invitation.attendance == Invitation.Attendance.PRESENT:
            raise InvalidTransition(
                _("您已于%(t)s签到，无需重复签到")
                % {"t": timezone.localtime(invitation.checked_in_at).strftime("%H:%M")}
            )
        if invitation.activity.state == Activity.State.CLOSED:
            raise InvalidTransition(_("本次活动考勤已结束，请联系工作人员"))
        reason = _("代表到会签到")
        _set_attendance(invitation, Invitation.Attendance.PRESENT, actor=actor, reason=reason)
        _event(invitation, InvitationEvent.Action.CHECK_IN, actor)
        audit_record(
            action="invitation.check_in", actor=actor, obj=invitation, changes={"attendance": "present"}
        )
    return invitation


def attendance_correct(*, actor, invitation: Invitation, present: bool, reason: str) -> Invitation:
    """Staff check someone in or out by hand (代签到 / 撤销签到), with a reason. Checking in withdraws a
    leave or absence record; checking out withdraws the attendance record and, once attendance is
    closed, records the invitee as absent unless their leave was approved."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因"), field="reason")
    with transaction.atomic():
        invitation = _locked(invitation)
        activity = invitation.activity
        if present:
            if invitation.attendance == Invitation.Attendance.PRESENT:
                raise InvalidTransition(_("该代表已签到"))
            if timezone.now() < checkin.window(activity)[0]:
                raise InvalidTransition(_("活动尚未开始，不能代为签到"))
            _set_attendance(invitation, Invitation.Attendance.PRESENT, actor=actor, reason=reason)
            action = InvitationEvent.Action.CHECK_IN_MANUAL
        else:
            if invitation.attendance != Invitation.Attendance.PRESENT:
                raise InvalidTransition(_("该代表尚未签到，无需撤销"))
            if invitation.leave_state == Invitation.Leave.APPROVED:
                after = Invitation.Attendance.EXCUSED
            elif activity.state == Activity.State.CLOSED:
                after = Invitation.Attendance.ABSENT
            else:
                after = Invitation.Attendance.NONE
            _set_attendance(invitation, after, actor=actor, reason=reason)
            action = InvitationEvent.Action.CHECK_OUT
        _event(invitation, action, actor, reason)
        audit_record(
            action="invitation.attendance_correct",
            actor=actor,
            obj=invitation,
            changes={"attendance": invitation.attendance},
            detail=reason,
        )
    return invitation


def absence_revoke(*, actor, invitation: Invitation, reason: str) -> Invitation:
    """Staff take back an absence (无故缺席) with a reason: the absence record is withdrawn."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销缺席的原因"), field="reason")
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.attendance != Invitation.Attendance.ABSENT:
            raise InvalidTransition(_("该代表未被记为无故缺席"))
        _set_attendance(invitation, Invitation.Attendance.NONE, actor=actor, reason=reason)
        _event(invitation, InvitationEvent.Action.ABSENCE_REVOKE, actor, reason)
        audit_record(
            action="invitation.absence_revoke",
            actor=actor,
            obj=invitation,
            changes={"attendance": ["absent", ""]},
            detail=reason,
        )
    return invitation


def activity_close_attendance(*, activity: Activity, actor=None) -> int:
    """After the activity (and the grace period): invitees with neither check-in nor approved leave
    become absent (无故缺席, one absence record each); approved leaves get their leave record. The
    activity is then closed, so running again changes nothing. Returns how many were marked absent."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.state != Activity.State.PLANNED:
            return 0
        if timezone.now() <= checkin.window(activity)[1]:
            raise InvalidTransition(_("活动签到尚未结束，不能结束考勤"))
        absent = 0
        for invitation in activity.invitations.select_related("deputy", "duty_record").select_for_update(
            of=("self",)
        ):
            invitation.activity = activity
            if invitation.attendance == "" and invitation.leave_state != Invitation.Leave.APPROVED:
                _set_attendance(invitation, Invitation.Attendance.ABSENT, actor=actor, reason="")
                _event(invitation, InvitationEvent.Action.ABSENT, actor)
                absent += 1
            elif invitation.attendance == "" and invitation.leave_state == Invitation.Leave.APPROVED:
                _set_attendance(invitation, Invitation.Attendance.EXCUSED, actor=actor, reason="")
            elif invitation.duty_record_id is None and invitation.attendance:
                _write_record(invitation, actor=actor)
                invitation.save(update_fields=["duty_record", "updated_at"])
        activity.state = Activity.State.CLOSED
        activity.attendance_closed_at = timezone.now()
        activity.save(update_fields=["state", "attendance_closed_at", "updated_at"])
        audit_record(
            action="activity.close_attendance", actor=actor, obj=activity, changes={"absent": absent}
        )
    return absent


def absences_mark(*, now=None) -> dict[str, int]:
    """Close the attendance of every activity whose check-in window has ended (the daily command and
    task). One activity's failure does not stop the others. Shape: {"activities": n, "absent": n}."""
    import logging

    now = now or timezone.now()
    grace = datetime.timedelta(minutes=settings.RENDA_CHECKIN_GRACE_MINUTES)
    done = {"activities": 0, "absent": 0, "failed": 0}
    due = Activity.objects.filter(state=Activity.State.PLANNED, ends_at__lt=now - grace).order_by(
        "ends_at", "pk"
    )
    for activity in due.iterator(chunk_size=200):
        try:
            done["absent"] += activity_close_attendance(activity=activity)
            done["activities"] += 1
        except Exception:  # one bad activity must not stop the others; it is retried next run
            logging.getLogger(__name__).exception("closing attendance of activity %s failed", activity.pk)
            done["failed"] += 1
    return done


def invitations_chase(*, actor, activity: Activity) -> int:
    """催复: remind every invitee who has not answered yet (a notification each). Returns how many."""
    if activity.state != Activity.State.PLANNED or activity.has_ended:
        raise InvalidTransition(_("活动已结束，无需催复"))
    with transaction.atomic():
        pending = list(activity.invitations.filter(answer="").select_related("deputy"))
        now = timezone.now()
        url = reverse("activities:portal_detail", args=[activity.pk])
        for invitation in pending:
            _notify(
                invitation.deputy,
                kind="activity.chase",
                title=_("请答复活动邀请：%(t)s") % {"t": activity.title},
                body=_("%(when)s，%(place)s。您尚未报名或请假，请尽快答复。")
                % {"when": _when(activity), "place": activity.place},
                url=url,
                key=f"activity{activity.pk}:chase:{now:%Y%m%d%H%M}",
            )
            _event(invitation, InvitationEvent.Action.CHASE, actor)
        Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(chased_at=now)
        if pending:
            audit_record(action="activity.chase", actor=actor, obj=activity, changes={"count": len(pending)})
    return len(pending)
