"""Field encryption (SM4-GCM) and keyed blind indexes (HMAC-SM3) for protected personal data.

Keys come from RENDA_FIELD_KEY and RENDA_INDEX_KEY (32 hex characters each). Outside production,
missing keys are derived from SECRET_KEY so that the demo runs with no set-up; production.py
refuses to start without them.
"""

import base64
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "sm4gcm1:"
_NONCE = 12
_TAG = 16


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


@cache
def _key(setting: str, label: str) -> bytes:
    raw = getattr(settings, setting, "")
    if raw:
        return parse_key(raw, setting)
    return _sm3(f"{label}:{settings.SECRET_KEY}".encode())[:16]


def field_key() -> bytes:
    return _key("RENDA_FIELD_KEY", "renda-field")


def index_key() -> bytes:
    return _key("RENDA_INDEX_KEY", "renda-index")


def parse_key(raw: str, setting: str) -> bytes:
    """A 16-byte key from its 32 hex characters; ImproperlyConfigured naming `setting` otherwise."""
    try:
        key = bytes.fromhex(raw or "")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{setting} 必须是32位十六进制字符串") from exc
    if len(key) != 16:
        raise ImproperlyConfigured(f"{setting} 必须是32位十六进制字符串（16字节）")
    return key


def encrypt(plaintext: str, *, key: bytes | None = None) -> str:
    """SM4-GCM under the field key (or `key`, for rotate_keys)."""
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(key or field_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


FILE_MAGIC = b"RENDA-SM4GCM1\n"


def encrypt_bytes(data: bytes) -> bytes:
    """A file's bytes SM4-GCM-encrypted under the field key: magic ‖ nonce ‖ ciphertext ‖ tag."""
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce)).encryptor()
    return FILE_MAGIC + nonce + encryptor.update(data) + encryptor.finalize() + encryptor.tag


def decrypt_bytes(blob: bytes) -> bytes:
    """The clear bytes of `encrypt_bytes`' output; bytes without the magic are returned as they are
    (files written before encryption)."""
    if not blob.startswith(FILE_MAGIC):
        return blob
    blob = blob[len(FILE_MAGIC) :]
    nonce, body, tag = blob[:_NONCE], blob[_NONCE:-_TAG], blob[-_TAG:]
    decryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise ValueError("encrypted file failed its integrity check (wrong key or tampered)") from exc


FILE_CHUNK = 1024 * 1024


def encrypt_file(source, target, *, chunk: int = FILE_CHUNK) -> None:
    """`encrypt_bytes` for a file too large to hold: reads `source` and writes `target` (binary file
    objects) `chunk` bytes at a time, in exactly encrypt_bytes' format (one GCM stream), so that
    `decrypt_bytes` and `decrypt_file` read either. Memory: one chunk."""
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce)).encryptor()
    target.write(FILE_MAGIC + nonce)
    while block := source.read(chunk):
        target.write(encryptor.update(block))
    target.write(encryptor.finalize() + encryptor.tag)


def decrypt_file(source, target, *, chunk: int = FILE_CHUNK) -> None:
    """The reverse of `encrypt_file` (or of encrypt_bytes) from a seekable `source` into `target`,
    one chunk at a time. The tag is checked at the end: on ValueError the caller must discard
    `target` (it holds unauthenticated bytes). A file without the magic is copied as it is."""
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    head = source.read(len(FILE_MAGIC))
    if head != FILE_MAGIC:
        target.write(head)
        while block := source.read(chunk):
            target.write(block)
        return
    nonce = source.read(_NONCE)
    source.seek(size - _TAG)
    tag = source.read(_TAG)
    source.seek(len(FILE_MAGIC) + _NONCE)
    remaining = size - len(FILE_MAGIC) - _NONCE - _TAG
    decryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce, tag)).decryptor()
    while remaining > 0:
        block = source.read(min(chunk, remaining))
        if not block:
            break
        remaining -= len(block)
        target.write(decryptor.update(block))
    try:
        target.write(decryptor.finalize())
    except InvalidTag as exc:
        raise ValueError("encrypted file failed its integrity check (wrong key or tampered)") from exc


def decrypt(token: str, *, key: bytes | None = None) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    blob = base64.b64decode(token[len(PREFIX) :])
    nonce, body, tag = blob[:_NONCE], blob[_NONCE:-_TAG], blob[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key or field_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise ValueError("encrypted value failed its integrity check (wrong key or tampered)") from exc


def blind_index(value: str, *, key: bytes | None = None) -> str:
    mac = hmac.HMAC(key or index_key(), hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()


class EncryptedCharField(models.TextField):
    """Stores a string encrypted; Python code only ever sees the plaintext.

    Lookups on this column cannot work (every encryption differs): search through a BlindIndexField.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if value.startswith(PREFIX):
            return value
        return encrypt(value)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's normalised plaintext, kept in step on every save."""

    def __init__(self, *args, source: str, normalizer: str | None = None, **kwargs):
        self.source = source
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normalizer:
            kwargs["normalizer"] = self.normalizer
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plaintext = getattr(model_instance, self.source)
        if not plaintext:
            value = ""
        else:
            if self.normalizer:
                from django.utils.module_loading import import_string

                plaintext = import_string(self.normalizer)(plaintext)
            value = blind_index(plaintext)
        setattr(model_instance, self.attname, value)
        return value
