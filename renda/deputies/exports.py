"""The roster as .xlsx in the official column order and stroke order, written in the background."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
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


def roster_title(filters: dict) -> str:
    congress = (
        Congress.objects.filter(pk=filters.get("congress")).first() if filters.get("congress") else None
    )
    return f"{congress.name}代表名册" if congress else _("代表名册")


def _mandate_for(deputy: Deputy, congress_id):
    mandates = list(deputy.mandates.all())  # prefetched
    if congress_id:
        return next((m for m in mandates if str(m.congress_id) == str(congress_id)), None)
    return next((m for m in mandates if m.status == "serving"), mandates[0] if mandates else None)


def write_roster_xlsx(
    deputies, *, title: str, reveal: bool, congress_id=None, report=None, total: int = 0
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("代表名册")
    width = len(OFFICIAL_COLUMNS)
    sheet.append([safe_cell(title, sheet)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([_("（按姓氏笔画为序）")])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append([label for _f, label in OFFICIAL_COLUMNS])
    thin = Side(style="thin")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for index, (field, _label) in enumerate(OFFICIAL_COLUMNS, start=1):
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
        }
        sheet.append(safe_row([values[f] for f, _label in OFFICIAL_COLUMNS], sheet))
        row = sheet.max_row
        for column in ("id_number", "phone", "birth_month"):
            # Text cells: Excel would round an 18-digit number and drop the 0 of 1975.10.
            sheet.cell(
                row=row, column=[f for f, _l in OFFICIAL_COLUMNS].index(column) + 1
            ).number_format = "@"
        if report and number % 200 == 0:
            report(
                min(95, 5 + int(90 * number / max(total, 1))),
                _("已写入 %(n)d/%(t)d 人") % {"n": number, "t": total},
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_export_run(job_id: str) -> None:
    from .selectors import deputy_list

    def work(job, report):
        filters = {k: v for k, v in job.params.items() if k in FILTER_KEYS}
        deputies = deputy_list(user=job.owner, **filters)
        total = deputies.count()
        reveal = has_permission(job.owner, "personal_data.reveal")
        report(2, _("共 %(n)d 人，正在导出") % {"n": total})
        title = roster_title(filters)
        data = write_roster_xlsx(
            deputies,
            title=title,
            reveal=reveal,
            congress_id=filters.get("congress"),
            report=report,
            total=total,
        )
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
