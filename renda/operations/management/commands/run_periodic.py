"""Enqueue the periodic jobs of settings.RENDA_PERIODIC_JOBS on their schedule (a small scheduler
that runs beside `db_worker`; `make run` starts both). `--once` enqueues every job once and exits
(for cron, or to fill the demo's reminders at once)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from renda.core.periodic import periodic_jobs
from renda.core.tasks import periodic_enqueue


class Command(BaseCommand):
    help = "按 RENDA_PERIODIC_JOBS 的时间表把定时任务放入后台任务队列（与 db_worker 一起运行）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务放入队列一次后退出")
        parser.add_argument("--tick", type=float, default=30.0, help="检查间隔秒数")

    def handle(self, *args, once: bool, tick: float, **options):
        jobs = periodic_jobs()
        if once:
            for job in jobs:
                periodic_enqueue(job)
                self.stdout.write(f"已放入队列：{job.target}")
            return
        now = timezone.now()
        # Every job runs once at start, so a scheduler that was down catches up (the jobs are
        # idempotent: reminders are once-only per key, prunes delete what is old), then on schedule.
        due = dict.fromkeys(jobs, now)
        while True:
            now = timezone.now()
            for job, at in due.items():
                if at <= now:
                    try:
                        periodic_enqueue(job)
                        self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} 已放入队列：{job.target}")
                    except Exception as exc:  # keep scheduling the others; the worker logs failures
                        self.stderr.write(f"{job.target} 放入队列失败：{exc}")
                    due[job] = job.next_after(now)
            time.sleep(tick)
