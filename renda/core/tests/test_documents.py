"""GB/T 9704-2012 letters (renda/core/documents.py): page, margins, fonts, language, page numbers,
content-sized table columns; one letter rendered to PDF by LibreOffice to look for overflow."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renda.core.documents import TEXT_WIDTH_MM, OfficialDocument, column_widths_mm

HEADER = ["编号", "标题", "领衔代表", "联名代表", "类别", "主办单位", "协办单位", "交办日期", "办理期限"]
ROW = [
    "第18届第3次会议第012号",
    "关于加快黄泥塘镇至九驿街道通村公路硬化及安保设施建设的建议",
    "王芳",
    "李明、张伟",
    "交通出行",
    "县交通运输局",
    "县住房和城乡建设局",
    "2026年3月12日",
    "2026年6月12日",
]


def _letter() -> bytes:
    doc = OfficialDocument(number="大人常代〔2026〕12号", title="大方县人大常委会代表建议交办函")
    doc.paragraph("县交通运输局：", indent=False)
    for _ in range(30):
        doc.paragraph(
            "现将王芳代表领衔提出的建议交由你单位主办。请认真研究办理，答复前与代表沟通，按期书面答复。"
        )
    doc.table(HEADER, [ROW])
    doc.signature("大方县人大常委会代表工作委员会", "2026年3月2日")
    return doc.to_bytes()


def test_page_is_a4_with_the_standard_margins():
    section = Document(io.BytesIO(_letter())).sections[0]
    # Stored in twentieths of a point: compare to a tenth of a millimetre.
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    assert round(section.top_margin.mm, 1) == 37 and round(section.bottom_margin.mm, 1) == 35
    assert round(section.left_margin.mm, 1) == 28 and round(section.right_margin.mm, 1) == 26


def test_fonts_sizes_and_language():
    document = Document(io.BytesIO(_letter()))
    paragraphs = [p for p in document.paragraphs if p.text]
    number, title, body = paragraphs[0], paragraphs[1], paragraphs[3]
    assert number.text == "大人常代〔2026〕12号"
    title_run = title.runs[0]
    assert title_run.font.size == Pt(22)
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_run = body.runs[0]
    assert body_run.font.size == Pt(16)
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"


def test_page_numbers_are_a_page_field_in_the_footer():
    footer = Document(io.BytesIO(_letter())).sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and "— " in footer.paragraphs[0].text


def test_table_columns_are_sized_for_their_content():
    table = Document(io.BytesIO(_letter())).tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - Mm(TEXT_WIDTH_MM).twips) < 20
    # The title is not squeezed to two characters a line: of the columns that may wrap it is the
    # widest (the two dates take their whole width, 2026年3月12日 on one line).
    title, category = widths[HEADER.index("标题")], widths[HEADER.index("类别")]
    assert title > 1.8 * category
    assert title == max(w for h, w in zip(HEADER, widths, strict=True) if h not in ("交办日期", "办理期限"))
    # Every column keeps at least two characters of 小四 a line (≈ 8.5 mm): headers wrap, never break.
    mm = column_widths_mm(HEADER, [ROW])
    assert min(mm) >= 9.9
    assert abs(sum(mm) - TEXT_WIDTH_MM) < 0.2


def test_dates_get_one_line_and_the_title_the_most_room_among_text_columns():
    """Nine columns in 156 mm: a date (2024年3月15日) cannot wrap, so its column is as wide as the
    date plus the cell margins the table declares; the spare room goes to the long text (the title)."""
    from renda.core.documents import CELL_MARGIN_MM, TABLE_EM_MM, text_width

    row = [*ROW[:7], "2024年3月15日", "2024年12月15日"]
    mm = column_widths_mm(HEADER, [row])
    for column in ("交办日期", "办理期限"):
        date = row[HEADER.index(column)]
        assert mm[HEADER.index(column)] >= text_width(date) * TABLE_EM_MM + 2 * CELL_MARGIN_MM, column
    title = mm[HEADER.index("标题")]
    assert all(title >= w for h, w in zip(HEADER, mm, strict=True) if h not in ("交办日期", "办理期限"))
    assert abs(sum(mm) - TEXT_WIDTH_MM) < 0.2
    # The table declares the cell margins the widths were computed with.
    table = Document(io.BytesIO(_letter())).tables[0]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    left = margins.find(qn("w:left"))
    assert abs(int(left.get(qn("w:w"))) - Mm(CELL_MARGIN_MM).twips) < 2


def _run(program: str, *args: str, timeout: int = 60) -> str:
    """Run a tool found on PATH (LibreOffice, poppler-utils) on files this test wrote."""
    path = shutil.which(program)
    assert path, f"{program} is not installed (make system-deps)"
    done = subprocess.run([path, *args], capture_output=True, text=True, check=True, timeout=timeout)  # noqa: S603
    return done.stdout


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (make system-deps)")
def test_letter_renders_to_pdf_without_overflow(tmp_path):
    source = tmp_path / "letter.docx"
    source.write_bytes(_letter())
    _run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source), timeout=180)
    pdf = tmp_path / "letter.pdf"
    assert pdf.exists()
    info = _run("pdfinfo", str(pdf))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "A4" in size
    assert 1 <= pages <= 4
    text = _run("pdftotext", "-layout", str(pdf), "-")
    # Every cell's text made it onto the page (nothing cut off at the right edge).
    flat = "".join(text.split())
    assert "代表建议交办函" in flat and "大人常代〔2026〕12号" in flat
    # Cells wrap inside their columns, so their lines interleave in the layout; read in drawing
    # order (-raw: cell by cell), every cell's text is there whole.
    drawn = "".join(_run("pdftotext", "-raw", str(pdf), "-").split())
    for cell in ROW:
        assert cell in drawn, cell
    # A date is never broken across lines of its cell.
    lines = ["".join(line.split()) for line in text.splitlines()]
    for date in ("2026年3月12日", "2026年6月12日"):
        assert any(date in line for line in lines if "日期" not in line), date
    # Text stays inside the page: pdftotext's bounding boxes stop before the right margin.
    boxes = _run("pdftotext", "-bbox", str(pdf), "-")
    import re

    right_edges = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert right_edges and max(right_edges) <= 595 - Mm(26).pt + 2
