"""Writes to deputies, mandates, external roles and contacts. Every change is validated, atomic, audited."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record, audit_record_many
from renda.core.access import Role, has_permission, scope_queryset
from renda.core.concurrency import last_change, merge_stale_edit
from renda.core.crypto import BlindIndexField, blind_index
from renda.core.errors import DomainError, InvalidTransition
from renda.core.inserts import insert_many
from renda.core.services import model_update
from renda.core.text import clean_name
from renda.core.validators import id_birth_date, id_gender, validate_id_number, validate_phone
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_date_check, duty_record_add
from renda.regions.keys import region_keys_fill, region_keys_follow

from . import strokes
from .models import (
    LEVEL_REGION,
    Congress,
    Constituency,
    Contact,
    ContactAssignment,
    Deputy,
    ExternalRole,
    Level,
    Mandate,
    MandateEvent,
)
from .signals import mandates_written
from .transitions import MANDATE_TRANSITIONS, REASON_REQUIRED

FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_month",
    "native_place",
    "political_affiliation",
    "education",
    "region",
    "workplace",
    "sector",
    "id_number",
    "phone",
    "user",
]
_UNVALIDATED = ["id_number_index", "phone_index", "photo"]


def _given_relations(instance) -> list[str]:
    """Foreign keys set to saved objects: the database vouches for them, so full_clean need not
    query each one again (that query per relation made bulk imports and the demo slow)."""
    names = []
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.name in instance._state.fields_cache:
            related = instance._state.fields_cache[field.name]
            if related is not None and related.pk is not None:
                names.append(field.name)
    return names


def _clean(data: dict, current: Deputy | None = None) -> dict:
    data = dict(data)
    if "name" in data:
        # Rosters pad two-character names with a full-width space (王　芳); the name itself has none.
        data["name"] = strokes.clean_name(data["name"])
        if not data["name"]:
            raise DomainError(_("姓名不能为空"), field="name")
    for field in ("ethnicity", "native_place", "workplace"):
        if field in data and data[field] is not None:
            data[field] = clean_name(data[field])
    if isinstance(data.get("birth_month"), datetime.datetime):
        data["birth_month"] = data["birth_month"].date()
    if data.get("birth_month"):
        data["birth_month"] = data["birth_month"].replace(day=1)
    if data.get("id_number"):
        try:
            data["id_number"] = validate_id_number(
                data["id_number"], gender=data.get("gender") or None, birth=data.get("birth_month")
            )
        except ValidationError as exc:
            field = "birth_month" if exc.code == "birth_mismatch" else "id_number"
            raise DomainError(exc.messages[0], field=field) from exc
        if not data.get("gender"):
            data["gender"] = id_gender(data["id_number"])
        if not data.get("birth_month") and (current is None or not current.birth_month):
            data["birth_month"] = id_birth_date(data["id_number"]).replace(day=1)  # as gender: from the ID
    elif data.get("birth_month") and current is not None and current.id_number:
        born = id_birth_date(current.id_number)
        if (born.year, born.month) != (data["birth_month"].year, data["birth_month"].month):
            raise DomainError(_("出生年月与身份证号码不符"), field="birth_month")
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


def _set_sort_keys(deputy: Deputy) -> None:
    deputy.stroke_key = strokes.stroke_key(deputy.name)
    deputy.pinyin_key = strokes.pinyin_key(deputy.name)


def _validate(deputy: Deputy) -> None:
    try:
        deputy.full_clean(exclude=[*_UNVALIDATED, *_given_relations(deputy)], validate_constraints=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc


def deputy_create(*, actor=None, **data) -> Deputy:
    data = _clean(data)
    with transaction.atomic():
        _check_unique_id(data.get("id_number", ""))
        deputy = Deputy(**{k: v for k, v in data.items() if k in FIELDS})
        _set_sort_keys(deputy)
        _validate(deputy)
        deputy.save()
        audit_record(
            action="deputy.create",
            actor=actor,
            obj=deputy,
            changes={k: v for k, v in data.items() if k in FIELDS},
        )
    return deputy


def deputy_changes(*, deputy: Deputy, data: dict) -> dict[str, list]:
    """What `deputy_update` would change, without changing anything (used by the import's dry run)."""
    data = _clean({**data, "gender": data.get("gender") or deputy.gender}, current=deputy)
    changes = {}
    for field in FIELDS:
        if field in data and _stored_form(field, getattr(deputy, field)) != data[field]:
            changes[field] = [getattr(deputy, field), data[field]]
    return changes


def _stored_form(field: str, value):
    """A stored value folded the way `_clean` folds what comes in (NFKC: full-width brackets and
    digits, spaces), so that a value saved before the folding, or by a path that did not fold it,
    is not reported as changed by a file that says the same thing (issue 15 §4: a re-imported
    unchanged roster reported 10 false updates)."""
    if not isinstance(value, str):
        return value
    if field == "name":
        return strokes.clean_name(value)
    if field in ("ethnicity", "native_place", "workplace"):
        return clean_name(value)
    return value


def deputy_update(*, actor=None, deputy: Deputy, data: dict, stamp: str | None = None) -> Deputy:
    """Change a deputy's fields. `stamp` (from the edit form, renda.core.concurrency) merges a save made
    on a page opened before someone else's change, or refuses it naming who changed what."""
    data = _clean(data, current=deputy)
    with transaction.atomic():
        if stamp is not None:
            deputy = Deputy.objects.select_for_update().select_related("region").get(pk=deputy.pk)
            data = merge_stale_edit(instance=deputy, stamp=stamp, data=data, fields=FIELDS)
        if data.get("id_number") and data["id_number"] != deputy.id_number:
            _check_unique_id(data["id_number"], exclude_pk=deputy.pk)
        changes = model_update(instance=deputy, data=data, fields=FIELDS)
        if not changes:
            return deputy
        fields = list(changes) + [f"{f}_index" for f in ("id_number", "phone") if f in changes]
        if "name" in changes:
            _set_sort_keys(deputy)
            fields += ["stroke_key", "pinyin_key"]
        _validate(deputy)
        deputy.save(update_fields=[*fields, "updated_at"])
        audit_record(action="deputy.update", actor=actor, obj=deputy, changes=changes)
    return deputy


def deputy_reveal(*, actor, deputy: Deputy, field: str) -> str:
    """Return one protected value in clear, and record that it was seen."""
    if field not in ("id_number", "phone"):
        raise DomainError(_("该字段不可查看"), field="field")
    audit_record(action="personal_data.reveal", actor=actor, obj=deputy, detail=f"field={field}")
    return getattr(deputy, field) or ""


PHOTO_MAX_BYTES = 2 * 1024 * 1024
_PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def deputy_photo_set(*, actor, deputy: Deputy, photo) -> Deputy:
    """Store a JPEG or PNG photo (checked by its content, not its name), at most 2 MB."""
    if photo.size > PHOTO_MAX_BYTES:
        raise DomainError(_("照片不能超过 2 MB"), field="photo")
    head = photo.read(8)
    photo.seek(0)
    extension = next((ext for sig, ext in _PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    if extension is None:
        raise DomainError(_("照片须为 JPG 或 PNG 图片"), field="photo")
    with transaction.atomic():
        old = deputy.photo.name
        deputy.photo.save(f"deputy-{deputy.pk}.{extension}", photo, save=False)
        deputy.save(update_fields=["photo", "updated_at"])
        audit_record(
            action="deputy.photo", actor=actor, obj=deputy, changes={"photo": [old, deputy.photo.name]}
        )
    return deputy


# --- congresses and constituencies ---

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """18 -> 十八, 20 -> 二十, 5 -> 五 (terms of a congress, 1–99)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def congress_name(*, region, term: int) -> str:
    name = "全国" if region is None else region.name
    return f"{name}第{chinese_ordinal(term)}届人民代表大会"


def congress_create(
    *,
    actor=None,
    level: str,
    region,
    term: int,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Congress:
    if level in LEVEL_REGION and region.level != LEVEL_REGION[level]:
        raise DomainError(_("人民代表大会的层级与行政区域不符"), field="region")
    congress = Congress(
        level=level,
        region=region,
        term=term,
        name=congress_name(region=region, term=term),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    try:
        congress.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    with transaction.atomic():
        congress.save()
        audit_record(action="congress.create", actor=actor, obj=congress, changes={"name": congress.name})
    return congress


def constituency_create(
    *, actor=None, congress: Congress, name: str, region, number: int | None = None, kind: str = ""
) -> Constituency:
    name = "".join(str(name).split())
    if not region.path.startswith(congress.region.path):
        raise DomainError(_("选区所在区域不在该人民代表大会的行政区域内"), field="region")
    kind = kind or (
        Constituency.Kind.CONSTITUENCY
        if congress.level in (Level.COUNTY, Level.TOWNSHIP)
        else Constituency.Kind.ELECTING_UNIT
    )
    constituency = Constituency(congress=congress, name=name, region=region, number=number, kind=kind)
    try:
        constituency.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    with transaction.atomic():
        constituency.save()
        audit_record(action="constituency.create", actor=actor, obj=constituency, changes={"name": name})
    return constituency


# --- mandates ---

MANDATE_FIELDS = ["constituency", "delegation", "starts_on", "ends_on"]


def _check_mandate(mandate: Mandate) -> None:
    if mandate.constituency_id and mandate.constituency.congress_id != mandate.congress_id:
        raise DomainError(_("选区不属于该人民代表大会"), field="constituency")
    try:
        mandate.full_clean(exclude=_given_relations(mandate), validate_constraints=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    if mandate.starts_on and mandate.ends_on and mandate.ends_on < mandate.starts_on:
        raise DomainError(_("任期结束日期不能早于开始日期"), field="ends_on")


def _check_congress_kept(actor, congress: Congress) -> None:
    """Refuse a mandate write in a congress the actor's jurisdiction does not keep (issue 13 §10).
    No actor: the system itself (demo data, commands)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    from .selectors import congress_kept

    if not congress_kept(user=actor).filter(pk=congress.pk).exists():
        raise DomainError(
            _("您只能登记或变更本辖区人民代表大会的代表资格，%(c)s不在其中") % {"c": congress.name},
            field="congress",
        )


def mandate_create(
    *,
    actor=None,
    deputy: Deputy,
    congress: Congress,
    constituency: Constituency | None = None,
    delegation: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Mandate:
    mandate = Mandate(
        deputy=deputy,
        congress=congress,
        constituency=constituency,
        delegation=" ".join(delegation.split()),
        starts_on=starts_on or congress.starts_on,
        ends_on=ends_on,
        status=Mandate.Status.SERVING,
        status_changed_on=starts_on or congress.starts_on,
    )
    _check_congress_kept(actor, congress)
    _check_mandate(mandate)
    try:
        with transaction.atomic():
            mandate.save()
            MandateEvent.objects.create(
                mandate=mandate,
                from_status="",
                to_status=Mandate.Status.SERVING,
                occurred_on=mandate.starts_on or timezone.localdate(),
                reason=_("当选"),
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                action="mandate.create",
                actor=actor,
                obj=mandate,
                changes={
                    "congress": congress,
                    "constituency": constituency,
                    "delegation": mandate.delegation,
                },
            )
    except IntegrityError as exc:
        raise DomainError(_("该代表在这一届人民代表大会已有代表资格"), field="congress") from exc
    return mandate


def mandate_changes(*, mandate: Mandate, data: dict) -> dict[str, list]:
    return {
        f: [getattr(mandate, f), data[f]]
        for f in MANDATE_FIELDS
        if f in data and getattr(mandate, f) != data[f]
    }


def mandate_update(*, actor=None, mandate: Mandate, data: dict) -> Mandate:
    if "delegation" in data:
        data = {**data, "delegation": " ".join(str(data["delegation"]).split())}
    _check_congress_kept(actor, mandate.congress)
    with transaction.atomic():
        changes = model_update(instance=mandate, data=data, fields=MANDATE_FIELDS)
        if not changes:
            return mandate
        _check_mandate(mandate)
        mandate.save(update_fields=[*changes, "updated_at"])
        audit_record(action="mandate.update", actor=actor, obj=mandate, changes=changes)
    return mandate


def mandate_transition(
    *, actor, mandate: Mandate, to_status: str, occurred_on: datetime.date, reason: str = ""
) -> Mandate:
    """Change a mandate's status through the table in transitions.py, with its date and reason."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().select_related("congress", "deputy").get(pk=mandate.pk)
        allowed = MANDATE_TRANSITIONS.get(mandate.status, {})
        labels = dict(Mandate.Status.choices)
        if to_status not in allowed:
            # Most often a colleague changed the status since this page was opened: say who and when.
            change = last_change(mandate)
            raise InvalidTransition(
                _("该代表资格已由%(who)s%(when)s变更为“%(from)s”，不能再变更为“%(to)s”。请刷新页面查看。")
                % {
                    "who": change["who"],
                    "when": _("于%(w)s") % {"w": change["when"]} if change["when"] else "",
                    "from": labels.get(mandate.status, mandate.status),
                    "to": labels.get(to_status, to_status),
                },
                field="to_status",
            )
        if not has_permission(actor, allowed[to_status]):
            raise InvalidTransition(_("您无权变更代表资格"), field="to_status")
        _check_congress_kept(actor, mandate.congress)
        if occurred_on > timezone.localdate():
            raise DomainError(_("变更日期不能晚于今天"), field="occurred_on")
        if mandate.starts_on and occurred_on < mandate.starts_on:
            raise DomainError(_("变更日期不能早于任期开始日期"), field="occurred_on")
        if to_status in REASON_REQUIRED and not reason:
            raise DomainError(_("请填写变更原因（如常委会公告或决定）"), field="reason")
        old = mandate.status
        mandate.status, mandate.status_changed_on, mandate.status_reason = (
            to_status,
            occurred_on,
            reason[:200],
        )
        fields = ["status", "status_changed_on", "status_reason", "updated_at"]
        if to_status != Mandate.Status.SERVING:
            mandate.ends_on = occurred_on
            fields.append("ends_on")
        mandate.save(update_fields=fields)
        MandateEvent.objects.create(
            mandate=mandate,
            from_status=old,
            to_status=to_status,
            occurred_on=occurred_on,
            reason=reason[:200],
            actor=actor,
        )
        audit_record(
            action="mandate.transition",
            actor=actor,
            obj=mandate,
            changes={"status": [old, to_status], "occurred_on": occurred_on},
            detail=reason,
        )
    return mandate


# --- many at once: the roster import's confirm step (issue 15 §4) ---
#
# The same rules, fields and audit entries as deputy_create / deputy_update / mandate_create /
# mandate_update, for hundreds of rows: each object is cleaned and validated in Python (encryption
# and blind indexes are per row, as ever), then written with one statement per batch, audited with
# one chained entry per object (audit_record_many), and the apps above are told once
# (signals.mandates_written) instead of by a post_save per row.

BULK_BATCH = 500


def deputy_prepare(*, data: dict) -> tuple[Deputy, dict]:
    """A new deputy from `data` as deputy_create would make it (cleaned, sort keys, validated), not
    saved, with the changes its audit entry records. Raises DomainError naming the field."""
    data = _clean(data)
    deputy = Deputy(**{k: v for k, v in data.items() if k in FIELDS})
    _set_sort_keys(deputy)
    _validate(deputy)
    return deputy, {k: v for k, v in data.items() if k in FIELDS}


SORT_KEYS = ("stroke_key", "pinyin_key")


def deputy_prepared_values(*, data: dict) -> dict:
    """What `deputy_prepare` makes of `data` (cleaned, validated, sort keys) as plain values: the
    field values of the new deputy, which `deputy_from_prepared` turns back into it. The roster
    import's dry run keeps them (sealed) for its confirm step."""
    deputy, changes = deputy_prepare(data=data)
    return {**changes, **{key: getattr(deputy, key) for key in SORT_KEYS}}


def deputy_from_prepared(*, values: dict) -> tuple[Deputy, dict]:
    """`deputy_prepare`'s result from the values `deputy_prepared_values` gave, without cleaning and
    validating them again: only for values that never left the server since (the import's plan is
    SM4-GCM sealed, so a changed byte fails to decrypt)."""
    changes = {k: v for k, v in values.items() if k in FIELDS}
    deputy = Deputy(**changes, **{key: values[key] for key in SORT_KEYS})
    return deputy, changes


def deputy_update_prepare(*, deputy: Deputy, data: dict) -> dict[str, list]:
    """Apply `data` to `deputy` in memory as deputy_update would (cleaned, sort keys, validated) and
    return {field: [old, new]}; nothing is saved. Raises DomainError naming the field."""
    data = _clean(data, current=deputy)
    changes = model_update(instance=deputy, data=data, fields=FIELDS)
    if changes:
        if "name" in changes:
            _set_sort_keys(deputy)
        _validate(deputy)
    return changes


def _blind_indexes(deputy: Deputy) -> None:
    for field in deputy._meta.concrete_fields:
        if isinstance(field, BlindIndexField):
            field.pre_save(deputy, add=False)  # sets the index from its source's plaintext


def deputy_create_many(*, actor=None, prepared: list[tuple[Deputy, dict]]) -> list[Deputy]:
    """Insert deputies made by `deputy_prepare`, as many per statement as the database takes
    (renda/core/inserts.py), one audit entry each.
    An ID number registered meanwhile (the database's unique constraint) is refused by name."""
    deputies = [deputy for deputy, _changes in prepared]
    if not deputies:
        return []
    region_keys_fill(deputies)  # bulk_create skips save(), which keeps them
    with transaction.atomic():
        try:
            with transaction.atomic():
                insert_many(Deputy, deputies)  # blind indexes set by their pre_save
        except IntegrityError as exc:
            by_index = {blind_index(d.id_number): d for d in deputies if d.id_number}
            clash = Deputy.objects.filter(id_number_index__in=list(by_index)).values_list(
                "id_number_index", flat=True
            )
            named = next((by_index[index].name for index in clash), _("有代表"))
            raise DomainError(
                _("%(n)s的身份证号码已登记为其他代表") % {"n": named}, field="id_number"
            ) from exc
        audit_record_many(
            actor=actor,
            records=[
                {"action": "deputy.create", "obj": deputy, "changes": changes} for deputy, changes in prepared
            ],
        )
    return deputies


def deputy_update_many(*, actor=None, updated: list[tuple[Deputy, dict]]) -> None:
    """Save deputies changed by `deputy_update_prepare` ({field: [old, new]} each): one UPDATE per
    batch and set of changed fields, one audit entry each."""
    updated = [(deputy, changes) for deputy, changes in updated if changes]
    if not updated:
        return
    now = timezone.now()
    groups: dict[tuple, list[Deputy]] = {}
    for deputy, changes in updated:
        fields = list(changes) + [f"{f}_index" for f in ("id_number", "phone") if f in changes]
        if "name" in changes:
            fields += ["stroke_key", "pinyin_key"]
        if "region" in changes:
            fields += ["county_code", "township_code"]
        _blind_indexes(deputy)
        deputy.updated_at = now  # bulk_update sets no auto_now field itself
        groups.setdefault(tuple(sorted(fields)), []).append(deputy)
    region_keys_fill([d for d, changes in updated if "region" in changes])  # bulk_update skips save()
    with transaction.atomic():
        renumbered = [d for d, changes in updated if "id_number" in changes and d.id_number]
        for deputy in renumbered:
            _check_unique_id(deputy.id_number, exclude_pk=deputy.pk)
        for fields, deputies in groups.items():
            Deputy.objects.bulk_update(deputies, [*fields, "updated_at"], batch_size=BULK_BATCH)
        if moved := [d.pk for d, changes in updated if "region" in changes]:
            region_keys_follow(Deputy, moved)  # their duty records copy their keys
        audit_record_many(
            actor=actor,
            records=[
                {"action": "deputy.update", "obj": deputy, "changes": changes} for deputy, changes in updated
            ],
        )


def mandate_prepare(
    *, deputy: Deputy, congress: Congress, constituency: Constituency | None = None, delegation: str = ""
) -> Mandate:
    """A new serving mandate as mandate_create would make it, checked, not saved."""
    mandate = Mandate(
        deputy=deputy,
        congress=congress,
        constituency=constituency,
        delegation=" ".join(delegation.split()),
        starts_on=congress.starts_on,
        status=Mandate.Status.SERVING,
        status_changed_on=congress.starts_on,
    )
    _check_mandate(mandate)
    return mandate


def mandate_update_prepare(*, mandate: Mandate, data: dict) -> dict[str, list]:
    """Apply `data` to `mandate` in memory as mandate_update would; {field: [old, new]}, not saved."""
    if "delegation" in data:
        data = {**data, "delegation": " ".join(str(data["delegation"]).split())}
    changes = model_update(instance=mandate, data=data, fields=MANDATE_FIELDS)
    if changes:
        _check_mandate(mandate)
    return changes


def mandate_write_many(
    *,
    actor=None,
    congress: Congress,
    created: list[Mandate],
    updated: list[tuple[Mandate, dict]],
) -> None:
    """Insert mandates made by `mandate_prepare` (each with its 当选 event) and save those changed by
    `mandate_update_prepare`, all in `congress`; one audit entry per mandate; the apps above are told
    once (signals.mandates_written)."""
    updated = [(mandate, changes) for mandate, changes in updated if changes]
    if not created and not updated:
        return
    _check_congress_kept(actor, congress)
    for mandate in created:
        if mandate.congress_id != congress.pk:
            raise DomainError(_("代表资格不属于该人民代表大会"), field="congress")
    now = timezone.now()
    person = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                insert_many(Mandate, created)
        except IntegrityError as exc:
            raise DomainError(_("该代表在这一届人民代表大会已有代表资格"), field="congress") from exc
        insert_many(
            MandateEvent,
            [
                MandateEvent(
                    mandate=mandate,
                    from_status="",
                    to_status=Mandate.Status.SERVING,
                    occurred_on=mandate.starts_on or timezone.localdate(),
                    reason=_("当选"),
                    actor=person,
                )
                for mandate in created
            ],
        )
        groups: dict[tuple, list[Mandate]] = {}
        for mandate, changes in updated:
            mandate.updated_at = now
            groups.setdefault(tuple(sorted(changes)), []).append(mandate)
        for fields, mandates in groups.items():
            Mandate.objects.bulk_update(mandates, [*fields, "updated_at"], batch_size=BULK_BATCH)
        records = [
            {
                "action": "mandate.create",
                "obj": mandate,
                "changes": {
                    "congress": congress,
                    "constituency": mandate.constituency,
                    "delegation": mandate.delegation,
                },
            }
            for mandate in created
        ]
        records += [{"action": "mandate.update", "obj": m, "changes": changes} for m, changes in updated]
        audit_record_many(actor=actor, records=records)
        mandates_written.send(
            sender=Mandate,
            congress_id=congress.pk,
            deputy_ids=sorted({m.deputy_id for m in created} | {m.deputy_id for m, _c in updated}),
        )


# --- external roles ---


def external_role_add(
    *,
    actor=None,
    deputy: Deputy,
    kind: str,
    title: str = "",
    organization=None,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> ExternalRole:
    labels = dict(ExternalRole.Kind.choices)
    title = " ".join((title or "").split())
    if kind == ExternalRole.Kind.DEPARTMENT_APPOINTMENT:
        if organization is None:
            raise DomainError(_("部门聘任须注明聘任单位"), field="organization")
        if not title:
            raise DomainError(_("请填写聘任名称，如“行风政风监督员”"), field="title")
    else:
        title = title or str(labels.get(kind, ""))
    if ends_on and ends_on < starts_on:
        raise DomainError(_("聘期结束日期不能早于开始日期"), field="ends_on")
    role = ExternalRole(
        deputy=deputy, kind=kind, title=title, organization=organization, starts_on=starts_on, ends_on=ends_on
    )
    try:
        role.full_clean(exclude=_given_relations(role), validate_constraints=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    with transaction.atomic():
        role.save()
        audit_record(
            action="external_role.create",
            actor=actor,
            obj=role,
            changes={"kind": kind, "title": title, "organization": organization, "starts_on": starts_on},
        )
    return role


def external_role_end(*, actor=None, role: ExternalRole, ends_on: datetime.date) -> ExternalRole:
    if ends_on < role.starts_on:
        raise DomainError(_("聘期结束日期不能早于开始日期"), field="ends_on")
    with transaction.atomic():
        old = role.ends_on
        role.ends_on = ends_on
        role.save(update_fields=["ends_on", "updated_at"])
        audit_record(action="external_role.end", actor=actor, obj=role, changes={"ends_on": [old, ends_on]})
    return role


# --- 双联系 ---


def contact_assignment_add(
    *, actor=None, member, deputy: Deputy, starts_on: datetime.date | None = None
) -> ContactAssignment:
    if member.role != Role.LEADER:
        raise DomainError(_("只能安排常委会组成人员联系代表"), field="member")
    assignment = ContactAssignment(member=member, deputy=deputy, starts_on=starts_on or timezone.localdate())
    try:
        with transaction.atomic():
            assignment.save()
            audit_record(
                action="contact_assignment.create",
                actor=actor,
                obj=assignment,
                changes={"member": member, "deputy": deputy},
            )
    except IntegrityError as exc:
        raise DomainError(_("该组成人员已在联系这位代表"), field="deputy") from exc
    return assignment


def contact_assignment_end(
    *, actor=None, assignment: ContactAssignment, ends_on: datetime.date | None = None
):
    ends_on = ends_on or timezone.localdate()
    if assignment.ends_on is not None:
        raise InvalidTransition(_("该联系安排已经结束"))
    if ends_on < assignment.starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    with transaction.atomic():
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            action="contact_assignment.end", actor=actor, obj=assignment, changes={"ends_on": [None, ends_on]}
        )
    return assignment


def contact_minimum() -> int:
    return settings.RENDA_CONTACT_MIN_DEPUTIES


def _contact_logger_check(*, actor, kind: str, deputy: Deputy, member) -> None:
    """A constituent contact: the deputy themself, or staff who add duty records (duty_records.add)
    for a deputy in their jurisdiction. A committee contact (双联系): the member, the deputy, or staff
    who arrange 双联系 (contacts.assign) in their jurisdiction; the assignment itself is checked after.
    A deputy outside the actor's jurisdiction is "not found" (audited), as everywhere else."""
    own = deputy.user_id is not None and deputy.user_id == getattr(actor, "pk", None)
    if kind == Contact.Kind.COMMITTEE:
        allowed = own or (member is not None and member.pk == getattr(actor, "pk", None))
        staff_permission = "contacts.assign"
    else:
        allowed = own
        staff_permission = "duty_records.add"
    if allowed:
        return
    if not scope_queryset(Deputy.objects.filter(pk=deputy.pk), actor).exists():
        audit_record(
            action="access.denied",
            outcome="denied",
            actor=actor,
            obj=deputy,
            detail=f"permission=contacts.log kind={kind}",
        )
        raise Http404
    if has_permission(actor, staff_permission):
        return
    if kind == Contact.Kind.COMMITTEE:
        raise DomainError(
            _("只有所联系的常委会组成人员、代表本人或安排联系的工作人员可以记录这次联系"), field="member"
        )
    raise DomainError(_("只有代表本人或负责履职登记的工作人员可以为这位代表记录联系选民"), field="deputy")


def contact_log(
    *,
    actor,
    kind: str,
    deputy: Deputy,
    method: str,
    occurred_on: datetime.date,
    topics: str,
    member=None,
    initiator: str = "",
    place: str = "",
    people_count: int = 1,
    opinions: str = "",
    typed_date: bool = False,
) -> Contact:
    """Log one contact and record it as a duty record of the deputy (kind "contact").

    Who may log it is decided here, so that pages and API obey alike: see `_contact_logger_check`."""
    _contact_logger_check(actor=actor, kind=kind, deputy=deputy, member=member)
    topics = " ".join((topics or "").split())
    if not topics:
        raise DomainError(_("请填写联系主题"), field="topics")
    if typed_date:  # a person typed it (the portal, the API); seeds and fixtures record history
        duty_date_check(occurred_on, label=_("联系时间"))
    if people_count is None:
        people_count = 1
    if not 1 <= people_count <= 9999:
        raise DomainError(_("联系人数应在 1 到 9999 之间"), field="people_count")
    if kind == Contact.Kind.COMMITTEE:
        if member is None:
            raise DomainError(_("请选择常委会组成人员"), field="member")
        active = ContactAssignment.objects.filter(
            member=member, deputy=deputy, starts_on__lte=occurred_on
        ).filter(ends_on__isnull=True) | ContactAssignment.objects.filter(
            member=member, deputy=deputy, starts_on__lte=occurred_on, ends_on__gte=occurred_on
        )
        if not active.exists():
            raise DomainError(_("该组成人员在这一天没有联系这位代表的安排"), field="member")
        if not initiator:
            initiator = Contact.Initiator.DEPUTY if actor.role == Role.DEPUTY else Contact.Initiator.MEMBER
    else:
        member, initiator = None, ""
    contact = Contact(
        kind=kind,
        deputy=deputy,
        member=member,
        initiator=initiator,
        method=method,
        occurred_on=occurred_on,
        place=" ".join((place or "").split()),
        people_count=people_count,
        topics=topics,
        opinions=(opinions or "").strip(),
        logged_by=actor,
    )
    try:
        contact.full_clean(exclude=_given_relations(contact), validate_constraints=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    with transaction.atomic():
        contact.save()
        if kind == Contact.Kind.COMMITTEE:
            title = _("与常委会组成人员%(m)s联系：%(t)s") % {"m": member.display_name, "t": topics}
        else:
            title = _("%(how)s联系选民：%(t)s") % {"how": contact.get_method_display(), "t": topics}
        duty_record_add(
            deputy=deputy,
            kind=DutyRecord.Kind.CONTACT,
            title=title[:200],
            occurred_on=occurred_on,
            source=contact,
            note=contact.opinions,
            actor=actor,
        )
        audit_record(
            action="contact.create",
            actor=actor,
            obj=contact,
            changes={
                "kind": kind,
                "deputy": deputy,
                "member": member,
                "method": method,
                "occurred_on": occurred_on,
            },
        )
    return contact
