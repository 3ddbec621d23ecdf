"""What /healthz and the periodic check (ops_check) look at: database, worker, queue, disk, calendar.

Each check answers {"status": "ok" | "warning" | "critical" | "unknown", ...figures}. /healthz answers
503 when any check is critical, so a load balancer or monitor notices; warnings are reported with 200.
Thresholds are settings (RENDA_WORKER_DEAD_SECONDS, RENDA_QUEUE_*_SECONDS, RENDA_DISK_*_MB).
"""

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

OK, WARNING, CRITICAL, UNKNOWN = "ok", "warning", "critical", "unknown"


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"status": CRITICAL, "error": str(exc)[:200]}
    return {"status": OK, "vendor": connection.vendor}


def worker_expected() -> bool:
    """A worker is needed only when tasks go through the database queue (not the immediate backend)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db")


def check_worker(now: datetime.datetime | None = None) -> dict:
    """The newest heartbeat of any worker (manage.py job_worker): critical when none for
    RENDA_WORKER_DEAD_SECONDS, or when no worker has ever reported."""
    from renda.jobs.models import WorkerBeat

    if not worker_expected():
        return {"status": OK, "note": "tasks run immediately (no worker needed)"}
    now = now or timezone.now()
    last = WorkerBeat.objects.aggregate(last=Max("last_seen"))["last"]
    if last is None:
        return {"status": CRITICAL, "last_heartbeat": None, "message": "没有正在运行的后台任务进程"}
    age = int((now - last).total_seconds())
    status = CRITICAL if age > settings.RENDA_WORKER_DEAD_SECONDS else OK
    result = {"status": status, "last_heartbeat": last.isoformat(), "age_seconds": age}
    if status == CRITICAL:
        result["message"] = f"后台任务进程已 {age} 秒无心跳"
    return result


def check_queue(now: datetime.datetime | None = None) -> dict:
    """The age of the oldest job still waiting for a worker."""
    from renda.jobs.models import Job

    now = now or timezone.now()
    oldest = Job.objects.filter(state=Job.State.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
    if oldest is None:
        return {"status": OK, "oldest_queued_seconds": 0}
    age = int((now - oldest).total_seconds())
    if age > settings.RENDA_QUEUE_CRITICAL_SECONDS:
        status = CRITICAL
    elif age > settings.RENDA_QUEUE_WARN_SECONDS:
        status = WARNING
    else:
        status = OK
    return {"status": status, "oldest_queued_seconds": age}


def _data_path() -> Path:
    """Where the data grows: the SQLite file's folder, else the media folder, else the project."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        if name and not name.startswith(("file:", ":memory:")):
            return Path(name).parent
    media = Path(settings.MEDIA_ROOT)
    return media if media.exists() else Path(settings.BASE_DIR)


def check_disk(path: Path | None = None) -> dict:
    path = path or _data_path()
    try:
        usage = shutil.disk_usage(path)
    except OSError as exc:
        return {"status": UNKNOWN, "error": str(exc)[:200]}
    free_mb = usage.free // (1024 * 1024)
    if free_mb < settings.RENDA_DISK_CRITICAL_MB:
        status = CRITICAL
    elif free_mb < settings.RENDA_DISK_WARN_MB:
        status = WARNING
    else:
        status = OK
    return {"status": status, "free_mb": free_mb, "path": str(path)}


def calendar_covers(year: int) -> bool | None:
    """Whether the official holiday calendar carries `year`; None when the calendar module is not there.

    Reads renda.core.calendar.calendar_covers (chinesecalendar behind it) when it exists.
    """
    try:
        from renda.core.calendar import calendar_covers as covers
    except ImportError:
        return None
    try:
        return bool(covers(year))
    except Exception:
        return None


def check_calendar(today: datetime.date | None = None) -> dict:
    """Does the holiday calendar cover the coming year? A gap makes deadlines count Monday–Friday only:
    a warning for someone to load the year, never a reason to take the site out of service."""
    today = today or timezone.localdate()
    coming = today.year + 1
    covered = calendar_covers(coming)
    if covered is None:
        return {"status": UNKNOWN, "year": coming}
    if covered:
        return {"status": OK, "year": coming}
    return {"status": WARNING, "year": coming, "message": f"节假日日历尚未包含{coming}年"}


CHECKS = {
    "database": check_database,
    "worker": check_worker,
    "queue": check_queue,
    "disk": check_disk,
    "holiday_calendar": check_calendar,
}


def health_report() -> dict:
    """{"status": worst of ok/warning/critical, "checks": {name: {...}}}. A check that raises is critical."""
    checks = {}
    for name, check in CHECKS.items():
        if name != "database" and checks.get("database", {}).get("status") == CRITICAL:
            checks[name] = {"status": UNKNOWN}
            continue
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = {"status": CRITICAL, "error": str(exc)[:200]}
    statuses = {c["status"] for c in checks.values()}
    overall = CRITICAL if CRITICAL in statuses else WARNING if WARNING in statuses else OK
    return {"status": overall, "checks": checks}
