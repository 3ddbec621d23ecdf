"""Background tasks of the kernel: running a scheduled management command in the worker.

This module alone knows both the task and the schedule it serves (periodic.py knows no task).
"""

from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks import task

from .periodic import PeriodicJob, periodic_jobs


@task()
def run_command_task(name: str) -> None:
    """Run one management command of the periodic table (only those: the name is checked)."""
    if name not in {job.target for job in periodic_jobs() if not job.is_task}:
        raise ValueError(f"{name} 不在 RENDA_PERIODIC_JOBS 中")
    call_command(name)


def periodic_enqueue(job: PeriodicJob) -> None:
    """Hand the job to the task queue."""
    if job.is_task:
        import_string(job.target).enqueue()
    else:
        run_command_task.enqueue(name=job.target)
