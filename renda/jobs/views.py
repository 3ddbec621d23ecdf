"""The list of the user's own jobs, the job page, the progress partial that htmx polls, and the result
download."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from renda.core.access import has_permission
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView

from .selectors import job_get, job_list
from .services import job_file_open


class JobListView(RendaView):
    """/jobs/: the way back to a finished job's result (a batch of dossiers, an export) after its
    page was left."""

    permission = "jobs.view"

    def get(self, request):
        page = Paginator(job_list(user=request.user), 30).get_page(request.GET.get("page"))
        return render(request, "jobs/job_list.html", {"page": page})


class JobDetailView(RendaView):
    permission = "jobs.view"

    def get(self, request, job_id):
        job = job_get(user=request.user, job_id=job_id)
        return render_page_or_partial(request, "jobs/job_detail.html", "jobs/_progress.html", {"job": job})


class JobDownloadView(RendaView):
    permission = "jobs.view"

    def get(self, request, job_id):
        job = job_get(user=request.user, job_id=job_id)
        if not job.result_file:
            raise Http404
        # A file holding clear personal data is handed out only while the owner still may see it.
        needed = job.params.get("requires_permission")
        if needed and not has_permission(request.user, needed):
            raise Http404
        name = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
        # Decrypted only here, for a user who may have it (issue 13 §6).
        return FileResponse(job_file_open(job), as_attachment=True, filename=name)
