"""Re-encrypt every EncryptedCharField and rebuild every BlindIndexField under new keys (rotate_keys).

Run with the application stopped (a server on the old keys cannot read rows already moved to the new
ones). Rows are done in batches, each batch in one transaction together with its progress record
(KeyRotation), so an interrupted run resumes exactly where it stopped: run the same command with the
same new keys again. The new keys' check values are recorded at the start (KeyCheck "rotating"), and a
resumed run with other new keys is refused. At the end the key-check value is replaced, and the
application must then be started with the new keys (the start-up check refuses the old ones).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.module_loading import import_string

from .crypto import PREFIX, BlindIndexField, EncryptedCharField, blind_index, decrypt, encrypt
from .errors import DomainError
from .keycheck import CANARY, encrypted_fields, key_check_write

ROTATING = "rotating"


@dataclass(frozen=True)
class Keys:
    field: bytes
    index: bytes


def _models_to_rotate() -> list[tuple[type, list]]:
    by_model: dict[type, list] = {}
    for model, field in encrypted_fields():
        by_model.setdefault(model, []).append(field)
    return sorted(by_model.items(), key=lambda item: item[0]._meta.label)


def _check_target(new: Keys) -> None:
    """Record the new keys' check values, or refuse a resumed run with different new keys."""
    from .models import KeyCheck

    target = KeyCheck.objects.filter(name=ROTATING).first()
    if target is None:
        KeyCheck.objects.create(
            name=ROTATING,
            field_check=encrypt(CANARY, key=new.field),
            index_check=blind_index(CANARY, key=new.index),
        )
        return
    try:
        same = decrypt(target.field_check, key=new.field) == CANARY
    except ValueError:
        same = False
    if not same or target.index_check != blind_index(CANARY, key=new.index):
        raise DomainError(
            "上次未完成的密钥轮换使用的是另一组新密钥：请用同一组新密钥继续（或恢复备份后重新开始）"
        )


def _reencrypt(token: str, old: Keys, new: Keys) -> tuple[str, str]:
    """(plaintext, token under the new key). A value already under the new key is kept as it is."""
    if not token or not token.startswith(PREFIX):
        return token or "", token or ""
    try:
        plaintext = decrypt(token, key=old.field)
    except ValueError:
        plaintext = decrypt(token, key=new.field)  # done before; raises if neither key opens it
        return plaintext, token
    return plaintext, encrypt(plaintext, key=new.field)


def rotate_keys(
    *,
    old: Keys,
    new: Keys,
    batch_size: int = 500,
    max_batches: int | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> bool:
    """Move every protected value to the new keys. Returns True when everything is done (the key-check
    value now names the new keys), False when `max_batches` stopped it early (run again to go on)."""
    from .models import KeyRotation
    from .signals import keys_rotated

    _check_target(new)
    batches = 0
    for model, fields in _models_to_rotate():
        label = model._meta.label
        progress, _created = KeyRotation.objects.get_or_create(model_label=label)
        if progress.finished:
            continue
        encrypted = [f for f in fields if isinstance(f, EncryptedCharField)]
        indexes = [f for f in fields if isinstance(f, BlindIndexField)]
        sources = {f.source for f in indexes} - {f.name for f in encrypted}
        manager = model._base_manager
        total = manager.count()
        annotations = {f"raw_{f.attname}": Cast(f.attname, TextField()) for f in encrypted}
        while True:
            if max_batches is not None and batches >= max_batches:
                report(f"{label}: 已完成 {progress.rows_done}/{total} 行，暂停（再次运行将从此继续）")
                return False
            rows = manager.order_by("pk")
            if progress.last_pk:
                rows = rows.filter(pk__gt=model._meta.pk.to_python(progress.last_pk))
            rows = list(rows.annotate(**annotations).values("pk", *annotations, *sources)[:batch_size])
            if not rows:
                break
            with transaction.atomic():
                for row in rows:
                    plain, changes = {}, {}
                    for field in encrypted:
                        plain[field.name], changes[field.attname] = _reencrypt(
                            row[f"raw_{field.attname}"], old, new
                        )
                    for field in indexes:
                        value = plain[field.source] if field.source in plain else row[field.source]
                        if value and field.normalizer:
                            value = import_string(field.normalizer)(value)
                        changes[field.attname] = blind_index(str(value), key=new.index) if value else ""
                    manager.filter(pk=row["pk"]).update(**changes)
                progress.last_pk = str(rows[-1]["pk"])
                progress.rows_done += len(rows)
                progress.save(update_fields=["last_pk", "rows_done", "updated_at"])
            batches += 1
            report(f"{label}: {progress.rows_done}/{total} 行")
        progress.finished = True
        progress.save(update_fields=["finished", "updated_at"])
    with transaction.atomic():
        from .models import KeyCheck

        key_check_write(field_key=new.field, index_key=new.index)
        KeyCheck.objects.filter(name=ROTATING).delete()
        KeyRotation.objects.all().delete()
        # In this transaction: renda.audit records it (the kernel imports no app).
        keys_rotated.send(sender=None, detail="field and index keys rotated; key-check value replaced")
    return True
