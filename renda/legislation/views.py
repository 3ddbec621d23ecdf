"""Legislative consultation pages: drafts for staff, the public comment page, report and statistics."""

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC, Role, has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.middleware import client_ip
from renda.core.paging import Paginator
from renda.core.views import RendaView
from renda.deputies.selectors import deputy_for_user, deputy_list

from . import selectors, services
from .exports import draft_report_docx, report_filename
from .forms import DistributeForm, DraftForm, FeedbackForm, PublicOpinionForm, StaffOpinionForm, StatsForm
from .models import DraftOpinion

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attach(form, exc: DomainError) -> None:
    add_domain_error(form, exc)


class DraftListView(RendaView):
    permission = "legislation.view"

    def get(self, request):
        status = request.GET.get("status", "")
        drafts = selectors.draft_list(user=request.user, status=status)
        page = Paginator(drafts, 20).get_page(request.GET.get("page"))
        counts = selectors.draft_opinion_counts(user=request.user, drafts=page.object_list)
        rows = [(d, counts.get(d.pk, {"total": 0, "adopted": 0})) for d in page.object_list]
        return render_page_or_partial(
            request,
            "legislation/draft_list.html",
            "legislation/_draft_rows.html",
            {
                "page": page,
                "rows": rows,
                "status": status,
                "can_manage": has_permission(request.user, "legislation.manage"),
            },
        )


class DraftCreateView(RendaView):
    permission = "legislation.manage"

    def _form(self, request, data=None):
        return DraftForm(data, stations=selectors.legislative_stations(user=request.user))

    def get(self, request):
        return render(request, "legislation/draft_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        status = 400
        if form.is_valid():
            try:
                draft = services.draft_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已发布，拆分出%(n)d条条文，分发到%(s)d个站点。")
                    % {"n": draft.articles.count(), "s": draft.distributions.count()},
                )
                return redirect("legislation:detail", pk=draft.pk)
        return render(request, "legislation/draft_form.html", {"form": form}, status=status)


def _staff_opinion_form(request, draft, data=None):
    return StaffOpinionForm(
        data,
        articles=draft.articles.order_by("number"),
        stations=selectors.legislative_stations(user=request.user).filter(draft_distributions__draft=draft),
        deputies=deputy_list(user=request.user),
    )


def _detail_context(request, draft, *, opinion_form=None, distribute_form=None) -> dict:
    user = request.user
    opinions = selectors.draft_opinion_list(user=user, draft=draft)
    page = Paginator(opinions, 30).get_page(request.GET.get("page"))
    can_manage = has_permission(user, "legislation.manage")
    counts = selectors.draft_opinion_counts(user=user, drafts=[draft]).get(
        draft.pk, {"total": 0, "adopted": 0}
    )
    context = {
        "draft": draft,
        "articles": draft.articles.order_by("number"),
        "distributions": selectors.draft_distributions(user=user, draft=draft),
        "page": page,
        "counts": counts,
        "can_manage": can_manage,
        "feedback_choices": DraftOpinion.Adoption.choices,
    }
    if has_permission(user, "legislation.contribute") and draft.is_open:
        context["opinion_form"] = opinion_form or _staff_opinion_form(request, draft)
    if can_manage and draft.status() != "closed":
        context["distribute_form"] = distribute_form or DistributeForm(
            stations=selectors.legislative_stations(user=user).exclude(draft_distributions__draft=draft)
        )
    return context


class DraftDetailView(RendaView):
    permission = "legislation.view"

    def get(self, request, pk):
        draft = selectors.draft_get(user=request.user, pk=pk)
        context = _detail_context(request, draft)
        if getattr(request, "htmx", False) and not request.htmx.boosted and "page" in request.GET:
            return render(request, "legislation/_opinion_rows.html", context)
        return render(request, "legislation/draft_detail.html", context)


class DraftOpinionCreateView(RendaView):
    permission = "legislation.contribute"

    def post(self, request, pk):
        draft = selectors.draft_get(user=request.user, pk=pk, permission="legislation.contribute")
        form = _staff_opinion_form(request, draft, request.POST)
        status = 400
        if form.is_valid():
            try:
                services.draft_opinion_add(actor=request.user, draft=draft, **form.cleaned_data)
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已录入立法意见。"))
                return redirect("legislation:detail", pk=draft.pk)
        context = _detail_context(request, draft, opinion_form=form)
        # Shown even after closing, so that a late entry sees why it was refused.
        context["opinion_form"] = form
        return render(request, "legislation/draft_detail.html", context, status=status)


