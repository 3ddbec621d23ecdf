"""Fixtures of the deputies tests: congresses with constituencies, and workbooks built in memory."""

import datetime
import io

import pytest
from openpyxl import Workbook

from renda.conftest import make_region
from renda.core.validators import id_check_character
from renda.deputies.services import congress_create, constituency_create, mandate_create

TERM_START = datetime.date(2021, 12, 28)


def make_id(born: str, sequence: int, *, want: str | None = None) -> str:
    """A valid ID number of 大方县 born on `born` (YYYYMMDD); odd sequence = male."""
    while True:
        first17 = f"520521{born}{sequence:03d}"
        if want is None or id_check_character(first17) == want:
            return first17 + id_check_character(first17)
        sequence += 2


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def congresses(regions):
    """大方县第十八届 with 第41–44选区 in 黄泥塘镇 and 第1选区 in 九驿街道; 黄泥塘镇第十七届 with 第1选区."""
    county = congress_create(level="county", region=regions["county"], term=18, starts_on=TERM_START)
    township = congress_create(level="township", region=regions["huangnitang"], term=17, starts_on=TERM_START)
    constituencies = {
        f"第{n}选区": constituency_create(
            congress=county, name=f"第{n}选区", number=n, region=regions["huangnitang"]
        )
        for n in (41, 42, 43, 44)
    }
    constituencies["第1选区"] = constituency_create(
        congress=county, name="第1选区", number=1, region=regions["jiuyi"]
    )
    constituencies["township"] = constituency_create(
        congress=township, name="第1选区", number=1, region=regions["village"]
    )
    return {"county": county, "township": township, "constituencies": constituencies}


@pytest.fixture
def other_county(regions):
    """A township of 七星关区, outside every 大方县 user's jurisdiction."""
    return make_region("520502001", "市西街道", "township", regions["other_county"])


@pytest.fixture
def seated(deputies, congresses):
    """王芳 a county deputy (第41选区) and 黄泥塘镇 deputy; 李明 a county deputy (第1选区)."""
    c = congresses["constituencies"]
    return {
        "wang_county": mandate_create(
            deputy=deputies["wang"],
            congress=congresses["county"],
            constituency=c["第41选区"],
            delegation="黄泥塘镇代表团",
        ),
        "wang_township": mandate_create(
            deputy=deputies["wang"], congress=congresses["township"], constituency=c["township"]
        ),
        "li_county": mandate_create(
            deputy=deputies["li"],
            congress=congresses["county"],
            constituency=c["第1选区"],
            delegation="九驿街道代表团",
        ),
    }


@pytest.fixture
def other_leaders(regions, other_county):
    """A second committee member of 大方县, and one of 七星关区 (outside every 大方县 user's jurisdiction)."""
    from renda.accounts.services import user_create
    from renda.conftest import PASSWORD
    from renda.core.access import Role

    return {
        name: user_create(username=name, password=PASSWORD, role=Role.LEADER, full_name=name, region=region)
        for name, region in (("leader2", regions["county"]), ("far_leader", other_county))
    }
