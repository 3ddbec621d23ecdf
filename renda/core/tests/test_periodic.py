"""The periodic-job table and its scheduler (run_periodic): parsing, due times, enqueueing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from renda.core.periodic import PeriodicJob, periodic_jobs
from renda.core.tasks import periodic_enqueue


def test_table_parses_intervals_and_daily_times():
    jobs = periodic_jobs([("job_prune", 3600), ("suggestion_reminders", "07:00"), ("a.b.c_task", 60)])
    assert jobs[0].every == 3600 and jobs[1].daily_at == datetime.time(7, 0) and jobs[2].is_task


@pytest.mark.parametrize("line", [("job_prune", "7am"), ("job_prune", 0), ("job_prune",), "job_prune"])
def test_a_malformed_line_stops_the_scheduler_with_its_name(line):
    with pytest.raises(ValueError, match="RENDA_PERIODIC_JOBS"):
        periodic_jobs([line])


def test_next_due_time(settings):
    daily = PeriodicJob(target="x", daily_at=datetime.time(7, 0))
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 6, 59))
    assert timezone.localtime(daily.next_after(morning)).hour == 7
    assert timezone.localtime(daily.next_after(morning)).day == 2
    evening = timezone.make_aware(datetime.datetime(2026, 3, 2, 7, 0))
    assert timezone.localtime(daily.next_after(evening)).day == 3
    hourly = PeriodicJob(target="x", every=3600)
    assert hourly.next_after(morning) - morning == datetime.timedelta(hours=1)


def test_default_table_names_real_commands():
    from django.core.management import get_commands

    commands = get_commands()
    for job in periodic_jobs():
        assert job.is_task or job.target in commands, job.target


def test_once_enqueues_every_job_and_the_worker_runs_the_commands(db, settings, capsys):
    # The test settings run tasks at once (ImmediateBackend): enqueueing runs the command.
    settings.RENDA_PERIODIC_JOBS = [("job_prune", 3600), ("credential_sheet_prune", "03:00")]
    call_command("run_periodic", "--once")
    out = capsys.readouterr().out
    assert "已删除 0 个后台任务" in out and "份初始密码表" in out


def test_only_commands_in_the_table_run(db, settings):
    from renda.core.tasks import run_command_task

    settings.RENDA_PERIODIC_JOBS = [("job_prune", 3600)]
    with pytest.raises(ValueError, match="不在 RENDA_PERIODIC_JOBS"):
        run_command_task.call(name="flush")
    periodic_enqueue(PeriodicJob(target="job_prune", every=3600))
