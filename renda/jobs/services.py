"""Starting jobs and reporting their progress. Tasks call `job_progress` as they go."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from renda.audit.services import audit_record

from .models import Job


def job_start(*, owner, kind: str, title: str, task, params: dict | None = None) -> Job:
    """Create the job record and enqueue `task(job_id=...)` once the record is committed."""
    job = Job.objects.create(owner=owner, kind=kind, title=title, params=params or {})
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
        job.result_file.save(file.name, file, save=False)
        fields.append("result_file")
    job.save(update_fields=fields)


def job_fail(*, job: Job, message: str) -> None:
    job.state, job.message, job.finished_at = Job.State.FAILED, message[:200], timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])


def job_run(job_id: str, work: Callable[[Job, Callable[[int, str], None]], None]) -> None:
    """Run `work(job, report)` for a task; a failure marks the job failed with a readable message."""
    import logging

    from renda.core.errors import DomainError

    job = Job.objects.get(pk=job_id)
    job_progress(job_id=job.pk, percent=0, message="")

    def report(percent: int, message: str = "") -> None:
        job_progress(job_id=job.pk, percent=percent, message=message)

    try:
        work(job, report)
    except DomainError as exc:
        job_fail(job=job, message=exc.message)
    except Exception:
        logging.getLogger(__name__).exception("job %s failed", job_id)
        job_fail(job=job, message="任务执行出错，请稍后重试或联系管理员")
        raise


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
