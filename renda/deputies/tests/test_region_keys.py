"""Jurisdiction keys (issue 15 §4, renda/regions/keys.py): deputies and constituencies carry their
county and township codes, kept from their region by every save, and scoping reads them for county
and township users with the same rows as the region path."""

import datetime

import pytest
from django.db.models import Q

from renda.conftest import make_region
from renda.core.access import scope_queryset
from renda.deputies.models import Constituency, Deputy, Mandate
from renda.deputies.services import deputy_create, deputy_update
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.regions.keys import region_keys, region_keys_drift, region_keys_refresh


def _keys(obj) -> tuple[str, str]:
    obj.refresh_from_db()
    return obj.county_code, obj.township_code


def test_region_keys_read_the_path():
    assert region_keys("52/5205/520521/520521105/520521105002/") == ("520521", "520521105")
    assert region_keys("52/5205/520521/") == ("520521", "")
    assert region_keys("52/5205/") == ("", "")
    assert region_keys("") == ("", "")


def test_a_deputy_moved_to_another_township_is_keyed_again(regions, deputies):
    wang = deputies["wang"]
    assert _keys(wang) == ("520521", "520521105")
    deputy_update(deputy=wang, data={"region": regions["jiuyi"]})
    assert _keys(wang) == ("520521", "520521004")
    other = make_region("520502001", "市西街道", "township", regions["other_county"])
    deputy_update(deputy=wang, data={"region": other})
    assert _keys(wang) == ("520502", "520502001")
    county_level = deputy_create(name="赵刚", gender="male", region=regions["county"])
    assert _keys(county_level) == ("520521", "")


def test_a_constituency_whose_region_changes_is_keyed_again(congresses, regions):
    c41 = congresses["constituencies"]["第41选区"]
    assert _keys(c41) == ("520521", "520521105")
    c41.region = regions["jiuyi"]
    c41.save(update_fields=["region", "updated_at"])
    assert _keys(c41) == ("520521", "520521004")
    # a save that does not write the region leaves the keys alone (and needs no region query)
    c41.name = "第四十一选区"
    c41.save(update_fields=["name", "updated_at"])
    assert _keys(c41) == ("520521", "520521004")


def test_a_changed_region_tree_is_rekeyed(regions, deputies):
    """区划调整: a township moved under another county re-keys its rows with region_keys_refresh."""
    township = regions["huangnitang"]
    township.parent = regions["other_county"]
    township.path = f"{regions['other_county'].path}{township.code}/"
    township.save(update_fields=["parent", "path"])
    assert region_keys_refresh(Deputy, regions=[township]) == 1
    assert _keys(deputies["wang"]) == ("520502", "520521105")
    assert region_keys_refresh(Deputy) == 0


def test_a_region_tree_loaded_with_a_moved_township_rekeys_its_rows(regions, deputies, congresses):
    """regions_load (区划调整 by CSV) writes paths with bulk_update: the deputies, constituencies and
    villages' rows under a township moved to another county take the new county code."""
    import io

    from renda.regions.services import regions_load_csv

    village = deputy_create(name="周明", gender="male", region=regions["village"])
    csv_text = (
        "code,name,level,parent_code\n"
        "520521105,黄泥塘镇,township,520502\n"
        "520521105002,黄泥塘社区居民委员会,village,520521105\n"
    )
    regions_load_csv(stream=io.StringIO(csv_text))
    assert _keys(deputies["wang"]) == ("520502", "520521105")
    assert _keys(village) == ("520502", "520521105")
    assert _keys(congresses["constituencies"]["第41选区"]) == ("520502", "520521105")
    assert region_keys_drift(Deputy) == [] and region_keys_drift(Constituency) == []


@pytest.mark.parametrize(
    "model,region_path",
    [
        (Deputy, "region__path"),
        (Constituency, "region__path"),
        (Mandate, "deputy__region__path"),
        (DutyRecord, "deputy__region__path"),
    ],
)
def test_scoping_by_keys_finds_what_the_path_finds(
    users, deputies, congresses, regions, model, region_path, settings
):
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    other = make_region("520502001", "市西街道", "township", regions["other_county"])
    far = deputy_create(name="孙丽", gender="female", region=other)
    village = deputy_create(name="周明", gender="male", region=regions["village"])
    for deputy in (*deputies.values(), far, village):
        Mandate.objects.create(deputy=deputy, congress=congresses["county"], status=Mandate.Status.SERVING)
        duty_record_add(deputy=deputy, kind="contact", occurred_on=datetime.date(2025, 3, 1), title="走访")
    for user in users.values():
        if not getattr(user, "region_id", None):
            continue
        by_keys = set(scope_queryset(model.objects.all(), user).values_list("pk", flat=True))
        by_path = set(
            model.objects.filter(Q(**{f"{region_path}__startswith": user.region.path})).values_list(
                "pk", flat=True
            )
        )
        assert by_keys == by_path, user.username
        assert by_keys or (model is Constituency and user.region.level == "township")
