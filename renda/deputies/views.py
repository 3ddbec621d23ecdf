"""Deputy pages: the roster and a deputy's page for staff, the phone portal for the deputy."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import DomainError
from renda.core.htmx import render_page_or_partial
from renda.core.views import RendaView
from renda.duty_records.models import DutyRecord
from renda.duty_records.selectors import duty_record_list
from renda.duty_records.services import duty_record_add

from . import selectors, services
from .forms import DeclareForm, DeputyFilterForm


class DeputyListView(RendaView):
    permission = "deputies.view"

    def get(self, request):
        form = DeputyFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        deputies = selectors.deputy_list(user=request.user, **filters)
        page = Paginator(deputies, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request, "deputies/deputy_list.html", "deputies/_deputy_rows.html", {"form": form, "page": page}
        )


class DeputyDetailView(RendaView):
    permission = "deputies.view"

    def get(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk)
        records = duty_record_list(user=request.user, deputy=deputy)[:20]
        return render(request, "deputies/deputy_detail.html", {"deputy": deputy, "records": records})


class DeputyRevealView(RendaView):
    """Show one protected value in clear (permission required, every reveal audited)."""

    permission = "personal_data.reveal"

    def post(self, request, pk, field):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission="personal_data.reveal")
        try:
            value = services.deputy_reveal(actor=request.user, deputy=deputy, field=field)
        except DomainError:
            from django.http import Http404

            raise Http404 from None
        return render(request, "deputies/_revealed.html", {"value": value})


class PortalView(RendaView):
    """The deputy's own page, built for a 360-pixel phone on a slow network."""

    permission = "portal.use"

    def _context(self, request, form):
        deputy = selectors.deputy_for_user(user=request.user)
        year = timezone.localdate().year
        records = duty_record_list(user=request.user, year=year) if deputy else DutyRecord.objects.none()
        return {
            "deputy": deputy,
            "records": records[:10],
            "record_count": records.count(),
            "year": year,
            "form": form,
        }

    def get(self, request):
        form = DeclareForm(initial={"occurred_on": timezone.localdate()})
        return render(request, "deputies/portal.html", self._context(request, form))

    def post(self, request):
        form = DeclareForm(request.POST)
        deputy = selectors.deputy_for_user(user=request.user)
        if deputy is not None and form.is_valid():
            data = form.cleaned_data
            try:
                duty_record_add(
                    deputy=deputy,
                    kind=data["kind"],
                    title=data["title"],
                    occurred_on=data["occurred_on"],
                    note=data["note"],
                    origin=DutyRecord.Origin.DECLARED,
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("已提交申报，等待工作人员审核。"))
                return redirect("deputies:portal")
        return render(request, "deputies/portal.html", self._context(request, form), status=400)
