"""The monthly summary of the work plan as .docx, in the office's layout (GB/T 9704-2012 in spirit):
A4, margins 37/35/28/26 mm, title in 方正小标宋简体 二号 (22 pt) centred, headings in 黑体 三号, body
in 仿宋_GB2312 三号 (16 pt) with 28.9 pt line spacing (22 lines a page), page number in the footer.
The fonts are named, not embedded: Word on the office's machines has them; elsewhere a fallback shows.
"""

import calendar
import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renda.core.text import docx_text  # stored notes may hold controls XML cannot carry

from . import selectors
from .models import WorkPlan

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28.9)
    normal.paragraph_format.space_after = Pt(0)
    _page_number(section)
    return document


def _page_number(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("— ")
    _font(run, "宋体", 14)
    field = paragraph.add_run()
    _font(field, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        field._element.append(element)
    _font(paragraph.add_run(" —"), "宋体", 14)


def _paragraph(
    document, text: str, *, font: str = BODY_FONT, size: float = 16, bold=False, indent=True, center=False
):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(docx_text(text)), font, size, bold)
    return paragraph


def _cn_number(number: int) -> str:
    return "一二三四五六七八九十"[number - 1] if 1 <= number <= 10 else str(number)


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def monthly_summary_docx(*, user, plan: WorkPlan, year: int, month: int) -> bytes:
    """Where every item stands at the end of `month`: figures, then by chapter each item with its lead
    body, due date, percent (the lead body's last report by then) and the month's progress notes,
    then the late items. Reads only what `user` may see."""
    last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
    chapters = selectors.plan_chapters(user=user, plan=plan)
    percents = selectors.percent_as_of(plan=plan, day=last_day)
    reports = selectors.month_reports(plan=plan, year=year, month=month)
    items = [item for chapter in chapters for item in chapter.shown]
    done = sum(percents.get(i.pk, 0) >= 100 for i in items)
    late = [i for i in items if percents.get(i.pk, 0) < 100 and i.due_on <= last_day]

    document = _document()
    _paragraph(document, f"{plan.title}落实情况", font=TITLE_FONT, size=22, center=True)
    _paragraph(document, f"（{year}年{month}月）", font="楷体_GB2312", size=16, center=True)
    _paragraph(document, "")
    _paragraph(
        document,
        f"截至{_cn_date(last_day)}，{plan.title}共{len(items)}项工作，已完成{done}项，"
        f"本月报告进展{len(reports)}项，逾期未完成{len(late)}项。现将落实情况报告如下：",
    )
    for chapter in chapters:
        if not chapter.shown:
            continue
        _paragraph(
            document,
            f"{_cn_number(chapter.number)}、{chapter.title}",
            font=HEADING_FONT,
        )
        for item in chapter.shown:
            percent = percents.get(item.pk, 0)
            co = "、".join(b.name for b in item.co_bodies.all())
            lead = item.lead_body.name if item.lead_body else "未明确"
            head = f"{item.number}．{item.text}"
            _paragraph(document, head)
            status = f"牵头单位：{lead}" + (f"；配合单位：{co}" if co else "")
            status += f"；完成时限：{item.due_label}；完成进度：{percent}%"
            if item in late:
                status += "（逾期）"
            _paragraph(document, status, font="楷体_GB2312")
            for report in reports.get(item.pk, []):
                who = report.organization.name if report.organization else ""
                _paragraph(
                    document, f"{report.reported_on.month}月{report.reported_on.day}日{who}：{report.note}"
                )
    if late:
        _paragraph(document, "逾期未完成事项", font=HEADING_FONT)
        for item in late:
            lead = item.lead_body.name if item.lead_body else "未明确"
            _paragraph(
                document,
                f"{item.number}．{item.text[:40]}（{lead}，{item.due_label}，{percents.get(item.pk, 0)}%）",
            )
    _paragraph(document, "")
    signer = _paragraph(document, plan.organization.name + "办公室", indent=False)
    signer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = _paragraph(document, _cn_date(last_day), indent=False)
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
