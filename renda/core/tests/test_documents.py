"""GB/T 9704-2012 letters (renda/core/documents.py): page, margins, fonts, language, page numbers,
content-sized table columns; one letter rendered to PDF by LibreOffice to look for overflow."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import given
from hypothesis import strategies as st

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


def test_a_date_column_is_as_wide_as_its_date_and_no_wider():
    """A date column is the date as drawn and the cell margins: about 1,900 twips, not 2,000 and more.
    Table cells switch off Word's extra space between Chinese and digits (autoSpaceDE/DN)."""
    from renda.core.documents import AUTOSPACE_EM, CELL_MARGIN_MM, TABLE_EM_MM, text_width

    mm = column_widths_mm(HEADER, [ROW])
    for column in ("交办日期", "办理期限"):
        date = ROW[HEADER.index(column)]
        drawn = text_width(date) + 5 * AUTOSPACE_EM  # as LibreOffice draws it (see AUTOSPACE_EM)
        assert mm[HEADER.index(column)] <= drawn * TABLE_EM_MM * 1.02 + 2 * CELL_MARGIN_MM + 0.6
        assert Mm(mm[HEADER.index(column)]).twips < 1950
    table = Document(io.BytesIO(_letter())).tables[0]
    for cell in table.rows[1].cells:
        ppr = cell.paragraphs[0]._p.pPr
        assert ppr.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
        assert ppr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"


def test_short_columns_get_one_line_where_the_page_allows():
    """编号, unit names and dates on one line, the title taking the rest."""
    from renda.core.documents import TABLE_EM_MM, text_width

    header = ["编号", "标题", "主办单位", "协办单位", "交办日期"]
    row = ["第001号", ROW[1], "县交通运输局", "县住房和城乡建设局", "2026年3月12日"]
    mm = column_widths_mm(header, [row])
    for index in (0, 2, 3, 4):
        assert mm[index] >= text_width(row[index]) * TABLE_EM_MM, header[index]
    assert mm[1] >= 8 * TABLE_EM_MM and abs(sum(mm) - TEXT_WIDTH_MM) < 0.2  # the rest: 8 characters or more
    # A labelled table (label | value): the labels as wide as the longest, the values the rest.
    pairs = [[h, v] for h, v in zip(header, row, strict=True)]
    label, value = column_widths_mm(["", ""], pairs)
    assert label < 25 and value > 130


CELL = st.one_of(
    st.text(alphabet="县住房和城乡建设局交通运输关于修复公路的建议王芳李明、", min_size=0, max_size=40),
    st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.integers(0, 10**6).map(str),
)


@given(
    st.integers(1, 11).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.sampled_from(["编号", "标题", "主办单位", "交办日期", "A类", "满意率"]),
                min_size=n,
                max_size=n,
            ),
            st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=4),
        )
    )
)
def test_widths_fill_the_text_width_and_keep_every_floor(table):
    """Any table: the widths sum to the text width; when the floors fit (two characters a line, each
    date or number whole), every column gets at least its floor."""
    from renda.core.documents import CELL_MARGIN_MM, TABLE_EM_MM, _unbroken, text_width

    header, rows = table
    mm = column_widths_mm(header, rows)
    assert abs(sum(mm) - TEXT_WIDTH_MM) < 0.2 and min(mm) > 0
    pad = 2 * CELL_MARGIN_MM + 0.5
    floors = [
        max(2.0, -(-text_width(h) // 2), *(_unbroken(r[i]) for r in rows)) * TABLE_EM_MM + pad
        for i, h in enumerate(header)
    ]
    if sum(floors) <= TEXT_WIDTH_MM - 0.2 * len(header):
        assert all(w >= f - 0.15 for w, f in zip(mm, floors, strict=True)), repr((header, rows, mm, floors))
