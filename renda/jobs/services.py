"""Starting jobs and reporting their progress. Tasks call `job_progress` as they go."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from renda.audit.services import audit_record
from renda.core import context

from .models import Job


def job_start(*, owner, kind: str, title: str, task, params: dict | None = None) -> Job:
    """Create the job record and enqueue `task(job_id=...)` once the record is committed."""
    job = Job.objects.create(
        owner=owner, kind=kind, title=title, params=params or {}, started_ip=context.current().ip
    )
    audit_record(action="job.start", actor=owner, obj=job, detail=kind)
    transaction.on_commit(lambda: task.enqueue(job_id=str(job.pk)))
    return job


def job_progress(*, job_id, percent: int, message: str = "") -> None:
    # A plain UPDATE: progress is written often and must not wait on the task's own transaction.
    Job.objects.filter(pk=job_id).update(
        state=Job.State.RUNNING, percent=max(0, min(100, int(percent))), message=message[:200]
    )


def job_succeed(*, job: Job, message: str = "", result: dict | None = None, file=None) -> None:
    job.state, job.percent, job.message = Job.State.SUCCEEDED, 100, message[:200]
    job.result = result or {}
    job.finished_at = timezone.now()
    fields = ["state", "percent", "message", "result", "finished_at"]
    if file is not None:
        _save_encrypted(job, file)
        fields.append("result_file")
    job.save(update_fields=fields)


def _save_encrypted(job: Job, file) -> None:
    """Store a result file SM4-encrypted (exports hold ID numbers and phones), readable on disk by
    the application's own user only (0600 in a 0700 folder). Issue 13 §6."""
    import os

    from django.core.files.base import ContentFile

    from renda.core.crypto import encrypt_bytes

    file.seek(0)
    job.result_file.save(file.name, ContentFile(encrypt_bytes(file.read())), save=False)
    from django.core.files.storage import FileSystemStorage

    if not isinstance(job.result_file.storage, FileSystemStorage):
        return  # no local file (tests keep files in memory)
    path = job.result_file.path
    os.chmod(path, 0o600)
    os.chmod(os.path.dirname(path), 0o700)


def job_file_bytes(job: Job) -> bytes:
    """The clear content of a job's result file (the caller has checked who may have it)."""
    from renda.core.crypto import decrypt_bytes

    with job.result_file.open("rb") as handle:
        return decrypt_bytes(handle.read())


def job_fail(*, job: Job, message: str) -> None:
    job.state, job.message, job.finished_at = Job.State.FAILED, message[:200], timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])
    audit_record(
        action="job.fail", outcome="failure", actor=job.owner, obj=job, detail=f"{job.kind}: {message}"
    )


def job_run(job_id: str, work: Callable[[Job, Callable[[int, str], None]], None]) -> None:
    """Run `work(job, report)` for a task; a failure marks the job failed with a readable message."""
    import logging

    from renda.core.errors import DomainError
    from renda.core.middleware import record_refusals

    job = Job.objects.select_related("owner").get(pk=job_id)
    job_progress(job_id=job.pk, percent=0, message="")

    def report(percent: int, message: str = "") -> None:
        job_progress(job_id=job.pk, percent=percent, message=message)

    # The worker has no request: what the job writes is audited in its owner's name, from the
    # address the job was started from.
    ctx = context.set_current(
        context.RequestContext(
            user_id=job.owner_id,
            username=job.owner.get_username(),
            ip=job.started_ip,
            user_agent=f"job:{job.kind}",
        )
    )
    refusals = context.collect_refusals()
    try:
        work(job, report)
    except DomainError as exc:
        job_fail(job=job, message=exc.message)
    except Exception:
        logging.getLogger(__name__).exception("job %s failed", job_id)
        job_fail(job=job, message="任务执行出错，请稍后重试或联系管理员")
        raise
    finally:
        noted = context.take_refusals(refusals)
        if noted:
            record_refusals(noted, where=f"job {job.kind} {job.pk}")
        context.reset(ctx)


def job_prune(*, older_than_hours: int) -> int:
    """Delete finished jobs and their files after the retention period (exports hold personal data)."""
    import datetime

    cutoff = timezone.now() - datetime.timedelta(hours=older_than_hours)
    old = Job.objects.filter(finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.result_file:
            job.result_file.delete(save=False)
        count += 1
    old.delete()
    if count:
        audit_record(action="job.prune", detail=f"removed={count} before={cutoff.isoformat()}")
    return count
