"""Issue 13 §2: a tamper-evident audit log — every row chained to the one before by a keyed hash,
the database itself refusing changes on PostgreSQL, and `manage.py audit_verify` finding an
altered, inserted or deleted row."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from renda.audit.integrity import audit_verify
from renda.audit.models import AuditEntry
from renda.audit.services import audit_prune, audit_record

POSTGRES = connection.vendor == "postgresql"


def _entries(n=5):
    return [audit_record(action=f"test.event{i}", detail=f"第{i}条") for i in range(n)]


def _raw(sql, params=()):
    """Tamper as someone with database access would: raw SQL, around every Python guard."""
    with connection.cursor() as cursor:
        if POSTGRES:
            # Only a table owner can do this; the test plays the worst case.
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def _verify_command() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_every_row_carries_a_chained_hash_and_verifies(db):
    entries = _entries()
    hashes = list(AuditEntry.objects.order_by("id").values_list("hash", flat=True))
    assert all(len(h) == 64 for h in hashes) and len(set(hashes)) == len(hashes)
    result = audit_verify()
    assert result.ok and result.checked == len(entries)
    code, out = _verify_command()
    assert code == 0 and "通过" in out


def test_an_altered_row_is_found(db):
    entries = _entries()
    _raw("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改过", entries[2].pk])
    result = audit_verify()
    assert not result.ok and result.first_bad_id == entries[2].pk
    code, out = _verify_command()
    assert code == 1 and str(entries[2].pk) in out


def test_an_altered_actor_is_found(db, users):
    entries = _entries()
    _raw("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s", ["someone", entries[1].pk])
    assert audit_verify().first_bad_id == entries[1].pk


def test_a_deleted_row_is_found(db):
    entries = _entries()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    result = audit_verify()
    assert not result.ok and result.first_bad_id == entries[3].pk


def test_a_deleted_first_row_is_found(db):
    entries = _entries()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])
    assert audit_verify().first_bad_id == entries[1].pk


def test_an_inserted_row_is_found(db):
    entries = _entries()
    last = entries[-1]
    _raw(
        "INSERT INTO audit_auditentry (occurred_at, actor_username, action, outcome, object_type, object_id,"
        " object_repr, user_agent, changes, detail, count, hash) VALUES"
        " (%s, 'x', 'forged', 'success', '', '', '', '', '{}', '', 1, %s)",
        [timezone.now(), last.hash],
    )
    result = audit_verify()
    assert not result.ok and result.first_bad_id > last.pk


@override_settings(RENDA_AUDIT_RETENTION_DAYS=184)
def test_retention_prune_keeps_the_chain_verifiable(db):
    now = timezone.now()
    for days in (400, 300, 200, 10, 1):
        AuditEntry.objects.create(occurred_at=now - datetime.timedelta(days=days), action=f"old.{days}")
    assert audit_prune(now=now) == 3
    result = audit_verify()
    assert result.ok, result.message
    # Pruning again later (nothing old left) keeps it verifiable too.
    assert audit_prune(now=now) == 0
    assert audit_verify().ok


@pytest.mark.skipif(not POSTGRES, reason="the trigger lives in PostgreSQL")
def test_postgres_refuses_update_and_delete_outside_the_prune_path(db):
    entry = audit_record(action="test.event")
    for sql in (
        "UPDATE audit_auditentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


@pytest.mark.skipif(
    not POSTGRES, reason="the SQLite test database is in memory, shared-cache: one writer (IMMEDIATE) anyway"
)
def test_concurrent_writers_keep_one_chain(transactional_db):
    """Writers in several threads (each its own connection) still make one unbroken chain."""
    import threading

    from django.db import close_old_connections

    errors = []

    def write(n):
        try:
            for i in range(5):
                audit_record(action=f"thread{n}.{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEntry.objects.count() == 20
    assert audit_verify().ok


def test_events_go_to_python_logging(db, caplog, django_capture_on_commit_callbacks):
    with (
        caplog.at_level(logging.INFO, logger="renda.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        entry = audit_record(action="test.logged", detail="x")
    records = [r for r in caplog.records if r.name == "renda.audit"]
    assert records
    payload = json.loads(records[-1].getMessage())
    assert payload["action"] == "test.logged" and payload["hash"] == entry.hash


def test_syslog_handler_is_configured_by_a_setting():
    from config.settings.base import audit_logging

    config = audit_logging({"version": 1, "handlers": {}, "loggers": {}}, "/dev/log")
    assert config["handlers"]["audit_syslog"]["class"] == "logging.handlers.SysLogHandler"
    assert config["handlers"]["audit_syslog"]["address"] == "/dev/log"
    assert "audit_syslog" in config["loggers"]["renda.audit"]["handlers"]
    remote = audit_logging({"version": 1, "handlers": {}, "loggers": {}}, "10.0.0.5:514")
    assert remote["handlers"]["audit_syslog"]["address"] == ("10.0.0.5", 514)
    assert audit_logging({"version": 1, "handlers": {}, "loggers": {}}, "")["loggers"]["renda.audit"]
