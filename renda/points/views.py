"""Points pages: schemes (import, edit the draft, publish, versions, copy, export), standings with
rank and grade, a deputy's ledger with adjustments, 公示 and objections, action lists, and the
deputy's own points on the phone."""

import json
import re
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC, access_object, scope_queryset
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.views import RendaView, safe_next
from renda.deputies.models import Congress, Deputy, Mandate
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add

from . import publications as pubs
from . import selectors, services
from .forms import (
    AdjustForm,
    BandFormSet,
    CategoryFormSet,
    CopyForm,
    DeclarationReviewForm,
    ObjectionForm,
    PublicationForm,
    RecordAddForm,
    RecordAdjustForm,
    ResolveForm,
    RuleFormSet,
    RuleRowForm,
    SchemeEditForm,
    SchemeImportForm,
    SchemeSettingsForm,
    StandingFilterForm,
    rule_kinds_display,
    rule_match_display,
)
from .ledger import schemes_for_record as ledger_schemes_for_record
from .models import PERIOD_COUNT, LedgerEntry, Objection, Period, Publication, Scheme


def _error(request, exc: DomainError):
    for message in getattr(exc, "messages", None) or [exc.message]:
        messages.error(request, message)


class SchemeListView(RendaView):
    permission = "points.view"

    def _form(self, request, data=None, files=None):
        congresses = scope_queryset(Congress.objects.all(), request.user)
        return SchemeImportForm(data, files, congresses=congresses)

    def get(self, request):
        schemes = selectors.scheme_list(user=request.user).order_by("-year", "congress__name", "-version")
        page = Paginator(schemes, 30).get_page(request.GET.get("page"))
        return render(request, "points/scheme_list.html", {"page": page, "form": self._form(request)})

    def _create(self, request):
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            try:
                scheme = services.scheme_import(
                    actor=request.user,
                    congress=form.cleaned_data["congress"],
                    document=form.cleaned_data["document"],
                    year=form.cleaned_data.get("year"),
                )
            except DomainError as exc:
                for message in getattr(exc, "messages", None) or [exc.message]:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已创建积分办法草稿。"))
                return redirect("points:scheme", scheme.pk)
        schemes = selectors.scheme_list(user=request.user)
        page = Paginator(schemes, 30).get_page(1)
        return render(request, "points/scheme_list.html", {"page": page, "form": form}, status=400)


class SchemeCreateView(SchemeListView):
    permission = "points.manage"

    def get(self, request):
        return redirect("points:schemes")

    def post(self, request):
        return self._create(request)


class SchemeDetailView(RendaView):
    permission = "points.view"

    def get(self, request, pk):
        scheme = selectors.scheme_get(user=request.user, pk=pk)
        document = json.dumps(services.scheme_export(scheme), ensure_ascii=False, indent=2)
        return render(
            request,
            "points/scheme_detail.html",
            {
                "scheme": scheme,
                "categories": scheme.categories.all(),
                "rules": [
                    (rule, rule_kinds_display(rule), rule_match_display(rule))
                    for rule in scheme.rules.select_related("category")
                ],
                "bands": scheme.bands.all(),
                "versions": Scheme.objects.filter(lineage=scheme.lineage).order_by("-version"),
                "edit_form": SchemeEditForm(initial={"document": document}),
                "copy_form": CopyForm(initial={"year": scheme.year + 1}),
                "publication_form": PublicationForm(),
                "publications": scheme.publications.all(),
            },
        )


