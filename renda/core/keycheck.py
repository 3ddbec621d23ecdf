"""Refuse to start with field/index keys that do not match the data (the key-check value).

`verify_keys()` runs where the application starts: config/wsgi.py (gunicorn) and the worker
(job_worker). On the first start it writes a KeyCheck row — after testing the keys against one
stored encrypted value, if there is any, so an existing installation is checked too. Later starts
decrypt the row and recompute the blind index; a mismatch raises ImproperlyConfigured with a clear
Chinese message and the process exits before serving anything.
"""

import logging

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction

from .crypto import PREFIX, BlindIndexField, EncryptedCharField, blind_index, decrypt, encrypt

logger = logging.getLogger(__name__)

ROW = "personal-data"
# The plaintext every key check encrypts; it is public on purpose (it proves a key, it hides nothing).
CANARY = "renda-key-check-v1"

FIELD_KEY_WRONG = (
    "RENDA_FIELD_KEY 与数据库中已加密的数据不匹配：用这个密钥无法解密身份证号码、电话等个人信息。"
    "请设置写入这些数据时使用的密钥（或从密钥备份中恢复）；如需更换密钥，请用 manage.py rotate_keys。"
)
INDEX_KEY_WRONG = (
    "RENDA_INDEX_KEY 与数据库中的盲索引不匹配：按身份证号码、电话查找和查重将全部失效。"
    "请设置建立索引时使用的密钥；如需更换密钥，请用 manage.py rotate_keys。"
)


def encrypted_fields():
    """Every (model, EncryptedCharField) and (model, BlindIndexField) of the project, in a stable order."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField | BlindIndexField):
                found.append((model, field))
    return sorted(found, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def _check_a_stored_value() -> None:
    """Decrypt one stored value of each encrypted column, if there is one: raises ValueError when the
    current field key cannot (the column's from_db_value decrypts as it reads)."""
    for model, field in encrypted_fields():
        if isinstance(field, EncryptedCharField):
            stored = model._base_manager.exclude(**{f"{field.attname}__isnull": True})
            stored.exclude(**{field.attname: ""}).order_by().values_list(field.attname, flat=True).first()


def verify_keys() -> str:
    """Check the configured keys against the data. Returns "created", "ok" or "unmigrated";
    raises ImproperlyConfigured when a key does not match."""
    from .models import KeyCheck

    try:
        row = KeyCheck.objects.filter(name=ROW).first()
    except DatabaseError:
        return "unmigrated"  # before the first migrate there is nothing to protect
    if row is None:
        try:
            _check_a_stored_value()
        except ValueError:
            raise ImproperlyConfigured(FIELD_KEY_WRONG) from None
        with transaction.atomic():
            KeyCheck.objects.get_or_create(
                name=ROW, defaults={"field_check": encrypt(CANARY), "index_check": blind_index(CANARY)}
            )
        logger.info("key check value written")
        return "created"
    if not row.field_check.startswith(PREFIX):
        raise ImproperlyConfigured(FIELD_KEY_WRONG)
    try:
        ok = decrypt(row.field_check) == CANARY
    except ValueError:
        ok = False
    if not ok:
        raise ImproperlyConfigured(FIELD_KEY_WRONG)
    if blind_index(CANARY) != row.index_check:
        raise ImproperlyConfigured(INDEX_KEY_WRONG)
    return "ok"


def key_check_write(*, field_key: bytes, index_key: bytes) -> None:
    """Replace the key-check value with one made under new keys (rotate_keys' last step)."""
    from .models import KeyCheck

    KeyCheck.objects.update_or_create(
        name=ROW,
        defaults={
            "field_check": encrypt(CANARY, key=field_key),
            "index_check": blind_index(CANARY, key=index_key),
        },
    )
