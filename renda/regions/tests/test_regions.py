"""The region tree: loading a divisions CSV and subtree queries."""

import io

import pytest
from django.core.management import CommandError, call_command

from renda.core.errors import DomainError
from renda.regions.models import Region
from renda.regions.selectors import region_subtree
from renda.regions.services import regions_load_csv

CSV = """code,name,level,parent_code
52,贵州省,province,
5205,毕节市,city,52
520521,大方县,county,5205
520521105,黄泥塘镇,township,520521
520521105002,黄泥塘社区居民委员会,village,520521105
520521004,九驿街道,township,520521
"""


def test_load_builds_the_tree_and_is_idempotent(db):
    result = regions_load_csv(stream=io.StringIO(CSV))
    assert result.created == 6
    village = Region.objects.get(code="520521105002")
    assert village.path == "52/5205/520521/520521105/520521105002/"
    assert village.parent.code == "520521105" and village.parent.parent.name == "大方县"
    again = regions_load_csv(stream=io.StringIO(CSV))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_renamed_region_is_updated(db):
    regions_load_csv(stream=io.StringIO(CSV))
    result = regions_load_csv(stream=io.StringIO(CSV.replace("九驿街道", "九驿新街道")))
    assert result.updated == 1 and Region.objects.get(code="520521004").name == "九驿新街道"


def test_subtree(db):
    regions_load_csv(stream=io.StringIO(CSV))
    county = Region.objects.get(code="520521")
    assert set(region_subtree(county).values_list("code", flat=True)) == {
        "520521",
        "520521105",
        "520521105002",
        "520521004",
    }
    assert region_subtree(county, include_self=False).count() == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,c\n", "表头"),
        ("code,name,level,parent_code\n52,贵州省,planet,\n", "第2行"),
        ("code,name,level,parent_code\n52,贵州省,province,\n52,贵州,province,\n", "重复"),
        ("code,name,level,parent_code\n5205,毕节市,city,99\n", "上级区划99不存在"),
    ],
)
def test_bad_files_say_what_is_wrong_and_write_nothing(db, text, message):
    with pytest.raises(DomainError, match=message):
        regions_load_csv(stream=io.StringIO(text))
    assert not Region.objects.exists()


def test_command_loads_the_shipped_guizhou_file(db, settings):
    call_command("load_regions", str(settings.BASE_DIR / "data" / "divisions-guizhou.csv"))
    assert Region.objects.count() == 19572
    assert Region.objects.filter(level="county").count() == 88
    county = Region.objects.get(code="520521")
    assert region_subtree(county).filter(level="township").count() == 40  # as the statistical list has them
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("load_regions", "/nonexistent.csv")
