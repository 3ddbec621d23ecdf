"""Fast writes of the ledger and the standings: rows as tuples, written by COPY on PostgreSQL and by
one prepared INSERT run for many rows elsewhere (SQLite), as renda/operations/bulk.py does. Model
instances are never built: a recompute writes thousands of rows, and Django's bulk_create spends
most of its time instantiating them and, on SQLite, splitting them into batches of 999 parameters.
The columns named must cover every NOT NULL column without a database default (auto_now fields
are filled here with the time of the write).
"""

import json

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def _adapter(field: models.Field, *, copy: bool):
    """How a Python value of this field becomes a parameter (None when it passes as it is)."""
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False)
    if copy:
        return None
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return None


def insert_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> int:
    """Insert `rows` (tuples in the order of `names`, attribute names such as "deputy_id") into the
    model's table; auto_now/auto_now_add fields not named get the time of the write. Returns the
    number of rows. One statement per 5,000 rows (COPY on PostgreSQL)."""
    if not rows:
        return 0
    meta = model._meta
    fields = [meta.get_field(name) for name in names]  # attribute names ("deputy_id") are found too
    stamped = [
        f
        for f in meta.concrete_fields
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f not in fields
    ]
    now = timezone.now()
    fields += stamped
    copy = connection.vendor == "postgresql"
    adapters = [_adapter(f, copy=copy) for f in fields]
    tail = (now,) * len(stamped)
    if tail and not copy:
        tail = tuple(connection.ops.adapt_datetimefield_value(now) for _ in stamped)
    prepared = [
        (*(v if a is None or v is None else a(v) for a, v in zip(adapters, row, strict=False)), *tail)
        for row in rows
    ]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if copy:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for row in prepared:
                    stream.write_row(row)
            return len(prepared)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[start : start + BATCH])
    return len(prepared)


def delete_ids(model: type[models.Model], ids: list[int]) -> int:
    """Delete these rows by primary key, 5,000 a statement."""
    deleted = 0
    for start in range(0, len(ids), BATCH):
        deleted += model.objects.filter(pk__in=ids[start : start + BATCH]).delete()[0]
    return deleted
