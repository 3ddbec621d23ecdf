"""Background tasks of the kernel: running a scheduled management command in the worker."""

from django_tasks import task


@task()
def run_command_task(name: str) -> None:
    """Run one management command of the periodic table (only those: the name is checked)."""
    from django.core.management import call_command

    from .periodic import periodic_jobs

    if name not in {job.target for job in periodic_jobs() if not job.is_task}:
        raise ValueError(f"{name} 不在 RENDA_PERIODIC_JOBS 中")
    call_command(name)
