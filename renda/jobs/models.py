"""A job is what the user sees of a background task: its state, percent and message, and its result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=50, db_index=True)
    title = models.CharField(_("任务"), max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the owner started it from: the worker writes the audit log in the owner's name and
    # with this address (issue 13 §2).
    started_ip = models.GenericIPAddressField(_("发起来源IP"), null=True, blank=True)
    # Last sign of life: each job_progress, and every RENDA_WORKER_HEARTBEAT_SECONDS from the worker
    # running it. A running job silent for RENDA_JOB_STALE_SECONDS lost its worker (job_reap_stale).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "created_at"], name="job_owner_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="job_percent_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def done(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


class WorkerBeat(models.Model):
    """One row per running worker process (manage.py job_worker), touched every few seconds.

    /healthz and the periodic check read the newest `last_seen` to tell whether any worker is alive.
    A worker that stops cleanly deletes its row; one that is killed leaves it to go stale.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)
    current_job = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台处理进程")
        verbose_name_plural = _("后台处理进程")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicRun(models.Model):
    """The claim of one run of a periodic job (settings.RENDA_PERIODIC_JOBS) for one schedule slot.

    Every scheduler (`run_periodic`, one per machine) tries to insert (target, due_at) when a slot
    falls due; the unique constraint lets exactly one of them win, and only the winner enqueues the
    job. So a job runs once per schedule however many schedulers run (issue 15 §6).
    """

    target = models.CharField(max_length=100)
    due_at = models.DateTimeField()  # the slot: the scheduled moment this run is for
    claimed_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.CharField(max_length=100, blank=True)  # host:pid of the scheduler that won

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        constraints = [models.UniqueConstraint(fields=["target", "due_at"], name="periodic_run_once")]
        indexes = [models.Index(fields=["claimed_at"], name="periodic_run_claimed")]

    def __str__(self) -> str:
        return f"{self.target} @ {self.due_at:%Y-%m-%d %H:%M}"
