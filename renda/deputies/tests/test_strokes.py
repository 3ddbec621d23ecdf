"""Surname-stroke order (姓氏笔画) and pinyin order, checked against published stroke-ordered lists."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin_dict.pinyin_data.zdic import pinyin_dict as ZDIC

from renda.deputies import strokes
from renda.deputies.models import Deputy
from renda.deputies.selectors import deputy_list
from renda.deputies.services import deputy_create, deputy_update

# Source: 新华社北京2022年9月25日电《中国共产党第二十次全国代表大会代表名单》
# "（共2296名，按姓氏笔画为序排列）" — its first 40 names, in the published order (the notes in
# brackets such as （女）（满族） left out).
CPC20_DELEGATES = [
    "丁宁",
    "丁纯",
    "丁炜",
    "丁铭",
    "丁小强",
    "丁中平",
    "丁仁彧",
    "丁月牙",
    "丁向群",
    "丁兴农",
    "丁赤飚",
    "丁学东",
    "丁荣浩",
    "丁海燕",
    "丁绣峰",
    "丁雄军",
    "丁薛祥",
    "于波",
    "于洋",
    "于勇",
    "于川雅",
    "于立军",
    "于吉红",
    "于江涛",
    "于秀明",
    "于绍良",
    "于砚华",
    "于洪涛",
    "才让太",
    "万伟",
    "万敏",
    "万立骏",
    "万芝利",
    "万相兰",
    "万超岐",
    "么永波",
    "习近平",
    "马龙",
    "马伟",
    "马丽",
]

# Source: 新华社北京2022年10月23日电《中国共产党第二十届中央委员会第一次全体会议公报》附名单
# "中央政治局委员（按姓氏笔画为序）".
POLITBURO_20 = [
    "丁薛祥",
    "习近平",
    "马兴瑞",
    "王毅",
    "王沪宁",
    "尹力",
    "石泰峰",
    "刘国中",
    "李希",
    "李强",
    "李干杰",
    "李书磊",
    "李鸿忠",
    "何卫东",
    "何立峰",
    "张又侠",
    "张国清",
    "陈文清",
    "陈吉宁",
    "陈敏尔",
    "赵乐际",
    "袁家军",
    "黄坤明",
    "蔡奇",
]


@pytest.mark.parametrize(
    "published", [CPC20_DELEGATES, POLITBURO_20], ids=["cpc20-delegates", "politburo-20"]
)
def test_stroke_key_reproduces_published_order(published):
    shuffled = published[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=strokes.stroke_key) == published


def test_rules_one_by_one():
    # Fewer strokes first: 丁 (2) before 于 (3).
    assert strokes.stroke_key("丁波") < strokes.stroke_key("于波")
    # Equal count, first stroke 横 before 竖 撇 点 折: 于(一) 才(一) 万(一) 么(丿) 习(乛) 马(乛).
    assert sorted(["马龙", "习近平", "么永波", "于波", "才让太"], key=strokes.stroke_key) == [
        "于波", "才让太", "么永波", "习近平", "马龙",
    ]  # fmt: skip
    # Same surname: a single-character given name first (王毅 before 王沪宁).
    assert strokes.stroke_key("王毅") < strokes.stroke_key("王沪宁")
    # Padding and full-width spaces do not count: 王　芳 sorts as 王芳.
    assert strokes.stroke_key("王　芳") == strokes.stroke_key(" 王芳 ")


def test_data_comes_from_packaged_unicode_sources():
    counts, orders = strokes.total_strokes(), strokes.stroke_orders()
    # Unihan kTotalStrokes for every CJK Unified Ideographs block (URO, Extension A, astral B–G);
    # cnchar-order for the common characters.
    assert len(counts) == 92_853 and len(orders) == 6_939
    assert counts["𠮷"] == 6
    assert counts["黄"] == 11 and counts["王"] == 4 and orders["王"] == "1121"
    # Folded to the five basic strokes: 丁 is 横 + 竖钩, and 竖钩 counts as 竖.
    assert orders["丁"] == "12" and orders["达"] == "134454"
    for char, order in orders.items():
        assert set(order) <= set("12345"), char
    # The two sources agree on the count for all but a handful of characters.
    disagree = [c for c, order in orders.items() if len(order) != counts[c]]
    assert len(disagree) < 20
    assert strokes.char_stroke_key("达")[:2] == "06"


def test_pinyin_key_uses_surname_readings():
    names = ["曾强", "张伟", "单明", "安勇", "陈芳"]
    # 曾 and 单 as surnames read zēng and shàn (not céng, dān): 曾 sorts with Z, 单 with S.
    assert sorted(names, key=strokes.pinyin_key) == ["安勇", "陈芳", "单明", "曾强", "张伟"]
    assert strokes.pinyin_key("单明").startswith("shan4")


def test_keys_are_stored_at_write_time_and_the_database_orders(regions, users):
    for name in ["马丽", "丁宁", "王　毅", "习近平", "王沪宁"]:
        deputy_create(name=name, gender="female", region=regions["huangnitang"])
    renamed = Deputy.objects.get(name="马丽")
    deputy_update(deputy=renamed, data={"name": "于波"})
    renamed.refresh_from_db()
    assert renamed.stroke_key == strokes.stroke_key("于波") and renamed.pinyin_key == strokes.pinyin_key(
        "于波"
    )
    with CaptureQueriesContext(connection) as queries:
        names = [d.name for d in deputy_list(user=users["county_staff"])]
    assert names == ["丁宁", "于波", "习近平", "王毅", "王沪宁"]
    select = next(q["sql"] for q in queries.captured_queries if 'FROM "deputies_deputy"' in q["sql"])
    assert "ORDER BY" in select and "stroke_key" in select.split("ORDER BY")[1]
    by_pinyin = [d.name for d in deputy_list(user=users["county_staff"], order="pinyin")]
    assert by_pinyin == ["丁宁", "王沪宁", "王毅", "习近平", "于波"]


def test_the_sort_columns_are_indexed():
    indexed = {tuple(index.fields) for index in Deputy._meta.indexes}
    assert ("stroke_key", "id") in indexed and ("pinyin_key", "id") in indexed


def test_astral_surnames_sort_by_their_reading():
    """𠮷 (U+20BB7, Extension B) has no reading in pypinyin and sorted after everyone: jí puts it under J."""
    names = ["李明", "江河", "𠮷田", "黄芳", "安勇"]
    assert sorted(names, key=strokes.pinyin_key) == ["安勇", "黄芳", "𠮷田", "江河", "李明"]
    assert strokes.pinyin_key("𠮷田").startswith("ji2 ")


@settings(max_examples=50)
@given(st.sampled_from(sorted(p for p in ZDIC if p > 0xFFFF)))
def test_every_astral_character_with_a_published_reading_sorts_under_it(point):
    import unicodedata

    reading = ZDIC[point].split(",")[0]
    first = unicodedata.normalize("NFD", reading)[0].lower()
    assert strokes.pinyin_key(chr(point) + "明")[0] == first, (hex(point), reading)
