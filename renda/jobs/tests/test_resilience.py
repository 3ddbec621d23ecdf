"""Jobs survive faults: transient database errors are retried, the worker keeps running and beats,
a job whose worker vanished is failed with a clear message; the supervisor restarts what dies."""

import datetime
import os
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from renda.jobs import worker as worker_module
from renda.jobs.models import Job, WorkerBeat
from renda.jobs.services import is_transient_db_error, job_run
from renda.jobs.signals import job_failed
from renda.jobs.worker import ResilientWorker

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _fast(settings, monkeypatch):
    settings.RENDA_JOB_RETRY_SECONDS = 0.01


def _raise(exc):
    def fail(*args, **kwargs):
        raise exc

    return fail


def _job(owner, kind="test") -> Job:
    return Job.objects.create(owner=owner, kind=kind, title="测试")


def test_transient_errors_are_told_apart():
    assert is_transient_db_error(OperationalError("database is locked"))
    assert is_transient_db_error(OperationalError("server closed the connection unexpectedly"))
    assert not is_transient_db_error(OperationalError("no such table: jobs_job"))
    assert not is_transient_db_error(ValueError("database is locked"))


def test_a_job_retries_a_locked_database_then_succeeds(users):
    job, calls = _job(users["county_staff"]), []

    def work(job, report):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED)

    job_run(str(job.pk), work)
    job.refresh_from_db()
    assert len(calls) == 3 and job.state == Job.State.SUCCEEDED


def test_a_lasting_error_fails_the_job_and_tells_its_app(users, settings):
    settings.RENDA_JOB_RETRIES = 1
    job, told = _job(users["county_staff"]), []

    def listener(sender, job, reason, **kwargs):
        told.append((job.pk, reason))

    job_failed.connect(listener)
    try:
        with pytest.raises(OperationalError):
            job_run(str(job.pk), _raise(OperationalError("database is locked")))
    finally:
        job_failed.disconnect(listener)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "任务执行出错" in job.message
    assert told == [(job.pk, "error")]


def _worker(**kwargs) -> ResilientWorker:
    options = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "heartbeat_seconds": 3600,
    }
    options.update(kwargs)
    return ResilientWorker(**options)


def test_the_worker_keeps_running_through_a_locked_database(db, monkeypatch):
    rounds, waits = [], []

    def flaky_run(self):
        rounds.append(1)
        if len(rounds) <= 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(Worker, "run", flaky_run)
    monkeypatch.setattr(worker_module.time, "sleep", waits.append)
    worker = _worker()
    worker.run()
    assert len(rounds) == 4 and worker.restarts == 3
    assert waits == [0.5, 1.0, 2.0]  # back-off
    assert not WorkerBeat.objects.exists()  # a clean stop removes its heartbeat row


def test_the_worker_does_not_hide_a_real_error(db, monkeypatch):
    monkeypatch.setattr(Worker, "run", _raise(OperationalError("no such table: x")))
    with pytest.raises(OperationalError):
        _worker().run()


def test_the_heartbeat_marks_the_worker_and_its_job(users):
    job = _job(users["county_staff"])
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    worker = _worker()
    worker.current_job_id = str(job.pk)
    worker.beat()
    beat = WorkerBeat.objects.get()
    assert beat.worker_id == "test-worker" and beat.pid == os.getpid()
    assert str(beat.current_job) == str(job.pk)
    job.refresh_from_db()
    assert job.heartbeat_at and timezone.now() - job.heartbeat_at < datetime.timedelta(seconds=5)


def test_a_job_whose_worker_vanished_is_failed_with_a_clear_message(users, settings):
    settings.RENDA_JOB_STALE_SECONDS = 300
    silent, alive, queued = (_job(users["county_staff"]) for _ in range(3))
    long_ago = timezone.now() - datetime.timedelta(minutes=6)
    Job.objects.filter(pk=silent.pk).update(state=Job.State.RUNNING, percent=40, heartbeat_at=long_ago)
    Job.objects.filter(pk=alive.pk).update(state=Job.State.RUNNING, heartbeat_at=timezone.now())
    Job.objects.filter(pk=queued.pk).update(created_at=long_ago)
    WorkerBeat.objects.create(worker_id="killed", last_seen=timezone.now() - datetime.timedelta(days=2))
    WorkerBeat.objects.create(worker_id="alive", last_seen=timezone.now())
    call_command("job_reap_stale", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {silent.pk: "failed", alive.pk: "running", queued.pk: "queued"}
    silent.refresh_from_db()
    assert "后台处理进程已中断" in silent.message and "请重新操作" in silent.message and silent.finished_at


def test_the_supervisor_restarts_what_dies(tmp_path):
    runs = tmp_path / "runs"
    env = {**os.environ, "RENDA_SUPERVISE_MIN_DELAY": "0.1"}
    crashing = ["/bin/sh", "-c", f"echo run >> {runs}; exit 3"]
    process = subprocess.Popen(  # noqa: S603
        ["/bin/sh", str(ROOT / "scripts/supervise.sh"), "测试进程", *crashing],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (not runs.exists() or runs.read_text().count("run") < 3):
            time.sleep(0.1)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert runs.read_text().count("run") >= 3
    assert "测试进程 已退出（代码 3）" in output
    assert process.returncode == 0  # stopped on request, not crashed
