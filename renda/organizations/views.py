"""Organisation pages for staff: the list and tree, a body's page (duties, members), the org chart, edits."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.concurrency import STAMP_FIELD, edit_stamp, refreshed_post
from renda.core.errors import ConcurrentUpdate, DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView

from . import selectors, services
from .forms import AppointmentEndForm, AppointmentForm, DutiesForm, OrganizationFilterForm, OrganizationForm


class OrganizationListView(RendaView):
    permission = "organizations.view"

    def get(self, request):
        form = OrganizationFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        parent = None
        if request.GET.get("parent", "").isdigit():
            parent = selectors.organization_get(user=request.user, pk=int(request.GET["parent"]))
        orgs = selectors.organization_list(
            user=request.user, kind=filters.get("kind", ""), q=filters.get("q", ""), parent=parent
        )
        page = Paginator(orgs, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request,
            "organizations/organization_list.html",
            "organizations/_organization_rows.html",
            {"form": form, "page": page, "parent": parent},
        )


class OrganizationChartView(RendaView):
    permission = "organizations.view"

    def get(self, request):
        roots = selectors.organization_chart(user=request.user)
        return render(request, "organizations/organization_chart.html", {"roots": roots})


class OrganizationDetailView(RendaView):
    permission = "organizations.view"

    def get(self, request, pk):
        org = selectors.organization_get(user=request.user, pk=pk)
        versions = list(selectors.organization_duty_versions(organization=org))
        appointments = selectors.appointment_list(user=request.user, organization=org)
        today = timezone.localdate()
        history = [a for a in appointments if not a.is_current_on(today)]
        context = {
            "org": org,
            "duties": versions[0] if versions else None,
            "duty_history": versions[1:],
            "members": list(selectors.organization_members(organization=org)),
            "history": history,
            "children": selectors.organization_list(user=request.user, parent=org),
        }
        return render(request, "organizations/organization_detail.html", context)


_REGION = {"region": "region_code"}


class OrganizationEditView(RendaView):
    """Create (no pk) or edit a body."""

    permission = "organizations.change"
    template_name = "organizations/organization_form.html"

    def _org(self, request, pk):
        if pk is None:
            return None
        return selectors.organization_get(user=request.user, pk=pk, permission="organizations.change")

    @staticmethod
    def _initial(org) -> dict:
        return {
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "parent": org.parent,
            "region_code": org.region.code,
            "position": org.position,
        }

    def _page(self, request, form, org, status=200, stamp=None):
        if org is not None and not stamp:
            stamp = edit_stamp(org, services.ORGANIZATION_FIELDS)
        context = {"form": form, "org": org, "edit_stamp": stamp}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        org = self._org(request, pk)
        initial = {}
        if org is not None:
            initial = self._initial(org)
        elif request.GET.get("parent", "").isdigit():
            parent = selectors.organization_get(user=request.user, pk=int(request.GET["parent"]))
            initial = {"parent": parent, "region_code": parent.region.code}
        form = OrganizationForm(initial=initial, user=request.user, exclude=org)
        return self._page(request, form, org)

    def post(self, request, pk=None):
        org = self._org(request, pk)
        form = OrganizationForm(request.POST, user=request.user, exclude=org)
        if form.is_valid():
            data = form.cleaned_data
            values = {
                "name": data["name"],
                "short_name": data["short_name"],
                "kind": data["kind"],
                "parent": data["parent"],
                "region": data["region_code"],
                "position": data["position"],
            }
            try:
                if org is None:
                    org = services.organization_create(actor=request.user, **values)
                else:
                    org = services.organization_update(
                        actor=request.user,
                        organization=org,
                        data=values,
                        stamp=request.POST.get(STAMP_FIELD, ""),
                    )
            except ConcurrentUpdate as exc:
                org = self._org(request, pk)
                refresh = (exc.detail or {}).get("refresh", [])
                fresh = refreshed_post(
                    request.POST, fresh_initial=self._initial(org), fields=refresh, names=_REGION
                )
                form = OrganizationForm(fresh, user=request.user, exclude=org)
                form.is_valid()
                add_domain_error(form, exc)
                return self._page(request, form, org, status=409)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("机构“%(n)s”已保存。") % {"n": org.name})
                return redirect("organizations:detail", pk=org.pk)
        return self._page(request, form, org, status=400, stamp=request.POST.get(STAMP_FIELD))


class DutiesEditView(RendaView):
    """A new version of a body's duties; the earlier text stays in the history."""

    permission = "organizations.change"
    template_name = "organizations/duties_form.html"

    def get(self, request, pk):
        org = selectors.organization_get(user=request.user, pk=pk, permission="organizations.change")
        current = selectors.organization_duty_versions(organization=org).first()
        form = DutiesForm(
            initial={"text": current.text if current else "", "effective_on": timezone.localdate()}
        )
        return render(request, self.template_name, {"form": form, "org": org, "current": current})

    def post(self, request, pk):
        org = selectors.organization_get(user=request.user, pk=pk, permission="organizations.change")
        form = DutiesForm(request.POST)
        if form.is_valid():
            try:
                services.organization_duties_set(actor=request.user, organization=org, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("职责已保存为新版本。"))
                return redirect("organizations:detail", pk=org.pk)
        current = selectors.organization_duty_versions(organization=org).first()
        return render(request, self.template_name, {"form": form, "org": org, "current": current}, status=400)


