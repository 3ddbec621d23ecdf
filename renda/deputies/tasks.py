"""Background tasks of the deputies app: roster check and import, roster export."""

from django_tasks import task


@task()
def roster_check_task(job_id: str) -> None:
    from .imports import roster_check_run

    roster_check_run(job_id)


@task()
def roster_import_task(job_id: str) -> None:
    from .imports import roster_import_run

    roster_import_run(job_id)


@task()
def roster_export_task(job_id: str) -> None:
    from .exports import roster_export_run

    roster_export_run(job_id)
