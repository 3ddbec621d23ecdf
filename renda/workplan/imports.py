"""Reading the office's own .docx of the yearly work plan into chapters and items, for a preview.

What the office writes (and what is recognised):
- the title, e.g. 《大方县人大常委会2024年工作要点》 — the first paragraph naming 工作要点, whose
  four-digit year (2024年) becomes the plan's year;
- chapter headings: 一、… 二、… (a Chinese numeral and 、), or any paragraph in a Heading/标题 style;
- numbered items under a heading: 1．… 1. … 1、… （1）… ; the numbers run through the plan (items
  numbered again from 1 in each chapter are numbered on, 1…N, as the plan needs unique numbers);
- at the end of an item, in brackets, who and when: （牵头单位：法制工作委员会；配合单位：办公室、
  代表工作委员会；完成时限：6月） — also 牵头/责任单位, 配合/协办单位, 时限, 第二季度/二季度, 全年/年底,
  and 目标：… for a target. Bodies are matched by name, short name or the usual abbreviations
  (法工委, 预工委, 代工委); an unknown body is a warning in the preview, not an error.
Paragraphs before the first heading (the preamble) are skipped; an unnumbered paragraph after an
item is added to that item's text. Nothing is saved here: the result is a plain dict that the
preview shows and signs, and `services.work_plan_import` saves once the user confirms.
"""

import re

from django.utils.translation import gettext as _

from renda.core.errors import DomainError
from renda.core.files import file_check
from renda.organizations.models import Organization

MAX_IMPORT_BYTES = 5 * 1024 * 1024
CN_NUMERALS = "一二三四五六七八九十"
CHAPTER = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、．.]\s*(.+)$")
ITEM = re.compile(r"^\s*(?:(\d{1,3})\s*[．.、]|[（(]\s*(\d{1,3})\s*[）)])\s*(.+)$")
TRAILER = re.compile(
    r"[（(]([^（）()]*(?:牵头|责任单位|配合|协办|时限|完成时间)[^（）()]*)[）)]\s*[。.；;]?\s*$"
)
YEAR = re.compile(r"(20\d{2})\s*年")
MONTH = re.compile(r"(\d{1,2})\s*月")
QUARTER = re.compile(r"第?\s*([一二三四1-4])\s*季度")
ALIASES = {
    "法工委": "法制工作委员会",
    "预工委": "预算工作委员会",
    "代工委": "代表工作委员会",
    "常委会办公室": "办公室",
    "县人大常委会办公室": "办公室",
    "代表联络委": "代表工作委员会",
}
LEAD_KEYS = ("牵头单位", "牵头", "责任单位")
CO_KEYS = ("配合单位", "配合", "协办单位", "协办")
DUE_KEYS = ("完成时限", "时限", "完成时间")
TARGET_KEYS = ("目标要求", "目标")


def _split_names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r"[、,，/]", value) if n.strip()]


def _looks_like_due(text: str) -> bool:
    return bool(MONTH.search(text) or QUARTER.search(text) or "全年" in text or "年底" in text)


def _parse_trailer(trailer: str) -> dict:
    """ "牵头单位：A；配合单位：B、C；完成时限：6月" → lead [A], co [B, C], due "6月". Parts are split
    at ；;，, — a part without a key is a due date when it reads like one ("二季度"), else more names
    for the key before it."""
    found = {"lead": [], "co": [], "due": "", "target": ""}
    last_key = ""
    for part in re.split(r"[；;，,]", trailer):
        part = part.strip()
        if not part:
            continue
        if re.search(r"[:：]", part):
            key, value = (p.strip() for p in re.split(r"[:：]", part, maxsplit=1))
        elif _looks_like_due(part):
            found["due"] = part
            continue
        else:
            key, value = last_key, part
        if key in LEAD_KEYS:
            names = _split_names(value)
            if found["lead"]:
                found["co"] += names
            else:
                found["lead"], found["co"] = names[:1], found["co"] + names[1:]
        elif key in CO_KEYS:
            found["co"] += _split_names(value)
        elif key in DUE_KEYS:
            found["due"] = value
        elif key in TARGET_KEYS:
            found["target"] = value
        last_key = key
    return found


def _due(text: str) -> dict:
    quarter = QUARTER.search(text)
    if quarter:
        value = quarter.group(1)
        number = int(value) if value.isdigit() else CN_NUMERALS.index(value) + 1
        return {"due_kind": "quarter", "due_quarter": number, "due_label": f"第{CN_NUMERALS[number - 1]}季度"}
    month = MONTH.search(text)
    if month and 1 <= int(month.group(1)) <= 12:
        return {
            "due_kind": "month",
            "due_month": int(month.group(1)),
            "due_label": f"{int(month.group(1))}月",
        }
    return {"due_kind": "year", "due_label": "全年"}


