"""Word letters in the party and government official document format (GB/T 9704-2012).

One helper for every .docx the offices send out (交办函, 答复函, yearly reports, consultation
summaries), so that all of them share the standard's page and type:

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (GB/T 9704 §5.2.1:
  版心 156 × 225 mm, top white 37 ± 1 mm, left 28 ± 1 mm);
- body 3号仿宋 (16 pt, "仿宋_GB2312"), headings 3号黑体 / 楷体, title 2号小标宋 (22 pt,
  "方正小标宋简体"), lines at a fixed 28.95 pt (22 lines a page, §5.2.2);
- 文号 (issuing number, e.g. 大人常〔2026〕12号) centred above the title (§7.2.4);
- page numbers "— 1 —" in 4号 半角宋体 at the foot (§7.5);
- language zh-CN for the East Asian text (w:lang w:eastAsia), so spelling and line breaking follow
  Chinese rules;
- tables whose columns are as wide as their content asks (a column of 30-character titles gets more
  room than one of dates), fixed layout, within the 156 mm text width.

Fonts are named, not embedded: a machine without 仿宋_GB2312 substitutes its nearest CJK font.
"""

import io
import math
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .text import docx_text  # stored text may hold what XML cannot: escaped, never fatal

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四, usual for tables inside a letter
LINE_PITCH = Pt(28.95)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _set_fonts(element_rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    fonts = element_rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_language(element_rpr) -> None:
    lang = element_rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        element_rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style_run(run, *, font: str, size, bold: bool = False) -> None:
    run.font.size = size
    run.font.bold = bold
    _set_fonts(run._element.get_or_add_rPr(), font)


def text_width(text: str) -> float:
    """Width of text in em: a CJK or full-width character is 1, an ASCII one ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in str(text))


TABLE_EM_MM = SIZE_TABLE.mm  # one 小四 character, about 4.23 mm
# Left and right cell margins the table declares (tblCellMar); Word's default is 1.9 mm a side.
CELL_MARGIN_MM = 0.8
# A date or a run of digits and Latin letters is not broken across lines: it needs its whole width.
_UNBREAKABLE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|[0-9A-Za-z.\-/:]+")
# Between Chinese and Latin or digits, Word adds about a quarter character (autoSpaceDE/DN) and
# LibreOffice a fifth (2.4 pt at 小四, measured in its PDF). Table cells switch Word's off; LibreOffice
# keeps its own, so a date is its glyphs (2024年3月15日: 6½ characters) and a fifth per change of
# script (5): about 1,900 twips with the cell margins, no more.
AUTOSPACE_EM = 0.2
UNBROKEN_SAFETY = 1.01
# A column whose longest cell is up to this many characters (a unit's name, a number, a date) is
# "short": it gets one line per cell where the page allows; longer text wraps and takes the rest.
SHORT_EM = 12.0
# A wrapping column keeps at least this many characters a line before short columns get one line.
WRAP_RESERVE_EM = 8.0


def _unbroken(text: str) -> float:
    """Width in em of the longest piece of `text` that must stay on one line: a date with the spaces
    between its digits and characters, a number inside Chinese text with the spaces beside it."""
    text = str(text)
    widest = 0.0
    for match in _UNBREAKABLE.finditer(text):
        piece = match.group(0)
        if "年" in piece:
            width = text_width(piece) + AUTOSPACE_EM * len(re.findall(r"\d(?=\D)|\D(?=\d)", piece))
        elif piece != text:
            width = text_width(piece) + 2 * AUTOSPACE_EM
        else:
            width = text_width(piece)
        widest = max(widest, width)
    return widest * UNBROKEN_SAFETY


def column_widths_mm(header: list[str], rows: list[list], total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Share `total_mm` between columns by the content actually present in each.

    Every column first gets its floor: two characters a line (a four-character header wraps onto two
    lines, as printed tables do) and its longest date or number whole (2024年3月15日 on one line).
    A wrapping column (longest cell over SHORT_EM characters: titles, lists of names) is promised
    WRAP_RESERVE_EM characters a line. Then short columns (unit names, 编号, categories) get one line
    per cell, cheapest first, as far as the page allows; what is left goes to the wrapping columns,
    the widest wish first (the title takes the rest). Returns millimetres per column, cell margins
    included, summing to `total_mm`.
    """
    count = len(header)
    pad = 2 * CELL_MARGIN_MM + 0.5  # the margins, and a little for the font's side bearings
    room = (total_mm - pad * count) / TABLE_EM_MM  # characters of 小四 across the table
    floors, fulls = [], []
    for index, head in enumerate(header):
        cells = [row[index] for row in rows if index < len(row)]
        unbroken = max([_unbroken(cell) for cell in cells] or [0])
        floor = max(2.0, math.ceil(text_width(head) / 2), unbroken)
        floors.append(floor)
        fulls.append(max(floor, max([text_width(cell) for cell in cells] or [0]) * UNBROKEN_SAFETY))
    wrapping = [i for i in range(count) if fulls[i] > SHORT_EM]
    if not wrapping:
        wrapping = [max(range(count), key=lambda i: fulls[i])]
    if sum(fulls) <= room:
        # Everything fits on one line: the spare room goes to the wrapping (else the widest) columns.
        widths = list(fulls)
        spare, share = room - sum(fulls), sum(fulls[i] for i in wrapping)
        for i in wrapping:
            widths[i] += spare * fulls[i] / share
    elif sum(floors) >= room:
        widths = [floor * room / sum(floors) for floor in floors]
    else:
        widths = list(floors)
        for i in wrapping:
            widths[i] = max(floors[i], min(fulls[i], WRAP_RESERVE_EM))
        if sum(widths) > room:  # not even the reserve: the wrapping columns share what is left
            spare = room - sum(floors)
            grow = sum(widths[i] - floors[i] for i in wrapping)
            for i in wrapping:
                widths[i] = floors[i] + (widths[i] - floors[i]) * spare / grow
        else:
            short = sorted((i for i in range(count) if i not in wrapping), key=lambda i: fulls[i] - floors[i])
            for i in short:
                if sum(widths) + fulls[i] - widths[i] <= room:
                    widths[i] = fulls[i]
            # The rest to the wrapping columns: the one that would like the most more first, until it
            # is down to the next one's wish, and so on (a level found by halving).
            spare = room - sum(widths)
            extra = {i: fulls[i] - widths[i] for i in wrapping}
            if sum(extra.values()) <= spare:
                for i in wrapping:
                    widths[i] = fulls[i]
            else:
                low, high = 0.0, max(extra.values())
                for _step in range(60):
                    level = (low + high) / 2
                    if sum(max(0.0, e - level) for e in extra.values()) > spare:
                        low = level
                    else:
                        high = level
                for i in wrapping:
                    widths[i] += max(0.0, extra[i] - high)
            leftover = room - sum(widths)
            if leftover > 1e-9:  # short columns that did not fit whole share what no one else can use
                open_ = [i for i in range(count) if widths[i] < fulls[i]] or wrapping
                for i in open_:
                    widths[i] += leftover / len(open_)
    # Tenths of a millimetre, rounded down; the widest wrapping column takes the remainder.
    widths = [math.floor((w * TABLE_EM_MM + pad) * 10) / 10 for w in widths]
    widest = max(wrapping, key=lambda i: widths[i])
    widths[widest] = round(total_mm - sum(widths) + widths[widest], 1)
    return widths


def _no_autospace(paragraph) -> None:
    """No extra space between Chinese and Latin or digits in this paragraph (see AUTOSPACE_EM)."""
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        ppr.insert_element_before(element, *_AFTER_AUTOSPACE)


# What follows autoSpaceDN in a paragraph's properties (ECMA-376 CT_PPrBase), for a valid order.
_AFTER_AUTOSPACE = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


class OfficialDocument:
    """A GB/T 9704 letter or report being written. Methods add its parts in reading order:

    doc = OfficialDocument(number="大人常函〔2026〕12号", title="…交办函")
    doc.paragraph("县交通运输局：", indent=False)
    doc.paragraph("现将……")
    doc.table(["编号", "标题"], [["012", "关于……"]])
    doc.signature("大方县人大常委会代表工作委员会", "2026年3月2日")
    data = doc.to_bytes()
    """

    def __init__(self, *, title: str = "", number: str = ""):
        self.document = Document()
        self._page()
        self._styles()
        self._page_numbers()
        if title:
            self.title(title, number=number)

    def title(self, title: str, *, number: str = "") -> None:
        """The 文号 (if any) and the title, at the head of the document."""
        if number:
            paragraph = self.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _style_run(paragraph.add_run(docx_text(number)), font=BODY_FONT, size=SIZE_3)
            # One blank line between 文号 and title (§7.3.1).
            self.document.add_paragraph()
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        paragraph.paragraph_format.line_spacing = Pt(34)
        _style_run(paragraph.add_run(docx_text(title)), font=TITLE_FONT, size=SIZE_2)
        self.document.add_paragraph()

    # --- page, styles, footer ---

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(28)  # page number about 7 mm below the text block (§7.5)

    def _styles(self) -> None:
        styles = self.document.styles
        # Document defaults carry the language, so every run inherits zh-CN.
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_language(rpr)
        _set_fonts(rpr, BODY_FONT)
        normal = styles["Normal"]
        normal.font.size = SIZE_3
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        _set_language(normal.element.get_or_add_rPr())
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
            style = styles[name]
            style.font.size, style.font.bold, style.font.italic = SIZE_3, False, False
            style.font.color.rgb = None
            _set_fonts(style.element.get_or_add_rPr(), font)
            heading = style.paragraph_format
            heading.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            heading.line_spacing = LINE_PITCH
            heading.space_before = heading.space_after = Pt(0)
            heading.keep_with_next = True

    def _page_numbers(self) -> None:
        footer = self.document.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style_run(paragraph.add_run("— "), font=PAGE_NUMBER_FONT, size=SIZE_4)
        run = paragraph.add_run()
        _style_run(run, font=PAGE_NUMBER_FONT, size=SIZE_4)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
        _style_run(paragraph.add_run(" —"), font=PAGE_NUMBER_FONT, size=SIZE_4)

    # --- content ---

    def paragraph(self, text: str = "", *, indent: bool = True, align: str = "justify", bold: bool = False):
        """A body paragraph: 三号仿宋, first line indented two characters (unless `indent=False`)."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two 三号 characters
        if text:
            _style_run(paragraph.add_run(docx_text(text)), font=BODY_FONT, size=SIZE_3, bold=bold)
        return paragraph

    def heading(self, text: str, level: int = 1):
        """一、 (黑体) at level 1, （一） (楷体) at level 2; both 三号 and indented like the body (§7.3.3).
        Word's Heading 1/2 styles, restyled, so that the navigation pane shows the structure."""
        paragraph = self.document.add_paragraph(style="Heading 1" if level == 1 else "Heading 2")
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _style_run(
            paragraph.add_run(docx_text(text)),
            font=HEADING_FONT if level == 1 else SUBHEADING_FONT,
            size=SIZE_3,
        )
        return paragraph

    def table(
        self,
        header: list[str],
        rows: list[list],
        *,
        widths_mm: list[float] | None = None,
        header_row: bool = True,
        bold_first_column: bool = False,
    ):
        """A bordered table in 小四 仿宋, columns sized for their content (`column_widths_mm`).
        Without `header_row` the header only names the columns for sizing (a table of labelled
        fields: labels in the first column, `bold_first_column`)."""
        rows = [["" if value is None else str(value) for value in row] for row in rows]
        widths = widths_mm or column_widths_mm(header if header_row else ["" for _ in header], rows)
        table = self.document.add_table(rows=1 if header_row else 0, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        # The cell margins column_widths_mm counted with, declared rather than left to the style.
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(int(Mm(CELL_MARGIN_MM).twips) if side in ("left", "right") else 0))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.append(margins)
        for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            grid_col.set(qn("w:w"), str(int(Mm(width).twips)))
        lines = [(header, True)] if header_row else []
        for values, is_header in (*lines, *((row, False) for row in rows)):
            cells = table.rows[0].cells if is_header else table.add_row().cells
            for column, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
                cell.width = Mm(width)
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                paragraph.paragraph_format.first_line_indent = Pt(0)
                _no_autospace(paragraph)
                if is_header:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                bold = is_header or (bold_first_column and column == 0)
                _style_run(paragraph.add_run(docx_text(value)), font=BODY_FONT, size=SIZE_TABLE, bold=bold)
        return table

    def signature(self, issuer: str, date_text: str) -> None:
        """Issuer and date at the right, the date 4 characters from the right edge (§7.3.5.2)."""
        self.document.add_paragraph()
        for text, right_indent in ((issuer, 0), (date_text, 64)):
            paragraph = self.paragraph(text, indent=False, align="right")
            paragraph.paragraph_format.right_indent = Pt(right_indent)

    # python-docx's names, so that code written against a plain Document keeps working.
    def add_paragraph(self, text: str = ""):
        return self.paragraph(text)

    def add_heading(self, text: str, level: int = 1):
        return self.heading(text, level=1 if level <= 1 else 2)

    def page_estimate(self) -> int:
        """A rough page count (22 lines of 28 characters), for sanity checks."""
        lines = 0
        for paragraph in self.document.paragraphs:
            lines += max(1, math.ceil(text_width(paragraph.text) / 28))
        return max(1, math.ceil(lines / 22))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
