"""Fixtures of the points tests: a county congress with deputies, and the three scheme shapes of
issue 10 as JSON documents."""

import datetime

import pytest

from renda.deputies.services import congress_create, deputy_create, mandate_create

YEAR = 2025


@pytest.fixture
def congress(regions):
    return congress_create(
        level="county", region=regions["county"], term=18, starts_on=datetime.date(2021, 10, 1)
    )


@pytest.fixture
def members(congress, deputies, regions):
    """wang (黄泥塘镇, the `deputy` account) and li (九驿街道) sit in the county congress."""
    for deputy, delegation in ((deputies["wang"], "黄泥塘代表团"), (deputies["li"], "九驿代表团")):
        mandate_create(deputy=deputy, congress=congress, delegation=delegation)
    return deputies


@pytest.fixture
def make_member(congress, regions):
    def _make(name: str, township: str = "huangnitang", starts_on=None, delegation=""):
        deputy = deputy_create(name=name, gender="male", region=regions[township])
        mandate_create(deputy=deputy, congress=congress, starts_on=starts_on, delegation=delegation)
        return deputy

    return _make


def doc(**overrides) -> dict:
    base = {
        "format": "renda.points.scheme/1",
        "name": "测试积分办法",
        "year": YEAR,
        "base_mode": "none",
        "rhythm": "year",
        "categories": [{"code": "all", "name": "履职积分"}],
        "rules": [],
        "bands": [],
    }
    base.update(overrides)
    return base


# (a) +3 per written suggestion, +3 per inspection or survey joined, −1 per half day of leave from the
# session; no base, no grades.
SHAPE_A = doc(
    name="甲地积分办法",
    rules=[
        {"code": "suggestion", "name": "书面建议", "category": "all", "kinds": ["suggestion"],
         "match": {"stage": "submitted"}, "points": 3},
        {"code": "inspection", "name": "视察调研", "category": "all", "kinds": ["inspection", "survey"],
         "points": 3},
        {"code": "leave", "name": "会议请假", "category": "all", "kinds": ["leave"],
         "mode": "per_unit", "unit": "half_day", "points": -1},
    ],
)  # fmt: skip

# (b) a base of 60 a year plus additions without a cap, shown quarterly.
SHAPE_B = doc(
    name="乙地积分办法",
    base_mode="full",
    rhythm="quarter",
    categories=[{"code": "base", "name": "基础分", "base": 60}, {"code": "add", "name": "加分"}],
    rules=[
        {"code": "suggestion", "name": "提出建议", "category": "add", "kinds": ["suggestion"], "points": 2},
        {"code": "inspection", "name": "参加视察", "category": "add", "kinds": ["inspection"], "points": 1},
        {"code": "training", "name": "参加培训", "category": "add", "kinds": ["training"],
         "mode": "per_unit", "unit": "hour", "points": "0.5"},
    ],
)  # fmt: skip

# (c) a 100-point scale: categories with caps and floors (出席 starts full and only loses), ≥80 好,
# 60–79 较好, <60 差.
SHAPE_C = doc(
    name="丙地积分办法",
    base_mode="full",
    categories=[
        {"code": "attend", "name": "出席会议", "base": 30, "cap": 30, "floor": 0},
        {"code": "work", "name": "视察调研", "cap": 40},
        {"code": "link", "name": "联系群众", "cap": 30},
    ],
    rules=[
        {"code": "absence", "name": "无故缺席", "category": "attend", "kinds": ["absence"], "points": -5},
        {"code": "inspection", "name": "参加视察", "category": "work", "kinds": ["inspection"], "points": 5},
        {"code": "contact", "name": "联系选民", "category": "link", "kinds": ["contact"], "points": 2,
         "max_points": 20},
        {"code": "reception", "name": "进站接待", "category": "link", "kinds": ["reception"],
         "mode": "once", "points": 10},
    ],
    bands=[
        {"name": "好", "lower": 80, "lower_inclusive": True},
        {"name": "较好", "lower": 60, "lower_inclusive": True, "upper": 80, "upper_inclusive": False},
        {"name": "差", "upper": 60, "upper_inclusive": False},
    ],
)  # fmt: skip
