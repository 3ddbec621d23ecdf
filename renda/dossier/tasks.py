"""Background tasks of the dossier app."""

from django_tasks import task


@task()
def dossier_batch_task(job_id: str) -> None:
    from .batch import dossier_batch_run

    dossier_batch_run(job_id)