class SchemeActionView(RendaView):
    """POST actions on a scheme: edit (draft), publish, new_version, copy, recompute."""

    permission = "points.manage"

    def post(self, request, pk, action):
        scheme = access_object(
            Scheme.objects.select_related("congress"), request.user, permission=self.permission, pk=pk
        )
        target = scheme
        try:
            if action == "edit":
                form = SchemeEditForm(request.POST)
                if not form.is_valid():
                    raise DomainError(form.errors["document"][0], field="document")
                services.scheme_update(
                    actor=request.user, scheme=scheme, document=form.cleaned_data["document"]
                )
                messages.success(request, _("草稿已保存。"))
            elif action == "publish":
                services.scheme_publish(actor=request.user, scheme=scheme)
                messages.success(request, _("积分办法已发布，积分已按新版本计算。"))
            elif action == "new_version":
                target = services.scheme_new_version(actor=request.user, scheme=scheme)
                messages.success(request, _("已创建新版本草稿。"))
            elif action == "copy":
                form = CopyForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("请填写年度"), field="year")
                target = services.scheme_copy(
                    actor=request.user, scheme=scheme, year=form.cleaned_data["year"]
                )
                messages.success(request, _("已复制为新年度的草稿。"))
            elif action == "recompute":
                job = services.points_recompute(actor=request.user, scheme=scheme)
                if job is not None:
                    return redirect("jobs:detail", job.pk)
                messages.success(request, _("积分已重新计算。"))
            else:
                raise Http404
        except DomainError as exc:
            _error(request, exc)
        return redirect("points:scheme", target.pk)


class SchemeExportView(RendaView):
    permission = "points.view"

    def get(self, request, pk):
        scheme = selectors.scheme_get(user=request.user, pk=pk)
        body = json.dumps(services.scheme_export(scheme), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="points-scheme-{scheme.pk}-v{scheme.version}.json"'
        )
        return response


