"""Dossier pages (/dossier/): one deputy's dossier for a term (web, PDF), the handbook (A5 PDF),
commendations, and the batch of a township's or congress's dossiers as a background job."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.views import RendaView
from renda.deputies.selectors import congress_choices, deputy_for_user, township_choices

from . import documents, selectors, services
from .forms import BatchForm, CommendationForm


def _mandate_id(request) -> int | None:
    value = request.GET.get("mandate", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _dossier(request, pk):
    deputy = selectors.dossier_deputy(user=request.user, pk=pk)
    mandate_id = _mandate_id(request)
    mandate = selectors.dossier_mandate(deputy=deputy, mandate_id=mandate_id)
    if mandate_id and mandate is None:
        raise Http404
    return selectors.dossier_build(deputy=deputy, mandate=mandate)


class DossierIndexView(RendaView):
    """/dossier/: a deputy goes to their own dossier; staff to the batch page."""

    permission = "dossier.view"

    def get(self, request):
        deputy = deputy_for_user(user=request.user)
        if deputy is not None:
            return redirect("dossier:detail", pk=deputy.pk)
        if has_permission(request.user, "dossier.batch"):
            return redirect("dossier:batch")
        raise Http404


class DossierDetailView(RendaView):
    permission = "dossier.view"

    def get(self, request, pk):
        dossier = _dossier(request, pk)
        can_commend = has_permission(request.user, "duty_records.add")
        return render(
            request,
            "dossier/dossier_detail.html",
            {
                "d": dossier,
                "mandates": dossier.profile["mandates"],
                "commendation_form": CommendationForm() if can_commend else None,
            },
        )


class DossierPdfView(RendaView):
    permission = "dossier.view"

    def get(self, request, pk):
        dossier = _dossier(request, pk)
        response = HttpResponse(documents.dossier_pdf(dossier), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="dossier-{dossier.deputy.pk}.pdf"'
        return response


class HandbookView(RendaView):
    permission = "dossier.view"

    def get(self, request, pk):
        deputy = selectors.dossier_deputy(user=request.user, pk=pk)
        mandate = selectors.dossier_mandate(deputy=deputy, mandate_id=_mandate_id(request))
        pdf = documents.handbook_pdf(**selectors.handbook_parts(deputy=deputy, mandate=mandate))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="handbook-{deputy.pk}.pdf"'
        return response


class CommendationAddView(RendaView):
    permission = "duty_records.add"

    def post(self, request, pk):
        deputy = selectors.dossier_deputy(user=request.user, pk=pk)
        form = CommendationForm(request.POST)
        if form.is_valid():
            try:
                services.commendation_add(actor=request.user, deputy=deputy, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("表彰已记入履职档案。"))
                return redirect("dossier:detail", pk=deputy.pk)
        for errors in form.errors.values():
            messages.error(request, errors[0])
            break
        return redirect("dossier:detail", pk=deputy.pk)


class BatchView(RendaView):
    permission = "dossier.batch"

    def _form(self, request, data=None):
        return BatchForm(
            data, congresses=congress_choices(user=request.user), regions=township_choices(user=request.user)
        )

    def get(self, request):
        return render(request, "dossier/batch.html", {"form": self._form(request)})

    def post(self, request):
        from renda.jobs.services import job_start

        from .tasks import dossier_batch_task

        form = self._form(request, request.POST)
        if not form.is_valid():
            return render(request, "dossier/batch.html", {"form": form}, status=400)
        data = form.cleaned_data
        job = job_start(
            owner=request.user,
            kind="dossier.batch",
            title=_("批量生成代表履职档案"),
            task=dossier_batch_task,
            params={
                "congress_id": data["congress"].pk if data["congress"] else None,
                "region_id": data["region"].pk if data["region"] else None,
                # The zip holds personal data: only while its owner may still read dossiers.
                "requires_permission": "dossier.batch",
            },
        )
        return redirect("jobs:detail", job_id=job.pk)
