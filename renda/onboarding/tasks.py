"""Background tasks of onboarding: bulk account creation."""

from django_tasks import task


@task()
def accounts_bulk_task(job_id: str) -> None:
    from .services import accounts_bulk_run

    accounts_bulk_run(job_id)
