"""Pinyin order reads a surname as a surname (多音字), from the generated table of a maintained source."""

import pytest

from renda.deputies import strokes


@pytest.mark.parametrize(
    "name, reading",
    [
        ("乜明", "nie4"),
        ("藏红梅", "zang4"),
        ("单雄信", "shan4"),
        ("区伟", "ou1"),
        ("仇英", "qiu2"),
        ("解缙", "xie4"),
        ("尉迟恭", "yu4 chi2"),
        ("曾国藩", "zeng1"),
        ("覃明", "qin2"),
        ("朴正", "piao2"),
        ("万俟卨", "mo4 qi2"),
        ("种师道", "chong2"),
        ("尉明", "wei4"),  # the single surname 尉 is Wèi; only 尉迟 is Yùchí
    ],
)
def test_a_surname_is_read_as_a_surname(name, reading):
    assert strokes.pinyin_key(name).startswith(reading + " ")


def test_every_surname_in_the_table_leads_the_key_with_its_reading():
    table = strokes.surname_readings()
    assert len(table) > 450  # generated from pinyin-pro's dictionary, not a hand-typed shortlist
    for surname, reading in table.items():
        assert strokes.pinyin_key(surname + "明").startswith(" ".join(reading) + " "), surname


def test_pinyin_order_files_special_surnames_under_their_own_letter():
    names = ["马力", "乜明", "欧阳娜", "区伟", "曹操", "藏红梅", "张三", "单雄信", "陈平"]
    ordered = sorted(names, key=strokes.pinyin_key)
    assert ordered == ["曹操", "陈平", "马力", "乜明", "区伟", "欧阳娜", "单雄信", "藏红梅", "张三"]
