"""The roster as .xlsx in the official column order and stroke order, written in the background."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from renda.audit.services import audit_record
from renda.core.access import has_permission
from renda.core.spreadsheets import safe_cell, safe_row
from renda.jobs.services import job_run, job_succeed

from .imports import OFFICIAL_COLUMNS
from .models import Congress, Deputy

FILTER_KEYS = (
    "q",
    "id_number_index",
    "phone_index",
    "level",
    "congress",
    "township",
    "constituency",
    "station",
    "sector",
    "status",
    "order",
)
_WIDTHS = {
    "serial": 6,
    "name": 10,
    "gender": 6,
    "ethnicity": 8,
    "birth_month": 10,
    "native_place": 12,
    "political_affiliation": 12,
    "education": 10,
    "workplace": 36,
    "sector": 10,
    "constituency": 14,
    "delegation": 14,
    "township": 14,
    "id_number": 22,
    "phone": 15,
}


# After the official columns: the mandate the roster page shows for the sheet's congress.
MANDATE_COLUMNS = [("congress", _l("届次")), ("mandate_status", _l("代表资格"))]
EXPORT_COLUMNS = [*OFFICIAL_COLUMNS, *MANDATE_COLUMNS]
_WIDTHS.update({"congress": 16, "mandate_status": 10})
# Excel refuses these in a sheet's name, and names longer than 31 characters.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "－"))


def _sheet_name(text: str) -> str:
    return (text.translate(_SHEET_FORBIDDEN) or _("代表名册"))[:31]


def roster_title(filters: dict) -> str:
    congress = (
        Congress.objects.filter(pk=filters.get("congress")).first() if filters.get("congress") else None
    )
    return f"{congress.name}代表名册" if congress else _("代表名册")


def roster_sheets(deputies, filters: dict) -> list[tuple]:
    """[(title, sheet name, congress id, deputies)]: the one congress filtered on, or one sheet per
    congress the exported deputies hold a mandate in (matching the level and status filters), in
    the congresses' order; a single congress states itself in the title either way."""
    from django.db.models import Exists, OuterRef

    from .models import Mandate

    if filters.get("congress"):
        return [(roster_title(filters), _("代表名册"), filters["congress"], deputies)]
    held = Mandate.objects.filter(deputy__in=deputies.order_by().values("pk"))
    if filters.get("level"):
        held = held.filter(congress__level=filters["level"])
    if filters.get("status"):
        held = held.filter(status=filters["status"])
    congresses = list(Congress.objects.filter(pk__in=held.values("congress_id")))
    if not congresses:
        return [(_("代表名册"), _("代表名册"), None, deputies)]
    sheets = []
    for congress in congresses:
        mandates = Mandate.objects.filter(deputy=OuterRef("pk"), congress=congress)
        if filters.get("status"):
            mandates = mandates.filter(status=filters["status"])
        sheets.append(
            (f"{congress.name}代表名册", congress.short_name, congress.pk, deputies.filter(Exists(mandates)))
        )
    return sheets


def _mandate_for(deputy: Deputy, congress_id):
    mandates = list(deputy.mandates.all())  # prefetched
    if congress_id:
        return next((m for m in mandates if str(m.congress_id) == str(congress_id)), None)
    return next((m for m in mandates if m.status == "serving"), mandates[0] if mandates else None)


def write_roster_xlsx(
    deputies, *, title: str, reveal: bool, congress_id=None, report=None, total: int = 0
) -> bytes:
    """One sheet: the roster of `deputies` under `title`, each row with its mandate in `congress_id`."""
    return write_roster_workbook(
        [(title, _("代表名册"), congress_id, deputies)], reveal=reveal, report=report, total=total
    )


def write_roster_workbook(sheets, *, reveal: bool, report=None, total: int = 0) -> bytes:
    """An .xlsx with one sheet per (title, sheet name, congress id, deputies): title row, 按姓氏笔画
    为序, the official columns then 届次 and 代表资格 of that congress's mandate. `total` is the number
    of rows over all sheets, for the progress `report(percent, message)`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    written = 0
    for title, name, congress_id, deputies in sheets:
        sheet = workbook.create_sheet(_sheet_name(name))
        written = _write_sheet(
            sheet, deputies, title=title, reveal=reveal, congress_id=congress_id,
            report=report, total=total, written=written,
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, deputies, *, title, reveal, congress_id, report, total, written) -> int:
    width = len(EXPORT_COLUMNS)
    sheet.append([safe_cell(title, sheet)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([_("（按姓氏笔画为序）")])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append([str(label) for _f, label in EXPORT_COLUMNS])
    thin = Side(style="thin")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for index, (field, _label) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = _WIDTHS.get(field, 12)
    sheet.freeze_panes = "A4"
    for number, deputy in enumerate(deputies, start=1):
        mandate = _mandate_for(deputy, congress_id)
        values = {
            "serial": number,
            "name": deputy.name,
            "gender": deputy.get_gender_display(),
            "ethnicity": deputy.ethnicity,
            "birth_month": deputy.birth_month_display,
            "native_place": deputy.native_place,
            "political_affiliation": deputy.get_political_affiliation_display(),
            "education": deputy.get_education_display(),
            "workplace": deputy.workplace,
            "sector": deputy.get_sector_display(),
            "constituency": mandate.constituency.name if mandate and mandate.constituency else "",
            "delegation": mandate.delegation if mandate else "",
            "township": deputy.region.name,
            "id_number": deputy.id_number if reveal else deputy.id_number_masked,
            "phone": deputy.phone if reveal else deputy.phone_masked,
            "congress": mandate.congress.short_name if mandate else "",
            "mandate_status": mandate.get_status_display() if mandate else "",
        }
        sheet.append(safe_row([values[f] for f, _label in EXPORT_COLUMNS], sheet))
        row = sheet.max_row
        for column in ("id_number", "phone", "birth_month"):
            # Text cells: Excel would round an 18-digit number and drop the 0 of 1975.10.
            sheet.cell(
                row=row, column=[f for f, _l in OFFICIAL_COLUMNS].index(column) + 1
            ).number_format = "@"
        written += 1
        if report and written % 200 == 0:
            report(
                min(95, 5 + int(90 * written / max(total, 1))),
                _("已写入 %(n)d/%(t)d 行") % {"n": written, "t": total},
            )
    return written


def roster_export_run(job_id: str) -> None:
    from .selectors import deputy_list

    def work(job, report):
        filters = {k: v for k, v in job.params.items() if k in FILTER_KEYS}
        deputies = deputy_list(user=job.owner, **filters)
        total = deputies.count()
        reveal = has_permission(job.owner, "personal_data.reveal")
        report(2, _("共 %(n)d 人，正在导出") % {"n": total})
        sheets = roster_sheets(deputies, filters)
        rows = total if len(sheets) == 1 else sum(d.count() for _t, _n, _c, d in sheets)
        title = (
            sheets[0][0] if len(sheets) == 1 else _("代表名册（%(n)d个人民代表大会）") % {"n": len(sheets)}
        )
        data = write_roster_workbook(sheets, reveal=reveal, report=report, total=rows)
        name = f"{title}-{timezone.localtime():%Y%m%d%H%M}.xlsx"
        job_succeed(
            job=job,
            message=_("已导出 %(n)d 人") % {"n": total},
            result={"filename": name, "count": total},
            file=ContentFile(data, name="roster.xlsx"),
        )
        audit_record(
            action="personal_data.export" if reveal else "deputy.export",
            actor=job.owner,
            obj=job,
            detail=f"count={total} revealed={reveal}",
        )

    job_run(job_id, work)
