"""Background work of the points app: recomputing a year for a big congress, with progress."""

from django.utils.translation import gettext as _
from django_tasks import task

from renda.jobs.services import job_run, job_start

from .models import Scheme


def points_recompute_run(job_id: str) -> None:
    from django.db import transaction

    from renda.audit.services import audit_record

    from . import ledger

    def work(job, report):
        scheme = Scheme.objects.get(pk=job.params["scheme_id"])
        with transaction.atomic():
            ledger.sync_scheme(scheme=scheme, actor=job.owner, reason=_("重新计算"), report=report)
            audit_record(action="points.recompute", actor=job.owner, obj=scheme, detail="job")
        from renda.jobs.services import job_succeed

        job_succeed(job=job, message=_("积分已重新计算"))

    job_run(job_id, work)


@task()
def points_recompute_task(job_id: str) -> None:
    points_recompute_run(job_id)


def points_recompute_start(*, actor, scheme: Scheme):
    """Start the recomputation of a scheme's year as a job; returns the Job (its page shows progress)."""
    return job_start(
        owner=actor,
        kind="points.recompute",
        title=_("重新计算积分：%(n)s") % {"n": scheme.name},
        task=points_recompute_task,
        params={"scheme_id": scheme.pk},
    )
