"""Suggestion pages: staff lists and entry, the deputy's phone pages, the units' inbox, every step,
documents, statistics, 微实事 funds, reminders and the public pages."""

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC, Role, has_permission
from renda.core.errors import DomainError, InvalidTransition
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator, list_page, list_query
from renda.core.text import clean_code
from renda.core.views import RendaView
from renda.deputies.selectors import deputy_for_user
from renda.opinions.selectors import opinion_get

from . import actions, documents, selectors, services, stats, workflow
from .forms import (
    AttachmentForm,
    CosignAnswerForm,
    DraftForm,
    FundAdvanceForm,
    FundForm,
    PaperEntryForm,
    StatsForm,
    SuggestionFilterForm,
)
from .models import Assignment, State, Suggestion

READ = selectors.READ


def _filters(form) -> dict:
    if form.is_bound and form.is_valid():
        return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    return {}


def _query(request) -> str:
    return list_query(request)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- staff ---------------------------------------------------------------------------------------


class SuggestionListView(RendaView):
    permission = "suggestions.view"

    def get(self, request):
        form = SuggestionFilterForm(request.GET or None, user=request.user)
        items = selectors.suggestion_list(user=request.user, **_filters(form))
        page = list_page(request, items, size=30)
        return render_page_or_partial(
            request,
            "suggestions/suggestion_list.html",
            "suggestions/_suggestion_rows.html",
            {"form": form, "page": page, "query": _query(request)},
        )


class RegisterExportView(RendaView):
    """The register (.xlsx) of the filtered list, written in the background with a progress bar."""

    permission = "suggestions.view"

    def post(self, request):
        from renda.jobs.services import job_start

        from .tasks import suggestion_register_task

        form = SuggestionFilterForm(request.POST, user=request.user)
        params = {k: str(v) for k, v in _filters(form).items()}
        job = job_start(
            owner=request.user,
            kind="suggestions.register",
            title=_("导出建议台账"),
            task=suggestion_register_task,
            params=params,
        )
        return redirect("jobs:detail", job_id=job.pk)


