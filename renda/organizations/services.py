"""Writes to organisations: bodies, their versioned duties, and appointments (任免)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.concurrency import merge_stale_edit
from renda.core.errors import DomainError
from renda.core.services import model_update

from .models import Appointment, Organization, OrganizationDuty

ORGANIZATION_FIELDS = ["name", "short_name", "kind", "parent", "region", "position"]
APPOINTMENT_FIELDS = [
    "person_name",
    "post",
    "started_on",
    "ended_on",
    "decided_on",
    "document_number",
    "note",
]


def _raise_validation(exc: ValidationError) -> None:
    raise DomainError.from_validation(exc) from exc


def _check_parent(organization: Organization | None, parent: Organization | None) -> None:
    """A body cannot sit under itself or under one of its own descendants."""
    if parent is None or organization is None or organization.pk is None:
        return
    seen = set()
    node = parent
    while node is not None and node.pk not in seen:
        if node.pk == organization.pk:
            raise DomainError(_("上级机构不能是本机构或其下级机构"), field="parent")
        seen.add(node.pk)
        node = node.parent


def organization_create(
    *,
    actor=None,
    name: str,
    kind: str,
    region,
    parent: Organization | None = None,
    short_name: str = "",
    position: int = 0,
) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError(_("名称不能为空"), field="name")
    with transaction.atomic():
        if Organization.objects.filter(region=region, name=name).exists():
            raise DomainError(_("该区划内已有同名机构"), field="name")
        org = Organization(
            name=name,
            kind=kind,
            region=region,
            parent=parent,
            short_name=short_name.strip(),
            position=position,
        )
        try:
            org.full_clean(validate_constraints=False)
        except ValidationError as exc:
            _raise_validation(exc)
        org.save()
        audit_record(
            action="organization.create",
            actor=actor,
            obj=org,
            changes={"name": name, "kind": kind, "region": str(region), "parent": str(parent or "")},
        )
    return org


def organization_update(
    *, actor=None, organization: Organization, data: dict, stamp: str | None = None
) -> Organization:
    """`stamp` from the edit form: a stale save merges or is refused (renda.core.concurrency)."""
    data = dict(data)
    if "name" in data:
        data["name"] = str(data["name"]).strip()
        if not data["name"]:
            raise DomainError(_("名称不能为空"), field="name")
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        data = merge_stale_edit(instance=organization, stamp=stamp, data=data, fields=ORGANIZATION_FIELDS)
        _check_parent(organization, data.get("parent"))
        changes = model_update(instance=organization, data=data, fields=ORGANIZATION_FIELDS)
        if not changes:
            return organization
        if (
            Organization.objects.filter(region=organization.region, name=organization.name)
            .exclude(pk=organization.pk)
            .exists()
        ):
            raise DomainError(_("该区划内已有同名机构"), field="name")
        try:
            organization.full_clean(validate_constraints=False)
        except ValidationError as exc:
            _raise_validation(exc)
        organization.save(update_fields=[*changes, "updated_at"])
        audit_record(action="organization.update", actor=actor, obj=organization, changes=changes)
    return organization


def organization_duties_set(
    *, actor=None, organization: Organization, text: str, effective_on: datetime.date, note: str = ""
) -> OrganizationDuty:
    """Add a new version of a body's duties; earlier versions stay as they were."""
    text = text.strip()
    if not text:
        raise DomainError(_("职责内容不能为空"), field="text")
    with transaction.atomic():
        # Lock the body so that two editors cannot both write "version n + 1".
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        current = organization.duty_versions.order_by("-version").first()
        if current is not None and current.text == text:
            raise DomainError(_("职责内容与现行版本相同，无需另存新版本"), field="text")
        if current is not None and effective_on < current.effective_on:
            raise DomainError(_("施行日期不能早于现行版本的施行日期"), field="effective_on")
        version = (organization.duty_versions.aggregate(n=Max("version"))["n"] or 0) + 1
        duty = OrganizationDuty(
            organization=organization,
            version=version,
            text=text,
            effective_on=effective_on,
            note=note.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        try:
            duty.save()
        except IntegrityError as exc:
            raise DomainError(_("职责已被他人修改，请刷新后重试"), field="text") from exc
        audit_record(
            action="organization.duties_set",
            actor=actor,
            obj=organization,
            changes={"version": version, "effective_on": effective_on, "note": duty.note},
        )
    return duty


def _clean_appointment(data: dict) -> dict:
    data = dict(data)
    if "person_name" in data:
        data["person_name"] = "".join(str(data["person_name"]).split()).replace("\u3000", "")
        if not data["person_name"]:
            raise DomainError(_("姓名不能为空"), field="person_name")
    started, ended = data.get("started_on"), data.get("ended_on")
    if started and ended and ended < started:
        raise DomainError(_("任职终止日期不能早于起始日期"), field="ended_on")
    if data.get("document_number") is not None:
        data["document_number"] = str(data["document_number"]).strip()
    return data


def appointment_create(
    *,
    actor=None,
    organization: Organization,
    person_name: str,
    post: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    document_number: str = "",
    note: str = "",
) -> Appointment:
    data = _clean_appointment(
        {
            "person_name": person_name,
            "post": post,
            "started_on": started_on,
            "ended_on": ended_on,
            "decided_on": decided_on,
            "document_number": document_number,
            "note": note.strip(),
        }
    )
    with transaction.atomic():
        appointment = Appointment(organization=organization, **data)
        try:
            appointment.full_clean()
        except ValidationError as exc:
            _raise_validation(exc)
        appointment.save()
        audit_record(
            action="appointment.create",
            actor=actor,
            obj=appointment,
            changes={"organization": str(organization), **data},
        )
    return appointment


def appointment_update(
    *, actor=None, appointment: Appointment, data: dict, stamp: str | None = None
) -> Appointment:
    """`stamp` from the edit form: a stale save merges or is refused (renda.core.concurrency)."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        data = merge_stale_edit(instance=appointment, stamp=stamp, data=data, fields=APPOINTMENT_FIELDS)
        merged = {f: getattr(appointment, f) for f in ("started_on", "ended_on")}
        merged.update({k: v for k, v in data.items() if k in ("started_on", "ended_on")})
        _clean_appointment(merged)
        data = _clean_appointment({k: v for k, v in data.items() if k in APPOINTMENT_FIELDS})
        changes = model_update(instance=appointment, data=data, fields=APPOINTMENT_FIELDS)
        if not changes:
            return appointment
        try:
            appointment.full_clean()
        except ValidationError as exc:
            _raise_validation(exc)
        appointment.save(update_fields=[*changes, "updated_at"])
        audit_record(action="appointment.update", actor=actor, obj=appointment, changes=changes)
    return appointment


def appointment_end(
    *,
    actor=None,
    appointment: Appointment,
    ended_on: datetime.date,
    decided_on: datetime.date | None = None,
    document_number: str = "",
) -> Appointment:
    """免职 / 离任: the appointment stays, with its end date, as history."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.ended_on is not None:
            raise DomainError(_("该任职已于%(d)s终止") % {"d": appointment.ended_on}, field="ended_on")
        if ended_on < appointment.started_on:
            raise DomainError(_("任职终止日期不能早于起始日期"), field="ended_on")
        changes = {"ended_on": [None, ended_on]}
        appointment.ended_on = ended_on
        fields = ["ended_on"]
        note_parts = []
        if decided_on:
            note_parts.append(f"免职决定日期 {decided_on.isoformat()}")
        if document_number.strip():
            note_parts.append(f"免职文号 {document_number.strip()}")
        if note_parts:
            # The appointing decision's own date and number stay; the removal's go into the note.
            appointment.note = "；".join(filter(None, [appointment.note, *note_parts]))[:200]
            fields.append("note")
            changes["note"] = appointment.note
        appointment.save(update_fields=[*fields, "updated_at"])
        audit_record(action="appointment.end", actor=actor, obj=appointment, changes=changes)
    return appointment
