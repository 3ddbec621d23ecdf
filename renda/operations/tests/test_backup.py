"""The restore drill: demo-like data → encrypted backup → restore into a fresh database → the same rows
(counts and checksums), personal data decrypts, media files identical; and the archive resists a
wrong key, tampering and truncation."""

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from renda.audit.models import AuditEntry
from renda.core import crypto
from renda.deputies.models import Deputy
from renda.deputies.services import deputy_create
from renda.deputies.tests.conftest import make_id
from renda.operations.backup import BackupError, backup_restore, decrypt_stream, encrypt_stream
from renda.opinions.models import Opinion

BACKUP_KEY = "8899aabbccddeeff0011223344556677"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def backup_settings(settings, tmp_path):
    settings.RENDA_BACKUP_KEY = BACKUP_KEY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    photo = tmp_path / "media" / "deputies" / "photos" / "wang.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo " + os.urandom(64))
    return settings


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database of the same kind as the one under test; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    from renda.operations.backup import _pg_dsn

    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = {**connection.settings_dict, "NAME": "postgres"}
    with psycopg.connect(_pg_dsn(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(_pg_dsn(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _demo_like(regions, users):
    from renda.network.models import Station
    from renda.opinions.services import opinion_submit_public

    people = {}
    for n in range(6):
        person = deputy_create(
            name=f"代表{n}",
            gender="male",
            region=regions["huangnitang"],
            id_number=make_id("19800315", 101 + 2 * n),
            phone=f"1390857100{n}",
        )
        people[person.pk] = (person.id_number, person.phone)
    station = Station.objects.create(name="联络站", kind="township_station", region=regions["huangnitang"])
    opinion_submit_public(
        station=station, content="路灯坏了", constituent_phone="13812345678", client_ip="10.0.0.1"
    )
    return people


def _raw_rows(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url[len("sqlite:///") :]) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill(regions, users, backup_settings, fresh_database, tmp_path):
    people = _demo_like(regions, users)
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("renda-*.rbk"))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert b"13908571000" not in archive.read_bytes() and b"CREATE TABLE" not in archive.read_bytes()

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore", str(archive), database_url=fresh_database, media_root=str(restored_media), stdout=out
    )
    assert "校验和全部一致" in out.getvalue()

    # The same rows (the restore compared every table's count and checksum with the manifest; here the
    # live database is compared with the restored one for the tables that matter).
    for model in (Deputy, Opinion):
        table = model._meta.db_table
        assert _raw_rows(fresh_database, f"SELECT COUNT(*) FROM {table}")[0][0] == model.objects.count()  # noqa: S608
    audit_rows = _raw_rows(fresh_database, "SELECT COUNT(*) FROM audit_auditentry")[0][0]
    assert audit_rows > 0 and audit_rows == AuditEntry.objects.count()

    # Personal data decrypts with the field key; blind indexes still find people.
    for pk, id_number, phone, index in _raw_rows(
        fresh_database, "SELECT id, id_number, phone, id_number_index FROM deputies_deputy"
    ):
        assert (crypto.decrypt(id_number), crypto.decrypt(phone)) == people[pk]
        assert index == crypto.blind_index(people[pk][0])

    photo = Path(backup_settings.MEDIA_ROOT) / "deputies/photos/wang.jpg"
    assert (restored_media / "deputies/photos/wang.jpg").read_bytes() == photo.read_bytes()

    if "audit_verify" in get_commands():  # the tamper-evident chain (issue 13 §2) verifies on the copy
        result = subprocess.run(
            [sys.executable, "manage.py", "audit_verify"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": fresh_database},
            capture_output=True,
        )
        assert result.returncode == 0, result.stderr.decode()

    # A second restore into the same (now full) database is refused.
    with pytest.raises(BackupError, match="不是空的"):
        backup_restore(archive=archive, database_url=fresh_database, media_root=tmp_path / "m2")


def _sealed(data: bytes, key: bytes) -> bytes:
    target = io.BytesIO()
    encrypt_stream(io.BytesIO(data), target, key)
    return target.getvalue()


def test_the_container_round_trips_in_chunks_and_refuses_tampering(monkeypatch):
    from renda.operations import backup

    monkeypatch.setattr(backup, "CHUNK", 1000)
    key, data = bytes.fromhex(BACKUP_KEY), os.urandom(3500)
    sealed = _sealed(data, key)
    plain = io.BytesIO()
    decrypt_stream(io.BytesIO(sealed), plain, key)
    assert plain.getvalue() == data

    def refused(blob: bytes, with_key: bytes = key) -> str:
        with pytest.raises(BackupError) as caught:
            decrypt_stream(io.BytesIO(blob), io.BytesIO(), with_key)
        return caught.value.message

    assert "密钥不正确" in refused(sealed, bytes(16))
    flipped = bytearray(sealed)
    flipped[100] ^= 1
    assert "已被改动" in refused(bytes(flipped))
    last_chunk = len(sealed) - (4 + 500 + 16)
    assert "截断" in refused(sealed[:last_chunk]) or "已被改动" in refused(sealed[:last_chunk])
    assert "截断" in refused(sealed[:-10])
    assert "不是人大履职通的备份文件" in refused(b"PK\x03\x04" + sealed[4:])


def test_backup_needs_its_key(settings, tmp_path, db):
    settings.RENDA_BACKUP_KEY = ""
    with pytest.raises(Exception, match="RENDA_BACKUP_KEY"):
        call_command("backup", output_dir=str(tmp_path), stdout=io.StringIO())