class SchemeSampleView(RendaView):
    """A sample scheme file to start an import from: the demo county's scheme (docs/points-schemes.md
    describes the format for developers; the import form says it in brief)."""

    permission = "points.view"

    def get(self, request):
        from .demo import DOCUMENT

        body = json.dumps(DOCUMENT, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="points-scheme-sample.json"'
        return response


def _period(request, scheme, form):
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or scheme.rhythm
    index = data.get("index") or 1
    index = min(index, PERIOD_COUNT[period])
    return period, index, data


class StandingListView(RendaView):
    permission = "points.view"

    def get(self, request, pk):
        scheme = selectors.scheme_get(user=request.user, pk=pk)
        form = StandingFilterForm(request.GET or None)
        period, index, data = _period(request, scheme, form)
        rows = selectors.standing_list(
            user=request.user, scheme=scheme, period=period, index=index,
            township_id=data.get("township"), delegation=data.get("delegation") or "",
            order=data.get("order") or "rank",
        )  # fmt: skip
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        context = {
            "scheme": scheme,
            "form": form,
            "page": page,
            "period": period,
            "index": index,
            "label": selectors.period_label(period, index),
            "categories": list(scheme.categories.all()),
            "periods": [
                (p, i, selectors.period_label(p, i)) for p in Period for i in range(1, PERIOD_COUNT[p] + 1)
            ],
            "townships": selectors.township_summary(
                user=request.user, scheme=scheme, period=period, index=index
            ),
            "query": request.GET.urlencode().replace("page=", "_="),
        }
        return render_page_or_partial(
            request, "points/standing_list.html", "points/_standing_rows.html", context
        )


class DeputyLedgerView(RendaView):
    permission = "points.view"

    def _context(self, request, pk, deputy_id, form=None):
        scheme = selectors.scheme_get(user=request.user, pk=pk)
        deputy = access_object(Deputy.objects.all(), request.user, permission=self.permission, pk=deputy_id)
        entries = selectors.ledger_list(user=request.user, deputy_id=deputy.pk, scheme=scheme)
        page = Paginator(entries, 100).get_page(request.GET.get("page"))
        standings = [
            p
            for s in selectors.deputy_points(deputy, scheme.year)
            if s["scheme"]["id"] == scheme.pk
            for p in s["periods"]
        ]
        return {
            "scheme": scheme,
            "deputy": deputy,
            "page": page,
            "standings": standings,
            "categories": list(scheme.categories.all()),
            "form": form or AdjustForm(scheme=scheme, initial={"key": uuid.uuid4().hex}),
        }

    def get(self, request, pk, deputy_id):
        return render(request, "points/deputy_ledger.html", self._context(request, pk, deputy_id))


class AdjustView(DeputyLedgerView):
    permission = "points.manage"

    def post(self, request, pk, deputy_id):
        scheme = access_object(Scheme.objects.all(), request.user, permission=self.permission, pk=pk)
        deputy = access_object(Deputy.objects.all(), request.user, permission=self.permission, pk=deputy_id)
        form = AdjustForm(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                services.points_adjust(
                    actor=request.user, scheme=scheme, deputy=deputy, category=form.cleaned_data["category"],
                    points=form.cleaned_data["points"], reason=form.cleaned_data["reason"],
                    key=form.cleaned_data.get("key") or "",
                )  # fmt: skip
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("已调整积分。"))
                return redirect("points:ledger", scheme.pk, deputy.pk)
        return render(
            request, "points/deputy_ledger.html", self._context(request, pk, deputy_id, form), status=400
        )


class MyPointsView(RendaView):
    """The deputy's own points this year (phone): per scheme, the periods with totals and grade."""

    permission = "points.mine"

    def get(self, request):
        deputy = Deputy.objects.filter(user=request.user).first()
        if deputy is None:
            raise Http404
        congress_ids = Mandate.objects.filter(deputy=deputy).values("congress_id")
        published = Scheme.objects.filter(congress_id__in=congress_ids, state=Scheme.State.PUBLISHED)
        years = sorted(set(published.values_list("year", flat=True)), reverse=True)[:10]
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or "")
            if not 1949 <= year <= 2100:  # a typed address: a year the page can hold, not a database error
                raise ValueError
        except ValueError:
            year = today.year if today.year in years or not years else years[0]
        schemes = selectors.deputy_points(deputy, year)
        details = {
            pk: (rhythm, text)
            for pk, rhythm, text in Scheme.objects.filter(
                pk__in=[b["scheme"]["id"] for b in schemes]
            ).values_list("pk", "rhythm", "text")
        }
        for block in schemes:
            rhythm, block["text"] = details[block["scheme"]["id"]]
            block["shown"] = [p for p in block["periods"] if p["period"] in (rhythm, Period.YEAR)]
        # Every 公示 in its objection period for the deputy's congresses, whichever year is on screen.
        open_publications = Publication.objects.filter(
            scheme__in=published, starts_on__lte=today, ends_on__gte=today
        ).select_related("scheme")
        return render(
            request,
            "points/mine.html",
            {"deputy": deputy, "year": year, "years": years, "schemes": schemes,
             "publications": open_publications,
             "objection_form": ObjectionForm(),
             "objections": Objection.objects.filter(deputy=deputy).select_related("publication")[:20]},
        )  # fmt: skip


