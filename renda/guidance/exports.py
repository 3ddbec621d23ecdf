"""The guidance board as an .xlsx: one row per township, one column per item, each cell its status
in words and a symbol (the printout is read in black and white), colours as a help only."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from renda.core.spreadsheets import safe_cell, safe_row

from .selectors import CELL_LOOKS, Board

FILLS = {
    "done": "C6EFCE",
    "na": "EDEDED",
    "reported": "DDEBF7",
    "progress": "FFF2CC",
    "returned": "FCE4D6",
    "open": "FFFFFF",
    "overdue": "F8CBAD",
}


def board_xlsx(board: Board) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("工作指导看板")
    title = board.guidance_list.title + (f"（{board.group.name}）" if board.group else "")
    sheet.append([safe_cell(title, sheet)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("截至%(d)s")
            % {"d": board.as_of.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")}
        ]
    )
    header = [_("乡镇（街道）"), _("完成率"), _("逾期")]
    header += [f"{item.number}. {item.title}（{item.due_on:%m-%d}）" for item in board.items]
    sheet.append(safe_row(header, sheet))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in board.rows:
        values = [row.township.name, f"{row.rate}%" if row.rate is not None else "—", row.overdue]
        for cell in row.cells:
            if cell is None:
                values.append("")
            else:
                _css, symbol, label = CELL_LOOKS[cell.status]
                values.append(f"{symbol} {label}")
        sheet.append(safe_row(values, sheet))
        for column, cell in enumerate(row.cells, start=4):
            if cell is not None:
                fill = FILLS[CELL_LOOKS[cell.status][0]]
                sheet.cell(row=sheet.max_row, column=column).fill = PatternFill("solid", fgColor=fill)
    sheet.append(
        safe_row(
            [_("合计"), f"{board.rate}%" if board.rate is not None else "—", board.overdue]
            + [f"{board.item_done[item.pk]}" for item in board.items],
            sheet,
        )
    )
    sheet.append([])
    sheet.append([_("图例：") + "；".join(f"{symbol} {label}" for _c, symbol, label in CELL_LOOKS.values())])
    sheet.append([_("完成率 = 审核通过的“已完成”事项 ÷（适用事项 − 审核通过的“不适用”事项）")])
    sheet.column_dimensions["A"].width = 16
    for column in range(4, 4 + len(board.items)):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
