"""Background work of the deputies app: the tasks, and the services that start them.

This is the one module that knows both a task and the runner it calls (imports.py and exports.py
hold the runners and know no task), so the three modules import one another in one direction only:
tasks → imports, exports; exports → imports.
"""

import base64

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from renda.audit.services import audit_record
from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.masking import mask_id_number, mask_phone
from renda.core.validators import normalize_id_number
from renda.jobs.services import job_start

from .exports import FILTER_KEYS, roster_export_run
from .imports import roster_check_run, roster_import_run
from .models import Congress, RosterImport


@task()
def roster_check_task(job_id: str) -> None:
    roster_check_run(job_id)


@task()
def roster_import_task(job_id: str) -> None:
    roster_import_run(job_id)


@task()
def roster_export_task(job_id: str) -> None:
    roster_export_run(job_id)


# --- the services that start them ---


def roster_import_start(*, actor, congress: Congress, upload) -> RosterImport:
    """Keep the uploaded file (encrypted) and start the dry run in the background."""
    from .services import _check_congress_kept

    _check_congress_kept(actor, congress)
    if upload.size > settings.RENDA_ROSTER_MAX_BYTES:
        raise DomainError(
            _("文件超过 %(n)d MB，请分批导入") % {"n": settings.RENDA_ROSTER_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    data = upload.read()
    with transaction.atomic():
        batch = RosterImport.objects.create(
            owner=actor,
            congress=congress,
            filename=(getattr(upload, "name", "") or "roster.xlsx")[-200:],
            content=base64.b64encode(data).decode("ascii"),
        )
        audit_record(
            action="roster_import.upload",
            actor=actor,
            obj=batch,
            detail=f"{batch.filename} {len(data)} bytes",
        )
        batch.check_job = job_start(
            owner=actor,
            kind="roster_check",
            title=_("检查代表名册"),
            task=roster_check_task,
            params={"import_id": str(batch.pk)},
        )
        batch.save(update_fields=["check_job"])
    return batch


def roster_import_confirm(*, actor, batch: RosterImport) -> RosterImport:
    """Start the import once. The state is checked and changed under a row lock, so a double click or two
    clerks confirming together start exactly one job; the second is told "已在导入中" or "已导入"."""
    with transaction.atomic():
        batch = RosterImport.objects.select_for_update().select_related("congress").get(pk=batch.pk)
        if batch.state == RosterImport.State.IMPORTING:
            raise DomainError(_("该名册已在导入中，请稍候查看结果"), field="state")
        if batch.state == RosterImport.State.IMPORTED:
            raise DomainError(_("该名册已导入，无需再次确认"), field="state")
        if batch.state != RosterImport.State.CHECKED:
            raise DomainError(
                _("该名册当前不能导入（%(s)s）") % {"s": batch.get_state_display()}, field="state"
            )
        if batch.has_errors:
            raise DomainError(
                _("名册中有 %(n)d 行错误，请修改文件后重新上传；未导入任何数据")
                % {"n": batch.summary["error"]},
                field="file",
            )
        batch.state = RosterImport.State.IMPORTING
        batch.import_job = job_start(
            owner=actor,
            kind="roster_import",
            title=_("导入代表名册"),
            task=roster_import_task,
            params={"import_id": str(batch.pk)},
        )
        batch.save(update_fields=["state", "import_job"])
        audit_record(action="roster_import.confirm", actor=actor, obj=batch)
    return batch


def roster_export_start(*, actor, filters: dict):
    params = {k: str(v) for k, v in filters.items() if k in FILTER_KEYS and v not in (None, "")}
    from .selectors import personal_search_index

    personal = personal_search_index(params.get("q", ""))
    if personal is not None:
        # A whole ID number or phone never reaches the job row or the audit log: the mask for people
        # to read, the blind index for the job to search by (deputy_list finds the same rows by it).
        id_number = normalize_id_number(params["q"])
        params["q"] = mask_id_number(id_number) if personal[0] == "id_number" else mask_phone(params["q"])
        params[f"{personal[0]}_index"] = personal[1]
    elif "id_number_index" in params or "phone_index" in params:
        # Resolved by the roster page from its session's search (the number itself never came here).
        params["q"] = _("按证件号或电话查找")
    if has_permission(actor, "personal_data.reveal"):
        # The file will hold clear ID numbers and phones: its download re-checks this permission.
        params["requires_permission"] = "personal_data.reveal"
    audit_record(action="deputy.export_request", actor=actor, detail=str(params))
    return job_start(
        owner=actor, kind="roster_export", title=_("导出代表名册"), task=roster_export_task, params=params
    )
