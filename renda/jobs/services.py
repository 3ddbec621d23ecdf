"""Starting jobs and reporting their progress. Tasks call `job_progress` as they go."""

import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core import context

from .models import Job, PeriodicRun, WorkerBeat
from .signals import job_failed

logger = logging.getLogger(__name__)

# What a database says when it is busy or the connection dropped: worth waiting and trying again.
_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "could not connect",
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "the connection is closed",
    "ssl syscall error",
    "deadlock detected",
    "could not serialize access",
)


def is_transient_db_error(exc: BaseException) -> bool:
    """True for an OperationalError/InterfaceError that a later attempt may not meet (locks, lost
    connections, deadlocks); False for anything else (a missing table, a bad query)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    text = str(exc).lower()
    return isinstance(exc, InterfaceError) or any(marker in text for marker in _TRANSIENT)


def backoff_delays(*, first: float = 0.5, factor: float = 2.0, cap: float = 30.0):
    """0.5, 1, 2, 4 … seconds, never more than `cap`: the waits between attempts."""
    delay = first
    while True:
        yield delay
        delay = min(cap, delay * factor)


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
        state=Job.State.RUNNING,
        percent=max(0, min(100, int(percent))),
        message=message[:200],
        heartbeat_at=timezone.now(),
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


def job_result_update(*, job: Job, changes: dict) -> None:
    """Change a finished job's result as its app's object moves on (a key set to None is removed),
    e.g. a one-time download taken: the job page stops offering it."""
    result = {**(job.result or {}), **changes}
    job.result = {key: value for key, value in result.items() if value is not None}
    job.save(update_fields=["result"])


def _save_encrypted(job: Job, file) -> None:
    """Store a result file SM4-encrypted (exports hold ID numbers and phones), readable on disk by
    the application's own user only (0600 in a 0700 folder). Issue 13 §6."""
    import os
    import tempfile

    from django.core.files import File

    from renda.core.crypto import encrypt_file

    # Chunk by chunk through a temporary file: a batch of 2,000 PDFs never sits in memory at once.
    file.seek(0)
    with tempfile.TemporaryFile() as encrypted:
        encrypt_file(file, encrypted)
        encrypted.seek(0)
        job.result_file.save(file.name, File(encrypted), save=False)
    from django.core.files.storage import FileSystemStorage

    if not isinstance(job.result_file.storage, FileSystemStorage):
        return  # no local file (tests keep files in memory)
    path = job.result_file.path
    os.chmod(path, 0o600)
    os.chmod(os.path.dirname(path), 0o700)


def job_file_open(job: Job):
    """The clear content of a job's result file as an open temporary file at position 0, decrypted
    chunk by chunk (memory: one chunk) and checked before it is returned. The caller has checked who
    may have it and closes the file (FileResponse does)."""
    import tempfile

    from renda.core.crypto import decrypt_file

    clear = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller open, which closes it
    try:
        with job.result_file.open("rb") as handle:
            decrypt_file(handle, clear)
    except BaseException:
        clear.close()
        raise
    clear.seek(0)
    return clear


def job_file_bytes(job: Job) -> bytes:
    """The clear content of a job's result file (the caller has checked who may have it)."""
    from renda.core.crypto import decrypt_bytes

    with job.result_file.open("rb") as handle:
        return decrypt_bytes(handle.read())


def job_fail(*, job: Job, message: str, reason: str = "error") -> None:
    """Mark the job failed and tell the app that owns it (signal `job_failed`), so that its business
    object (a roster import, say) leaves its "in progress" state. `reason`: "refused" (a DomainError:
    the input was wrong), "error" (the task crashed) or "stale" (its worker vanished)."""
    job.state, job.message, job.finished_at = Job.State.FAILED, message[:200], timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])
    audit_record(
        action="job.fail",
        outcome="failure",
        actor=job.owner,
        obj=job,
        detail=f"{job.kind} {reason}: {message}",
    )
    job_failed.send(sender=Job, job=job, reason=reason)


