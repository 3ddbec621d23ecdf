"""Duty records copy their deputy's county and township keys (renda/regions/keys.py KeysFrom, issue 15
§4): a county's records are one index range, not a join through the province's deputies. The copies
follow the deputy wherever the deputy's region changes, and the migration keys a table in one UPDATE."""

import datetime

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from renda.conftest import make_region
from renda.core.access import scope_queryset
from renda.deputies.models import Deputy
from renda.deputies.services import deputy_create, deputy_update, deputy_update_many, deputy_update_prepare
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.regions.keys import region_keys_backfill, region_keys_drift, region_keys_refresh


def _record(deputy, title="走访选民"):
    return duty_record_add(deputy=deputy, kind="contact", occurred_on=datetime.date(2025, 3, 1), title=title)


def _keys(record) -> tuple[str, str]:
    record.refresh_from_db()
    return record.county_code, record.township_code


def test_a_record_takes_its_deputys_keys(deputies):
    assert _keys(_record(deputies["wang"])) == ("520521", "520521105")
    assert _keys(_record(deputies["li"])) == ("520521", "520521004")


def test_a_deputy_moved_by_a_save_takes_the_records_along(regions, deputies):
    wang = deputies["wang"]
    record = _record(wang)
    deputy_update(deputy=wang, data={"region": regions["jiuyi"]})
    assert _keys(record) == ("520521", "520521004")
    other = make_region("520502001", "市西街道", "township", regions["other_county"])
    deputy_update(deputy=Deputy.objects.get(pk=wang.pk), data={"region": other})
    assert _keys(record) == ("520502", "520502001")
    assert region_keys_drift(DutyRecord) == []


def test_a_deputy_moved_by_the_roster_import_takes_the_records_along(regions, deputies):
    """deputy_update_many writes with bulk_update, which skips save()."""
    wang = Deputy.objects.get(pk=deputies["wang"].pk)
    record, other = _record(wang), _record(deputies["li"])
    changes = deputy_update_prepare(deputy=wang, data={"region": regions["jiuyi"]})
    deputy_update_many(updated=[(wang, changes)])
    assert _keys(record) == ("520521", "520521004")
    assert _keys(other) == ("520521", "520521004")
    assert region_keys_drift(DutyRecord) == []


def test_a_changed_region_tree_rekeys_the_records(regions, deputies):
    record = _record(deputies["wang"])
    township = regions["huangnitang"]
    township.parent = regions["other_county"]
    township.path = f"{regions['other_county'].path}{township.code}/"
    township.save(update_fields=["parent", "path"])
    region_keys_refresh(Deputy, regions=[township])
    assert _keys(record) == ("520502", "520521105")
    assert region_keys_drift(DutyRecord) == []


def test_the_backfill_keys_every_record_in_one_update(regions, deputies):
    records = [_record(deputies["wang"]), _record(deputies["li"]), _record(deputies["wang"], "视察")]
    DutyRecord.objects.update(county_code="", township_code="")
    assert len(region_keys_drift(DutyRecord)) == 3
    with CaptureQueriesContext(connection) as queries:
        region_keys_backfill(DutyRecord, connection=connection, keys_from="deputy")
    assert len(queries.captured_queries) == 1
    assert region_keys_drift(DutyRecord) == []
    assert _keys(records[1]) == ("520521", "520521004")


def test_scoping_by_the_records_keys_finds_what_the_path_finds(users, deputies, regions, settings):
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    far = deputy_create(
        name="孙丽",
        gender="female",
        region=make_region("520502001", "市西街道", "township", regions["other_county"]),
    )
    village = deputy_create(name="周明", gender="male", region=regions["village"])
    for deputy in (*deputies.values(), far, village):
        _record(deputy)
    for user in users.values():
        if not getattr(user, "region_id", None):
            continue
        by_keys = set(scope_queryset(DutyRecord.objects.all(), user).values_list("pk", flat=True))
        by_path = set(
            DutyRecord.objects.filter(Q(deputy__region__path__startswith=user.region.path)).values_list(
                "pk", flat=True
            )
        )
        assert by_keys == by_path, user.username
