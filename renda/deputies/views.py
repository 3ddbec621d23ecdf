"""Deputy pages: the roster, a deputy's page, import and export for staff, 双联系, the phone portal."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import Role, has_permission
from renda.core.concurrency import STAMP_FIELD, edit_stamp, refreshed_post
from renda.core.errors import ConcurrentUpdate, DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator, list_page
from renda.core.views import RendaView
from renda.duty_records.models import DutyRecord
from renda.duty_records.selectors import duty_record_list
from renda.duty_records.services import duty_record_add

from . import selectors, services
from .forms import (
    AssignmentForm,
    CommitteeContactForm,
    CongressForm,
    ConstituencyForm,
    ConstituentContactForm,
    DeclareForm,
    DeputyCreateForm,
    DeputyEditForm,
    DeputyFilterForm,
    ExternalRoleForm,
    MandateAddForm,
    MandateTransitionForm,
    RosterUploadForm,
)
from .models import Contact, Mandate
from .tasks import roster_export_start, roster_import_confirm, roster_import_start
from .transitions import allowed_next

_FIND_SESSION_KEY = "renda_deputy_find"


class DeputyListView(RendaView):
    """The roster. The filter form posts; an exact ID or phone search becomes `find=<token>`, a
    random key into this session's searches, so the number never reaches a URL, the browser's
    history or an access log (issue 13 §6). Everything else stays a plain, shareable GET query."""

    permission = "deputies.view"

    def get(self, request):
        data = request.GET.copy()
        find = data.pop("find", [""])[-1]
        extra = {}
        if find:
            found = request.session.get(_FIND_SESSION_KEY, {}).get(find)
            if found is None:
                messages.warning(request, _("该查找已失效，请重新输入证件号或电话查找。"))
                extra = {"id_number_index": "-"}  # matches nothing
            else:
                extra = {f"{found['kind']}_index": found["index"]}
            data.pop("q", None)
        form = DeputyFilterForm(data or None, user=request.user)
        filters = {**form.filters(), **extra}
        if extra:
            filters.pop("q", None)
        deputies = selectors.deputy_list(user=request.user, **filters)
        page = list_page(request, deputies, size=30)
        query = request.GET.copy()
        for place in ("page", "after", "before"):
            query.pop(place, None)
        export_query = data.copy()
        if find:
            export_query["find"] = find
        context = {"form": form, "page": page, "query": query.urlencode(), "export_query": export_query}
        return render_page_or_partial(
            request, "deputies/deputy_list.html", "deputies/_deputy_rows.html", context
        )

    def post(self, request):
        from django.http import HttpResponseRedirect
        from django.utils.http import urlencode

        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
        personal = selectors.personal_search_index(data.get("q", ""))
        params = {k: v for k, v in data.items() if v and k != "page"}
        if personal is not None:
            import secrets

            token = secrets.token_urlsafe(9)
            searches = dict(list(request.session.get(_FIND_SESSION_KEY, {}).items())[-19:])
            searches[token] = {"kind": personal[0], "index": personal[1]}
            request.session[_FIND_SESSION_KEY] = searches
            params.pop("q", None)
            params["find"] = token
        url = f"{reverse('deputies:list')}?{urlencode(params)}"
        if request.htmx:
            request.GET = request.GET.copy()
            request.GET.clear()
            request.GET.update(params)
            response = self.get(request)
            response["HX-Push-Url"] = url
            return response
        return HttpResponseRedirect(url, status=303)


class DeputyExportView(RendaView):
    """Export the filtered roster in the background; masked unless the user may reveal."""

    permission = "deputies.export"

    def post(self, request):
        form = DeputyFilterForm(request.POST, user=request.user)
        filters = form.filters()
        found = request.session.get(_FIND_SESSION_KEY, {}).get(request.POST.get("find", ""))
        if found is not None:
            filters.pop("q", None)
            filters[f"{found['kind']}_index"] = found["index"]
        job = roster_export_start(actor=request.user, filters=filters)
        return redirect("jobs:detail", job_id=job.pk)


class DeputyDetailView(RendaView):
    permission = "deputies.view"

    def get(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk)
        return render(request, "deputies/deputy_detail.html", self.context(request, deputy))

    @staticmethod
    def context(request, deputy, **forms) -> dict:
        profile = selectors.deputy_profile(deputy=deputy)
        can_change = has_permission(request.user, "deputies.change")
        transition_forms = {}
        if can_change:
            for mandate in profile["mandates"]:
                allowed = allowed_next(mandate.status)
                if allowed:
                    transition_forms[mandate.pk] = forms.get(
                        f"transition_{mandate.pk}"
                    ) or MandateTransitionForm(
                        allowed=allowed,
                        prefix=f"m{mandate.pk}",
                        initial={"occurred_on": timezone.localdate()},
                    )
        for mandate in profile["mandates"]:
            mandate.transition_form = transition_forms.get(mandate.pk)
        context = {
            "deputy": deputy,
            "stations": [s["station"] for s in selectors.portal_stations(deputy=deputy)],
            "records": duty_record_list(user=request.user, deputy=deputy)[:20],
            "contacts": selectors.contact_list(user=request.user, deputy=deputy)[:10]
            if has_permission(request.user, "contacts.view")
            else [],
            **profile,
        }
        if can_change:
            context["mandate_form"] = forms.get("mandate_form") or _mandate_add_form(request.user)
            context["role_form"] = forms.get("role_form") or ExternalRoleForm(
                organizations=selectors.external_role_organizations(user=request.user),
                initial={"starts_on": timezone.localdate()},
            )
        if has_permission(request.user, "contacts.assign"):
            context["assignments"] = selectors.assignments_active(user=request.user, deputy=deputy)
            context["assignment_form"] = forms.get("assignment_form") or AssignmentForm(
                members=selectors.committee_members(user=request.user)
            )
        return context


def _mandate_add_form(user, data=None) -> MandateAddForm:
    congresses = list(selectors.congress_kept(user=user))
    return MandateAddForm(
        data,
        congresses=congresses,
        constituencies=selectors.constituency_options(user=user, congresses=congresses),
        prefix="mandate",
    )


class DeputyCreateView(RendaView):
    """新增代表: the person and, optionally, their first mandate — both written, or neither."""

    permission = "deputies.change"

    def _form(self, request, data=None):
        congresses = list(selectors.congress_kept(user=request.user))
        return DeputyCreateForm(
            data,
            regions=selectors.township_choices(user=request.user),
            congresses=congresses,
            constituencies=selectors.constituency_options(user=request.user, congresses=congresses),
        )

    def get(self, request):
        return render(request, "deputies/deputy_new.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            mandate = form.mandate_data()
            try:
                with transaction.atomic():  # the person and the mandate together, or neither
                    deputy = services.deputy_create(actor=request.user, **form.person_data())
                    if mandate is not None:
                        services.mandate_create(actor=request.user, deputy=deputy, **mandate)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("代表已登记。"))
                return redirect("deputies:detail", pk=deputy.pk)
        return render(request, "deputies/deputy_new.html", {"form": form}, status=400)


class MandateAddView(RendaView):
    """增加代表资格 on a deputy's page."""

    permission = "deputies.change"

    def post(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
        form = _mandate_add_form(request.user, request.POST)
        if form.is_valid():
            try:
                services.mandate_create(actor=request.user, deputy=deputy, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("代表资格已登记。"))
                return redirect("deputies:detail", pk=deputy.pk)
        context = DeputyDetailView.context(request, deputy, mandate_form=form)
        return render(request, "deputies/deputy_detail.html", context, status=400)


class CongressListView(RendaView):
    """届次与选区: the congresses of the user's jurisdiction with their constituencies, and the forms
    to add a congress (of the user's own region) and a constituency."""

    permission = "deputies.change"

    def get(self, request):
        return render(request, "deputies/congress_list.html", self.context(request))

    @staticmethod
    def context(request, *, congress_form=None, constituency_form=None) -> dict:
        user = request.user
        page = Paginator(selectors.congress_list(user=user), 20).get_page(request.GET.get("page"))
        region = user.region if user.region_id else None
        congress_form = congress_form or CongressForm(region=region)
        manageable = list(selectors.congress_manageable(user=user))
        constituency_form = constituency_form or ConstituencyForm(
            congresses=manageable, regions=selectors.constituency_region_choices(user=user)
        )
        return {
            "page": page,
            "congress_form": congress_form if congress_form.fields["level"].choices else None,
            "constituency_form": constituency_form if manageable else None,
        }


class CongressCreateView(RendaView):
    permission = "deputies.change"

    def post(self, request):
        user = request.user
        form = CongressForm(request.POST, region=user.region if user.region_id else None)
        if form.is_valid():
            try:
                congress = services.congress_create(actor=user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已添加%(name)s。") % {"name": congress.name})
                return redirect("deputies:congresses")
        context = CongressListView.context(request, congress_form=form)
        return render(request, "deputies/congress_list.html", context, status=400)


class ConstituencyCreateView(RendaView):
    permission = "deputies.change"

    def post(self, request):
        user = request.user
        form = ConstituencyForm(
            request.POST,
            congresses=selectors.congress_manageable(user=user),
            regions=selectors.constituency_region_choices(user=user),
        )
        if form.is_valid():
            try:
                constituency = services.constituency_create(actor=user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已添加%(name)s。") % {"name": constituency.name})
                return redirect("deputies:congresses")
        context = CongressListView.context(request, constituency_form=form)
        return render(request, "deputies/congress_list.html", context, status=400)


class DeputyEditView(RendaView):
    permission = "deputies.change"
    EDIT_FIELDS = (
        "name",
        "gender",
        "ethnicity",
        "birth_month",
        "native_place",
        "political_affiliation",
        "education",
        "workplace",
        "sector",
    )

    def _initial(self, deputy) -> dict:
        initial = {f: getattr(deputy, f) for f in self.EDIT_FIELDS}
        initial["birth_month"] = deputy.birth_month_display
        return initial

    def _page(self, request, deputy, form, status=200, stamp=None):
        # A form refused for bad input keeps the stamp of the page the clerk first opened.
        context = {
            "deputy": deputy,
            "form": form,
            "edit_stamp": stamp or edit_stamp(deputy, self.EDIT_FIELDS),
        }
        return render(request, "deputies/deputy_form.html", context, status=status)

    def get(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
        return self._page(request, deputy, DeputyEditForm(initial=self._initial(deputy)))

    def post(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
        form = DeputyEditForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
            try:
                with transaction.atomic():  # the fields and the photo together, or neither
                    services.deputy_update(
                        actor=request.user, deputy=deputy, data=data, stamp=request.POST.get(STAMP_FIELD, "")
                    )
                    if form.cleaned_data.get("photo"):
                        services.deputy_photo_set(
                            actor=request.user, deputy=deputy, photo=form.cleaned_data["photo"]
                        )
            except ConcurrentUpdate as exc:
                # Shown again with this clerk's input, the other clerk's untouched changes, a fresh stamp.
                deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
                fresh = refreshed_post(
                    request.POST,
                    fresh_initial=self._initial(deputy),
                    fields=(exc.detail or {}).get("refresh", []),
                )
                form = DeputyEditForm(fresh)
                form.is_valid()
                add_domain_error(form, exc)
                return self._page(request, deputy, form, status=409)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("代表信息已保存。"))
                return redirect("deputies:detail", pk=deputy.pk)
        return self._page(request, deputy, form, status=400, stamp=request.POST.get(STAMP_FIELD))


class DeputyPhotoView(RendaView):
    """The photo is personal data too: served only to those who may see the deputy."""

    permission = "deputies.view"

    def get(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk)
        if not deputy.photo:
            raise Http404
        response = FileResponse(deputy.photo.open("rb"))
        response["Cache-Control"] = "private, max-age=3600"
        return response


class DeputyRevealView(RendaView):
    """Show one protected value in clear (permission required, every reveal audited)."""

    permission = "personal_data.reveal"

    def post(self, request, pk, field):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission="personal_data.reveal")
        try:
            value = services.deputy_reveal(actor=request.user, deputy=deputy, field=field)
        except DomainError:
            raise Http404 from None
        return render(request, "deputies/_revealed.html", {"value": value})


class MandateTransitionView(RendaView):
    permission = "deputies.change"

    def post(self, request, pk):
        mandate = selectors.mandate_get(user=request.user, pk=pk, permission=self.permission)
        # Every status is a valid choice here: the service decides against the current status, so a page
        # opened before a colleague's change gets the refusal that names them (not a silent re-render).
        form = MandateTransitionForm(
            request.POST, allowed=list(Mandate.Status.values), prefix=f"m{mandate.pk}"
        )
        if form.is_valid():
            try:
                services.mandate_transition(actor=request.user, mandate=mandate, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                if not allowed_next(Mandate.objects.get(pk=mandate.pk).status):
                    # The form is no longer shown for this mandate: the refusal goes above the page.
                    messages.error(request, exc.message)
                    return redirect("deputies:detail", pk=mandate.deputy_id)
            else:
                messages.success(request, _("代表资格状态已变更。"))
                return redirect("deputies:detail", pk=mandate.deputy_id)
        deputy = selectors.deputy_get(user=request.user, pk=mandate.deputy_id)
        context = DeputyDetailView.context(request, deputy, **{f"transition_{mandate.pk}": form})
        return render(request, "deputies/deputy_detail.html", context, status=400)


class ExternalRoleAddView(RendaView):
    permission = "deputies.change"

    def post(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
        form = ExternalRoleForm(
            request.POST, organizations=selectors.external_role_organizations(user=request.user)
        )
        if form.is_valid():
            try:
                services.external_role_add(actor=request.user, deputy=deputy, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("兼任职务已添加。"))
                return redirect("deputies:detail", pk=deputy.pk)
        context = DeputyDetailView.context(request, deputy, role_form=form)
        return render(request, "deputies/deputy_detail.html", context, status=400)


class ExternalRoleEndView(RendaView):
    permission = "deputies.change"

    def post(self, request, pk):
        role = selectors.external_role_get(user=request.user, pk=pk)
        try:
            services.external_role_end(actor=request.user, role=role, ends_on=timezone.localdate())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("聘期已结束。"))
        return redirect("deputies:detail", pk=role.deputy_id)


class AssignmentAddView(RendaView):
    permission = "contacts.assign"

    def post(self, request, pk):
        deputy = selectors.deputy_get(user=request.user, pk=pk, permission=self.permission)
        form = AssignmentForm(request.POST, members=selectors.committee_members(user=request.user))
        if form.is_valid():
            try:
                services.contact_assignment_add(
                    actor=request.user, member=form.cleaned_data["member"], deputy=deputy
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已安排联系。"))
                return redirect("deputies:detail", pk=deputy.pk)
        context = DeputyDetailView.context(request, deputy, assignment_form=form)
        return render(request, "deputies/deputy_detail.html", context, status=400)


class AssignmentEndView(RendaView):
    permission = "contacts.assign"

    def post(self, request, pk):
        assignment = selectors.assignment_get(user=request.user, pk=pk)
        try:
            services.contact_assignment_end(actor=request.user, assignment=assignment)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已结束联系安排。"))
        if request.POST.get("next") == "liaison":
            return redirect("deputies:liaison")
        return redirect("deputies:detail", pk=assignment.deputy_id)


# --- roster import ---


class RosterImportNewView(RendaView):
    permission = "deputies.import"

    def _form(self, request, data=None, files=None):
        congresses = selectors.congress_kept(user=request.user)
        return RosterUploadForm(data, files, congresses=congresses)

    def get(self, request):
        return render(request, "deputies/import_new.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = roster_import_start(
                    actor=request.user,
                    congress=form.cleaned_data["congress"],
                    upload=form.cleaned_data["file"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("deputies:import_detail", pk=batch.pk)
        return render(request, "deputies/import_new.html", {"form": form}, status=400)


SAMPLE = settings.BASE_DIR / "docs" / "samples" / "代表名册-示例.xlsx"


class RosterImportSampleView(RendaView):
    """The messy sample roster from docs/samples, for users to try the import."""

    permission = "deputies.import"

    def get(self, request):
        if not SAMPLE.exists():
            raise Http404
        return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name)


class RosterImportDetailView(RendaView):
    """The import's page: its job's progress bar, then the preview of every row, then the result."""

    permission = "deputies.import"

    def get(self, request, pk):
        batch = selectors.roster_import_get(user=request.user, pk=pk)
        job = batch.import_job or batch.check_job
        shown = request.GET.get("show", "")
        rows = batch.rows
        if shown in ("new", "update", "unchanged", "error"):
            rows = [r for r in rows if r["outcome"] == shown]
        context = {"batch": batch, "job": job, "rows": rows, "shown": shown}
        return render_page_or_partial(
            request, "deputies/import_detail.html", "deputies/_import_status.html", context
        )


class RosterImportConfirmView(RendaView):
    permission = "deputies.import"

    def post(self, request, pk):
        batch = selectors.roster_import_get(user=request.user, pk=pk)
        try:
            roster_import_confirm(actor=request.user, batch=batch)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("deputies:import_detail", pk=batch.pk)


# --- 双联系 ---


class LiaisonView(RendaView):
    """双联系: a committee member's deputies and contacts; for staff, every member and their count."""

    permission = "contacts.liaison"

    def get(self, request):
        return render(request, "deputies/liaison.html", self.context(request))

    def context(self, request, form=None) -> dict:
        user = request.user
        year = timezone.localdate().year
        context = {"year": year, "minimum": services.contact_minimum()}
        context["assignments"] = None
        if user.role == Role.LEADER:
            assignments = list(selectors.assignments_active(user=user, member=user))
            context["assignments"] = assignments
            context["form"] = form or CommitteeContactForm(
                counterparts=[(a.deputy.pk, a.deputy) for a in assignments],
                initial={"occurred_on": timezone.localdate()},
            )
            context["contacts"] = selectors.contact_list(user=user, member=user)[:20]
        else:
            members = list(selectors.committee_members(user=user))
            context["members"] = members
            context["contacts"] = selectors.contact_list(user=user, kind=Contact.Kind.COMMITTEE)[:20]
        return context

    def post(self, request):
        if request.user.role != Role.LEADER or not has_permission(request.user, "contacts.log"):
            raise Http404
        assignments = list(selectors.assignments_active(user=request.user, member=request.user))
        form = CommitteeContactForm(request.POST, counterparts=[(a.deputy.pk, a.deputy) for a in assignments])
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_log(
                    actor=request.user,
                    kind=Contact.Kind.COMMITTEE,
                    deputy=data["counterpart"],
                    member=request.user,
                    method=data["method"],
                    occurred_on=data["occurred_on"],
                    topics=data["topics"],
                    opinions=data["opinions"],
                    typed_date=True,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("联系记录已保存，并记入代表履职记录。"))
                return redirect("deputies:liaison")
        return render(request, "deputies/liaison.html", self.context(request, form), status=400)


# --- the deputy's portal ---


def _opinion_url() -> str:
    """The opinions app's entry page (a deputy logs an opinion heard, to be handled), if installed."""
    try:
        return reverse("opinions:create")
    except NoReverseMatch:
        return ""


class PortalView(RendaView):
    """The deputy's own page, built for a 360-pixel phone on a slow network."""

    permission = "portal.use"

    def _context(self, request, *, form=None, contact_form=None, committee_form=None):
        deputy = selectors.deputy_for_user(user=request.user)
        year = timezone.localdate().year
        records = duty_record_list(user=request.user, year=year) if deputy else DutyRecord.objects.none()
        context = {
            "deputy": deputy,
            "records": records[:10],
            "record_count": records.count(),
            "year": year,
            "form": form or DeclareForm(initial={"occurred_on": timezone.localdate()}),
            "contact_form": contact_form
            or ConstituentContactForm(initial={"occurred_on": timezone.localdate()}),
            "opinion_url": _opinion_url(),
        }
        if deputy is not None:
            context["mandates"] = [
                m for m in deputy.mandates.select_related("congress") if m.status == "serving"
            ]
            context["stations"] = selectors.portal_stations(deputy=deputy)
            context["progress"] = selectors.constituent_contact_progress(deputy=deputy, year=year)
            members = [
                (a.member.pk, a.member)
                for a in selectors.assignments_active(user=request.user, deputy=deputy)
            ]
            context["committee_form"] = (
                committee_form
                or CommitteeContactForm(
                    counterparts=members, initial={"occurred_on": timezone.localdate()}, prefix="c"
                )
                if members
                else None
            )
        return context

    def get(self, request):
        return render(request, "deputies/portal.html", self._context(request))

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
                    typed_date=True,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已提交申报，等待工作人员审核。"))
                return redirect("deputies:portal")
        return render(request, "deputies/portal.html", self._context(request, form=form), status=400)


class PortalContactView(RendaView):
    """The portal's quick form: a contact with constituents, recorded as a duty record at once."""

    permission = "contacts.log"

    def post(self, request):
        if not has_permission(request.user, "portal.use"):
            raise Http404
        deputy = selectors.deputy_for_user(user=request.user)
        form = ConstituentContactForm(request.POST)
        if deputy is not None and form.is_valid():
            try:
                contact = services.contact_log(
                    actor=request.user,
                    kind=Contact.Kind.CONSTITUENT,
                    deputy=deputy,
                    typed_date=True,
                    **form.cleaned_data,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("联系选民记录已保存，已计入%(y)s年度履职。") % {"y": contact.occurred_on.year},
                )
                return redirect(reverse("deputies:portal") + "#contact")
        return render(
            request, "deputies/portal.html", PortalView()._context(request, contact_form=form), status=400
        )


class PortalCommitteeContactView(RendaView):
    """A deputy logs a contact with the committee member assigned to them (双联系, the other way)."""

    permission = "contacts.log"

    def post(self, request):
        if not has_permission(request.user, "portal.use"):
            raise Http404
        deputy = selectors.deputy_for_user(user=request.user)
        if deputy is None:
            raise Http404
        members = [
            (a.member.pk, a.member) for a in selectors.assignments_active(user=request.user, deputy=deputy)
        ]
        form = CommitteeContactForm(request.POST, counterparts=members, prefix="c")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_log(
                    actor=request.user,
                    kind=Contact.Kind.COMMITTEE,
                    deputy=deputy,
                    member=data["counterpart"],
                    method=data["method"],
                    occurred_on=data["occurred_on"],
                    topics=data["topics"],
                    opinions=data["opinions"],
                    typed_date=True,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("与常委会组成人员的联系已记录。"))
                return redirect("deputies:portal")
        return render(
            request, "deputies/portal.html", PortalView()._context(request, committee_form=form), status=400
        )
