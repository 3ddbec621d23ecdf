"""The summary report of a draft's consultation as a Word document (.docx), grouped by article."""

from docx.oxml.ns import qn

from renda.core.documents import OfficialDocument
from renda.core.text import docx_text

from .models import DraftOpinion
from .selectors import DraftSummary


def _cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def report_filename(summary: DraftSummary) -> str:
    return f"{summary.draft.title}征求意见汇总.docx"


def draft_report_docx(summary: DraftSummary) -> bytes:
    """The summary as a GB/T 9704 report (renda/core/documents.py)."""
    draft = summary.draft
    document = OfficialDocument(title=f"关于《{draft.title}》征求意见情况的汇总报告")
    document.add_paragraph(
        f"征求意见机关：{draft.issuing_body}；征求意见期间：{_cn_date(draft.opens_on)}至{_cn_date(draft.closes_on)}。"
    )
    articles_with = sum(1 for g in summary.groups if g.article is not None)
    general = next((g.count for g in summary.groups if g.article is None), 0)
    document.add_paragraph(
        f"共收到意见{summary.total}条，涉及条文{articles_with}条，总体意见{general}条；"
        f"经反馈，已采纳{summary.adopted}条。"
    )

    document.add_heading("一、各站点意见情况", level=1)
    rows = [
        [row["station"].name, row["station"].get_kind_display(), row["total"], row["adopted"]]
        for row in summary.stations
    ]
    document.table(
        ["站点", "类型", "意见数", "采纳数"], [*rows, ["合计", "", summary.total, summary.adopted]]
    )

    document.add_heading("二、意见人构成", level=1)
    document.add_paragraph("；".join(f"{k['kind']}{k['total']}条" for k in summary.kinds) + "。")

    document.add_heading("三、按条文汇总的意见", level=1)
    if not summary.groups:
        document.add_paragraph("未收到意见。")
    for group in summary.groups:
        document.add_heading(f"{group.title}（{group.count}条意见，采纳{group.adopted}条）", level=2)
        if group.article is not None:
            quoted = document.add_paragraph(f"条文：{group.article.text}")
            quoted.runs[0].font.name = "楷体_GB2312"
            quoted.runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "楷体_GB2312")
        for number, opinion in enumerate(group.opinions, start=1):
            who = "·".join(
                filter(
                    None,
                    [opinion.station.name, opinion.get_contributor_kind_display(), opinion.contributor_name],
                )
            )
            paragraph = document.add_paragraph(f"{number}. 【{who}】{opinion.content}")
            if opinion.adoption != DraftOpinion.Adoption.PENDING:
                note = f"：{opinion.adoption_note}" if opinion.adoption_note else ""
                paragraph.add_run(docx_text(f"（{opinion.get_adoption_display()}{note}）")).bold = True
    if summary.articles_without_opinions:
        document.add_paragraph(f"其余{summary.articles_without_opinions}条条文未收到意见。")

    return document.to_bytes()
