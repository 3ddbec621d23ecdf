"""Periodic tasks of the operations app, for a scheduler that enqueues django-tasks (every minute)."""

from django_tasks import task


@task()
def ops_check_task() -> dict:
    from .checks import ops_check

    return ops_check()
