"""The three published scheme shapes of issue 10 "Done when", applied to hand-built records, with
totals and grades computed by hand (including deputies exactly on each band's bound)."""

import datetime
from decimal import Decimal

import pytest

from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_review
from renda.points.models import Standing
from renda.points.selectors import deputy_points
from renda.points.services import points_adjust, scheme_import, scheme_publish

from .conftest import SHAPE_A, SHAPE_B, SHAPE_C, YEAR


def on(month, day=10):
    return datetime.date(YEAR, month, day)


def add(deputy, kind, day, **kw):
    return duty_record_add(deputy=deputy, kind=kind, title=kind, occurred_on=day, **kw)


def year_total(scheme, deputy):
    row = Standing.objects.get(scheme=scheme, deputy=deputy, period="year", index=1)
    return row.total, row.grade, row.by_category


def publish(congress, document, actor=None):
    return scheme_publish(
        actor=actor, scheme=scheme_import(actor=actor, congress=congress, document=document)
    )


def test_shape_a_per_record_and_per_half_day(congress, members, users):
    wang = members["wang"]
    scheme = publish(congress, SHAPE_A)
    add(wang, "suggestion", on(2), attributes={"stage": "submitted", "role": "lead"})
    add(wang, "suggestion", on(3), attributes={"stage": "submitted", "role": "cosigner"})
    add(wang, "suggestion", on(4), attributes={"stage": "accepted"})  # 立案: not a second suggestion
    add(wang, "inspection", on(5), quantity=3, unit="小时")
    add(wang, "survey", on(6))
    add(wang, "leave", on(3), quantity="1.5", unit="天")  # three half days
    add(wang, "training", on(7))  # no rule: nothing
    declared = add(wang, "inspection", on(8), origin=DutyRecord.Origin.DECLARED)
    # 3 + 3 + 3 + 3 − 3 = 9; the declared inspection waits for review.
    assert year_total(scheme, wang) == (Decimal("9.00"), "", {"all": "9.00"})
    duty_record_review(record=declared, approve=True, actor=users["county_staff"])
    assert year_total(scheme, wang)[0] == Decimal("12.00")
    # li did nothing: no base, so zero.
    assert year_total(scheme, members["li"])[0] == Decimal("0.00")


def test_shape_b_base_plus_additions_quarterly(congress, members, make_member):
    wang = members["wang"]
    scheme = publish(congress, SHAPE_B)
    add(wang, "suggestion", on(2))
    add(wang, "inspection", on(5))
    add(wang, "inspection", on(5, 20))
    add(wang, "training", on(8), quantity=4, unit="学时")
    quarters = Standing.objects.filter(scheme=scheme, deputy=wang, period="quarter").order_by("index")
    assert [(q.total, q.period_points) for q in quarters] == [
        (Decimal("62.00"), Decimal("62.00")),
        (Decimal("64.00"), Decimal("2.00")),
        (Decimal("66.00"), Decimal("2.00")),
        (Decimal("66.00"), Decimal("0.00")),
    ]
    assert year_total(scheme, members["li"])[0] == Decimal("60.00")
    # Additions have no cap: 30 inspections more give 30 points more.
    for day in range(1, 31):
        add(wang, "inspection", on(9, day))
    assert year_total(scheme, wang)[0] == Decimal("96.00")
    points = deputy_points(wang, YEAR)
    assert points[0]["scheme"]["name"] == "乙地积分办法"
    q3 = next(p for p in points[0]["periods"] if p["period"] == "quarter" and p["index"] == 3)
    assert q3["label"] == "第三季度" and q3["by_category"] == {
        "base": Decimal("60.00"),
        "add": Decimal("36.00"),
    }


def test_shape_b_pro_rata_base_for_part_of_the_year(congress, members, make_member):
    document = {**SHAPE_B, "base_mode": "pro_rata"}
    late = make_member("赵新", starts_on=datetime.date(YEAR, 7, 1))
    scheme = publish(congress, document)
    # 1 July – 31 December: 184 of 365 days; 60 × 184 / 365 = 30.246… → 30.25.
    assert year_total(scheme, late)[0] == Decimal("30.25")
    assert year_total(scheme, members["wang"])[0] == Decimal("60.00")


@pytest.fixture
def shape_c(congress, members, make_member):
    scheme = publish(congress, SHAPE_C)
    people = {name: make_member(name) for name in ("甲", "乙", "丙", "丁")}

    def many(deputy, kind, n, month=3):
        for i in range(n):
            add(deputy, kind, on(month, i + 1))

    # 甲: attend 30 + work 8×5=40 (cap 40) + link 5×2=10 → 80 exactly: 好 (80分以上 includes 80).
    many(people["甲"], "inspection", 8)
    many(people["甲"], "contact", 5)
    # 乙: attend 30−2×5=20 + work 6×5=30 + link 10 → 60 exactly: 较好 (60 included).
    many(people["乙"], "absence", 2)
    many(people["乙"], "inspection", 6)
    many(people["乙"], "contact", 5)
    # 丙: attend 30−7×5 → floor 0; work 2×5=10; link 15 contacts → capped at 20, + reception once 10
    #     (two receptions count once) = 30 (cap 30) → 40: 差.
    many(people["丙"], "absence", 7)
    many(people["丙"], "inspection", 2)
    many(people["丙"], "contact", 15)
    many(people["丙"], "reception", 2)
    # 丁: like 乙 (60) but a reviewer deducts 0.5 → 59.5: 差 (不足60分).
    many(people["丁"], "absence", 2)
    many(people["丁"], "inspection", 6)
    many(people["丁"], "contact", 5)
    return scheme, people


def test_shape_c_caps_floors_and_bands_on_each_bound(shape_c, users):
    scheme, people = shape_c
    assert year_total(scheme, people["甲"]) == (
        Decimal("80.00"), "好", {"attend": "30.00", "work": "40.00", "link": "10.00"}
    )  # fmt: skip
    assert year_total(scheme, people["乙"])[:2] == (Decimal("60.00"), "较好")
    assert year_total(scheme, people["丙"]) == (
        Decimal("40.00"), "差", {"attend": "0.00", "work": "10.00", "link": "30.00"}
    )  # fmt: skip
    work = scheme.categories.get(code="work")
    points_adjust(
        actor=users["county_staff"], scheme=scheme, deputy=people["丁"], category=work, points="-0.5",
        reason="视察签到与实际不符",
    )  # fmt: skip
    assert year_total(scheme, people["丁"])[:2] == (Decimal("59.50"), "差")
    # 79.99 is not 好: one cent under the bound.
    points_adjust(
        actor=users["county_staff"], scheme=scheme, deputy=people["甲"],
        category=scheme.categories.get(code="link"), points="-0.01", reason="更正",
    )  # fmt: skip
    assert year_total(scheme, people["甲"])[:2] == (Decimal("79.99"), "较好")


def test_bands_with_exclusive_lower_bound(congress, members):
    document = {
        **SHAPE_C,
        "bands": [{"name": "优秀", "lower": 30, "lower_inclusive": False}, {"name": "一般"}],
    }
    scheme = publish(congress, document)
    # Everyone starts with the full 30 of 出席: "30分以上（不含30分）" is not reached.
    assert year_total(scheme, members["li"])[:2] == (Decimal("30.00"), "一般")
