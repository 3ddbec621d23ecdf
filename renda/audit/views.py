"""The auditor's pages: search the log, and export what was found."""

from django.shortcuts import redirect, render

from renda.core.paging import Paginator, list_page, list_query
from renda.core.views import RendaView
from renda.jobs.services import job_start

from .forms import AuditFilterForm
from .selectors import audit_list
from .services import audit_record
from .tasks import audit_export_task


class AuditListView(RendaView):
    permission = "audit.view"

    def get(self, request):
        form = AuditFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        entries = audit_list(user=request.user, filters=filters)
        page = list_page(request, entries, size=50)
        template = "audit/_entries.html" if request.htmx else "audit/audit_list.html"
        return render(request, template, {"form": form, "page": page, "query": list_query(request)})


class AuditExportView(RendaView):
    permission = "audit.export"

    def post(self, request):
        form = AuditFilterForm(request.POST)
        if not form.is_valid():
            page = Paginator(audit_list(user=request.user, filters={}), 50).get_page(1)
            return render(request, "audit/audit_list.html", {"form": form, "page": page}, status=400)
        params = {k: v for k, v in request.POST.items() if k in form.fields and v}
        audit_record(action="audit.export_request", actor=request.user, detail=str(params))
        job = job_start(
            owner=request.user,
            kind="audit_export",
            title="导出审计日志",
            task=audit_export_task,
            params=params,
        )
        return redirect("jobs:detail", job_id=job.pk)