def body_index(region) -> dict[str, Organization]:
    """Names, short names and abbreviations → the bodies of the county (work bodies and the committee)."""
    bodies = Organization.objects.filter(
        region=region, kind__in=[Organization.Kind.WORK_BODY, Organization.Kind.STANDING_COMMITTEE]
    )
    index: dict[str, Organization] = {}
    for body in bodies:
        index[body.name] = body
        if body.short_name:
            index[body.short_name] = body
    for alias, name in ALIASES.items():
        if name in index:
            index.setdefault(alias, index[name])
    return index


def _paragraphs(document) -> list[tuple[str, str]]:
    rows = []
    for paragraph in document.paragraphs:
        text = re.sub(r"\s+", " ", paragraph.text).strip()
        if text:
            rows.append((text, (paragraph.style.name if paragraph.style is not None else "") or ""))
    return rows


def plan_docx_parse(upload, *, region) -> dict:
    """Parse an uploaded .docx into {title, year, source_name, chapters: [{number, title, items:
    [{number, text, target, lead, lead_id, co, co_ids, due_kind, due_month, due_quarter, due_label,
    warnings}]}], errors, warnings}. Raises DomainError (field "file") when the file is not a .docx."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    file_check(upload, field="file", label=_("工作要点文件"), allowed=(".docx",), max_bytes=MAX_IMPORT_BYTES)
    try:
        document = Document(upload)
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DomainError(_("无法读取该 Word 文件，请另存为 .docx 后再上传"), field="file") from exc
    finally:
        upload.seek(0)
    index = body_index(region)
    result = {
        "title": "",
        "year": None,
        "source_name": upload.name[:200],
        "chapters": [],
        "errors": [],
        "warnings": [],
    }
    current_item = None
    number = 0
    for position, (text, style) in enumerate(_paragraphs(document), start=1):
        if not result["title"] and "工作要点" in text and len(text) <= 60:
            result["title"] = text.strip("《》")
            year = YEAR.search(text)
            result["year"] = int(year.group(1)) if year else None
            continue
        chapter = CHAPTER.match(text)
        is_heading = style.lower().startswith("heading") or style.startswith("标题")
        item = ITEM.match(text)
        if chapter or (is_heading and not item):
            title = chapter.group(2).strip() if chapter else text
            result["chapters"].append(
                {"number": len(result["chapters"]) + 1, "title": title[:200], "items": []}
            )
            current_item = None
            continue
        if item:
            if not result["chapters"]:
                result["errors"].append(
                    _("第%(p)d段“%(t)s”：编号事项之前没有章节标题（如“一、……”）")
                    % {"p": position, "t": text[:20]}
                )
                continue
            number += 1
            body = item.group(3).strip()
            trailer = TRAILER.search(body)
            parts = (
                _parse_trailer(trailer.group(1))
                if trailer
                else {"lead": [], "co": [], "due": "", "target": ""}
            )
            if trailer:
                body = body[: trailer.start()].rstrip("；;，, ")
            row = {
                "number": number,
                "text": body,
                "target": parts["target"][:300],
                "lead": parts["lead"][0] if parts["lead"] else "",
                "lead_id": None,
                "co": parts["co"],
                "co_ids": [],
                "warnings": [],
                **_due(parts["due"]),
            }
            if row["lead"]:
                found = index.get(row["lead"])
                if found is None:
                    row["warnings"].append(_("牵头单位“%(n)s”未找到，导入后请补充") % {"n": row["lead"]})
                else:
                    row["lead_id"] = found.pk
                    row["lead"] = found.name
            else:
                row["warnings"].append(_("未写明牵头单位"))
            for name in parts["co"]:
                found = index.get(name)
                if found is None:
                    row["warnings"].append(_("配合单位“%(n)s”未找到") % {"n": name})
                elif found.pk not in row["co_ids"] and found.pk != row["lead_id"]:
                    row["co_ids"].append(found.pk)
            row["co"] = [o.name for o in index.values() if o.pk in row["co_ids"]]
            row["co"] = list(dict.fromkeys(row["co"]))
            result["chapters"][-1]["items"].append(row)
            current_item = row
            continue
        if current_item is not None:
            current_item["text"] = f"{current_item['text']}{text}"
        # else: the preamble before the first chapter
    if not result["title"]:
        result["errors"].append(_("没有找到标题（含“工作要点”的段落）"))
    elif result["year"] is None:
        result["errors"].append(_("标题中没有年度（如“2024年”）"))
    if not any(c["items"] for c in result["chapters"]):
        result["errors"].append(
            _("没有识别出编号事项：事项应以“1．”“2．”等编号开头，位于“一、”“二、”等章节标题之下")
        )
    result["item_count"] = sum(len(c["items"]) for c in result["chapters"])
    return result
