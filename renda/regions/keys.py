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
        if update_fields is None or "region" in update_fields or "region_id" in update_fields:
            self.county_code, self.township_code = region_keys(self.region.path if self.region_id else "")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "county_code", "township_code"}
        super().save(*args, **kwargs)


def keyed_models() -> list[type[models.Model]]:
    """Every installed model that stores jurisdiction keys."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, RegionKeyed)]


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
    """Ids of `model`'s rows whose stored keys are not those of their region's path (one query)."""
    rows = model._base_manager.values_list("pk", "region__path", "county_code", "township_code")
    return [pk for pk, path, county, township in rows.iterator() if region_keys(path) != (county, township)]


def region_keys_refresh(model, regions=None) -> int:
    """Re-key `model`'s rows from their regions (all, or those of `regions`); the number of rows changed.
    One UPDATE per region that has rows: the data migration and a change of the region tree use it."""
    from renda.regions.models import Region

    region_ids = model.objects.values_list("region_id", flat=True).distinct()
    if regions is not None:
        region_ids = region_ids.filter(region__in=regions)
    changed = 0
    for region in Region.objects.filter(pk__in=list(region_ids)).only("pk", "path"):
        county, township = region_keys(region.path)
        changed += (
            model.objects.filter(region_id=region.pk)
            .exclude(county_code=county, township_code=township)
            .update(county_code=county, township_code=township)
        )
    return changed
