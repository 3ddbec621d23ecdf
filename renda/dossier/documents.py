"""Printed forms of the dossier: the dossier PDF (official layout), the A5 handbook, and the batch of
dossiers of a township or a congress as one zip written to disk as it grows.

Layout: A4 portrait, a cover (deputy, term, committee, date) without a page number, a table of
contents as front matter numbered "— I —", the body numbered from "— 1 —" at the foot as GB/T 9704-2012
§7.5 asks (the contents' page numbers are the body's, filled in by WeasyPrint's target-counter); the
parts are numbered alike in the contents and the headings (一、基本情况, 二、…),
Noto CJK fonts (Noto Serif CJK SC body, Noto Sans CJK SC headings) as the project's other PDFs.
"""

import os
import tempfile
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import SECTIONS, Dossier

# 《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》 (2015 revision as amended 2025): the
# articles a county or township deputy most needs, in plain words, for the handbook.
RIGHTS_AND_DUTIES = [
    (
        "第三条",
        "代表享有下列权利：出席本级人民代表大会会议，参加审议各项议案、报告和其他议题，发表意见；依法联名提出议案、质询案、罢免案等；提出对各方面工作的建议、批评和意见；参加本级人民代表大会的各项选举和表决；获得依法执行代表职务所需的信息和各项保障。",
    ),
    (
        "第四条",
        "代表应当履行下列义务：模范地遵守宪法和法律，保守国家秘密；按时出席本级人民代表大会会议，认真审议各项议案、报告和其他议题；积极参加统一组织的视察、专题调研、执法检查等履职活动；加强履职学习和调查研究，不断提高执行代表职务的能力；与原选区选民或者原选举单位和人民群众保持密切联系，听取和反映他们的意见和要求，努力为人民服务；自觉遵守社会公德，廉洁自律，公道正派，勤勉尽责。",
    ),
    (
        "第二十八条",
        "县级以上的地方各级人民代表大会代表，在本级或者下级人民代表大会常务委员会协助下，可以按照便于组织和开展活动的原则组成代表小组，参加统一组织的视察、调研等活动。",
    ),
    (
        "第二十三条至第二十六条",
        "代表在闭会期间参加视察、专题调研，可以约见本级或者下级有关国家机关负责人，对发现的问题提出建议、批评和意见。",
    ),
    (
        "第十八条、第二十二条",
        "代表向本级人民代表大会及其常务委员会提出的建议、批评和意见，由有关机关和组织研究处理并负责答复，答复期限一般为三个月，最长不超过六个月。",
    ),
    (
        "第四十五条",
        "县、乡两级人大代表应当采取多种方式经常听取、反映原选区选民的意见和要求，向原选区选民报告履职情况（述职），接受选民监督。",
    ),
    (
        "第四十六条至第四十九条",
        "选民或者选举单位有权依法罢免自己选出的代表；代表应当正确处理从事个人职业活动与执行代表职务的关系，不得利用执行代表职务干涉具体司法案件或者招标投标等经济活动牟取个人利益。",
    ),
]


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def committee_name() -> str:
    return getattr(settings, "RENDA_COMMITTEE_NAME", "") or "大方县人大常委会"


def cn_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99; the parts of a document)."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def dossier_pdf(dossier: Dossier) -> bytes:
    """The dossier as PDF bytes: cover, contents, profile, each section sorted by date, points."""
    parts = [("profile", "基本情况", None)]
    parts += [(key, title, len(entries)) for key, title, entries in dossier.sections]
    parts += [("stations", "进站履职", None), ("roles", "社会职务与聘任", None)]
    if dossier.points:
        parts.append(("points", "履职积分", None))
    # One numbering for the contents and the headings; anchors are "profile" and "s-<key>".
    headings = {key: f"{cn_ordinal(n)}、{title}" for n, (key, title, _count) in enumerate(parts, 1)}
    contents = [
        (key if key == "profile" else f"s-{key}", headings[key], count) for key, _title, count in parts
    ]
    return _pdf(
        "dossier/dossier_pdf.html",
        {
            "d": dossier,
            "committee": committee_name(),
            "printed_at": timezone.localtime(),
            "contents": contents,
            "sections": [(key, headings[key], entries) for key, _title, entries in dossier.sections],
            "headings": headings,
        },
    )


def handbook_pdf(*, deputy, mandate, stations, contacts, scheme: list | None) -> bytes:
    """The pocket handbook (履职手册), A5 to be folded: rights and duties (《代表法》), station and
    contacts, the year's points scheme in plain words when the points app has one (else omitted),
    and blank record sheets with the dossier's sections."""
    return _pdf(
        "dossier/handbook_pdf.html",
        {
            "deputy": deputy,
            "mandate": mandate,
            "stations": stations,
            "contacts": contacts,
            "scheme": scheme,
            "articles": RIGHTS_AND_DUTIES,
            "sheets": [(key, title) for key, title, _kinds in SECTIONS],
            "committee": committee_name(),
            "year": timezone.localdate().year,
        },
    )


def batch_zip(
    deputies, *, build, path: str, report=lambda done, total: None, total: int | None = None
) -> int:
    """Write one PDF per deputy into a zip at `path`, one at a time: each PDF is rendered, written into
    the archive and dropped before the next, so memory holds one PDF however many deputies there are.
    `build(deputy) -> bytes`; `report(done, total)` after each. Returns how many PDFs were written.
    PDFs are stored (already compressed); names are "<n> <name>.pdf" in the given order, each dated
    with the local time (settings.TIME_ZONE) it was written, as zip stores wall-clock time without a zone."""
    done = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for deputy in deputies:
            data = build(deputy)
            name = f"{done + 1:04d} {''.join(deputy.name.split())}.pdf"
            # A bare name would be dated 1980-01-01 (zipfile's default).
            entry = zipfile.ZipInfo(name, date_time=timezone.localtime(timezone.now()).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED
            with archive.open(entry, "w", force_zip64=True) as member:
                member.write(data)
            del data
            done += 1
            report(done, total)
    return done


def temp_path(suffix: str) -> str:
    handle, path = tempfile.mkstemp(suffix=suffix)
    os.close(handle)
    return path
