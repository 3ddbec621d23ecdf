"""Writes to suggestions. Each step of the cycle calls workflow.transition; the rest is validated,
atomic and audited here. Deputies' part is recorded through duty_record_add (source = the row).

A step whose whole rule fits its declaration in workflow.STEPS (note, inputs, checks, columns, a row
to add) runs through `suggestion_step`; its grep-able name (`suggestion_reject`, `contact_add`, …)
is that service with the step filled in. Steps with logic of their own (submit, accept, merge,
assign, return and extension decisions, reply, evaluation, publishing) and the funds are written out.
"""

import contextlib
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.concurrency import stale_message
from renda.core.errors import ConcurrentUpdate, DomainError, InvalidTransition
from renda.core.files import FILE_SIGNATURES, OFFICE_EXTENSIONS, file_head, office_upload_check
from renda.core.text import clean_text
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.opinions.models import Opinion
from renda.opinions.services import opinion_transition
from renda.organizations.models import Organization

from . import deadlines, workflow
from .jurisdiction import congress_for, deputies_in_jurisdiction, unit_in_jurisdiction
from .models import (
    INACTIVE_PARTS,
    OPEN_PARTS,
    Assignment,
    Evaluation,
    Extension,
    MicroFund,
    Reply,
    State,
    Suggestion,
    SuggestionAttachment,
    SuggestionCounter,
    SuggestionSigner,
)
from .similarity import tokens_for

ALLOWED_FILES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png", ".ofd", ".wps")
MAX_FILE_BYTES = 10 * 1024 * 1024
EDITABLE_FIELDS = [
    "title",
    "body",
    "category",
    "region",
    "kind",
    "period",
    "by_delegation",
    "delegation_name",
]


# --- helpers -----------------------------------------------------------------------------------


def _raise_validation(exc: ValidationError) -> None:
    raise DomainError.from_validation(exc) from exc


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        _raise_validation(exc)


def _required(value: str, field: str, message: str) -> str:
    value = clean_text(value, multiline=field != "title")
    if not value:
        raise DomainError(message, field=field)
    return value


def _local_date(at: datetime.datetime | None) -> datetime.date:
    return timezone.localtime(at).date() if at else timezone.localdate()


# What a file of each allowed type starts with lives in core (shared with guidance and work plans).
FILE_FIELD_NAMES = {"file": _("附件"), "letter": _("答复函")}


def _check_file(upload, field: str) -> None:
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(ALLOWED_FILES):
        raise DomainError(_("文件类型不支持，请上传 PDF、Word、OFD 或图片"), field=field)
    if getattr(upload, "size", 0) > MAX_FILE_BYTES:
        raise DomainError(_("文件不能超过10MB"), field=field)
    extension = "." + name.rsplit(".", 1)[-1]
    if not file_head(upload).startswith(FILE_SIGNATURES[extension]):
        raise DomainError(
            _("%(f)s的文件内容与扩展名（%(e)s）不符，请上传真实的 PDF、Word、OFD 或图片文件")
            % {"f": FILE_FIELD_NAMES.get(field, field), "e": extension},
            field=field,
        )
    if extension in OFFICE_EXTENSIONS:
        # Whoever opens it later (Word, WPS, a preview) must not meet a ZIP or XML bomb.
        office_upload_check(upload, field=field, label=str(FILE_FIELD_NAMES.get(field, field)))


def _duty(*, deputy, kind: str, title: str, source, on: datetime.date, actor, attributes=None) -> None:
    """Record a deputy's act once: a repeated step (re-submission after revision) records nothing.

    `attributes` are the facts points schemes match on: {"stage": "submitted"|"accepted"|"evaluated",
    "role": "lead"|"cosigner", "suggestion_kind", "is_key", "result" (of an evaluation)}."""
    exists = DutyRecord.objects.filter(
        deputy=deputy, kind=kind, source_type=source._meta.label_lower, source_id=str(source.pk)
    ).exists()
    if not exists:
        duty_record_add(
            deputy=deputy,
            kind=kind,
            title=title[:200],
            occurred_on=min(on, timezone.localdate()),
            source=source,
            source_url=f"/suggestions/{source.pk}/" if isinstance(source, Suggestion) else "",
            attributes=attributes,
            actor=actor,
        )


def _deputy_of(actor):
    from renda.deputies.models import Deputy

    return Deputy.objects.filter(user=actor).first()


def _handling_unit(suggestion: Suggestion, unit, field: str) -> Organization:
    """A handling unit of the suggestion's own county, else DomainError on `field` (issue 15 §1)."""
    if not isinstance(unit, Organization) or unit.kind != Organization.Kind.HANDLING_UNIT:
        raise DomainError(_("请选择承办单位"), field=field)
    return unit_in_jurisdiction(suggestion, unit, field=field)


def _lead_assignment(suggestion: Suggestion) -> Assignment:
    lead = (
        suggestion.assignments.filter(role=Assignment.Role.LEAD)
        .exclude(state__in=INACTIVE_PARTS)
        .select_related("unit")
        .first()
    )
    if lead is None:
        raise InvalidTransition(_("该件尚无主办单位"))
    return lead


def _own_part(suggestion: Suggestion, assignment: Assignment | None) -> Assignment:
    if assignment is None or assignment.suggestion_id != suggestion.pk:
        raise Http404
    return assignment


# --- creating and editing -------------------------------------------------------------------


def _lead_deputy_in_jurisdiction(actor, lead_deputy) -> None:
    """A clerk enters suggestions led by deputies of their own county only (issue 15 §1): another
    county's deputy is not found, as the paper form's picker would not offer them. The test is the
    deputy's region, the jurisdiction every page scopes by; it does not ask for a mandate serving
    today, so a suggestion from a deputy who has since left can still be entered from paper."""
    from renda.deputies.models import Deputy

    from .jurisdiction import county_of

    county = county_of(actor.region)
    if (
        county is None
        or not Deputy.objects.filter(pk=lead_deputy.pk, region__path__startswith=county.path).exists()
    ):
        raise DomainError(
            _("未找到该领衔代表，请从本县（市、区）人大代表中选择"), field="lead_deputy", status=404
        )


