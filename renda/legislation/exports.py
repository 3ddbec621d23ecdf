"""The summary report of a draft's consultation as a Word document (.docx), grouped by article."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from renda.core.text import docx_text

from .models import DraftOpinion
from .selectors import DraftSummary

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def _cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _font(style, name: str, size: int | None = None, bold: bool | None = None) -> None:
    style.font.name = name
    # Word takes Chinese glyphs from the East Asian font slot, which python-docx does not set itself.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _paragraph(document, text: str = ""):
    """Stored text (a resident's pasted comment) may hold what XML cannot: the output policy escapes it."""
    return document.add_paragraph(docx_text(text))


def _heading(document, text: str, level: int):
    return document.add_heading(docx_text(text), level=level)


def report_filename(summary: DraftSummary) -> str:
    return f"{summary.draft.title}征求意见汇总.docx"


def draft_report_docx(summary: DraftSummary) -> bytes:
    draft = summary.draft
    document = Document()
    _font(document.styles["Normal"], BODY_FONT, 12)
    for name in ("Title", "Heading 1", "Heading 2"):
        _font(document.styles[name], HEADING_FONT, bold=True)

    title = _heading(document, f"关于《{draft.title}》征求意见情况的汇总报告", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(
        document,
        f"征求意见机关：{draft.issuing_body}；征求意见期间：{_cn_date(draft.opens_on)}至{_cn_date(draft.closes_on)}。",
    )
    articles_with = sum(1 for g in summary.groups if g.article is not None)
    general = next((g.count for g in summary.groups if g.article is None), 0)
    _paragraph(
        document,
        f"共收到意见{summary.total}条，涉及条文{articles_with}条，总体意见{general}条；"
        f"经反馈，已采纳{summary.adopted}条。",
    )

    _heading(document, "一、各站点意见情况", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["站点", "类型", "意见数", "采纳数"], strict=True):
        cell.text = text
    for row in summary.stations:
        cells = table.add_row().cells
        cells[0].text = docx_text(row["station"].name)
        cells[1].text = docx_text(row["station"].get_kind_display())
        cells[2].text = docx_text(str(row["total"]))
        cells[3].text = docx_text(str(row["adopted"]))
    cells = table.add_row().cells
    cells[0].text, cells[1].text = "合计", ""
    cells[2].text, cells[3].text = str(summary.total), str(summary.adopted)

    _heading(document, "二、意见人构成", level=1)
    _paragraph(document, "；".join(f"{k['kind']}{k['total']}条" for k in summary.kinds) + "。")

    _heading(document, "三、按条文汇总的意见", level=1)
    if not summary.groups:
        _paragraph(document, "未收到意见。")
    for group in summary.groups:
        _heading(document, f"{group.title}（{group.count}条意见，采纳{group.adopted}条）", level=2)
        if group.article is not None:
            quoted = _paragraph(document, f"条文：{group.article.text}")
            quoted.runs[0].italic = True
        for number, opinion in enumerate(group.opinions, start=1):
            who = "·".join(
                filter(
                    None,
                    [opinion.station.name, opinion.get_contributor_kind_display(), opinion.contributor_name],
                )
            )
            paragraph = _paragraph(document, f"{number}. 【{who}】{opinion.content}")
            if opinion.adoption != DraftOpinion.Adoption.PENDING:
                note = f"：{opinion.adoption_note}" if opinion.adoption_note else ""
                paragraph.add_run(docx_text(f"（{opinion.get_adoption_display()}{note}）")).bold = True
    if summary.articles_without_opinions:
        _paragraph(document, f"其余{summary.articles_without_opinions}条条文未收到意见。")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
