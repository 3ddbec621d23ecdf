"""Fast inserts for seed_scale: rows as tuples with their primary keys chosen in advance (so that other
rows can point at them before anything is written), written by COPY on PostgreSQL and by bulk_create
elsewhere (SQLite, for small sizes). Encrypted fields get real SM4-GCM ciphertexts and their blind
indexes, and keyed rows (renda/regions/keys.py) their county/township codes, exactly as a save would
write them.
"""

import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from renda.core.crypto import PREFIX, BlindIndexField, EncryptedCharField, blind_index, encrypt
from renda.regions.keys import KeysFrom, RegionKeyed, region_keys, region_paths

BATCH = 5000


class Table:
    """Rows of one model waiting to be written. `add(**values)` returns the new row's id; values not
    given take the field's default (auto_now fields: the time the writer started)."""

    def __init__(self, writer: "Writer", model: type[models.Model], *, flush_at=50_000):
        self.writer = writer
        self.model = model
        meta = model._meta
        self.columns = list(meta.concrete_fields)
        self.defaults = {}
        for field in self.columns:
            if field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = writer.now
            elif isinstance(field, BlindIndexField):
                continue
            else:
                self.defaults[field.attname] = field.get_default()
        self.encrypted = [f.attname for f in self.columns if isinstance(f, EncryptedCharField)]
        self.indexes = [(f.attname, f.source) for f in self.columns if isinstance(f, BlindIndexField)]
        self.json = {f.attname for f in self.columns if isinstance(f, models.JSONField)}
        self.keyed = issubclass(model, RegionKeyed)
        # A KeysFrom table copies the keys of the keyed row its `keys_from` foreign key names.
        self.keys_from = model._meta.get_field(model.keys_from) if issubclass(model, KeysFrom) else None
        self.next_id = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        self.pending: list[dict] = []
        self.flush_at = flush_at
        self.written = 0

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        self.pending.append(values)
        if len(self.pending) >= self.flush_at:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.writer.write(self, rows)
        self.written += len(rows)


class Writer:
    def __init__(self):
        self.now = timezone.now()
        self.tables: list[Table] = []
        self.copy = connection.vendor == "postgresql"
        self.region_paths: dict[int, str] = {}  # for the jurisdiction keys of keyed tables
        # {keyed model: {id: (county, township)}} of the keyed rows written, for KeysFrom tables.
        self.written_keys: dict[type[models.Model], dict[int, tuple[str, str]]] = {}

    def table(self, model, **kwargs) -> Table:
        table = Table(self, model, **kwargs)
        self.tables.append(table)
        return table

    def flush(self) -> None:
        for table in self.tables:
            table.flush()

    def write(self, table: Table, rows: list[dict]) -> None:
        if table.keyed:
            self._set_region_keys(rows)
            self.written_keys.setdefault(table.model, {}).update(
                (values["id"], (values["county_code"], values["township_code"])) for values in rows
            )
        if table.keys_from is not None:
            self._copy_keys(table.keys_from, rows)
        columns = table.columns
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        db_table = connection.ops.quote_name(table.model._meta.db_table)
        if self.copy:
            with connection.cursor() as cursor, cursor.copy(f"COPY {db_table} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(self._values(table, values))
            return
        # Elsewhere (SQLite): one prepared INSERT run for many rows, values adapted as Django would.
        adapters = [_adapter(f) for f in columns]
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {db_table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        prepared = [
            [adapt(v) if adapt else v for adapt, v in zip(adapters, self._values(table, values), strict=True)]
            for values in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), BATCH):
                cursor.executemany(sql, prepared[start : start + BATCH])

    def _set_region_keys(self, rows: list[dict]) -> None:
        """county_code/township_code from each row's region, as RegionKeyed.save() sets them; the
        paths of regions not seen before in one query per flush."""
        wanted = {values.get("region_id") for values in rows} - self.region_paths.keys() - {None}
        self.region_paths.update(region_paths(wanted))
        for values in rows:
            values["county_code"], values["township_code"] = region_keys(
                self.region_paths.get(values.get("region_id"), "")
            )

    def _copy_keys(self, field: models.ForeignKey, rows: list[dict]) -> None:
        """county_code/township_code of the keyed row each row points at (KeysFrom.save() copies them):
        rows written by this writer from memory (its pending rows of that model are written first),
        others in one query per flush."""
        for other in self.tables:
            if other.model is field.related_model:
                other.flush()
        known = self.written_keys.setdefault(field.related_model, {})
        wanted = {values.get(field.attname) for values in rows} - known.keys() - {None}
        for start in range(0, len(wanted), 2000):
            chunk = sorted(wanted)[start : start + 2000]
            known.update(
                (pk, (county, township))
                for pk, county, township in field.related_model._base_manager.filter(
                    pk__in=chunk
                ).values_list("pk", "county_code", "township_code")
            )
        for values in rows:
            values["county_code"], values["township_code"] = known.get(values.get(field.attname), ("", ""))

    @staticmethod
    def _values(table: Table, values: dict) -> list:
        """The row's column values as stored: ciphertexts, blind indexes, JSON text."""
        full = {**table.defaults, **values}
        for index_name, source in table.indexes:
            plain = full.get(source) or ""
            full[index_name] = blind_index(plain) if plain else ""
        for name in table.encrypted:
            value = full.get(name)
            if value and not value.startswith(PREFIX):
                full[name] = encrypt(value)
        for name in table.json:
            full[name] = json.dumps(full[name], ensure_ascii=False)
        return [full[f.attname] for f in table.columns]


def _adapter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.TimeField):
        return ops.adapt_timefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return None


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After rows were written with chosen ids, the next id handed out must follow them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
