"""The one way to record what a deputy did, and to review what deputies declare themselves."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import validate

from .models import DutyRecord
from .signals import duty_record_changed


def duty_date_check(day: datetime.date, *, label: str, field: str = "occurred_on") -> None:
    """A date a person types for something a deputy did (a contact, a 申报): not in the future, and
    not before 1 January of RENDA_DUTY_BACKFILL_YEARS years ago — a typed 1990 is a slip, and it
    would be counted in a year long closed. `label` names the field in the message."""
    from django.conf import settings

    today = timezone.localdate()
    if day > today:
        raise DomainError(_("%(f)s不能晚于今天") % {"f": label}, field=field)
    earliest = datetime.date(today.year - settings.RENDA_DUTY_BACKFILL_YEARS, 1, 1)
    if day < earliest:
        raise DomainError(
            _("%(f)s不能早于%(e)s：只能补录%(y)s年以来的履职，请检查年份")
            % {"f": label, "e": earliest.isoformat(), "y": earliest.year},
            field=field,
        )


def duty_record_add(
    *,
    deputy,
    kind: str,
    title: str,
    occurred_on: datetime.date,
    quantity: Decimal | int = 1,
    unit: str = "次",
    source: models.Model | None = None,
    source_url: str = "",
    origin: str = DutyRecord.Origin.SYSTEM,
    note: str = "",
    attributes: dict | None = None,
    typed_date: bool = False,
    actor=None,
) -> DutyRecord:
    """Record one fact. System records stand at once; self-declared ones wait for staff review.

    `attributes` is a small JSON object of facts a points scheme may match on (keys chosen by the
    source app, e.g. {"activity_kind": "survey", "organiser_id": 3, "role": "participant"}).
    Recording the same source twice for the same deputy and kind raises DomainError, unless the
    earlier record was withdrawn (a correction records the fact anew).
    """
    if occurred_on > timezone.localdate():
        raise DomainError(_("履职日期不能晚于今天"), field="occurred_on")
    if typed_date:
        # A person typed the date (the portal, the API): held to the backfill window. Seeds and
        # imports record past years as history and leave it False.
        duty_date_check(occurred_on, label=_("履职日期"))
    if origin == DutyRecord.Origin.DECLARED and kind in DutyRecord.SYSTEM_ONLY_KINDS:
        raise DomainError(_("请假、缺席由系统根据活动考勤记录，不能申报"), field="kind")
    record = DutyRecord(
        deputy=deputy,
        kind=kind,
        title=title,
        occurred_on=occurred_on,
        quantity=Decimal(str(quantity)),
        unit=unit,
        origin=origin,
        note=note,
        attributes=dict(attributes or {}),
        source_url=source_url,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        review_state=DutyRecord.Review.PENDING
        if origin == DutyRecord.Origin.DECLARED
        else DutyRecord.Review.APPROVED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validate(record, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
            audit_record(
                action="duty_record.create",
                actor=actor,
                obj=record,
                changes={
                    "deputy": str(deputy),
                    "kind": kind,
                    "occurred_on": occurred_on,
                    "quantity": str(record.quantity),
                    "origin": origin,
                },
            )
            duty_record_changed.send(sender=DutyRecord, record=record, actor=actor, reason="")
    except IntegrityError as exc:
        raise DomainError(_("该事项已记入这位代表的履职记录"), field="source") from exc
    return record


def duty_record_review(*, record: DutyRecord, approve: bool, note: str = "", actor) -> DutyRecord:
    """Staff approve or reject a self-declared record (申报审核)."""
    with transaction.atomic():
        # Lock the row: two reviewers must not both decide.
        record = DutyRecord.objects.select_for_update().get(pk=record.pk)
        if record.review_state != DutyRecord.Review.PENDING:
            raise InvalidTransition(_("该记录已审核，不能重复审核"))
        if not approve and not note.strip():
            raise DomainError(_("退回申报时请填写审核意见"), field="review_note")
        old = record.review_state
        record.review_state = DutyRecord.Review.APPROVED if approve else DutyRecord.Review.REJECTED
        record.reviewed_by, record.reviewed_at, record.review_note = actor, timezone.now(), note.strip()
        record.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
        audit_record(
            action="duty_record.review",
            actor=actor,
            obj=record,
            changes={"review_state": [old, record.review_state]},
            detail=note,
        )
        duty_record_changed.send(sender=DutyRecord, record=record, actor=actor, reason=record.review_note)
    return record


def duty_record_withdraw(*, record: DutyRecord, actor, reason: str) -> DutyRecord:
    """Withdraw a record (撤销): it stays, marked with who, when and why, and no longer counts.

    Used by corrections (an absence turned into approved leave, a check-in removed): the source app
    withdraws the old record and adds the new one in the same transaction. Raises DomainError when
    the reason is empty and InvalidTransition when the record is already withdrawn.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因"), field="reason")
    with transaction.atomic():
        record = DutyRecord.objects.select_for_update().get(pk=record.pk)
        if record.withdrawn_at is not None:
            raise InvalidTransition(_("该履职记录已撤销"))
        record.withdrawn_at = timezone.now()
        record.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
        record.withdrawal_reason = reason[:200]
        record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
        audit_record(
            action="duty_record.withdraw",
            actor=actor,
            obj=record,
            changes={"withdrawn": [False, True]},
            detail=record.withdrawal_reason,
        )
        duty_record_changed.send(
            sender=DutyRecord, record=record, actor=actor, reason=record.withdrawal_reason
        )
    return record
