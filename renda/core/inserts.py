"""Multi-row INSERTs for the bulk writes that must be fast (the roster import, the audit log's bulk
entries): the rows QuerySet.bulk_create would write, without its compiler's work per value.

bulk_create prepares every value of every row through the SQL compiler (pre_save, get_db_prep_save,
a placeholder each): for the 1,500 deputies, mandates, events and 3,000 audit entries of a roster
that was most of the confirm step (issue 15 §4). Here each field's preparation is chosen once per
model: plain text, number and integer-key columns pass as they are, every other field (encrypted,
date, JSON, IP address) through its own get_db_prep_save, and pre_save runs only for the fields that
define one (auto_now, blind indexes). On PostgreSQL the rows go by COPY, their ids drawn from the
table's sequence first; elsewhere as many rows as the database takes go in one INSERT (SQLite's
variable limit) and the ids come back by RETURNING, as bulk_create's do.
"""

import functools
import time

from django.db import connections, models, router

_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
# Integer primary keys a foreign key may point at (AutoFieldMixin only checks MySQL's 0).
_INTEGER_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField)
_PREP = ("get_prep_value", "get_db_prep_value", "get_db_prep_save")
_AUTO = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _plain(field: models.Field) -> bool:
    """Whether a str, int, bool or None value of `field` goes to the database as it is."""
    if field.is_relation:
        return isinstance(field.target_field, _INTEGER_KEYS) and all(
            getattr(type(field), name) is getattr(models.ForeignKey, name) for name in _PREP
        )
    base = next((cls for cls in _PLAIN if isinstance(field, cls)), None)
    return base is not None and all(getattr(type(field), name) is getattr(base, name) for name in _PREP)


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        with connection.cursor():  # opens the connection if it is not yet
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if connection.vendor == "postgresql":
        return 65535
    return connection.features.max_query_params or 2000


@functools.cache
def _plan(model: type[models.Model], vendor: str):
    """(fields written, the auto primary key or None, per field: pre_save or None, prepare or None)."""
    meta = model._meta
    auto = meta.pk if isinstance(meta.pk, _AUTO) else None
    fields = [f for f in meta.concrete_fields if f is not auto]
    pre_save = [f.pre_save if type(f).pre_save is not models.Field.pre_save else None for f in fields]
    prepare = [None if _plain(f) else f for f in fields]
    return fields, auto, pre_save, prepare


def insert_many(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert the unsaved instances `objs` of `model`, as many per statement as the database takes,
    and give each its primary key. Like bulk_create, no save() and no signals: the caller does what
    save() would (renda/regions/keys.py for keyed models). Returns `objs`."""
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields, auto, pre_save, prepare = _plan(model, connection.vendor)
    steps = list(zip(fields, pre_save, prepare, strict=True))
    if connection.vendor == "postgresql":
        _copy(connection, model, objs, auto, steps)
    else:
        _insert(connection, model, objs, auto, steps)
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias
    return objs


def _values(obj, steps, connection) -> list:
    values = []
    for field, pre, prep in steps:
        value = pre(obj, True) if pre is not None else getattr(obj, field.attname)
        if prep is not None:
            value = prep.get_db_prep_save(value, connection)
        values.append(value)
    return values


def _copy(connection, model, objs, auto, steps) -> None:
    """PostgreSQL: the ids drawn from the table's sequence first (one query), then every row by COPY,
    which the server parses no SQL for and the client sends with no query text to build."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [field.column for field, _pre, _prep in steps]
    with connection.cursor() as cursor:
        if auto is not None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, auto.column, len(objs)],
            )
            for obj, pk in zip(objs, sorted(pk for (pk,) in cursor.fetchall()), strict=True):
                setattr(obj, auto.attname, pk)
            names.insert(0, auto.column)
        sql = f"COPY {table} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        started = time.monotonic()
        # As Django's cursor does for execute(): a refusal is django.db's IntegrityError and kin.
        with connection.wrap_database_errors, cursor.copy(sql) as stream:
            for obj in objs:
                row = _values(obj, steps, connection)
                if auto is not None:
                    row.insert(0, getattr(obj, auto.attname))
                stream.write_row(row)
        if connection.queries_logged:  # Django's query log (and CaptureQueriesContext) never sees COPY
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def _insert(connection, model, objs, auto, steps) -> None:
    """SQLite (and others): multi-row INSERTs up to the parameter limit, ids by RETURNING."""
    quote = connection.ops.quote_name
    fields = [field for field, _pre, _prep in steps]
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(auto.column)}" if auto is not None else ""
    per_statement = max(1, _max_params(connection) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            params = [value for obj in chunk for value in _values(obj, steps, connection)]
            rows = ", ".join([placeholders] * len(chunk))
            table = quote(model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES {rows}{returning}"  # noqa: S608 - names from the model
            cursor.execute(sql, params)
            if auto is not None:
                for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    setattr(obj, auto.attname, pk)
