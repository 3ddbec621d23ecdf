"""Sort keys for names: the official surname-stroke order (姓氏笔画) and pinyin order.

Stroke order as rosters use it (GB 13418 practice, and Xinhua's published lists): compare the surname
first by its stroke count, then by the order of its strokes 横(1) 竖(2) 撇(3) 点(4) 折(5); people
with the same surname are ordered with single-character given names first (王毅 before 王沪宁), then
by the given name's characters compared the same way.

The data is generated from packaged sources, not typed by hand (scripts/build_stroke_table.py writes
renda/deputies/data/strokes.tsv):
- stroke counts: Unicode Unihan kTotalStrokes (the zh-Hans value) for CJK Unified Ideographs and
  Extension A (27,584 characters);
- stroke orders: the table of the npm package cnchar-order 3.2.6 (MIT), 6,939 common characters,
  folded into 横(1) 竖(2) 撇(3) 点(4) 折(5) by GB 13000.1 practice (提 as 横, 竖钩 as 竖, 捺 as 点).
Characters with a count but no order are told apart by code point; characters outside the table
(letters, digits, "·", rare extensions) sort after every Han one.

Keys are plain strings so that the database orders rows by an indexed column: they are computed when
a deputy is written and stored on the row (Deputy.stroke_key, Deputy.pinyin_key).
"""

import functools
from pathlib import Path

from renda.core.text import clean_person_name

# Width of the stroke sequence kept per character; characters equal in count and in their first
# twelve strokes are told apart by code point so that the order stays total and stable.
_ORDER_WIDTH = 12
_UNKNOWN_COUNT = 99  # characters without Unihan data (letters, digits, "·") sort after every Han one


DATA = Path(__file__).resolve().parent / "data" / "strokes.tsv"


@functools.cache
def _table() -> tuple[dict[str, int], dict[str, str]]:
    counts: dict[str, int] = {}
    orders: dict[str, str] = {}
    with DATA.open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("#"):
                continue
            char, count, order = line.rstrip("\n").split("\t")
            counts[char] = int(count)
            if order:
                orders[char] = order
    return counts, orders


def total_strokes() -> dict[str, int]:
    """kTotalStrokes of every ideograph in the table."""
    return _table()[0]


def stroke_orders() -> dict[str, str]:
    """The stroke sequence of each character as digits 1–5 (横竖撇点折)."""
    return _table()[1]


def stroke_count(char: str) -> int | None:
    return total_strokes().get(char)


def char_stroke_key(char: str) -> str:
    """Fixed-width key of one character: count, stroke order, code point."""
    count = total_strokes().get(char)
    if count is None:
        return f"{_UNKNOWN_COUNT:02d}{'0' * _ORDER_WIDTH}{ord(char):05X}"
    order = stroke_orders().get(char, "")[:_ORDER_WIDTH].ljust(_ORDER_WIDTH, "0")
    return f"{min(count, 98):02d}{order}{ord(char):05X}"


def clean_name(name: str) -> str:
    """The name as stored: the core policy for person names (no spaces, no invisible characters, NFKC)."""
    return clean_person_name(name)


def stroke_key(name: str) -> str:
    """Key that orders names as a roster 按姓氏笔画为序 does."""
    name = clean_name(name)
    if not name:
        return ""
    surname, given = name[0], name[1:]
    return char_stroke_key(surname) + str(min(len(given), 9)) + "".join(char_stroke_key(c) for c in given)


# Surnames read differently from the same character in ordinary words (多音字): a roster sorted by
# pinyin must use the surname reading.
SURNAME_READINGS = {
    "单": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "朴": "piao2",
    "查": "zha1",
    "盖": "ge3",
    "乐": "yue4",
    "尉": "yu4",
    "覃": "qin2",
    "缪": "miao4",
    "秘": "bi4",
    "重": "chong2",
    "召": "shao4",
    "种": "chong2",
    "员": "yun4",
    "蕃": "pi2",
    "万": "wan4",
    "长": "chang2",
    "翟": "zhai2",
    "禚": "zhuo2",
    "繁": "po2",
    "沈": "shen3",
    "折": "she2",
    "燕": "yan1",
}


def pinyin_key(name: str) -> str:
    """Key that orders names by pinyin (surname reading first), then by strokes to break ties."""
    from pypinyin import Style, lazy_pinyin

    name = clean_name(name)
    if not name:
        return ""
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    if name[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[name[0]]
    spelled = " ".join(s.lower() for s in syllables)
    return (spelled[:180] + "|" + stroke_key(name))[:255]