def suggestion_create(
    *,
    actor,
    lead_deputy,
    title: str,
    body: str,
    category: str,
    region=None,
    kind: str = Suggestion.Kind.SUGGESTION,
    period: str = Suggestion.Period.RECESS,
    cosigners=(),
    by_delegation: bool = False,
    delegation_name: str = "",
    term: int | None = None,
    session: int | None = None,
    source: str = Suggestion.Source.PORTAL,
    source_opinion=None,
    submit: bool = False,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """A new draft (a deputy in the portal) or, with submit=True, a submitted item (staff from paper)."""
    if actor.role == Role.DEPUTY:
        own = _deputy_of(actor)
        if own is None or own.pk != lead_deputy.pk:
            raise DomainError(_("只能以本人名义领衔提出建议"), field="lead_deputy")
    elif actor.role != Role.COUNTY_STAFF:
        raise InvalidTransition(_("您的角色不能录入建议"))
    else:
        _lead_deputy_in_jurisdiction(actor, lead_deputy)
    title = _required(title, "title", _("请填写标题"))
    body = _required(body, "body", _("请填写建议内容"))
    term = term or settings.RENDA_SUGGESTION_TERM
    if region is not None and not _same_county(region, lead_deputy.region):
        raise DomainError(_("涉及区域须在领衔代表所在的县（市、区）内"), field="region")
    region = region or lead_deputy.region
    suggestion = Suggestion(
        kind=kind,
        period=period,
        source=source,
        congress=congress_for(region, term),
        term=term,
        session=session or settings.RENDA_SUGGESTION_SESSION,
        title=title,
        body=body,
        category=category,
        region=region,
        lead_deputy=lead_deputy,
        by_delegation=by_delegation,
        delegation_name=(delegation_name or "").strip(),
        tokens=tokens_for(title, body),
        created_by=actor,
    )
    if source_opinion is not None:
        suggestion.source_opinion = source_opinion
        suggestion.source = Suggestion.Source.OPINION
    _full_clean(suggestion, exclude=["number", "tokens"])
    with transaction.atomic():
        suggestion.save()
        if at is not None:
            Suggestion.objects.filter(pk=suggestion.pk).update(created_at=at)
        if source_opinion is not None and source_opinion.state != Opinion.State.SUGGESTION:
            # The opinion is taken up as this deputy's suggestion; from now on its page follows the
            # suggestion's progress. The opinions service checks that the actor may do this.
            opinion_transition(
                opinion=source_opinion,
                to_state=Opinion.State.SUGGESTION,
                actor=actor,
                deputy=lead_deputy,
                reply=_("您的意见已由%(d)s代表转为代表建议提出，办理进度可凭查询码查看。")
                % {"d": lead_deputy.name},
                note=title,
            )
        SuggestionSigner.objects.create(suggestion=suggestion, deputy=lead_deputy, is_lead=True)
        _set_cosigners(suggestion, cosigners, actor=actor, at=at)
        audit_record(
            action="suggestion.create",
            actor=actor,
            obj=suggestion,
            changes={"title": title, "kind": kind, "category": category, "lead_deputy": str(lead_deputy)},
        )
        if submit:
            suggestion_submit(actor=actor, suggestion=suggestion, at=at)
    return suggestion


def _same_county(region, other) -> bool:
    """Both regions lie in one county (compared by the county's code in their paths)."""
    return region.path.split("/")[:3] == other.path.split("/")[:3]


def _set_cosigners(suggestion: Suggestion, cosigners, *, actor, at=None) -> list[str]:
    """Keep exactly `cosigners` as co-signers. Named by the lead deputy, a new co-signer is asked
    (待确认, a notification on commit); entered by staff from the signed paper, confirmed at once."""
    now = at or timezone.now()
    if any(d.pk == suggestion.lead_deputy_id for d in cosigners):
        raise DomainError(
            _("%(n)s是本件的领衔代表，不能同时作为联名代表") % {"n": suggestion.lead_deputy.name},
            field="cosigners",
        )
    wanted = {d.pk: d for d in cosigners}
    deputies_in_jurisdiction(suggestion, wanted.values(), field="cosigners")
    existing = set(suggestion.signers.filter(is_lead=False).values_list("deputy_id", flat=True))
    suggestion.signers.filter(is_lead=False).exclude(deputy_id__in=wanted).delete()
    ask = actor.role == Role.DEPUTY
    added = SuggestionSigner.objects.bulk_create(
        [
            SuggestionSigner(
                suggestion=suggestion,
                deputy=d,
                answer=SuggestionSigner.Answer.PENDING if ask else SuggestionSigner.Answer.CONFIRMED,
                requested_at=now,
                answered_at=None if ask else now,
            )
            for pk, d in wanted.items()
            if pk not in existing
        ]
    )
    if ask:
        invited = [(d.user_id, d) for d in (wanted[s.deputy_id] for s in added) if d.user_id]
        transaction.on_commit(lambda: _cosign_notify(suggestion, invited))
    return sorted(str(d) for d in wanted.values())


def _cosign_notify(suggestion: Suggestion, invited) -> None:
    from renda.accounts.models import User
    from renda.notifications.services import notification_send

    users = User.objects.in_bulk([user_id for user_id, _d in invited])
    for user_id, _deputy in invited:
        if user_id in users:
            notification_send(
                recipient=users[user_id],
                kind="suggestion.cosign",
                key=f"cosign:{suggestion.pk}",
                title=_("%(d)s代表邀请您联名：%(t)s")
                % {"d": suggestion.lead_deputy.name, "t": suggestion.title},
                body=_("请确认是否同意作为联名代表提出这件建议。"),
                url=f"/suggestions/{suggestion.pk}/",
            )


DECLINED_FINAL = _("您已谢绝联名，不能再更改")


def cosign_declined_refuse(*, actor, suggestion_id: int) -> None:
    """A co-signer who declined no longer reads the suggestion (404), but when they answer it again
    they are told why (409, 您已谢绝联名) rather than "未找到": only their own declined request."""
    own = _deputy_of(actor) if actor.role == Role.DEPUTY else None
    if (
        own
        and SuggestionSigner.objects.filter(
            suggestion_id=suggestion_id, deputy=own, is_lead=False, answer=SuggestionSigner.Answer.DECLINED
        ).exists()
    ):
        raise InvalidTransition(DECLINED_FINAL)


def cosign_answer(
    *, actor, suggestion: Suggestion, accept: bool, note: str = "", signer: SuggestionSigner | None = None
) -> SuggestionSigner:
    """A co-signer confirms (同意联名) or declines (谢绝) the lead deputy's request, on the phone;
    county staff may record the answer of a deputy who gave it on paper or by phone (`signer`).

    Only while the item is a draft or returned for revision, and only a request still open.
    Returns the signer row. Raises InvalidTransition (not the actor's request, already answered, the
    item already submitted); DomainError on `note` (over 200 characters).
    """
    note = clean_text(note or "", multiline=False)
    if len(note) > 200:
        raise DomainError(_("说明不能超过200字"), field="note")
    if actor.role == Role.DEPUTY:
        own = _deputy_of(actor)
        signer = suggestion.signers.filter(deputy=own, is_lead=False).first() if own else None
    elif actor.role != Role.COUNTY_STAFF or signer is None or signer.suggestion_id != suggestion.pk:
        signer = None
    if signer is None:
        raise InvalidTransition(_("只有被邀请的联名代表本人可以确认或谢绝联名"))
    if suggestion.state not in (State.DRAFT, State.REVISION):
        raise InvalidTransition(_("该建议已提交，不能再确认或谢绝联名"))
    answer = SuggestionSigner.Answer.CONFIRMED if accept else SuggestionSigner.Answer.DECLINED
    now = timezone.now()
    with transaction.atomic():
        done = SuggestionSigner.objects.filter(pk=signer.pk, answer=SuggestionSigner.Answer.PENDING).update(
            answer=answer, answered_at=now, answer_note=note
        )
        if done != 1:
            signer.refresh_from_db()
            if signer.answer == SuggestionSigner.Answer.DECLINED:
                raise InvalidTransition(DECLINED_FINAL)
            raise InvalidTransition(_("您已答复过这次联名邀请"))
        signer.refresh_from_db()
        audit_record(
            action="suggestion.cosign_answer",
            actor=actor,
            obj=suggestion,
            changes={"deputy": str(signer.deputy), "answer": [SuggestionSigner.Answer.PENDING, answer]},
            detail=note,
        )
        if not accept:
            transaction.on_commit(lambda: _cosign_declined_notify(suggestion, signer))
    return signer


def _cosign_declined_notify(suggestion: Suggestion, signer: SuggestionSigner) -> None:
    """The lead deputy learns of a decline and its reason at once (it also shows on the page)."""
    from renda.notifications.services import notification_send

    lead = suggestion.lead_deputy
    if lead is None or lead.user_id is None:
        return
    notification_send(
        recipient=lead.user,
        kind="suggestion.cosign_declined",
        key=f"cosign_declined:{signer.pk}",
        title=_("%(d)s代表谢绝联名：%(t)s") % {"d": signer.deputy.name, "t": suggestion.title},
        body=signer.answer_note,
        url=f"/suggestions/{suggestion.pk}/",
    )


def suggestion_update(*, actor, suggestion: Suggestion, data: dict, version: int | None = None) -> Suggestion:
    """Edit a draft or an item returned for revision (the lead deputy, or staff)."""
    if suggestion.state not in (State.DRAFT, State.REVISION):
        raise InvalidTransition(_("只有草稿或退回修改的建议可以编辑"))
    if actor.role == Role.DEPUTY:
        if suggestion.lead_deputy.user_id != actor.pk:
            raise InvalidTransition(_("只有领衔代表可以进行此操作"))
    elif actor.role != Role.COUNTY_STAFF:
        raise InvalidTransition(_("您的角色不能编辑建议"))
    data = dict(data)
    for field, message in (("title", _("请填写标题")), ("body", _("请填写建议内容"))):
        if field in data:
            data[field] = _required(data[field], field, message)
    if data.get("region") is not None and not _same_county(data["region"], suggestion.region):
        raise DomainError(_("涉及区域须在本件建议所在的县（市、区）内"), field="region")
    with transaction.atomic():
        changes = {}
        for field in EDITABLE_FIELDS:
            if field in data and getattr(suggestion, field) != data[field]:
                changes[field] = [getattr(suggestion, field), data[field]]
                setattr(suggestion, field, data[field])
        suggestion.tokens = tokens_for(suggestion.title, suggestion.body)
        _full_clean(suggestion, exclude=["number", "tokens"])
        expected = suggestion.version if version is None else version
        values = {f: getattr(suggestion, f) for f in EDITABLE_FIELDS}
        updated = Suggestion.objects.filter(
            pk=suggestion.pk, version=expected, state=suggestion.state
        ).update(tokens=suggestion.tokens, version=F("version") + 1, updated_at=timezone.now(), **values)
        if updated != 1:
            raise ConcurrentUpdate(stale_message(suggestion, tail=_("请刷新页面，核对后重新修改。")))
        if "cosigners" in data:
            changes["cosigners"] = _set_cosigners(suggestion, data["cosigners"], actor=actor)
        suggestion.refresh_from_db()
        audit_record(action="suggestion.update", actor=actor, obj=suggestion, changes=changes)
    return suggestion


def suggestion_attach(*, actor, suggestion: Suggestion, upload) -> SuggestionAttachment:
    if (
        suggestion.state not in (State.DRAFT, State.REVISION, State.SUBMITTED)
        and actor.role != Role.COUNTY_STAFF
    ):
        raise InvalidTransition(_("建议已立案，附件请联系工作人员补充"))
    _check_file(upload, "file")
    with transaction.atomic():
        attachment = SuggestionAttachment.objects.create(
            suggestion=suggestion, file=upload, name=upload.name[:200]
        )
        audit_record(action="suggestion.attach", actor=actor, obj=suggestion, detail=attachment.name)
    return attachment


# --- the declared steps: one service reads what workflow.STEPS says -----------------------------


def suggestion_step(
    *,
    actor,
    suggestion: Suggestion,
    step: str,
    note: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
    **inputs,
):
    """Take a step wholly declared in workflow.STEPS (one that names no service of its own).

    Checks what the declaration requires — the note, the required inputs, its `check` — then makes
    one `workflow.transition` writing the declared columns, and saves the declared row if any (in
    the same transaction). `inputs` are the step's other inputs (STEPS[step].inputs names them).
    Returns that row, or the suggestion. Raises DomainError (with the field), InvalidTransition,
    ConcurrentUpdate; TypeError for an input the step does not take.
    """
    declared = workflow.STEPS[step]
    if declared.service:
        raise TypeError(f"{step} has its own service: {declared.service}")
    unknown = set(inputs) - set(declared.inputs)
    if unknown:
        raise TypeError(f"{step} takes no {', '.join(sorted(unknown))}")
    values = {name: inputs.get(name, default) for name, default in declared.inputs.items()}
    for name, message in declared.required.items():
        values[name] = _required(values[name], name, str(message))
    note = (note or "").strip()
    if declared.note is not None:
        note = _required(note, declared.note_field, str(declared.note))
    values["note"] = note
    now = at or timezone.now()
    if declared.check is not None:
        declared.check(suggestion, values, now)
    if not note and declared.default_note is not None:
        note = declared.default_note(values)
    step_args = {
        "suggestion": suggestion,
        "action": step,
        "actor": actor,
        "note": note,
        "version": version,
        "updates": declared.updates(values, now) if declared.updates else None,
        "assignment_updates": declared.assignment_updates(values, now)
        if declared.assignment_updates
        else None,
        "changes": declared.changes(suggestion, values) if declared.changes else None,
        "at": now,
    }
    after = _AFTER_STEP.get(step)
    if declared.record is None:
        with transaction.atomic():
            event = workflow.transition(**step_args)
            if after is not None:
                transaction.on_commit(lambda: after(suggestion, event))
        return suggestion
    with transaction.atomic():
        event = workflow.transition(**step_args)
        row = declared.record(suggestion, event, values, actor)
        _full_clean(row)
        row.save()
        if after is not None:
            transaction.on_commit(lambda: after(suggestion, event))
    return row


def _co_input_notify(suggestion: Suggestion, event) -> None:
    """The lead unit's accounts learn that a co-unit sent its 协办意见 (they reply with it)."""
    from renda.accounts.models import User
    from renda.notifications.services import notification_send

    co_unit = event.assignment.unit if event.assignment_id else None
    lead = suggestion.assignments.filter(role=Assignment.Role.LEAD).select_related("unit").first()
    if lead is None or co_unit is None:
        return
    recipients = User.objects.filter(organization_id=lead.unit_id, role=Role.HANDLING_UNIT, is_active=True)
    for user in recipients:
        notification_send(
            recipient=user,
            kind="suggestion.co_input",
            key=f"co_input:{event.pk}",
            title=_("%(u)s已报送协办意见：%(t)s") % {"u": co_unit.name, "t": suggestion.title},
            body=event.note,
            url=reverse("suggestions:detail", args=[suggestion.pk]),
        )


def _rehandle_notify(suggestion: Suggestion, lead: Assignment | None, comment: str) -> None:
    """The lead unit's accounts learn that the deputy rated the reply 不满意: the reason and the new
    deadline (the item is also in their 代表不满意 queue)."""
    from renda.accounts.models import User
    from renda.notifications.services import notification_send

    if lead is None:
        return
    lead.refresh_from_db(fields=["due_on"])
    recipients = User.objects.filter(organization_id=lead.unit_id, role=Role.HANDLING_UNIT, is_active=True)
    for user in recipients:
        notification_send(
            recipient=user,
            kind="suggestion.rehandle",
            key=f"rehandle:{suggestion.pk}",
            title=_("代表对答复不满意，请重新办理（%(d)s前答复）：%(t)s")
            % {"d": lead.due_on.isoformat() if lead.due_on else "", "t": suggestion.title},
            body=comment,
            url=reverse("suggestions:detail", args=[suggestion.pk]),
        )


# What a step sets going once it is committed: telling whoever must act next.
_AFTER_STEP = {"co_input": _co_input_notify}


def _declared(step: str, note_as: str = "note"):
    """The service for a declared step under its grep-able name; its callers pass the note as
    `note_as` (reason, text, content) and the step's inputs by name."""

    def service(*, actor, suggestion: Suggestion, version: int | None = None, at=None, **inputs):
        note = inputs.pop(note_as, "")
        return suggestion_step(
            step=step, actor=actor, suggestion=suggestion, note=note, version=version, at=at, **inputs
        )

    service.__doc__ = f"The step `{step}` as workflow.STEPS declares it (see suggestion_step)."
    return service


suggestion_withdraw = _declared("withdraw")
suggestion_return_for_revision = _declared("return_for_revision", note_as="reason")
suggestion_reject = _declared("reject", note_as="reason")  # 不予立案, with the reason the deputy reads
suggestion_convert = _declared("convert")  # a motion not accepted goes back to review as a suggestion
assignment_accept = _declared("unit_accept")  # 签收
assignment_return_request = _declared("unit_return", note_as="reason")  # within 7 working days
contact_add = _declared("contact", note_as="content")  # 沟通, before every reply; returns the Contact
co_input_send = _declared("co_input", note_as="text")  # 协办意见 to the lead unit
suggestion_close = _declared("close")  # 办结 without the deputy's evaluation, with the reason
suggestion_designate_key = _declared("designate_key")  # 重点建议 and its leader (领衔督办)
supervision_note_add = _declared("supervise", note_as="text")  # returns the SupervisionNote


# --- review by the deputies' work committee ---------------------------------------------------


def suggestion_submit(
    *, actor, suggestion: Suggestion, version: int | None = None, at: datetime.datetime | None = None
) -> Suggestion:
    """Submit. A motion without a delegation or enough co-signers is handled as a suggestion."""
    now = at or timezone.now()
    workflow.check(suggestion, "submit", actor)  # a refused step is refused as such, first
    updates = {"submitted_at": suggestion.submitted_at or now, "decision_reason": ""}
    notes = []
    lapsing = _cosign_check(suggestion, now)
    if lapsing:
        notes.append(
            _("联名代表%(n)s逾期未确认，不列为联名代表") % {"n": "、".join(s.deputy.name for s in lapsing)}
        )
    note = ""
    if suggestion.kind == Suggestion.Kind.MOTION:
        signers = suggestion.signers.filter(answer=SuggestionSigner.Answer.CONFIRMED).count()
        if suggestion.by_delegation and not suggestion.delegation_name:
            raise DomainError(_("代表团提出的议案请填写代表团名称"), field="delegation_name")
        if not suggestion.by_delegation and signers < settings.RENDA_MOTION_MIN_DEPUTIES:
            updates["kind"] = Suggestion.Kind.SUGGESTION
            note = _("议案须由代表团或%(n)s名以上代表联名提出，本件（%(m)s名代表）按建议处理") % {
                "n": settings.RENDA_MOTION_MIN_DEPUTIES,
                "m": signers,
            }
    note = "；".join(filter(None, [note, *notes]))
    with transaction.atomic():
        if lapsing:
            SuggestionSigner.objects.filter(
                pk__in=[s.pk for s in lapsing], answer=SuggestionSigner.Answer.PENDING
            ).update(answer=SuggestionSigner.Answer.LAPSED, answered_at=now)
        workflow.transition(
            suggestion=suggestion,
            action="submit",
            actor=actor,
            note=note,
            version=version,
            updates=updates,
            at=now,
        )
        kind = (
            DutyRecord.Kind.MOTION
            if suggestion.kind == Suggestion.Kind.MOTION
            else DutyRecord.Kind.SUGGESTION
        )
        word = _("提出议案") if kind == DutyRecord.Kind.MOTION else _("提出建议")
        # Credited: the lead, and the co-signers who confirmed (提出建议（联名）).
        credited = suggestion.signers.filter(answer=SuggestionSigner.Answer.CONFIRMED)
        for signer in credited.select_related("deputy"):
            already = DutyRecord.objects.filter(
                deputy=signer.deputy, source_type="suggestions.suggestion", source_id=str(suggestion.pk)
            ).exists()
            if not already:  # a re-submission after revision is the same act
                role = _("领衔") if signer.is_lead else _("联名")
                _duty(
                    deputy=signer.deputy,
                    kind=kind,
                    title=f"{word}（{role}）：{suggestion.title}",
                    source=suggestion,
                    on=_local_date(now),
                    actor=actor,
                    attributes={
                        "stage": "submitted",
                        "role": "lead" if signer.is_lead else "cosigner",
                        "suggestion_kind": suggestion.kind,
                        "is_key": suggestion.is_key,
                    },
                )
    return suggestion


def _cosign_check(suggestion: Suggestion, now) -> list[SuggestionSigner]:
    """Refuse to submit while co-signers have not answered, unless their request is older than
    RENDA_SUGGESTION_COSIGN_DAYS (then they lapse: returned, to be marked by the caller)."""
    pending = list(
        suggestion.signers.filter(is_lead=False, answer=SuggestionSigner.Answer.PENDING).select_related(
            "deputy"
        )
    )
    if not pending:
        return []
    days = settings.RENDA_SUGGESTION_COSIGN_DAYS
    waiting = [
        s for s in pending if not days or (s.requested_at or now) > now - datetime.timedelta(days=days)
    ]
    if waiting:
        names = "、".join(s.deputy.name for s in waiting)
        if days:
            message = _(
                "联名代表%(n)s尚未确认联名，请等待确认或在修改中去掉；邀请发出%(d)s天后未确认的不再列为联名代表"
            ) % {"n": names, "d": days}
        else:
            message = _("联名代表%(n)s尚未确认联名，请等待确认或在修改中去掉") % {"n": names}
        raise DomainError(message, field="cosigners")
    return pending


def _next_number(suggestion: Suggestion) -> int:
    """The next number of the suggestion's congress, session and kind, with the counter row locked
    until the accepting transaction ends: no gaps, no twins, and each county counts from 第001号.

    get_or_create survives two first acceptances at once (the loser of the insert reads the row);
    select_for_update then queues the second behind the first's commit (SQLite serialises anyway).
    """
    key = {"session": suggestion.session, "kind": suggestion.kind}
    if suggestion.congress_id:
        key["congress_id"] = suggestion.congress_id
        defaults = {"term": suggestion.term}
    else:
        key.update(congress__isnull=True, term=suggestion.term)
        defaults = {}
    if not SuggestionCounter.objects.filter(**key).exists():
        # Another acceptance may create it first (IntegrityError); the lock below then waits for it.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            SuggestionCounter.objects.create(
                **{k: v for k, v in key.items() if k != "congress__isnull"}, **defaults
            )
    counter = SuggestionCounter.objects.select_for_update().get(**key)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def suggestion_accept(
    *,
    actor,
    suggestion: Suggestion,
    note: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """立案: give the next number of the term and session; the lead deputy's record notes it."""
    now = at or timezone.now()
    workflow.check(suggestion, "accept", actor)
    with transaction.atomic():
        number = _next_number(suggestion)
        event = workflow.transition(
            suggestion=suggestion,
            action="accept",
            actor=actor,
            note=note,
            version=version,
            updates={"number": number, "accepted_at": now, "decision_reason": note},
            changes={"number": number},
            at=now,
        )
        motion = suggestion.kind == Suggestion.Kind.MOTION
        _duty(
            deputy=suggestion.lead_deputy,
            kind=DutyRecord.Kind.MOTION if motion else DutyRecord.Kind.SUGGESTION,
            title=(_("议案被立案") if motion else _("建议被立案"))
            + f"（{suggestion.number_label_zh}）：{suggestion.title}",
            source=event,
            on=_local_date(now),
            actor=actor,
            attributes={
                "stage": "accepted",
                "role": "lead",
                "suggestion_kind": suggestion.kind,
                "is_key": suggestion.is_key,
            },
        )
    return suggestion


def suggestion_merge(
    *, actor, suggestion: Suggestion, into: Suggestion, note: str = "", version: int | None = None
) -> Suggestion:
    """并案: the item joins `into`; its deputies become co-signers there and follow its handling."""
    if into is None or into.pk == suggestion.pk:
        raise DomainError(_("请选择要并入的另一件建议"), field="into")
    if into.term != suggestion.term or into.congress_id != suggestion.congress_id:
        raise DomainError(_("只能与同一届的建议并案"), field="into")
    if into.state not in (State.ACCEPTED, State.ASSIGNED, State.REHANDLING, State.REPLIED):
        raise DomainError(_("并入的建议须已立案且尚未办结"), field="into")
    with transaction.atomic():
        workflow.transition(
            suggestion=suggestion,
            action="merge",
            actor=actor,
            note=note or _("并入%(n)s") % {"n": into.number_label_zh or into.title},
            version=version,
            updates={"merged_into": into},
            changes={"merged_into": str(into)},
        )
        present = set(into.signers.values_list("deputy_id", flat=True))
        SuggestionSigner.objects.bulk_create(
            [
                SuggestionSigner(suggestion=into, deputy_id=s.deputy_id)
                for s in suggestion.signers.all()
                if s.deputy_id not in present
            ]
        )
        audit_record(action="suggestion.merged_in", actor=actor, obj=into, detail=f"from={suggestion.pk}")
    return suggestion


# --- 交办 and the units' part ---------------------------------------------------------------


def _new_assignment(
    suggestion: Suggestion,
    unit: Organization,
    role: str,
    on: datetime.date,
    field: str = "lead_unit",
    due: datetime.date | None = None,
) -> Assignment:
    if due is None:
        due = deadlines.reply_due(on) if role == Assignment.Role.LEAD else deadlines.cohandler_due(on)
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                suggestion=suggestion,
                unit=unit,
                role=role,
                assigned_on=on,
                due_on=due,
                return_due_on=deadlines.return_due(on),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(u)s已承办过（或已退回）本件，请选择其他单位") % {"u": unit.name}, field=field
        ) from exc


