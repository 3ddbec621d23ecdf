"""The batch of dossier PDFs (a township's or a congress's deputies) as a background job: a zip built
on disk one PDF at a time, then stored as the job's (encrypted) result file."""

import os

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import DomainError
from renda.deputies.models import Congress
from renda.jobs.services import job_run, job_succeed
from renda.regions.models import Region

from .documents import batch_zip, dossier_pdf, temp_path
from .selectors import batch_deputies, dossier_build, dossier_mandate


def _build(deputy) -> bytes:
    return dossier_pdf(dossier_build(deputy=deputy, mandate=dossier_mandate(deputy=deputy, mandate_id=None)))


def dossier_batch_run(job_id: str) -> None:
    """Job params: {"region_id": int | None, "congress_id": int | None} (at least one). Progress is
    reported after each PDF (percent of deputies done, 1–95; the last 5 % store the file)."""
    from renda.audit.services import audit_record

    def work(job, report):
        region = (
            Region.objects.filter(pk=job.params.get("region_id")).first()
            if job.params.get("region_id")
            else None
        )
        congress = (
            Congress.objects.filter(pk=job.params.get("congress_id")).first()
            if job.params.get("congress_id")
            else None
        )
        if region is None and congress is None:
            raise DomainError(_("请选择乡镇（街道）或人民代表大会"), field="region")
        deputies = batch_deputies(user=job.owner, region=region, congress=congress)
        total = deputies.count()
        if total == 0:
            raise DomainError(_("所选范围内没有您可以查看的代表"), field="region")
        report(1, _("共 %(n)d 位代表，正在生成档案") % {"n": total})

        def progress(done, _total):
            report(min(95, 1 + int(done * 94 / total)), _("已生成 %(d)d/%(n)d 份") % {"d": done, "n": total})

        path = temp_path(".zip")
        try:
            count = batch_zip(
                deputies.iterator(chunk_size=100), build=_build, path=path, report=progress, total=total
            )
            scope = congress.name if congress else region.name
            name = f"代表履职档案-{scope}-{timezone.localtime():%Y%m%d%H%M}.zip"
            with open(path, "rb") as handle:
                job_succeed(
                    job=job,
                    message=_("已生成 %(n)d 份档案") % {"n": count},
                    result={"filename": name, "count": count, "bytes": os.path.getsize(path)},
                    file=File(handle, name="dossiers.zip"),
                )
        finally:
            os.unlink(path)
        audit_record(action="dossier.batch", actor=job.owner, obj=job, detail=f"count={count}")

    job_run(job_id, work)
