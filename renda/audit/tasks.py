"""Background tasks of the audit app."""

from django_tasks import task

from .exports import audit_export_run


@task()
def audit_export_task(job_id: str) -> None:
    audit_export_run(job_id)
