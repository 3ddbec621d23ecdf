"""Periodic tasks of the jobs app, for a scheduler that enqueues django-tasks."""

from django_tasks import task


@task()
def job_reap_stale_task() -> int:
    from .services import job_reap_stale

    return job_reap_stale()
