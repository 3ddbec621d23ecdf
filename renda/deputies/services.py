"""Writes to deputies. Every change is validated, atomic and audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.crypto import blind_index
from renda.core.errors import DomainError
from renda.core.services import model_update
from renda.core.validators import validate_id_number, validate_phone

from .models import Deputy

FIELDS = ["name", "gender", "ethnicity", "region", "workplace", "id_number", "phone", "user"]


def _clean(data: dict) -> dict:
    data = dict(data)
    if "name" in data:
        # Rosters pad two-character names with a full-width space (王　芳); the name itself has none.
        data["name"] = "".join(str(data["name"]).split()).replace("\u3000", "")
        if not data["name"]:
            raise DomainError(_("姓名不能为空"), field="name")
    from django.core.exceptions import ValidationError

    if data.get("id_number"):
        try:
            data["id_number"] = validate_id_number(data["id_number"], gender=data.get("gender"))
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="id_number") from exc
    if data.get("phone"):
        try:
            data["phone"] = validate_phone(data["phone"])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="phone") from exc
    return data


def _check_unique_id(id_number: str, exclude_pk=None) -> None:
    if not id_number:
        return
    clash = Deputy.objects.filter(id_number_index=blind_index(id_number))
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(_("该身份证号码已登记为其他代表"), field="id_number")


def deputy_create(*, actor=None, **data) -> Deputy:
    data = _clean(data)
    with transaction.atomic():
        _check_unique_id(data.get("id_number", ""))
        deputy = Deputy(**{k: v for k, v in data.items() if k in FIELDS})
        deputy.full_clean(exclude=["id_number_index", "phone_index"])
        deputy.save()
        audit_record(
            action="deputy.create",
            actor=actor,
            obj=deputy,
            changes={k: v for k, v in data.items() if k in FIELDS},
        )
    return deputy


def deputy_update(*, actor=None, deputy: Deputy, data: dict) -> Deputy:
    data = _clean(data)
    with transaction.atomic():
        if data.get("id_number") and data["id_number"] != deputy.id_number:
            _check_unique_id(data["id_number"], exclude_pk=deputy.pk)
        changes = model_update(instance=deputy, data=data, fields=FIELDS)
        if not changes:
            return deputy
        deputy.full_clean(exclude=["id_number_index", "phone_index"])
        fields = list(changes) + [f"{f}_index" for f in ("id_number", "phone") if f in changes]
        deputy.save(update_fields=[*fields, "updated_at"])
        audit_record(action="deputy.update", actor=actor, obj=deputy, changes=changes)
    return deputy


def deputy_reveal(*, actor, deputy: Deputy, field: str) -> str:
    """Return one protected value in clear, and record that it was seen."""
    if field not in ("id_number", "phone"):
        raise DomainError(_("该字段不可查看"), field="field")
    audit_record(action="personal_data.reveal", actor=actor, obj=deputy, detail=f"field={field}")
    return getattr(deputy, field) or ""
