"""insert_many (renda/core/inserts.py) writes the rows bulk_create writes: every kind of field the
roster import and the audit log use (text, integer keys, dates, aware datetimes, JSON, IP address,
SM4-GCM encrypted fields and their blind indexes, auto_now), ids given back in order, and the
database's refusals as Django's errors; on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.core.crypto import blind_index
from renda.core.inserts import insert_many
from renda.deputies.models import Deputy

ID = "52052119750312202X"
AT = datetime.datetime(2026, 11, 29, 18, 30, 15, 123456, tzinfo=datetime.UTC)


def _entry(n: int) -> AuditEntry:
    return AuditEntry(
        occurred_at=AT - datetime.timedelta(minutes=n),
        actor_id=n,
        actor_username=f"用户{n}",
        action="test.insert",
        object_id=str(n),
        ip="2001:db8::1" if n % 2 else "10.0.0.1",
        changes={"name": ["王芳", f"王芳{n}"], "n": n, "nested": {"a": [1, None]}},
        detail="说明",
        hash=f"{n:064d}",
    )


def _columns(rows) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


@pytest.mark.django_db
def test_insert_many_writes_the_rows_bulk_create_writes():
    by_orm = [_entry(n) for n in range(3)]
    AuditEntry.objects.bulk_create(by_orm)
    ours = [_entry(n) for n in range(3)]
    assert insert_many(AuditEntry, ours) is ours
    assert [e.pk for e in ours] == sorted(e.pk for e in ours) and ours[0].pk > by_orm[-1].pk
    assert all(not e._state.adding for e in ours)
    written = AuditEntry.objects.order_by("id").values()
    assert _columns(written.filter(pk__in=[e.pk for e in ours])) == _columns(
        written.filter(pk__in=[e.pk for e in by_orm])
    )


@pytest.mark.django_db
def test_insert_many_encrypts_indexes_and_stamps_like_a_save(regions):
    before = timezone.now()
    deputies = [
        Deputy(name="罗敏", gender="female", region=regions["jiuyi"], id_number=ID, phone="13908571001"),
        Deputy(name="陈国华", gender="male", region=regions["jiuyi"], birth_month=datetime.date(1968, 10, 1)),
    ]
    insert_many(Deputy, deputies)
    luo = Deputy.objects.get(pk=deputies[0].pk)
    assert (luo.id_number, luo.phone) == (ID, "13908571001")
    assert luo.id_number_index == blind_index(ID) and luo.phone_index == blind_index("13908571001")
    assert luo.created_at >= before and luo.updated_at >= before
    assert Deputy.objects.get(pk=deputies[1].pk).birth_month == datetime.date(1968, 10, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_deputy WHERE id = %s", [luo.pk])
        assert all(value.startswith("sm4gcm1:") for value in cursor.fetchone())


@pytest.mark.django_db
def test_insert_many_refusals_are_djangos_and_leave_nothing(regions):
    insert_many(Deputy, [Deputy(name="罗敏", gender="female", region=regions["jiuyi"], id_number=ID)])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(
            Deputy,
            [
                Deputy(name="王芳", gender="female", region=regions["jiuyi"]),
                Deputy(name="罗小敏", gender="female", region=regions["jiuyi"], id_number=ID),
            ],
        )
    assert list(Deputy.objects.values_list("name", flat=True)) == ["罗敏"]


@pytest.mark.django_db
def test_insert_many_takes_thousands_of_rows_in_a_few_statements():
    entries = [_entry(n) for n in range(2500)]
    with CaptureQueriesContext(connection) as queries:
        insert_many(AuditEntry, entries)
    assert len(queries.captured_queries) <= 3, [q["sql"][:60] for q in queries.captured_queries]
    assert AuditEntry.objects.count() == 2500 and len({e.pk for e in entries}) == 2500
    assert AuditEntry.objects.get(pk=entries[-1].pk).actor_id == 2499
