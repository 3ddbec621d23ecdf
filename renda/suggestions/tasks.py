"""Background tasks of the suggestions app."""

from django_tasks import task

from .reminders import reminders_send


@task()
def suggestion_reminders_task() -> int:
    """The daily reminders, for a scheduler that enqueues tasks rather than running commands."""
    return reminders_send()


@task()
def suggestion_register_task(job_id: str) -> None:
    from .documents import register_export_run

    register_export_run(job_id)