class PublicationCreateView(RendaView):
    permission = "points.manage"

    def post(self, request, pk):
        scheme = access_object(Scheme.objects.all(), request.user, permission=self.permission, pk=pk)
        form = PublicationForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("公示信息不完整：%(e)s") % {"e": "；".join(str(e[0]) for e in form.errors.values())},
            )
            return redirect("points:scheme", scheme.pk)
        try:
            publication = pubs.publication_create(actor=request.user, scheme=scheme, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
            return redirect("points:scheme", scheme.pk)
        messages.success(request, _("已公示。"))
        return redirect("points:publication", publication.pk)


class PublicationDetailView(RendaView):
    permission = "points.view"

    def get(self, request, pk):
        publication = access_object(
            Publication.objects.select_related("scheme", "scheme__congress"),
            request.user,
            permission=self.permission,
            pk=pk,
        )
        return render(
            request,
            "points/publication_detail.html",
            {
                "publication": publication,
                "title": pubs.publication_title(publication),
                "categories": list(publication.scheme.categories.all()),
                "objections": publication.objections.select_related("deputy"),
                "resolve_form": ResolveForm(),
            },
        )


class PublicationWorkbookView(PublicationDetailView):
    def get(self, request, pk):
        publication = access_object(
            Publication.objects.select_related("scheme", "scheme__congress"),
            request.user,
            permission=self.permission,
            pk=pk,
        )
        response = HttpResponse(
            pubs.publication_workbook(publication),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="points-publication-{publication.pk}.xlsx"'
        return response


class PublicPublicationView(RendaView):
    """The public page of a publication the county chose to show (no login)."""

    permission = PUBLIC

    def get(self, request, pk):
        publication = get_object_or_404(
            Publication.objects.select_related("scheme", "scheme__congress"), pk=pk, public=True
        )
        return render(
            request,
            "points/publication_public.html",
            {
                "publication": publication,
                "title": pubs.publication_title(publication),
                "categories": list(publication.scheme.categories.all()),
            },
        )


class ObjectionCreateView(RendaView):
    permission = "points.mine"

    def post(self, request, pk):
        publication = get_object_or_404(Publication, pk=pk)
        form = ObjectionForm(request.POST)
        if form.is_valid():
            try:
                pubs.objection_raise(actor=request.user, publication=publication, **form.cleaned_data)
            except DomainError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("异议已提交，工作人员将尽快核实。"))
        else:
            messages.error(request, _("请选择异议类型并填写内容"))
        return redirect("points:mine")


class ObjectionListView(RendaView):
    permission = "points.manage"

    def get(self, request):
        objections = scope_queryset(
            Objection.objects.select_related("deputy", "publication", "publication__scheme"), request.user
        )
        # ?state=open: the work queue's link (待处理的积分公示异议) lists exactly its items.
        state = request.GET.get("state", "")
        if state in Objection.State.values:
            objections = objections.filter(state=state)
        else:
            state = ""
        page = Paginator(objections.order_by("state", "-created_at"), 30).get_page(request.GET.get("page"))
        return render(
            request,
            "points/objection_list.html",
            {
                "page": page,
                "resolve_form": ResolveForm(),
                "state": state,
                "states": Objection.State.choices,
                "query": f"state={state}" if state else "",
            },
        )


class ObjectionResolveView(RendaView):
    permission = "points.manage"

    def post(self, request, pk):
        objection = access_object(Objection.objects.all(), request.user, permission=self.permission, pk=pk)
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                pubs.objection_resolve(
                    actor=request.user, objection=objection, upheld=form.cleaned_data["upheld"] == "1",
                    outcome=form.cleaned_data["outcome"],
                )  # fmt: skip
            except DomainError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("异议已处理。"))
        else:
            messages.error(request, _("请填写处理结果"))
        return redirect("points:objections")


class ActionListView(RendaView):
    """Lists for action: below the 约谈 line this year; graded lowest or last two years running."""

    permission = "points.manage"

    def get(self, request):
        if request.GET.get("show") == "interview":
            # The work queue's link (积分低于约谈线的代表): exactly its items, every published year.
            standings = (
                selectors.interview_due(user=request.user)
                .select_related("deputy", "region", "scheme")
                .order_by("-scheme__year", "scheme_id", "total", "deputy__stroke_key", "deputy_id")
            )
            page = Paginator(standings, 50).get_page(request.GET.get("page"))
            return render(request, "points/interview_list.html", {"page": page, "query": "show=interview"})
        schemes = (
            selectors.scheme_list(user=request.user)
            .filter(state=Scheme.State.PUBLISHED)
            .order_by("-year")[:10]
        )
        blocks = []
        for scheme in schemes:
            blocks.append(
                {
                    "scheme": scheme,
                    "interview": list(selectors.interview_list(user=request.user, scheme=scheme)[:200]),
                    "repeated": selectors.repeated_conditions(
                        user=request.user, congress_id=scheme.congress_id, year=scheme.year
                    ),
                }
            )
        return render(request, "points/actions.html", {"blocks": blocks})


