"""Background tasks of the work plan."""

from django_tasks import task

from .reminders import workplan_reminders_send


@task()
def workplan_reminders_task() -> int:
    """The daily reminders, for a scheduler that enqueues tasks rather than running commands."""
    return workplan_reminders_send()