class DraftDistributeView(RendaView):
    permission = "legislation.manage"

    def post(self, request, pk):
        draft = selectors.draft_get(user=request.user, pk=pk, permission="legislation.manage")
        form = DistributeForm(
            request.POST,
            stations=selectors.legislative_stations(user=request.user).exclude(
                draft_distributions__draft=draft
            ),
        )
        status = 400
        if form.is_valid():
            try:
                services.draft_distribute(
                    actor=request.user, draft=draft, stations=form.cleaned_data["stations"]
                )
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已分发。"))
                return redirect("legislation:detail", pk=draft.pk)
        context = _detail_context(request, draft, distribute_form=form)
        return render(request, "legislation/draft_detail.html", context, status=status)


class DraftOpinionFeedbackView(RendaView):
    permission = "legislation.manage"

    def post(self, request, pk):
        opinion = selectors.draft_opinion_get(user=request.user, pk=pk, permission="legislation.manage")
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.draft_opinion_feedback(
                    actor=request.user,
                    opinion=opinion,
                    adoption=form.cleaned_data["adoption"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已登记采纳情况。"))
        else:
            messages.error(request, _("请选择采纳情况。"))
        return redirect("legislation:detail", pk=opinion.draft_id)


class DraftReportView(RendaView):
    """The summary report as .docx: small enough to build within the request (one draft's opinions)."""

    permission = "legislation.view"

    def get(self, request, pk):
        draft = selectors.draft_get(user=request.user, pk=pk)
        summary = selectors.draft_summary(user=request.user, draft=draft)
        response = HttpResponse(draft_report_docx(summary), content_type=DOCX)
        # An ASCII name for old clients, the Chinese title for the rest (RFC 6266).
        ascii_name = f"draft-{draft.pk}-report.docx"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(report_filename(summary))}"
        )
        return response


class StatsView(RendaView):
    permission = "legislation.view"

    def get(self, request):
        year = timezone.localdate().year
        form = StatsForm(request.GET or None, initial={"year": year})
        if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
            year = form.cleaned_data["year"]
        stations = selectors.legislation_station_stats(user=request.user, year=year)
        return render(
            request,
            "legislation/stats.html",
            {
                "form": form,
                "year": year,
                "stations": stations,
                "totals": {
                    "sent": sum(r["sent"] for r in stations),
                    "adopted": sum(r["adopted"] for r in stations),
                },
                "years": selectors.legislation_year_stats(user=request.user),
            },
        )


# ---------- public pages ----------


class PublicDraftListView(RendaView):
    permission = PUBLIC

    def get(self, request):
        return render(request, "legislation/public_list.html", {"drafts": selectors.public_draft_list()})


class PublicDraftView(RendaView):
    """A draft's articles and, while it is open, the comment form (no account needed)."""

    permission = PUBLIC

    def _draft(self, pk):
        draft = selectors.public_draft_get(pk=pk)
        if draft is None:
            raise Http404
        return draft

    def _deputy(self, request):
        user = request.user
        if user.is_authenticated and user.role == Role.DEPUTY:
            return deputy_for_user(user=user)
        return None

    def _form(self, request, draft, data=None):
        return PublicOpinionForm(
            data,
            articles=draft.articles.order_by("number"),
            stations=selectors.public_draft_stations(draft=draft),
            as_deputy=self._deputy(request) is not None,
            initial={"article": request.GET.get("article")} if data is None else None,
        )

    def _render(self, request, draft, form, status=200, submitted=False):
        return render(
            request,
            "legislation/public_draft.html",
            {
                "draft": draft,
                "articles": draft.articles.order_by("number"),
                "form": form,
                "deputy": self._deputy(request),
                "submitted": submitted,
            },
            status=status,
        )

    def get(self, request, pk):
        draft = self._draft(pk)
        return self._render(request, draft, self._form(request, draft))

    def post(self, request, pk):
        draft = self._draft(pk)
        form = self._form(request, draft, request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.draft_opinion_submit_public(
                    draft=draft,
                    station=data["station"],
                    article=data["article"],
                    content=data["content"],
                    contributor_kind=data.get("contributor_kind", DraftOpinion.ContributorKind.RESIDENT),
                    contributor_name=data.get("contributor_name", ""),
                    actor=request.user,
                    client_ip=client_ip(request),
                )
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("感谢您的意见！我们会整理后报送立法机关。"))
                return redirect("legislation:public_draft", pk=draft.pk)
        return self._render(request, draft, form, status=status)
