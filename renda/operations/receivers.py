"""Events that become alerts as they happen: lockouts, server errors (500), failed exports, jobs whose
worker vanished. Bursts of denials and a dead worker are found by the periodic check (ops_check)."""

from axes.signals import user_locked_out
from django.core.signals import got_request_exception
from django.dispatch import receiver

from renda.core.alerts import CRITICAL, alert_raise
from renda.jobs.signals import job_failed


@receiver(user_locked_out, dispatch_uid="operations.alert_lockout")
def alert_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    alert_raise(
        kind="lockout",
        key=f"{username}|{ip_address}",
        title=f"账号登录被锁定：{username or '（未知用户名）'}",
        detail=f"连续登录失败达到上限，来源地址 {ip_address or '未知'}。如非本人操作，可能是在猜测密码。",
    )


@receiver(got_request_exception, dispatch_uid="operations.alert_server_error")
def alert_server_error(sender, request=None, **kwargs):
    path = getattr(request, "path", "") if request is not None else ""
    exc = kwargs.get("exception")
    alert_raise(
        kind="server_error",
        key=path,
        severity=CRITICAL,
        title=f"服务器错误（500）：{path or '未知页面'}",
        detail=f"{type(exc).__name__ if exc else '异常'}；详情见应用日志。",
    )


@receiver(job_failed, dispatch_uid="operations.alert_job_failed")
def alert_job_failed(sender, job, reason: str, **kwargs):
    """Failed exports and jobs whose worker vanished; a refused input (the user's own mistake) is not
    an operations matter."""
    if reason == "stale":
        alert_raise(
            kind="job_stale",
            key=str(job.pk),
            severity=CRITICAL,
            title=f"后台任务因处理进程中断而失败：{job.title}",
            detail=f"任务类型 {job.kind}，编号 {job.pk}。请检查后台任务进程是否在运行。",
        )
    elif "export" in job.kind and reason == "error":
        alert_raise(
            kind="export_failed",
            key=job.kind,
            title=f"导出失败：{job.title}",
            detail=f"任务类型 {job.kind}，编号 {job.pk}：{job.message}",
        )