class RecordCreateView(RendaView):
    """Staff add a duty record for a deputy in their jurisdiction (through duty_record_add: audited,
    counted by the ledger at once)."""

    permission = "duty_records.add"

    def _form(self, request, data=None):
        deputies = scope_queryset(Deputy.objects.select_related("region"), request.user)
        return RecordAddForm(data, deputies=deputies, initial={"occurred_on": timezone.localdate()})

    def get(self, request):
        return render(request, "points/record_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            deputy = access_object(
                Deputy.objects.all(), request.user, permission=self.permission, pk=data["deputy"].pk
            )
            try:
                record = duty_record_add(
                    deputy=deputy, kind=data["kind"], title=data["title"].strip(),
                    occurred_on=data["occurred_on"], quantity=data["quantity"], unit=data["unit"],
                    note=data["note"].strip(), attributes=form.attributes(), actor=request.user,
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已为%(d)s记入“%(t)s”。") % {"d": deputy.name, "t": record.title},
                )
                return redirect("points:record_create")
        return render(request, "points/record_form.html", {"form": form}, status=400)


class DeclarationReviewView(RendaView):
    """The queue of declared records in the user's jurisdiction: approve, reject with a note, or
    approve and adjust the points with a reason (points.manage)."""

    permission = "duty_records.review"

    def _page(self, request, *, failed=None, failed_form=None, status=200):
        categories = selectors.adjustable_categories(user=request.user)
        page = Paginator(selectors.declarations_pending(user=request.user), 30).get_page(
            request.GET.get("page")
        )
        rows = [
            (
                record,
                failed_form
                if failed == record.pk
                else DeclarationReviewForm(categories=categories, prefix=f"r{record.pk}"),
            )
            for record in page.object_list
        ]
        return render(
            request,
            "points/declaration_review.html",
            {"page": page, "rows": rows, "can_adjust": bool(categories)},
            status=status,
        )

    def get(self, request):
        return self._page(request)

    def post(self, request):
        try:
            pk = int(request.POST.get("record", ""))
        except ValueError:
            raise Http404 from None
        record = access_object(
            DutyRecord.objects.select_related("deputy"), request.user, permission=self.permission, pk=pk
        )
        categories = selectors.adjustable_categories(user=request.user)
        form = DeclarationReviewForm(request.POST, categories=categories, prefix=f"r{record.pk}")
        if form.is_valid():
            data = form.cleaned_data
            category = next((c for c in categories if str(c.pk) == data["category"]), None)
            try:
                services.declaration_review(
                    actor=request.user, record=record, decision=data["decision"],
                    note=data["note"] or "", category=category, points=data["points"],
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已审核“%(t)s”。") % {"t": record.title})
                return redirect("points:declarations")
        return self._page(request, failed=record.pk, failed_form=form, status=400)


class RecordAdjustView(RendaView):
    """One record's points adjusted by a reviewer with a reason (a ledger line of its own), reached
    from the duty-records review list: a pending declaration is approved with it, an approved record
    gets one more line; a rejected one is refused."""

    permission = "points.manage"

    def _record(self, request, pk):
        return access_object(
            DutyRecord.objects.select_related("deputy", "deputy__region"),
            request.user,
            permission="duty_records.review",
            pk=pk,
        )

    def _form(self, request, record, data=None):
        counting = {s.pk for s in ledger_schemes_for_record(record)}
        categories = [
            c for c in selectors.adjustable_categories(user=request.user) if c.scheme_id in counting
        ]
        return RecordAdjustForm(data, categories=categories)

    def _render(self, request, record, form, status=200):
        lines = LedgerEntry.objects.filter(record=record, open=True).select_related("scheme", "category")
        return render(
            request,
            "points/record_adjust.html",
            {"record": record, "form": form, "lines": lines, "next": safe_next(request, default="")},
            status=status,
        )

    def get(self, request, pk):
        record = self._record(request, pk)
        return self._render(request, record, self._form(request, record))

    def post(self, request, pk):
        record = self._record(request, pk)
        form = self._form(request, record, request.POST)
        if form.is_valid():
            try:
                services.declaration_review(
                    actor=request.user, record=record, decision="adjust", note=form.cleaned_data["reason"],
                    category=form.chosen_category(), points=form.cleaned_data["points"],
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已调整“%(t)s”的积分。") % {"t": record.title})
                return redirect(safe_next(request, default=reverse("points:record_adjust", args=[record.pk])))
        return self._render(request, record, form, status=400)


_ROW_PATH = re.compile(r"（(categories|rules|bands)\[(\d+)\](?:\.(\w+))?）")
_TOP_PATH = re.compile(r"（(\w+)）：")
# A form field of a row and the document key the checks name it by.
_DOCUMENT_KEY = {"match_role": "match", "match_stage": "match", "match_activity_kind": "match",
                 "match_is_key": "match", "match_other": "match", "lower_inclusive": "lower",
                 "upper_inclusive": "upper"}  # fmt: skip
_SECTION_PREFIX = {"categories": "cat", "rules": "rule", "bands": "band"}


def _category_codes(formset) -> list[tuple[str, str]]:
    """(code, name) of the category rows as the page holds them (typed or saved), for the rules'
    category field to offer by name."""
    out = []
    for form in formset.forms:
        if form.is_bound:
            code, name = (
                form.data.get(form.add_prefix("code"), ""),
                form.data.get(form.add_prefix("name"), ""),
            )
        else:
            code, name = form.initial.get("code", ""), form.initial.get("name", "")
        if code and not _deleted(form):
            out.append((str(code).strip(), str(name).strip()))
    return out


def _deleted(form) -> bool:
    return bool(form.is_bound and form.data.get(form.add_prefix("DELETE")))


class SchemeEditorView(RendaView):
    """The draft scheme field by field: settings, categories, rules and grade bands as form rows, rows
    added and removed; saved as the same document the JSON import takes (one validator). A published
    scheme is read-only (make a new version)."""

    permission = "points.manage"
    PREFIXES = {"categories": "cat", "rules": "rule", "bands": "band"}

    def _scheme(self, request, pk):
        return access_object(
            Scheme.objects.select_related("congress"), request.user, permission=self.permission, pk=pk
        )

    def _forms(self, scheme, data=None):
        if data is None:
            document = services.scheme_export(scheme)
            settings_form = SchemeSettingsForm(prefix="s", initial=document)
            sets = {
                "categories": CategoryFormSet(prefix="cat", initial=document["categories"]),
                "rules": RuleFormSet(
                    prefix="rule", initial=[RuleRowForm.initial_for(r) for r in document["rules"]]
                ),
                "bands": BandFormSet(prefix="band", initial=document["bands"]),
            }
        else:
            settings_form = SchemeSettingsForm(data, prefix="s")
            sets = {
                "categories": CategoryFormSet(data, prefix="cat"),
                "rules": RuleFormSet(data, prefix="rule"),
                "bands": BandFormSet(data, prefix="band"),
            }
        return settings_form, sets

    def _render(self, request, scheme, settings_form, sets, errors=(), status=200):
        return render(
            request,
            "points/scheme_editor.html",
            {
                "scheme": scheme,
                "settings_form": settings_form,
                "sets": sets,
                "errors": errors,
                "category_codes": _category_codes(sets["categories"]),
            },
            status=status,
        )

    @staticmethod
    def _form_errors(settings_form, rows, document) -> list[str]:
        """The rows' own field errors as the document's checks word theirs: the entry by number and
        name, the field in Chinese ("第2条计分规则“参加视察”的分值（rules[1].points）：请填写分值")."""
        out = []
        for field, messages_ in settings_form.errors.items():
            for message in messages_:
                out.append(services.named_message(f"{field}：{message}", document))
        for section, forms_ in rows.items():
            for index, form in enumerate(forms_):
                for field, messages_ in form.errors.items():
                    key = _DOCUMENT_KEY.get(field, field)
                    path = f"{section}[{index}]" + ("" if field == "__all__" else f".{key}")
                    out.extend(services.named_message(f"{path}：{m}", document) for m in messages_)
        return out

    @staticmethod
    def _attach(message: str, settings_form, rows) -> bool:
        """Show a check's refusal at its row's field too. False when that field already shows a
        fault of its own (a missing value is said once, by the form)."""
        found = _ROW_PATH.search(message)
        if found is not None:
            section, index, field = found.group(1), int(found.group(2)), found.group(3)
            form = rows[section][index] if index < len(rows[section]) else None
            if form is None:
                return True
            names = [name for name in form.fields if _DOCUMENT_KEY.get(name, name) == field]
            if any(name in form.errors for name in names):
                return False
            form.add_error(names[0] if names else None, message)
            return True
        found = _TOP_PATH.search(message)
        if found is not None and found.group(1) in settings_form.fields:
            if found.group(1) in settings_form.errors:
                return False
            settings_form.add_error(found.group(1), message)
        return True

    def get(self, request, pk):
        scheme = self._scheme(request, pk)
        if not scheme.is_draft:
            messages.info(request, _("已发布的积分办法只读；如需修改请新建版本。"))
            return redirect("points:scheme", scheme.pk)
        return self._render(request, scheme, *self._forms(scheme))

    def post(self, request, pk):
        scheme = self._scheme(request, pk)
        if not scheme.is_draft:
            messages.error(request, _("已发布的积分办法不能修改，请创建新版本"))
            return redirect("points:scheme", scheme.pk)
        adding = request.POST.get("add")
        if adding in self.PREFIXES:
            data = request.POST.copy()
            key = f"{self.PREFIXES[adding]}-TOTAL_FORMS"
            data[key] = str(int(data.get(key) or 0) + 1)
            return self._render(request, scheme, *self._forms(scheme, data))
        settings_form, sets = self._forms(scheme, request.POST)
        # Every form is checked (no short cut), so that all their faults show at once.
        forms_valid = all([settings_form.is_valid(), *(s.is_valid() for s in sets.values())])
        settings = settings_form.cleaned_data if hasattr(settings_form, "cleaned_data") else {}
        interview_below = settings.get("interview_below")
        document = {
            "format": services.FORMAT,
            "year": scheme.year,
            **{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in settings.items()},
            "interview_below": str(interview_below) if interview_below is not None else None,
        }
        rows = {}
        for section, formset in sets.items():
            # Every row not marked for deletion, a faulty one too (from what of it is valid), so that
            # the document's checks name all faults at once, at the same row numbers as the page.
            kept = [
                f
                for f in formset.forms
                if not _deleted(f) and not (f.empty_permitted and not f.has_changed())
            ]
            rows[section] = kept
            document[section] = [f.entry() for f in kept]
        errors = self._form_errors(settings_form, rows, document)
        try:
            if errors or not forms_valid:
                services.parse_document(document)
            else:
                services.scheme_update(actor=request.user, scheme=scheme, document=document)
        except DomainError as exc:
            for message in getattr(exc, "messages", None) or [exc.message]:
                if self._attach(message, settings_form, rows):
                    errors.append(message)
        if errors or not forms_valid:
            return self._render(
                request, scheme, settings_form, sets, errors=errors or [_("请改正下面标出的错误")], status=400
            )
        messages.success(request, _("草稿已保存。"))
        return redirect("points:scheme", scheme.pk)