class AppointmentEditView(RendaView):
    """Record an appointment to a body (org_pk) or correct one (pk)."""

    permission = "organizations.change"
    template_name = "organizations/appointment_form.html"

    def _objects(self, request, org_pk, pk):
        if pk is not None:
            appointment = selectors.appointment_get(
                user=request.user, pk=pk, permission="organizations.change"
            )
            return appointment.organization, appointment
        org = selectors.organization_get(user=request.user, pk=org_pk, permission="organizations.change")
        return org, None

    def get(self, request, org_pk=None, pk=None):
        org, appointment = self._objects(request, org_pk, pk)
        initial = {"started_on": timezone.localdate()}
        if appointment is not None:
            initial = {f: getattr(appointment, f) for f in services.APPOINTMENT_FIELDS}
        form = AppointmentForm(initial=initial)
        return self._page(request, form, org, appointment)

    def _page(self, request, form, org, appointment, status=200, stamp=None):
        if appointment is not None and not stamp:
            stamp = edit_stamp(appointment, services.APPOINTMENT_FIELDS)
        context = {"form": form, "org": org, "appointment": appointment, "edit_stamp": stamp}
        return render(request, self.template_name, context, status=status)

    def post(self, request, org_pk=None, pk=None):
        org, appointment = self._objects(request, org_pk, pk)
        form = AppointmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if appointment is None:
                    services.appointment_create(actor=request.user, organization=org, **data)
                else:
                    services.appointment_update(
                        actor=request.user,
                        appointment=appointment,
                        data=data,
                        stamp=request.POST.get(STAMP_FIELD, ""),
                    )
            except ConcurrentUpdate as exc:
                org, appointment = self._objects(request, org_pk, pk)
                refresh = (exc.detail or {}).get("refresh", [])
                current = {f: getattr(appointment, f) for f in services.APPOINTMENT_FIELDS}
                form = AppointmentForm(refreshed_post(request.POST, fresh_initial=current, fields=refresh))
                form.is_valid()
                add_domain_error(form, exc)
                return self._page(request, form, org, appointment, status=409)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("任免信息已保存。"))
                return redirect("organizations:detail", pk=org.pk)
        return self._page(request, form, org, appointment, status=400, stamp=request.POST.get(STAMP_FIELD))


class AppointmentEndView(RendaView):
    """免职 / 离任: end an appointment; it stays in the body's history."""

    permission = "organizations.change"
    template_name = "organizations/appointment_end.html"

    def get(self, request, pk):
        appointment = selectors.appointment_get(user=request.user, pk=pk, permission="organizations.change")
        form = AppointmentEndForm(initial={"ended_on": timezone.localdate()})
        return render(request, self.template_name, {"form": form, "appointment": appointment})

    def post(self, request, pk):
        appointment = selectors.appointment_get(user=request.user, pk=pk, permission="organizations.change")
        form = AppointmentEndForm(request.POST)
        if form.is_valid():
            try:
                services.appointment_end(actor=request.user, appointment=appointment, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已登记免职（离任），该任职保留在历史记录中。"))
                return redirect("organizations:detail", pk=appointment.organization_id)
        return render(request, self.template_name, {"form": form, "appointment": appointment}, status=400)
