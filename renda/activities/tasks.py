"""Background tasks of the activities app."""

from django_tasks import task

from .services import absences_mark


@task()
def activity_absences_task() -> dict:
    """Close the attendance of finished activities (无故缺席), for schedulers that enqueue tasks."""
    return absences_mark()
