"""Background tasks of the notifications app."""

from django_tasks import task

from .services import notification_retry


@task()
def notification_retry_task() -> dict:
    """Retry failed deliveries, for schedulers that enqueue tasks rather than run commands."""
    return notification_retry()