def job_run(job_id: str, work: Callable[[Job, Callable[[int, str], None]], None]) -> None:
    """Run `work(job, report)` for a task; a failure marks the job failed with a readable message.

    A transient database error (locked, connection lost) is retried RENDA_JOB_RETRIES times with
    growing waits; `work` must therefore be safe to run again (each job's work writes in one
    transaction, or only at its end).
    """
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
        delays = backoff_delays(first=settings.RENDA_JOB_RETRY_SECONDS)
        attempts = settings.RENDA_JOB_RETRIES + 1
        for attempt in range(1, attempts + 1):
            try:
                with _reads_for(job):
                    work(job, report)
                return
            except DomainError as exc:
                job_fail(job=job, message=exc.message, reason="refused")
                return
            except Exception as exc:
                if attempt < attempts and is_transient_db_error(exc):
                    logger.warning("job %s: transient database error (%s), attempt %d", job_id, exc, attempt)
                    time.sleep(next(delays))
                    continue
                logger.exception("job %s failed", job_id)
                job_fail(job=job, message=_("任务执行出错，请稍后重试或联系管理员"))
                raise

    finally:
        noted = context.take_refusals(refusals)
        if noted:
            record_refusals(noted, where=f"job {job.kind} {job.pk}")
        context.reset(ctx)


def _reads_for(job: Job):
    """Export jobs (settings.RENDA_REPLICA_JOBS, shell patterns of Job.kind) read from the replica."""
    import contextlib
    import fnmatch

    from renda.core.db_router import replica_reads

    if any(fnmatch.fnmatchcase(job.kind, pattern) for pattern in settings.RENDA_REPLICA_JOBS):
        return replica_reads()
    return contextlib.nullcontext()


def job_reap_stale(*, stale_after_seconds: int | None = None) -> int:
    """Fail running jobs whose worker went silent (killed, machine restarted) and return how many.

    A job is stale when it is `running` and neither job_progress nor its worker's heartbeat touched it
    for `stale_after_seconds` (default RENDA_JOB_STALE_SECONDS). Each one is failed with a message
    the user can act on, and `job_failed` (reason "stale") lets its app return the business object to a
    state the user can retry from. The task row django-tasks keeps is closed as failed too.
    """
    from django.db.models.functions import Coalesce

    seconds = stale_after_seconds or settings.RENDA_JOB_STALE_SECONDS
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    stale = (
        Job.objects.filter(state=Job.State.RUNNING)
        .annotate(last_sign=Coalesce("heartbeat_at", "created_at"))
        .filter(last_sign__lt=cutoff)
    )
    count = 0
    for job in stale:
        with transaction.atomic():
            # Only if still running and still silent: a worker may have come back in the meantime.
            locked = Job.objects.select_for_update().filter(pk=job.pk, state=Job.State.RUNNING).first()
            if locked is None or (locked.heartbeat_at and locked.heartbeat_at >= cutoff):
                continue
            minutes = max(1, seconds // 60)
            message = _("后台处理进程已中断（超过 %(m)d 分钟无响应），任务未完成，请重新操作")
            job_fail(job=locked, message=message % {"m": minutes}, reason="stale")
            _close_task_results(str(locked.pk))
            detail = f"{locked.kind} silent>{seconds}s"
            audit_record(action="job.stale", outcome="failure", obj=locked, detail=detail)
        count += 1
    # A killed worker leaves its heartbeat row behind; after a day it says nothing any more.
    WorkerBeat.objects.filter(last_seen__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    return count


def _close_task_results(job_id: str) -> None:
    """Close django-tasks' own record of a task whose worker vanished (it would stay RUNNING)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running.only("pk", "args_kwargs"):
        if (result.args_kwargs or {}).get("kwargs", {}).get("job_id") == job_id:
            DBTaskResult.objects.filter(pk=result.pk).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="renda.jobs.WorkerVanished",
                traceback="worker stopped without finishing the task (job_reap_stale)",
            )


def job_prune(*, older_than_hours: int) -> int:
    """Delete finished jobs and their files after the retention period (exports hold personal data)."""
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


def periodic_claim(*, target: str, due_at: datetime.datetime, claimed_by: str = "") -> bool:
    """Claim the run of periodic job `target` for the slot `due_at`; True for the one caller that wins.

    Any number of schedulers (one per machine) may call this for the same slot at the same moment:
    the unique (target, due_at) row lets exactly one insert succeed, on PostgreSQL and SQLite alike.
    Claims older than 30 days are deleted on the way (they only serve to refuse a second run).
    """
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(target=target, due_at=due_at, claimed_by=claimed_by[:100])
    except IntegrityError:
        return False
    PeriodicRun.objects.filter(claimed_at__lt=timezone.now() - datetime.timedelta(days=30)).delete()
    return True
