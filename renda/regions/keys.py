"""Jurisdiction keys: the county and township codes of a row's region, stored on the row.

A jurisdiction filter on the region path (`region__path__startswith`) is a join and a LIKE whose
selectivity PostgreSQL cannot estimate: it guessed a county's deputies to be all of them and scanned
every deputy (issue 15 §4). Rows that are filtered by jurisdiction at volume keep the codes of their
county and township as plain indexed columns, whose statistics the planner reads like any other;
`renda.core.access.scope_filter` uses them for county and township users (`Scoping.region_keys`) when
RENDA_SCOPE_BY_REGION_KEYS is on.

The keys follow the region on every save that writes the region (including `update_fields` that
name it), whichever service writes it, so they cannot drift from it. Writers that skip save() set
them too: `bulk_create`/`bulk_update` callers call `region_keys_fill` on their instances first (the
roster import's deputy_create_many/deputy_update_many), seed_scale's COPY writer
(renda/operations/bulk.py) computes them for every keyed table, and a change of the region tree
itself (区划调整, regions_load) re-keys the rows of the regions whose path changed with
`region_keys_refresh`. `region_keys_drift` lists rows whose keys disagree with their region (tests;
renda/regions/tests/test_keyed_writers.py also lists every bulk writer of a keyed model).

Rows that belong to a keyed row rather than to a region (a duty record is its deputy's) copy that row's
keys (`KeysFrom`, `keys_from = "deputy"`): a county's duty records are then one index range, not a
join through every deputy of the province. When a keyed row's keys change (its region moved: a save,
deputy_update_many, `region_keys_refresh`), `region_keys_follow` re-keys the rows that copy them in one
UPDATE per following table; this module finds the followers itself, so the lower app (deputies) needs
no import of the higher one (duty records).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The region tree is province/city/county/township/village; a path lists the codes from the top.
COUNTY_DEPTH, TOWNSHIP_DEPTH = 3, 4


def region_keys(path: str) -> tuple[str, str]:
    """("520521", "520521105") for a region at or below a township; ("520521", "") for a county;
    ("", "") above."""
    parts = [p for p in (path or "").split("/") if p]
    county = parts[COUNTY_DEPTH - 1] if len(parts) >= COUNTY_DEPTH else ""
    township = parts[TOWNSHIP_DEPTH - 1] if len(parts) >= TOWNSHIP_DEPTH else ""
    return county, township


class RegionKeyed(models.Model):
    """Adds county_code/township_code kept from the model's `region` foreign key."""

    county_code = models.CharField(
        _("所属县级区划代码"), max_length=12, blank=True, default="", editable=False
    )
    township_code = models.CharField(
        _("所属乡级区划代码"), max_length=12, blank=True, default="", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        rekeyed = False
        if update_fields is None or "region" in update_fields or "region_id" in update_fields:
            self.county_code, self.township_code = region_keys(self.region.path if self.region_id else "")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "county_code", "township_code"}
            loaded = getattr(self, "_loaded_keys", None)
            rekeyed = loaded is not None and loaded != (self.county_code, self.township_code)
        super().save(*args, **kwargs)
        if rekeyed:
            region_keys_follow(type(self), [self.pk])
        self._loaded_keys = (self.county_code, self.township_code)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The keys as loaded: a save that changes them re-keys the rows that copy them (KeysFrom).
        instance._loaded_keys = (instance.__dict__.get("county_code"), instance.__dict__.get("township_code"))
        return instance


class KeysFrom(models.Model):
    """Adds county_code/township_code copied from the keyed row named by `keys_from` (a foreign key to
    a RegionKeyed model): set on every save that writes that foreign key, and re-set by
    `region_keys_follow` when the keyed row's own keys change."""

    keys_from = "deputy"

    county_code = models.CharField(
        _("所属县级区划代码"), max_length=12, blank=True, default="", editable=False
    )
    township_code = models.CharField(
        _("所属乡级区划代码"), max_length=12, blank=True, default="", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        name = self.keys_from
        if update_fields is None or name in update_fields or f"{name}_id" in update_fields:
            source = getattr(self, name) if getattr(self, f"{name}_id") is not None else None
            self.county_code, self.township_code = (
                (source.county_code, source.township_code) if source is not None else ("", "")
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "county_code", "township_code"}
        super().save(*args, **kwargs)


def keyed_models() -> list[type[models.Model]]:
    """Every installed model that stores jurisdiction keys (from its region or from a keyed row)."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, RegionKeyed | KeysFrom)]


def key_followers(model) -> list[type[models.Model]]:
    """The installed models that copy `model`'s keys (KeysFrom whose `keys_from` points at it)."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if issubclass(m, KeysFrom) and m._meta.get_field(m.keys_from).related_model is model
    ]