class SuggestionCreateView(RendaView):
    """Staff enter a suggestion received on paper; it is submitted at once."""

    permission = "suggestions.manage"
    template_name = "suggestions/suggestion_form.html"

    def _form(self, request, data=None):
        from django.conf import settings

        return PaperEntryForm(
            data,
            region=request.user.region,
            initial={
                "term": settings.RENDA_SUGGESTION_TERM,
                "session": settings.RENDA_SUGGESTION_SESSION,
                "received_on": timezone.localdate(),
            },
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(request), "paper": True})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            received = data["received_on"]
            at = None
            if received != timezone.localdate():
                at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
            try:
                suggestion = services.suggestion_create(
                    actor=request.user,
                    lead_deputy=data["lead_deputy"],
                    title=data["title"],
                    body=data["body"],
                    category=data["category"],
                    region=data["region"],
                    kind=data["kind"],
                    period=data["period"],
                    cosigners=list(data["cosigners"]),
                    by_delegation=data["by_delegation"],
                    delegation_name=data["delegation_name"],
                    term=data["term"],
                    session=data["session"],
                    source=Suggestion.Source.PAPER,
                    submit=True,
                    at=at,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已录入并提交。"))
                return redirect("suggestions:detail", pk=suggestion.pk)
        return render(request, self.template_name, {"form": form, "paper": True}, status=400)


def _step_forms(request, suggestion: Suggestion, bound: dict | None = None) -> list[dict]:
    """One panel per step the user may take now; `bound` replaces a panel's form after an error."""
    bound = bound or {}
    panels = []
    today = timezone.localdate()
    for step in actions.form_steps(suggestion, request.user):
        form_class = actions.FORMS[step]
        initial = {"version": suggestion.version}
        if step in ("contact", "supervise"):
            initial["contacted_on" if step == "contact" else "occurred_on"] = today
        field, pending = actions.TARGETS.get(step, (None, None))
        targets = list(pending(suggestion)) if pending else [None]
        for index, target in enumerate(targets):
            key = f"{step}:{target.pk}" if target is not None else step
            extra = {field: target.pk} if target is not None else {}
            form = bound.get(key) or form_class(
                initial={**initial, **extra}, auto_id=f"id_{step}{index}_%s", suggestion=suggestion
            )
            if hasattr(form, "for_suggestion"):
                form.for_suggestion(suggestion)
            panels.append(
                {
                    "step": step,
                    "label": actions.LABELS.get(step, step),
                    "form": form,
                    "target": target,
                    "key": key,
                }
            )
    return panels


def _detail_context(request, suggestion: Suggestion, bound: dict | None = None) -> dict:
    parts = selectors.suggestion_detail_parts(suggestion)
    user = request.user
    own_part = workflow.unit_assignment(suggestion, user) if user.role == Role.HANDLING_UNIT else None
    active = [a for a in parts["assignments"] if a.is_active]
    return {
        "s": suggestion,
        **parts,
        "lead_part": next((a for a in active if a.role == Assignment.Role.LEAD), None),
        "co_parts": [a for a in active if a.role == Assignment.Role.CO],
        "panels": _step_forms(request, suggestion, bound),
        "own_part": own_part,
        "cosign_request": selectors.cosign_requests(user=user).filter(suggestion=suggestion).first()
        if user.role == Role.DEPUTY
        else None,
        "is_staff": has_permission(user, "suggestions.manage"),
        "can_edit": _can_edit(user, suggestion),
        "can_reply_letter": selectors.reply_letter_allowed(user=user, suggestion=suggestion, parts=parts),
        "attachment_form": AttachmentForm(),
        "cosign_form": (bound or {}).get("cosign") or CosignAnswerForm(prefix="cosign"),
    }


class SuggestionDetailView(RendaView):
    permission = READ

    def get(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        return render(request, "suggestions/suggestion_detail.html", _detail_context(request, suggestion))


class SuggestionStepView(RendaView):
    """POST one step. Refusals (409) and bad input (400) show on the page next to the form."""

    permission = READ

    def post(self, request, pk, step):
        if step not in actions.FORMS:
            raise Http404
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        index = 0
        form = actions.FORMS[step](
            request.POST, request.FILES, auto_id=f"id_{step}{index}_%s", suggestion=suggestion
        )
        if hasattr(form, "for_suggestion"):
            form.for_suggestion(suggestion)
        field, _pending = actions.TARGETS.get(step, (None, None))
        key = f"{step}:{request.POST.get(field, '')}" if field else step
        status = 400
        if form.is_valid():
            try:
                message = actions.perform(
                    step=step, actor=request.user, suggestion=suggestion, data=form.cleaned_data
                )
            except DomainError as exc:
                status = exc.status
                add_domain_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("suggestions:detail", pk=suggestion.pk)
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        context = _detail_context(request, suggestion, bound={key: form})
        if not any(panel["key"] == key for panel in context["panels"]):
            # The step is no longer offered (someone else moved the item): say so at the top.
            for error in form.non_field_errors():
                messages.error(request, error)
        context["error_step"] = key
        return render(request, "suggestions/suggestion_detail.html", context, status=status)


def _prefixed(data) -> dict:
    """The co-signing form's note under its prefix (an older page, or the phone's form, sends `note`)."""
    return {"cosign-note": data.get("cosign-note", data.get("note", ""))}


class CosignAnswerView(RendaView):
    """A co-signer confirms or declines the lead deputy's request (from the phone)."""

    permission = "suggestions.submit"

    def post(self, request, pk):
        try:  # a resent form after declining: the reason, not a 404
            services.cosign_declined_refuse(actor=request.user, suggestion_id=pk)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect("suggestions:mine")
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        decision = request.POST.get("decision", "")
        if decision not in ("confirm", "decline"):
            raise Http404
        form = CosignAnswerForm({"cosign-decision": decision, **_prefixed(request.POST)}, prefix="cosign")
        if not form.is_valid():
            # A note over 200 characters: the page again, the text kept, the field named.
            context = _detail_context(request, suggestion, bound={"cosign": form})
            return render(request, "suggestions/suggestion_detail.html", context, status=400)
        try:
            services.cosign_answer(
                actor=request.user,
                suggestion=suggestion,
                accept=decision == "confirm",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if decision == "decline":  # the suggestion is no longer theirs to read (404)
                messages.success(request, _("已谢绝联名。"))
                return redirect("suggestions:mine")
            messages.success(request, _("已确认联名，提交后计入您的履职记录。"))
        return redirect("suggestions:detail", pk=suggestion.pk)


class SuggestionTimelineView(RendaView):
    """The whole story at a glance: every step, supervision notes and deadlines in date order."""

    permission = READ

    def get(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        entries = []
        for event in selectors.suggestion_events(suggestion=suggestion):
            entries.append(
                {
                    "at": event.occurred_at,
                    "title": workflow.action_label(event.action),
                    "who": event.actor_name,
                    "text": event.note,
                    "state": workflow.state_label(event.to_state)
                    if event.from_state != event.to_state
                    else "",
                    "kind": "event",
                }
            )
        for note in suggestion.supervision_notes.select_related("author"):
            entries.append(
                {
                    "at": timezone.make_aware(datetime.datetime.combine(note.occurred_on, datetime.time(12))),
                    "title": note.get_kind_display(),
                    "who": note.author.display_name,
                    "text": note.text + (f"（{note.participants}）" if note.participants else ""),
                    "state": "",
                    "kind": "note",
                }
            )
        entries.sort(key=lambda e: e["at"])
        return render(request, "suggestions/suggestion_timeline.html", {"s": suggestion, "entries": entries})


class KeySuggestionListView(RendaView):
    permission = "suggestions.view"

    def get(self, request):
        from django.utils.dateparse import parse_datetime

        since = parse_datetime(request.GET.get("since", "")) if request.GET.get("since") else None
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since)
        mine, open_only = request.GET.get("mine") == "1", request.GET.get("open") == "1"
        items = selectors.key_suggestions(user=request.user, mine=mine, open_only=open_only, since=since)
        page = Paginator(items, 30).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "mine": mine,
            "open_only": open_only,
            "since": since,
            "query": _query(request),
        }
        return render(request, "suggestions/key_list.html", context)


# --- the deputy's phone pages ----------------------------------------------------------------


class MySuggestionsView(RendaView):
    permission = "suggestions.submit"

    def get(self, request):
        show = request.GET.get("show", "")
        show = show if show in ("to_evaluate", "cosign") else ""
        items = selectors.deputy_suggestions(user=request.user, show=show)
        page = Paginator(items, 20).get_page(request.GET.get("page"))
        return render(
            request,
            "suggestions/mine.html",
            {"page": page, "deputy": deputy_for_user(user=request.user), "show": show},
        )


class DraftCreateView(RendaView):
    permission = "suggestions.submit"

    @staticmethod
    def _source_opinion(request, deputy):
        """The constituents' opinion this draft grows from (?opinion=<id>): the deputy's own only."""
        pk = request.GET.get("opinion") or request.POST.get("opinion")
        if not pk:
            return None
        if not str(pk).isdigit():
            raise Http404
        opinion = opinion_get(user=request.user, pk=int(pk))
        if opinion.deputy_id not in (None, deputy.pk):
            raise Http404
        return opinion

    def get(self, request):
        deputy = deputy_for_user(user=request.user)
        if deputy is None:
            raise Http404
        opinion = self._source_opinion(request, deputy)
        initial = {"region": deputy.region}
        if opinion is not None:
            initial.update(title=opinion.title, body=opinion.content, region=opinion.region or deputy.region)
        form = DraftForm(region=deputy.region, initial=initial)
        return render(
            request, "suggestions/draft_form.html", {"form": form, "deputy": deputy, "opinion": opinion}
        )

    def post(self, request):
        deputy = deputy_for_user(user=request.user)
        if deputy is None:
            raise Http404
        opinion = self._source_opinion(request, deputy)
        form = DraftForm(request.POST, region=deputy.region)
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = services.suggestion_create(
                    actor=request.user,
                    lead_deputy=deputy,
                    source_opinion=opinion,
                    title=data["title"],
                    body=data["body"],
                    category=data["category"],
                    region=data["region"],
                    kind=data["kind"],
                    period=data["period"],
                    cosigners=list(data["cosigners"]),
                    by_delegation=data["by_delegation"],
                    delegation_name=data["delegation_name"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("草稿已保存。确认无误后请点击“提交”。"))
                return redirect("suggestions:detail", pk=suggestion.pk)
        return render(
            request,
            "suggestions/draft_form.html",
            {"form": form, "deputy": deputy, "opinion": opinion},
            status=400,
        )


def _can_edit(user, suggestion) -> bool:
    """Who may edit a draft or an item returned for revision: its lead deputy, or staff (as the
    service allows). Everyone else is not shown the form at all."""
    return suggestion.state in (State.DRAFT, State.REVISION) and (
        has_permission(user, "suggestions.manage") or suggestion.lead_deputy.user_id == user.pk
    )


class DraftEditView(RendaView):
    permission = READ

    def _get(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        if not _can_edit(request.user, suggestion):
            raise Http404
        return suggestion

    def get(self, request, pk):
        suggestion = self._get(request, pk)
        initial = {f: getattr(suggestion, f) for f in services.EDITABLE_FIELDS}
        initial["cosigners"] = [s.deputy_id for s in suggestion.signers.filter(is_lead=False)]
        initial["version"] = suggestion.version
        form = DraftForm(region=suggestion.lead_deputy.region, initial=initial)
        return render(request, "suggestions/draft_form.html", {"form": form, "s": suggestion})

    def post(self, request, pk):
        suggestion = self._get(request, pk)
        form = DraftForm(request.POST, region=suggestion.lead_deputy.region)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            data["cosigners"] = list(data["cosigners"])
            try:
                services.suggestion_update(
                    actor=request.user, suggestion=suggestion, data=data, version=version
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("suggestions:detail", pk=suggestion.pk)
        return render(request, "suggestions/draft_form.html", {"form": form, "s": suggestion}, status=400)


class SimilarView(RendaView):
    """Similar suggestions of the same term while the deputy writes (htmx partial)."""

    permission = READ

    def post(self, request):
        from django.conf import settings

        title = request.POST.get("title", "")[:200]
        body = request.POST.get("body", "")[:5000]
        exclude = request.POST.get("exclude") or None
        found = []
        if len(title + body) >= 6:
            found = selectors.similar_suggestions(
                user=request.user,
                title=title,
                body=body,
                term=settings.RENDA_SUGGESTION_TERM,
                exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
            )
        return render(request, "suggestions/_similar.html", {"similar": found})


class AttachmentUploadView(RendaView):
    permission = READ

    def post(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        if not (
            has_permission(request.user, "suggestions.manage")
            or suggestion.lead_deputy.user_id == request.user.pk
        ):
            raise Http404
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.suggestion_attach(
                    actor=request.user, suggestion=suggestion, upload=form.cleaned_data["file"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("附件已上传。"))
        else:
            messages.error(request, _("请选择要上传的文件。"))
        return redirect("suggestions:detail", pk=suggestion.pk)


class AttachmentDownloadView(RendaView):
    permission = READ

    def get(self, request, pk, attachment_id):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        attachment = suggestion.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


class ReplyLetterDownloadView(RendaView):
    permission = READ

    def get(self, request, pk, reply_id):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        reply = suggestion.replies.filter(pk=reply_id).first()
        if reply is None or not reply.letter:
            raise Http404
        name = reply.letter.name.rsplit("/", 1)[-1]
        return FileResponse(reply.letter.open("rb"), as_attachment=True, filename=name)


# --- handling units ----------------------------------------------------------------------------


class UnitInboxView(RendaView):
    permission = "suggestions.handle"

    def get(self, request):
        show_all = request.GET.get("all") == "1"
        show = request.GET.get("show", "")
        parts = selectors.unit_inbox(user=request.user, include_done=show_all, show=show)
        page = Paginator(parts, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "suggestions/unit_inbox.html",
            {
                "page": page,
                "show_all": show_all,
                "show": show if show in selectors.unit_part_filters() else "",
                "today": timezone.localdate(),
                "query": _query(request),
            },
        )


# --- documents -----------------------------------------------------------------------------------


class HandoverLetterView(RendaView):
    permission = READ

    def get(self, request, pk, assignment_id):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        assignment = suggestion.assignments.select_related("unit").filter(pk=assignment_id).first()
        if assignment is None:
            raise Http404
        if request.user.role == Role.HANDLING_UNIT and assignment.unit_id != request.user.organization_id:
            raise Http404
        data = documents.handover_letter_docx(suggestion, assignment)
        return _download(
            data, f"交办函-{suggestion.number_label_zh}-{assignment.unit.name}.docx", documents.DOCX
        )


class ReplyTemplateView(RendaView):
    permission = READ

    def get(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        if not selectors.reply_letter_allowed(user=request.user, suggestion=suggestion):
            raise Http404  # a co-handling unit (or a deputy before the reply) gets no letter
        data = documents.reply_letter_docx(suggestion)
        return _download(data, f"答复函-{suggestion.number_label_zh}.docx", documents.DOCX)


class RecordPdfView(RendaView):
    permission = READ

    def get(self, request, pk):
        suggestion = selectors.suggestion_get(user=request.user, pk=pk)
        data = documents.record_pdf(suggestion)
        name = suggestion.number_label_zh or f"建议{suggestion.pk}"
        return _download(data, f"办理全过程-{name}.pdf", "application/pdf")


class YearlyReportView(RendaView):
    permission = "suggestions.stats"

    def get(self, request, year):
        if not 2000 <= year <= 2100:
            raise Http404
        data = documents.yearly_report_docx(user=request.user, year=year)
        return _download(data, f"{year}年度代表建议办理情况报告.docx", documents.DOCX)


def _stats_params(request) -> dict:
    form = StatsForm(request.GET or None, initial={"group_by": "unit"})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    code = clean_code(data.get("county") or "")
    return {
        "form": form,
        "term": data.get("term"),
        "year": data.get("year"),
        "group_by": data.get("group_by") or "unit",
        # 404 for a county outside the user's jurisdiction, as for any object.
        "county": stats.stats_county(user=request.user, code=code) if code else None,
    }


class StatsView(RendaView):
    permission = "suggestions.stats"

    def get(self, request):
        params = _stats_params(request)
        result = stats.suggestion_stats(
            user=request.user,
            term=params["term"],
            year=params["year"],
            group_by=params["group_by"],
            county=params["county"],
        )
        drill = request.GET.copy()
        drill.pop("county", None)
        return render(
            request,
            "suggestions/stats.html",
            {
                "form": params["form"],
                "result": result,
                "chart": stats.chart_data(result),
                "columns": [(c, stats.LABELS[c]) for c in [*stats.COUNTS, *stats.RATES]],
                "query": _query(request),
                "drill_query": drill.urlencode(),
                "year": params["year"] or timezone.localdate().year,
            },
        )


class StatsXlsxView(RendaView):
    permission = "suggestions.stats"

    def get(self, request):
        params = _stats_params(request)
        # Eight grouped aggregates over the suggestion rows alone (no reply or evaluation is read):
        # short enough to answer in the request, at the size of a province.
        results = stats.suggestion_stats_sheets(
            user=request.user, term=params["term"], year=params["year"], county=params["county"]
        )
        return _download(documents.stats_xlsx(results), "建议办理统计.xlsx", documents.XLSX)


# --- 微实事 ----------------------------------------------------------------------------------------


class FundListView(RendaView):
    permission = "suggestions.view"

    def _context(self, request, form=None):
        year = request.GET.get("year")
        year = int(year) if year and year.isdigit() else None
        funds = selectors.fund_list(user=request.user, year=year)
        page = Paginator(funds, 30).get_page(request.GET.get("page"))
        return {
            "page": page,
            "totals": selectors.fund_totals(selectors.fund_list(user=request.user)),
            "form": form or FundForm(region=request.user.region),
            "can_manage": has_permission(request.user, "suggestions.funds"),
            "advance_form": FundAdvanceForm(initial={"on": timezone.localdate()}),
            "query": _query(request),
        }

    def get(self, request):
        return render(request, "suggestions/fund_list.html", self._context(request))

    def post(self, request):
        if not has_permission(request.user, "suggestions.funds"):
            raise Http404
        form = FundForm(request.POST, region=request.user.region)
        if form.is_valid():
            data = form.cleaned_data
            suggestion = None
            if data.get("suggestion"):
                suggestion = (
                    selectors.suggestion_list(user=request.user).filter(number=data["suggestion"]).first()
                )
                if suggestion is None:
                    form.add_error("suggestion", _("没有找到该编号的建议"))
            if not form.errors:
                try:
                    services.fund_create(
                        actor=request.user,
                        source=data["source"],
                        year=data["year"],
                        amount=data["amount"],
                        project=data["project"],
                        region=data["region"],
                        suggestion=suggestion,
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("已登记微实事资金。"))
                    return redirect("suggestions:funds")
        return render(request, "suggestions/fund_list.html", self._context(request, form), status=400)


class FundAdvanceView(RendaView):
    permission = "suggestions.funds"

    def post(self, request, pk):
        fund = selectors.fund_get(user=request.user, pk=pk)
        form = FundAdvanceForm(request.POST)
        if form.is_valid():
            try:
                services.fund_advance(
                    actor=request.user,
                    fund=fund,
                    on=form.cleaned_data["on"],
                    outcome=form.cleaned_data["outcome"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已更新为“%(s)s”。") % {"s": fund.get_state_display()})
        else:
            messages.error(request, _("请填写日期。"))
        return redirect("suggestions:funds")


# --- public pages --------------------------------------------------------------------------------


class PublicReplyListView(RendaView):
    permission = PUBLIC

    def get(self, request):
        page = Paginator(selectors.public_reply_list(), 20).get_page(request.GET.get("page"))
        return render(request, "suggestions/public_list.html", {"page": page})


class PublicReplyDetailView(RendaView):
    permission = PUBLIC

    def get(self, request, pk):
        suggestion = selectors.public_reply_get(pk=pk)
        return render(request, "suggestions/public_detail.html", {"s": suggestion})


class PublicMicroProjectsView(RendaView):
    permission = PUBLIC

    def get(self, request):
        funds = selectors.public_fund_list()
        page = Paginator(funds, 30).get_page(request.GET.get("page"))
        totals = selectors.fund_totals(funds)
        return render(request, "suggestions/public_micro.html", {"page": page, "totals": totals})
