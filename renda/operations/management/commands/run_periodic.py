"""Enqueue the periodic jobs of settings.RENDA_PERIODIC_JOBS on their schedule (a small scheduler
that runs beside `db_worker`; `make run` starts both). `--once` enqueues every job once and exits
(for cron, or to fill the demo's reminders at once).

Any number of schedulers may run (one per application machine): each slot of each job is claimed
in the database (renda.jobs.services.periodic_claim) and only the scheduler that wins the claim
enqueues it, so a job runs once per schedule across the cluster (issue 15 §6).
"""

import datetime
import os
import socket
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from renda.core.periodic import PeriodicJob, periodic_jobs
from renda.core.tasks import periodic_enqueue
from renda.jobs.services import periodic_claim


def periodic_tick(
    jobs: list[PeriodicJob], now: datetime.datetime, seen: dict, *, scheduler: str = ""
) -> list[PeriodicJob]:
    """One pass of the scheduler: for each job whose current slot this scheduler has not yet
    handled, claim the slot and, if the claim is won, enqueue the job. `seen` (job → last slot
    handled) is the scheduler's memory between ticks. Returns the jobs this scheduler enqueued.

    At start `seen` is empty, so the current slot of every job is claimed: a job whose last run was
    missed while every scheduler was down runs once to catch up (the jobs are idempotent: reminders
    are once-only per key, prunes delete what is old), and not again if another scheduler ran it.
    """
    enqueued = []
    for job in jobs:
        slot = job.slot(now)
        if seen.get(job) == slot:
            continue
        seen[job] = slot
        # Claim and enqueue together: a failed enqueue gives the slot back for the next tick.
        with transaction.atomic():
            if periodic_claim(target=job.target, due_at=slot, claimed_by=scheduler):
                periodic_enqueue(job)
                enqueued.append(job)
    return enqueued


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
        scheduler = f"{socket.gethostname()}:{os.getpid()}"
        seen: dict = {}
        while True:
            now = timezone.now()
            try:
                for job in periodic_tick(jobs, now, seen, scheduler=scheduler):
                    self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} 已放入队列：{job.target}")
            except Exception as exc:  # the database may be away for a moment; try again next tick
                self.stderr.write(f"定时任务调度出错：{exc}")
                seen.clear()
            time.sleep(tick)
