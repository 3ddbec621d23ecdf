"""The audit log as a spreadsheet, written in the background with progress."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from renda.core.spreadsheets import safe_row
from renda.jobs.services import job_run, job_succeed

from .models import AuditEntry

HEADER = ["时间", "用户", "事件", "结果", "对象类型", "对象ID", "对象", "来源IP", "变更字段", "说明", "次数"]


def write_audit_xlsx(entries, total: int, report) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    tz = timezone.get_current_timezone()
    outcomes = dict(AuditEntry.Outcome.choices)
    for done, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        sheet.append(
            safe_row(
                [
                    entry.occurred_at.astimezone(tz).isoformat(timespec="seconds"),
                    entry.actor_username,
                    entry.action,
                    str(outcomes.get(entry.outcome, entry.outcome)),
                    entry.object_type,
                    entry.object_id,
                    entry.object_repr,
                    entry.ip or "",
                    str(entry.changes) if entry.changes else "",
                    entry.detail,
                    entry.count,
                ],
                sheet,
            )
        )
        if done % 2000 == 0:
            report(min(95, int(done * 100 / max(total, 1))), f"已写入 {done}/{total} 条")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def audit_export_run(job_id: str) -> None:
    from .forms import AuditFilterForm
    from .selectors import audit_list
    from .services import audit_fold_flush, audit_record

    def work(job, report):
        audit_fold_flush()
        form = AuditFilterForm(job.params)
        form.is_valid()
        entries = audit_list(user=job.owner, filters=form.cleaned_data)
        total = entries.count()
        report(1, f"共 {total} 条，正在导出")
        data = write_audit_xlsx(entries, total, report)
        name = f"审计日志-{timezone.localtime():%Y%m%d%H%M%S}.xlsx"
        job_succeed(
            job=job,
            message=f"已导出 {total} 条",
            result={"filename": name, "count": total},
            file=ContentFile(data, name="audit.xlsx"),
        )
        audit_record(action="audit.export", actor=job.owner, obj=job, detail=f"count={total}")

    job_run(job_id, work)
