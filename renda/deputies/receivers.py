"""What the deputies app does when one of its background jobs fails: the roster import it served
leaves its "in progress" state, so the user sees why and can try again."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.jobs.signals import job_failed

from .models import RosterImport


@receiver(job_failed, dispatch_uid="deputies.roster_job_failed")
def roster_job_failed(sender, job, reason: str, **kwargs) -> None:
    """A check that failed: the import is rejected with the job's message (re-upload to retry).
    An import whose worker vanished: nothing was written (one transaction), so it is checked again and
    may be confirmed again. An import that raised keeps the state its own code gave it (failed)."""
    if job.kind == "roster_check":
        batch = RosterImport.objects.filter(check_job=job, state=RosterImport.State.CHECKING).first()
        if batch is None:
            return
        if reason == "refused":
            message = job.message
        elif reason == "stale":
            message = _("检查中断（后台处理进程已停止），请重新上传名册")
        else:
            message = _("无法读取该文件，检查未完成，请检查文件后重新上传")
        with transaction.atomic():
            RosterImport.objects.filter(pk=batch.pk).update(
                state=RosterImport.State.REJECTED, message=message[:300], content="", plan=""
            )
            audit_record(action="roster_import.check_failed", outcome="failure", obj=batch, detail=reason)
    elif job.kind == "roster_import" and reason == "stale":
        batch = RosterImport.objects.filter(import_job=job, state=RosterImport.State.IMPORTING).first()
        if batch is None:
            return
        with transaction.atomic():
            RosterImport.objects.filter(pk=batch.pk).update(
                state=RosterImport.State.CHECKED,
                message=_("导入中断（后台处理进程已停止），未导入任何数据，可以重新确认导入"),
            )
            audit_record(action="roster_import.interrupted", outcome="failure", obj=batch, detail=reason)