def suggestion_assign(
    *,
    actor,
    suggestion: Suggestion,
    lead_unit: Organization,
    co_units=(),
    note: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """交办 to one lead unit and any co-handling units, each with its deadline."""
    _handling_unit(suggestion, lead_unit, "lead_unit")
    co = []
    for unit in co_units:
        _handling_unit(suggestion, unit, "co_units")
        if unit.pk == lead_unit.pk:
            # Refused, not dropped: staff must see that the list they chose was not what they meant.
            raise DomainError(
                _("协办单位不能与主办单位相同：%(u)s已是主办单位，请从协办单位中去掉") % {"u": unit.name},
                field="co_units",
            )
        if unit.pk not in {u.pk for u in co}:
            co.append(unit)
    now = at or timezone.now()
    on = _local_date(now)
    with transaction.atomic():
        workflow.transition(
            suggestion=suggestion,
            action="assign",
            actor=actor,
            note=note,
            version=version,
            updates={"assigned_on": on, "due_on": deadlines.reply_due(on)},
            changes={"lead_unit": lead_unit.name, "co_units": [u.name for u in co]},
            at=now,
        )
        _new_assignment(suggestion, lead_unit, Assignment.Role.LEAD, on)
        for unit in co:
            _new_assignment(suggestion, unit, Assignment.Role.CO, on)
    return suggestion


def assignment_return_decide(
    *,
    actor,
    suggestion: Suggestion,
    assignment: Assignment,
    approve: bool,
    new_unit: Organization | None = None,
    note: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """Staff approve a return (and hand the part to another unit) or refuse it (the unit handles it)."""
    assignment = _own_part(suggestion, assignment)
    now = at or timezone.now()
    on = _local_date(now)
    with transaction.atomic():
        if not approve:
            workflow.transition(
                suggestion=suggestion,
                action="return_refuse",
                actor=actor,
                note=_required(note, "note", _("请填写不同意退回的理由")),
                version=version,
                assignment=assignment,
                assignment_updates={"accepted_at": assignment.accepted_at or now},
                at=now,
            )
            return suggestion
        lead = assignment.role == Assignment.Role.LEAD
        if lead and new_unit is None:
            raise DomainError(_("主办单位退回后须指定新的主办单位"), field="new_unit")
        if new_unit is not None:
            _handling_unit(suggestion, new_unit, "new_unit")
        updates = {"due_on": deadlines.reply_due(on)} if lead else {}
        workflow.transition(
            suggestion=suggestion,
            action="return_approve",
            actor=actor,
            note=note,
            version=version,
            assignment=assignment,
            updates=updates,
            changes={"returned": assignment.unit.name, "new_unit": new_unit.name if new_unit else ""},
            at=now,
        )
        if new_unit is not None:
            _new_assignment(suggestion, new_unit, assignment.role, on)
    return suggestion


def assignment_change(
    *,
    actor,
    suggestion: Suggestion,
    new_unit: Organization | None,
    reason: str,
    assignment: Assignment | None = None,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Assignment:
    """调整承办单位 after 交办 (staff): add `new_unit` as a co-handler, or, with `assignment`, give
    that open part (lead or co) to `new_unit`, which then has a deadline counted from today.

    The reason is required and becomes the event's note with the units named. Returns the new part.
    Raises DomainError on `note` (no reason), `new_unit` (not a handling unit, already a unit of the
    item, or the lead unit named as co-handler) or `assignment` (not an open part of this item);
    InvalidTransition outside 办理中/重新办理 or for a role other than staff.
    """
    workflow.check(suggestion, "unit_change", actor)
    reason = _required(reason, "note", _("请填写调整承办单位的理由"))
    if new_unit is None:
        raise DomainError(_("请选择调整后的承办单位"), field="new_unit")
    _handling_unit(suggestion, new_unit, "new_unit")
    if assignment is not None and (
        assignment.suggestion_id != suggestion.pk or assignment.state not in OPEN_PARTS
    ):
        raise DomainError(_("请选择本件仍在办理中的承办单位"), field="assignment")
    active = {a.unit_id: a for a in suggestion.assignments.exclude(state__in=INACTIVE_PARTS)}
    if new_unit.pk in active:
        held = active[new_unit.pk]
        if held.role == Assignment.Role.LEAD and assignment is None:
            message = _("协办单位不能与主办单位相同：%(u)s已是本件的主办单位")
        else:
            message = _("%(u)s已是本件的%(r)s单位，请选择其他单位")
        raise DomainError(message % {"u": new_unit.name, "r": held.get_role_display()}, field="new_unit")
    now = at or timezone.now()
    on = _local_date(now)
    role = assignment.role if assignment is not None else Assignment.Role.CO
    updates = {}
    due = None
    if role == Assignment.Role.LEAD:
        due = deadlines.rehandle_due(on) if suggestion.state == State.REHANDLING else deadlines.reply_due(on)
        updates["due_on"] = due
    if assignment is not None:
        what = _("%(o)s（%(r)s）改为%(n)s") % {
            "o": assignment.unit.name,
            "r": assignment.get_role_display(),
            "n": new_unit.name,
        }
    else:
        what = _("增加协办单位%(n)s") % {"n": new_unit.name}
    with transaction.atomic():
        workflow.transition(
            suggestion=suggestion,
            action="unit_change",
            actor=actor,
            note=f"{what}。{_('理由')}：{reason}",
            version=version,
            assignment=assignment,
            updates=updates,
            changes={
                "removed": assignment.unit.name if assignment else "",
                "added": new_unit.name,
                "role": role,
            },
            at=now,
        )
        part = _new_assignment(suggestion, new_unit, role, on, field="new_unit", due=due)
    return part


def extension_request(
    *,
    actor,
    suggestion: Suggestion,
    requested_due_on: datetime.date,
    reason: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Extension:
    reason = _required(reason, "reason", _("请填写延期理由"))
    with transaction.atomic():
        lead = _lead_assignment(suggestion)
        _check_extension(lead, suggestion, requested_due_on)
        if lead.extensions.filter(state=Extension.State.REQUESTED).exists():
            raise InvalidTransition(_("已有一份延期申请在审批中"))
        event = workflow.transition(
            suggestion=suggestion,
            action="extension_request",
            actor=actor,
            note=reason,
            version=version,
            changes={"requested_due_on": requested_due_on},
            at=at,
        )
        try:
            with transaction.atomic():
                return Extension.objects.create(
                    assignment=event.assignment, requested_due_on=requested_due_on, reason=reason
                )
        except IntegrityError as exc:
            raise InvalidTransition(_("已有一份延期申请在审批中")) from exc


def _check_extension(lead: Assignment, suggestion: Suggestion, requested: datetime.date) -> None:
    if requested is None or requested <= (suggestion.due_on or lead.due_on):
        raise DomainError(_("延期后的期限须晚于当前期限"), field="requested_due_on")
    latest = deadlines.max_due(lead.assigned_on)
    if requested > latest:
        raise InvalidTransition(
            _("办理期限自交办之日起最长不超过%(n)s个月（至%(d)s）")
            % {
                "n": settings.RENDA_SUGGESTION_MAX_MONTHS,
                "d": f"{latest.year}年{latest.month}月{latest.day}日",
            }
        )


def extension_decide(
    *,
    actor,
    suggestion: Suggestion,
    extension: Extension,
    approve: bool,
    note: str = "",
    version: int | None = None,
) -> Extension:
    assignment = _own_part(suggestion, extension.assignment)
    with transaction.atomic():
        if approve:
            _check_extension(assignment, suggestion, extension.requested_due_on)
        decided = Extension.objects.filter(pk=extension.pk, state=Extension.State.REQUESTED).update(
            state=Extension.State.APPROVED if approve else Extension.State.REFUSED,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note,
        )
        if decided != 1:
            raise ConcurrentUpdate(_("该延期申请已被他人审批"))
        updates = {"due_on": extension.requested_due_on} if approve else {}
        workflow.transition(
            suggestion=suggestion,
            action="extension_approve" if approve else "extension_refuse",
            actor=actor,
            note=note,
            version=version,
            assignment=assignment,
            updates=updates,
            assignment_updates=updates,
            changes={"due_on": [suggestion.due_on, extension.requested_due_on]} if approve else {},
        )
        extension.refresh_from_db()
    return extension


def reply_submit(
    *,
    actor,
    suggestion: Suggestion,
    category: str,
    text: str,
    signer: str,
    letter=None,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Reply:
    """The lead unit's answer (A/B/C/D, text, signed by its leader, with the letter)."""
    text = _required(text, "text", _("请填写答复内容"))
    signer = _required(signer, "signer", _("请填写签发领导"))
    if category not in Reply.Category.values:
        raise DomainError(_("请选择答复类别"), field="category")
    if letter:
        _check_file(letter, "letter")
    now = at or timezone.now()
    today = _local_date(now)
    due = suggestion.due_on
    reply_round = suggestion.rehandle_count + 1
    on_time = today <= due
    # The facts the statistics count (models.Suggestion): the latest reply's category, and whether
    # the first reply came in time.
    facts = {"last_reply_category": category}
    if reply_round == 1:
        facts["first_reply_on_time"] = on_time
    with transaction.atomic():
        event = workflow.transition(
            suggestion=suggestion,
            action="reply",
            actor=actor,
            note=f"{category}类",
            version=version,
            updates=facts,
            changes={"category": category, "signer": signer},
            at=now,
        )
        reply = Reply(
            suggestion=suggestion,
            assignment=event.assignment,
            round=reply_round,
            category=category,
            text=text,
            signer=signer,
            replied_on=today,
            due_on=due,
            on_time=on_time,
        )
        if letter:
            reply.letter = letter
        _full_clean(reply, exclude=["letter"])
        try:
            with transaction.atomic():
                reply.save()
        except IntegrityError as exc:
            raise ConcurrentUpdate(_("本轮已经答复过")) from exc
        # The answer is given: co-handlers still open are asked nothing more (their page says so).
        closing = suggestion.assignments.filter(role=Assignment.Role.CO, state__in=OPEN_PARTS)
        closed = list(closing.values_list("unit__name", flat=True))
        if closed:
            closing.update(state=Assignment.State.CLOSED, updated_at=now)
            audit_record(
                action="suggestion.co_parts_closed", actor=actor, obj=suggestion, changes={"units": closed}
            )
    return reply


def evaluation_submit(
    *,
    actor,
    suggestion: Suggestion,
    result: str,
    attitude: str,
    comment: str = "",
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Evaluation:
    """The lead deputy's evaluation (or staff entering the paper form): 不满意 the first time means
    re-handling with a second reply within a month; otherwise the item is closed (办结)."""
    if result not in Evaluation.Result.values:
        raise DomainError(_("请选择对办理结果的评价"), field="result")
    if attitude not in Evaluation.Result.values:
        raise DomainError(_("请选择对办理态度的评价"), field="attitude")
    if result == Evaluation.Result.DISSATISFIED and not (comment or "").strip():
        raise DomainError(_("不满意时请写明意见，便于承办单位重新办理"), field="comment")
    now = at or timezone.now()
    today = _local_date(now)
    reply = suggestion.replies.filter(round=suggestion.rehandle_count + 1).first()
    if reply is None:
        raise InvalidTransition(_("该件尚未答复，不能评价"))
    with transaction.atomic():
        rehandle = result == Evaluation.Result.DISSATISFIED and suggestion.rehandle_count == 0
        if rehandle:
            lead = _lead_assignment(suggestion)
            workflow.transition(
                suggestion=suggestion,
                action="rehandle",
                actor=actor,
                note=comment,
                version=version,
                assignment=lead,
                updates={
                    "rehandle_count": F("rehandle_count") + 1,
                    "due_on": deadlines.rehandle_due(today),
                    "last_evaluation_result": result,
                },
                assignment_updates={"due_on": deadlines.rehandle_due(today)},
                changes={"result": result, "attitude": attitude},
                at=now,
            )
            transaction.on_commit(lambda: _rehandle_notify(suggestion, lead, comment))
        else:
            workflow.transition(
                suggestion=suggestion,
                action="evaluate",
                actor=actor,
                note=comment,
                version=version,
                updates={"closed_at": now, "last_evaluation_result": result},
                changes={"result": result, "attitude": attitude},
                at=now,
            )
        evaluation = Evaluation.objects.create(
            suggestion=suggestion,
            reply=reply,
            round=reply.round,
            result=result,
            attitude=attitude,
            comment=(comment or "").strip(),
            deputy=suggestion.lead_deputy,
        )
        _duty(
            deputy=suggestion.lead_deputy,
            kind=DutyRecord.Kind.EVALUATION,
            title=_("评价办理结果（%(r)s）：%(t)s")
            % {"r": evaluation.get_result_display(), "t": suggestion.title},
            source=evaluation,
            on=today,
            actor=actor,
            attributes={"stage": "evaluated", "result": evaluation.result, "is_key": suggestion.is_key},
        )
    return evaluation


# --- key suggestions, publishing ----------------------------------------------------------------


_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def redact(text: str, names=()) -> str:
    """Remove personal data before publishing: ID and phone numbers, e-mail addresses, given names."""
    hidden = "［已隐去］"
    text = _ID.sub(hidden, text or "")
    text = _MOBILE.sub(hidden, text)
    text = _LANDLINE.sub(hidden, text)
    text = _EMAIL.sub(hidden, text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, name[0] + "某" * (len(name) - 1))
    return text


def suggestion_publish(
    *, actor, suggestion: Suggestion, text: str = "", version: int | None = None
) -> Suggestion:
    """Publish the reply on the public site, personal data removed (代表法 2025: results made public)."""
    reply = suggestion.replies.order_by("-round").first()
    if reply is None:
        raise InvalidTransition(_("该件尚未答复，不能公开"))
    names = [s.deputy.name for s in suggestion.signers.select_related("deputy")]
    public = redact((text or "").strip() or reply.text, names=names)
    public_title = redact(suggestion.title, names=names)[:200]
    workflow.transition(
        suggestion=suggestion,
        action="publish",
        actor=actor,
        version=version,
        updates={
            "published": True,
            "public_title": public_title,
            "public_text": public,
            "published_at": timezone.now(),
        },
    )
    return suggestion


# --- 微实事 funds -------------------------------------------------------------------------------

FUND_STEPS = {
    MicroFund.State.ALLOCATED: MicroFund.State.DISBURSED,
    MicroFund.State.DISBURSED: MicroFund.State.COMPLETED,
}


def fund_create(
    *,
    actor,
    source: str,
    year: int,
    amount,
    project: str,
    region,
    suggestion: Suggestion | None = None,
    outcome: str = "",
) -> MicroFund:
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("金额格式不正确"), field="amount") from exc
    if amount <= 0:
        raise DomainError(_("金额须大于0"), field="amount")
    fund = MicroFund(
        source=source,
        year=year,
        amount=amount,
        project=_required(project, "project", _("请填写项目名称")),
        region=region,
        suggestion=suggestion,
        outcome=(outcome or "").strip(),
    )
    _full_clean(fund)
    try:
        with transaction.atomic():
            fund.save()
            audit_record(
                action="micro_fund.create",
                actor=actor,
                obj=fund,
                changes={"source": source, "year": year, "amount": str(amount), "project": fund.project},
            )
    except IntegrityError as exc:
        raise DomainError(_("该年度已有同名项目"), field="project") from exc
    return fund


def fund_advance(*, actor, fund: MicroFund, on: datetime.date, outcome: str = "") -> MicroFund:
    """已安排 → 已拨付 → 已完成; a completed project needs a description of what was done."""
    target = FUND_STEPS.get(fund.state)
    if target is None:
        raise InvalidTransition(_("该项目已完成"))
    if on is None or on > timezone.localdate():
        raise DomainError(_("日期不能晚于今天"), field="on")
    fields = {"state": target, "updated_at": timezone.now()}
    if target == MicroFund.State.DISBURSED:
        fields["disbursed_on"] = on
    else:
        fields["completed_on"] = on
        fields["outcome"] = _required(outcome or fund.outcome, "outcome", _("请填写完成情况"))
    with transaction.atomic():
        if MicroFund.objects.filter(pk=fund.pk, state=fund.state).update(**fields) != 1:
            raise ConcurrentUpdate(_("该项目已被他人更新，请刷新后重试"))
        audit_record(
            action="micro_fund.advance", actor=actor, obj=fund, changes={"state": [fund.state, target]}
        )
        fund.refresh_from_db()
    return fund
