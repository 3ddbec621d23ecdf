"""The periodic operations check (manage.py ops_check, ops_check_task): fail jobs whose worker vanished,
then alert on a dead worker, a long queue, low disk, a missing holiday year and bursts of denials."""

import datetime

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from renda.core.alerts import CRITICAL, WARNING, alert_raise
from renda.jobs.services import job_reap_stale

from .health import health_report

TITLES = {
    "database": "数据库无法访问",
    "worker": "后台任务进程无心跳",
    "queue": "后台任务排队过久",
    "disk": "磁盘剩余空间不足",
    "holiday_calendar": "节假日日历未覆盖来年",
}


def denials_in_window(now: datetime.datetime | None = None) -> int:
    """Denied requests recorded in the audit log within RENDA_ALERT_DENIAL_WINDOW_SECONDS (folded rows
    count as many as they stand for, when the audit log folds repeats into one row with a count)."""
    from renda.audit.models import AuditEntry

    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.RENDA_ALERT_DENIAL_WINDOW_SECONDS)
    rows = AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED, occurred_at__gte=since)
    field_names = {f.name for f in AuditEntry._meta.get_fields()}
    if "count" in field_names:
        return rows.aggregate(n=Sum("count"))["n"] or 0
    return rows.aggregate(n=Count("pk"))["n"] or 0


def ops_check() -> dict:
    """Run every periodic check and raise the alerts due. Returns what it found (for the command)."""
    reaped = job_reap_stale()
    report = health_report()
    alerted = []
    for name, check in report["checks"].items():
        if check["status"] in (WARNING, CRITICAL):
            detail = check.get("message") or ", ".join(f"{k}={v}" for k, v in check.items() if k != "status")
            severity = check["status"]
            if alert_raise(
                kind=f"health_{name}", key=severity, severity=severity, title=TITLES[name], detail=detail
            ):
                alerted.append(name)
    denials = denials_in_window()
    if denials >= settings.RENDA_ALERT_DENIALS:
        minutes = max(1, settings.RENDA_ALERT_DENIAL_WINDOW_SECONDS // 60)
        if alert_raise(
            kind="denials",
            title=f"{minutes} 分钟内被拒绝的访问达 {denials} 次",
            detail="可能有人在探测无权访问的数据或接口；请在审计日志中按“拒绝”筛选查看来源。",
        ):
            alerted.append("denials")
    return {"reaped_jobs": reaped, "status": report["status"], "denials": denials, "alerted": alerted}
