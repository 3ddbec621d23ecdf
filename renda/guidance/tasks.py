"""Background tasks of the guidance app."""

from django_tasks import task

from .reminders import guidance_reminders_send


@task()
def guidance_reminders_task() -> int:
    """The daily reminders, for a scheduler that enqueues tasks rather than running commands."""
    return guidance_reminders_send()
