"""The schedule of periodic jobs (settings.RENDA_PERIODIC_JOBS) and when each is next due.

`run_periodic` reads the table, and when a job is due enqueues it as a django-task
(`tasks.periodic_enqueue`; a command runs through `run_command_task`), so that the worker runs it
like any other background task. No cron.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

_DAILY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class PeriodicJob:
    target: str  # a management command's name, or a task's dotted path
    every: int | None = None  # seconds
    daily_at: datetime.time | None = None

    @property
    def is_task(self) -> bool:
        return "." in self.target

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        """The first time strictly after `moment` that this job is due (interval jobs: moment+every)."""
        if self.every is not None:
            return moment + datetime.timedelta(seconds=self.every)
        local = timezone.localtime(moment)
        due = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return due if due > local else due + datetime.timedelta(days=1)

    def slot(self, moment: datetime.datetime) -> datetime.datetime:
        """The latest scheduled moment at or before `moment`: the run that is due now.

        Interval jobs are aligned on the Unix epoch (every=3600 → each full hour, UTC), so that
        schedulers on different machines name the same slot; daily jobs: today's HH:MM local time if
        it has passed, else yesterday's. Schedulers claim a slot once (renda.jobs.services.periodic_claim).
        """
        if self.every is not None:
            seconds = int(moment.timestamp()) // self.every * self.every
            return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
        local = timezone.localtime(moment)
        due = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return due if due <= local else due - datetime.timedelta(days=1)


def periodic_jobs(table=None) -> list[PeriodicJob]:
    """Parse the table; a malformed line raises ValueError naming it (the scheduler must not start
    with a job silently dropped)."""
    jobs = []
    for line in settings.RENDA_PERIODIC_JOBS if table is None else table:
        try:
            target, when = line
        except (TypeError, ValueError):
            raise ValueError(
                f'RENDA_PERIODIC_JOBS: 每行应为 (命令或任务路径, 间隔秒数或"HH:MM")：{line!r}'
            ) from None
        if isinstance(when, int) and when > 0:
            jobs.append(PeriodicJob(target=target, every=when))
        elif isinstance(when, str) and _DAILY.match(when):
            hour, minute = map(int, when.split(":"))
            jobs.append(PeriodicJob(target=target, daily_at=datetime.time(hour, minute)))
        else:
            raise ValueError(f'RENDA_PERIODIC_JOBS: {target} 的时间应为正整数秒或"HH:MM"：{when!r}')
    return jobs
