"""Writes of department cooperation: a department proposes a supervision activity with deputies it
appointed; county staff confirm (with an optional note) or decline (with a reason)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import validate

from .models import ActivityProposal
from .selectors import appointed_deputies


def proposal_create(
    *,
    actor,
    organization,
    title: str,
    agenda: str,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    deputies,
) -> ActivityProposal:
    """A proposal by `organization`. Every invited deputy must hold a current appointment from it."""
    if organization is None:
        raise DomainError(_("您的账号没有所属单位，不能提出监督活动"), field="organization")
    if starts_at and ends_at and ends_at <= starts_at:
        raise DomainError(_("结束时间须晚于开始时间"), field="ends_at")
    if starts_at and starts_at < timezone.now():
        raise DomainError(_("开始时间不能早于现在"), field="starts_at")
    deputies = list(deputies or [])
    if not deputies:
        raise DomainError(_("请选择邀请的代表"), field="deputies")
    allowed = set(appointed_deputies(organization=organization).values_list("pk", flat=True))
    outside = [d.name for d in deputies if d.pk not in allowed]
    if outside:
        raise DomainError(
            _("只能邀请本单位聘任的代表：%(n)s不在聘任名单中") % {"n": "、".join(outside)}, field="deputies"
        )
    proposal = ActivityProposal(
        organization=organization,
        title=title.strip(),
        agenda=agenda.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validate(proposal)
    with transaction.atomic():
        proposal.save()
        proposal.deputies.set(deputies)
        audit_record(
            action="activity_proposal.create",
            actor=actor,
            obj=proposal,
            changes={"title": proposal.title, "deputies": [d.name for d in deputies]},
        )
    return proposal


def proposal_decide(*, actor, proposal: ActivityProposal, confirm: bool, note: str = "") -> ActivityProposal:
    """Confirm or decline a pending proposal; declining needs a reason. Decided once only.

    Confirming creates the activity (kind 部门监督活动, organised by the department) through the
    activities app's services and invites the proposal's deputies, all in the same transaction;
    `activity_ref` keeps the activity's id.
    """
    note = (note or "").strip()
    if not confirm and not note:
        raise DomainError(_("不采纳时请填写理由"), field="note")
    with transaction.atomic():
        proposal = ActivityProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.state != ActivityProposal.State.PROPOSED:
            raise InvalidTransition(_("该申请已处理，不能重复处理"))
        old = proposal.state
        proposal.state = ActivityProposal.State.CONFIRMED if confirm else ActivityProposal.State.DECLINED
        proposal.decided_by, proposal.decided_at, proposal.decision_note = actor, timezone.now(), note
        fields = ["state", "decided_by", "decided_at", "decision_note", "updated_at"]
        if confirm:
            activity = _activity_for(proposal, actor=actor)
            proposal.activity_ref = str(activity.pk)
            fields.append("activity_ref")
        proposal.save(update_fields=fields)
        audit_record(
            action="activity_proposal.confirm" if confirm else "activity_proposal.decline",
            actor=actor,
            obj=proposal,
            changes={"state": [old, proposal.state]},
            detail=note,
        )
    return proposal


def _activity_for(proposal: ActivityProposal, *, actor):
    from renda.activities.models import Activity
    from renda.activities.services import activity_create, invitations_add

    activity = activity_create(
        actor=actor,
        kind=Activity.Kind.SUPERVISION,
        title=proposal.title,
        organizer=proposal.organization,
        starts_at=proposal.starts_at,
        ends_at=proposal.ends_at,
        place=proposal.place,
        agenda=proposal.agenda,
    )
    invitations_add(actor=actor, activity=activity, deputies=list(proposal.deputies.all()))
    return activity