def region_keys_follow(model, pks=None) -> int:
    """Re-key the rows that copy the keys of `model`'s rows `pks` (all when None): one UPDATE per
    following table, touching only rows whose keys differ; the number of rows changed."""
    from django.db.models import OuterRef, Q, Subquery

    changed = 0
    for follower in key_followers(model):
        fk = follower.keys_from
        source = model._base_manager.filter(pk=OuterRef(fk))
        rows = follower._base_manager.all()
        if pks is not None:
            rows = rows.filter(**{f"{fk}_id__in": list(pks)})
        rows = rows.filter(
            ~Q(county_code=Subquery(source.values("county_code")[:1]))
            | ~Q(township_code=Subquery(source.values("township_code")[:1]))
        )
        changed += rows.update(
            county_code=Subquery(source.values("county_code")[:1]),
            township_code=Subquery(source.values("township_code")[:1]),
        )
    return changed


def region_paths(region_ids) -> dict[int, str]:
    """{region id: path} for `region_ids`, in chunks (one query for up to 2000 ids)."""
    from renda.regions.models import Region

    ids = sorted({pk for pk in region_ids if pk is not None})
    paths: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        paths.update(Region.objects.filter(pk__in=ids[start : start + 2000]).values_list("pk", "path"))
    return paths


def region_keys_fill(rows) -> None:
    """Set the keys of keyed instances about to be written by bulk_create/bulk_update (which skip
    save()) from their regions: a region already loaded on the instance is read from it, the others'
    paths in one query."""
    rows = list(rows)
    if not rows:
        return
    region_field = rows[0]._meta.get_field("region")
    loaded = {r.region_id: r.region.path for r in rows if r.region_id and region_field.is_cached(r)}
    paths = {**region_paths(r.region_id for r in rows if r.region_id not in loaded), **loaded}
    for row in rows:
        row.county_code, row.township_code = region_keys(paths.get(row.region_id, ""))


def region_keys_drift(model) -> list:
    """Ids of `model`'s rows whose stored keys are not those of their region's path, or for KeysFrom
    models of the row they copy (one query)."""
    if issubclass(model, KeysFrom):
        fk = model.keys_from
        rows = model._base_manager.values_list(
            "pk", f"{fk}__county_code", f"{fk}__township_code", "county_code", "township_code"
        )
        return [
            pk for pk, *source, county, township in rows.iterator() if tuple(source) != (county, township)
        ]
    rows = model._base_manager.values_list("pk", "region__path", "county_code", "township_code")
    return [pk for pk, path, county, township in rows.iterator() if region_keys(path) != (county, township)]


def region_keys_refresh(model, regions=None) -> int:
    """Re-key `model`'s rows from their regions (all, or those of `regions`), and the rows that copy
    their keys; the number of `model`'s rows changed. One UPDATE per region that has rows (a change of
    the region tree moves a few regions; a whole table is keyed by `region_keys_backfill`)."""
    from renda.regions.models import Region

    if issubclass(model, KeysFrom):
        return 0  # re-keyed with the rows they copy, below
    region_ids = model.objects.values_list("region_id", flat=True).distinct()
    if regions is not None:
        region_ids = region_ids.filter(region__in=regions)
    changed = 0
    moved = []
    for region in Region.objects.filter(pk__in=list(region_ids)).only("pk", "path"):
        county, township = region_keys(region.path)
        rows = model.objects.filter(region_id=region.pk).exclude(county_code=county, township_code=township)
        if key_followers(model):
            moved += list(rows.values_list("pk", flat=True))
        changed += rows.update(county_code=county, township_code=township)
    if moved:
        region_keys_follow(model, moved)
    return changed


def region_keys_backfill(model, *, connection, keys_from: str = "") -> None:
    """Key every row of `model` in one UPDATE (the data migration adding the keys to a big table: a
    million duty records). RegionKeyed: from the region's path, whose third and fourth codes are the
    county's and the township's (`region_keys`); KeysFrom (`keys_from`, the foreign key's name: a
    migration's historical model does not carry the class attribute): copied from the keyed row."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    if keys_from:
        field = model._meta.get_field(keys_from)
        source = quote(field.related_model._meta.db_table)
        sql = (
            f"UPDATE {table} SET county_code = s.county_code, township_code = s.township_code "  # noqa: S608
            f"FROM {source} AS s WHERE s.id = {table}.{quote(field.column)}"
        )
    else:
        regions = quote("regions_region")
        # The n-th code of a path "52/5205/520521/520521105/…" ("" when the path is shorter).
        if connection.vendor == "postgresql":
            county, township = "split_part(r.path, '/', 3)", "split_part(r.path, '/', 4)"
        else:
            # SQLite has no split_part: cut the path after its second and third slashes.
            rest2 = "substr(r.path, instr(r.path, '/') + 1)"
            rest3 = f"substr({rest2}, instr({rest2}, '/') + 1)"
            rest4 = f"substr({rest3}, instr({rest3}, '/') + 1)"
            county = f"substr({rest3}, 1, instr({rest3}, '/') - 1)"
            township = f"substr({rest4}, 1, instr({rest4}, '/') - 1)"
        sql = (
            f"UPDATE {table} SET county_code = {county}, township_code = {township} "  # noqa: S608
            f"FROM {regions} AS r WHERE r.id = {table}.region_id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
