"""Several machines, one queue (issue 15 §6): two workers contending for the same jobs never run one
twice, and periodic jobs run once per schedule however many schedulers run."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from renda.core.periodic import PeriodicJob
from renda.jobs.models import PeriodicRun
from renda.jobs.services import periodic_claim
from renda.operations.management.commands import run_periodic

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SKIP LOCKED) are PostgreSQL's; SQLite has one writer",
)


def test_two_schedulers_enqueue_each_slot_once(db, monkeypatch):
    enqueued = []
    monkeypatch.setattr(run_periodic, "periodic_enqueue", lambda job: enqueued.append(job.target))
    jobs = [
        PeriodicJob(target="job_prune", every=3600),
        PeriodicJob(target="x.y.z", daily_at=datetime.time(7)),
    ]
    first, second = {}, {}
    now = timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 30))
    # Both start at the same moment: the current slot of each job runs once (the catch-up run).
    run_periodic.periodic_tick(jobs, now, first, scheduler="a")
    run_periodic.periodic_tick(jobs, now, second, scheduler="b")
    assert sorted(enqueued) == ["job_prune", "x.y.z"]
    # Later ticks in the same hour do nothing; the next hour runs the hourly job once more.
    run_periodic.periodic_tick(jobs, now + datetime.timedelta(minutes=20), first)
    assert len(enqueued) == 2
    later = now + datetime.timedelta(minutes=45)
    run_periodic.periodic_tick(jobs, later, second, scheduler="b")
    run_periodic.periodic_tick(jobs, later, first, scheduler="a")
    assert sorted(enqueued) == ["job_prune", "job_prune", "x.y.z"]
    assert PeriodicRun.objects.filter(target="job_prune").count() == 2


def test_a_failed_enqueue_gives_the_slot_back(db, monkeypatch):
    def broken(job):
        raise RuntimeError("queue away")

    monkeypatch.setattr(run_periodic, "periodic_enqueue", broken)
    job = PeriodicJob(target="job_prune", every=60)
    with pytest.raises(RuntimeError):
        run_periodic.periodic_tick([job], timezone.now(), {})
    assert not PeriodicRun.objects.exists()


def test_slots_are_the_same_on_every_machine():
    hourly = PeriodicJob(target="x", every=3600)
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 59, 59))
    assert hourly.slot(moment) == hourly.slot(moment - datetime.timedelta(minutes=30))
    assert hourly.slot(moment + datetime.timedelta(seconds=1)) - hourly.slot(moment) == datetime.timedelta(
        hours=1
    )
    daily = PeriodicJob(target="x", daily_at=datetime.time(7))
    assert timezone.localtime(daily.slot(moment)).day == 2
    assert timezone.localtime(daily.slot(moment.replace(hour=6))).day == 1


def _in_threads(count, target):
    errors = []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            target(index)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), name=f"w{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_claim_each_slot_once():
    slots = [timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=m) for m in range(30)]
    won = {0: [], 1: [], 2: []}

    def schedule(index):
        for slot in slots:
            if periodic_claim(target="job_prune", due_at=slot, claimed_by=str(index)):
                won[index].append(slot)

    _in_threads(3, schedule)
    claimed = [slot for slots_won in won.values() for slot in slots_won]
    assert sorted(claimed) == sorted(slots)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_contending_never_run_a_job_twice(settings):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from renda.jobs.tests import probe_tasks
    from renda.jobs.worker import ResilientWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    probe_tasks.RUNS.clear()
    for number in range(60):
        probe_tasks.probe_task.enqueue(number=number)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 60

    def work(index):
        worker = ResilientWorker(
            queue_names=["default"],
            interval=0.01,
            batch=True,  # stop when the queue is empty
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"worker-{index}",
            excluded_queue_names=[],
        )
        worker.run()

    _in_threads(2, work)
    numbers = [number for number, _ in probe_tasks.RUNS]
    assert sorted(numbers) == list(range(60)), "every job ran exactly once"
    # Both workers took jobs: they did contend for the same queue.
    assert {thread for _, thread in probe_tasks.RUNS} == {"w0", "w1"}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 60
    assert all(len(result.worker_ids) == 1 for result in DBTaskResult.objects.all())
