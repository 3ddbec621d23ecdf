"""Duty-report pages (/duty-reports/): the list, scheduling, a report's page with its actions, the
printable sheet of voting codes, and the public voting page a code opens (/duty-reports/vote/<code>/)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC, access_object, has_permission, scope_queryset
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.views import RendaView
from renda.deputies.selectors import congress_choices
from renda.network.selectors import station_choices

from . import documents, selectors, services
from .forms import (
    CancelForm,
    CloseForm,
    EvaluationRuleForm,
    OpenVotingForm,
    RectificationForm,
    ReportFileForm,
    ReportTextForm,
    ScheduleForm,
    tally_form,
)
from .models import DutyReport, EvaluationRule


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


class ReportListView(RendaView):
    permission = "duty_reports.view"

    def get(self, request):
        state = request.GET.get("state", "")
        if state not in DutyReport.State.values:
            state = ""
        reports = selectors.duty_report_list(user=request.user, state=state)
        page = Paginator(reports, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "duty_reports/report_list.html",
            {
                "page": page,
                "state": state,
                "states": DutyReport.State.choices,
                "can_manage": has_permission(request.user, "duty_reports.manage"),
            },
        )


class ReportCreateView(RendaView):
    permission = "duty_reports.manage"

    def _form(self, request, data=None):
        return ScheduleForm(
            data,
            congresses=congress_choices(user=request.user),
            stations=station_choices(user=request.user),
            rules=selectors.rule_choices(user=request.user),
        )

    def get(self, request):
        return render(request, "duty_reports/report_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deputy = selectors.deputy_search(request.user, "").filter(pk=data["deputy"].pk).first()
                if deputy is None:
                    raise DomainError(_("所选代表不在您的管辖范围内"), field="deputy")
                rule_value = data["rule"]
                if rule_value.startswith("preset:"):
                    rule = services.evaluation_rule_from_preset(
                        actor=request.user,
                        region=request.user.region,
                        preset=rule_value.removeprefix("preset:"),
                    )
                else:
                    rule = selectors.rule_choices(user=request.user).filter(pk=rule_value).first()
                    if rule is None:
                        raise DomainError(_("所选测评规则不存在"), field="rule")
                report = services.duty_report_schedule(
                    actor=request.user,
                    deputy=deputy,
                    congress=data["congress"],
                    rule=rule,
                    held_on=data["held_on"],
                    place=data["place"],
                    station=data["station"],
                    invited=data["invited"],
                    invited_count=data["invited_count"] or 0,
                    min_attendance=data["min_attendance"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("述职已安排。"))
                return redirect("duty_reports:detail", pk=report.pk)
        return render(request, "duty_reports/report_form.html", {"form": form}, status=400)


class ReportDetailView(RendaView):
    permission = "duty_reports.view"

    def get(self, request, pk):
        report = selectors.duty_report_get(user=request.user, pk=pk)
        return render(request, "duty_reports/report_detail.html", detail_context(request, report))


def detail_context(request, report: DutyReport, **forms) -> dict:
    user = request.user
    manage = has_permission(user, "duty_reports.manage")
    own = report.deputy.user_id == user.pk and has_permission(user, "duty_reports.write")
    counts = services.report_counts(report) if report.state in ("voting", "closed") else {}
    open_states = (DutyReport.State.SCHEDULED, DutyReport.State.VOTING)
    return {
        "report": report,
        "counts": counts,
        "codes_total": report.vote_codes.count() if report.state != "scheduled" else 0,
        "can_manage": manage,
        "can_write": (manage or own) and report.state in open_states,
        "can_rectify": own and report.rectification_required and report.state == DutyReport.State.CLOSED,
        "text_form": forms.get("text_form") or ReportTextForm(initial={"report_text": report.report_text}),
        "file_form": forms.get("file_form") or ReportFileForm(),
        "open_form": forms.get("open_form") or OpenVotingForm(),
        "tally_form": forms.get("tally_form")
        or tally_form(report.rule.options, {o: c["paper"] for o, c in counts.items()}),
        "close_form": forms.get("close_form") or CloseForm(initial={"attendance": report.attendance}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "rectify_form": forms.get("rectify_form")
        or RectificationForm(initial={"rectification_plan": report.rectification_plan}),
        "today": timezone.localdate(),
    }


# action -> (form key, form class or None for the tally, permission test)
_ACTIONS = {
    "write": "text_form",
    "upload": "file_form",
    "open": "open_form",
    "tally": "tally_form",
    "close": "close_form",
    "cancel": "cancel_form",
    "rectify": "rectify_form",
}


class ReportActionView(RendaView):
    """POST /duty-reports/<pk>/<action>/: one form of the report page, through its service."""

    permission = "duty_reports.view"

    def post(self, request, pk, action):
        if action not in _ACTIONS:
            raise Http404
        user = request.user
        manage = has_permission(user, "duty_reports.manage")
        # The report is fetched through the scoped selector first: outside the jurisdiction is 404.
        report = selectors.duty_report_get(user=user, pk=pk)
        own = report.deputy.user_id == user.pk and has_permission(user, "duty_reports.write")
        allowed = {"write": manage or own, "rectify": own}.get(action, manage)
        if not allowed:
            raise Http404
        form = self._form(action, report, request)
        if form.is_valid():
            try:
                self._perform(action, report, form.cleaned_data, user)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("duty_reports:detail", pk=report.pk)
        report.refresh_from_db()
        context = detail_context(request, report, **{_ACTIONS[action]: form})
        context["action_error"] = _first_error(form)
        return render(request, "duty_reports/report_detail.html", context, status=400)

    @staticmethod
    def _form(action, report, request):
        classes = {
            "write": ReportTextForm,
            "upload": ReportFileForm,
            "open": OpenVotingForm,
            "close": CloseForm,
            "cancel": CancelForm,
            "rectify": RectificationForm,
        }
        if action == "tally":
            return tally_form(report.rule.options, data=request.POST)
        if action == "upload":
            return ReportFileForm(request.POST, request.FILES)
        return classes[action](request.POST)

    @staticmethod
    def _perform(action, report, data, user):
        if action == "write":
            services.duty_report_write(actor=user, report=report, text=data["report_text"])
        elif action == "upload":
            services.duty_report_upload(actor=user, report=report, upload=data["report_file"])
        elif action == "open":
            services.duty_report_open_voting(actor=user, report=report, codes=data["codes"])
        elif action == "tally":
            counts = {o: data[f"count_{n}"] for n, o in enumerate(report.rule.options)}
            services.paper_tally_set(actor=user, report=report, counts=counts)
        elif action == "close":
            services.duty_report_close(actor=user, report=report, attendance=data["attendance"])
        elif action == "cancel":
            services.duty_report_cancel(actor=user, report=report, reason=data["reason"])
        elif action == "rectify":
            services.rectification_submit(actor=user, report=report, plan=data["rectification_plan"])


class ReportFileView(RendaView):
    permission = "duty_reports.view"

    def get(self, request, pk):
        from django.http import FileResponse

        report = selectors.duty_report_get(user=request.user, pk=pk)
        if not report.report_file:
            raise Http404
        name = report.report_file.name.rsplit("/", 1)[-1]
        return FileResponse(report.report_file.open("rb"), as_attachment=True, filename=name)


class CodesSheetView(RendaView):
    """The printable sheet of one-time voting codes (PDF), for staff to cut and hand out."""

    permission = "duty_reports.manage"

    def get(self, request, pk):
        report = selectors.duty_report_get(user=request.user, pk=pk, permission="duty_reports.manage")
        if report.state != DutyReport.State.VOTING:
            raise Http404
        base = request.build_absolute_uri("/")
        pdf = documents.codes_sheet_pdf(report, base_url=base)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="duty-report-{report.pk}-codes.pdf"'
        return response


class VoteView(RendaView):
    """The page a printed QR code opens: the ballot, one vote per code, no login."""

    permission = PUBLIC

    def get(self, request, code):
        found = selectors.vote_code_page(code=code)
        if found is None:
            raise Http404
        return render(request, "duty_reports/vote.html", {"vc": found, "report": found.report})

    def post(self, request, code):
        found = selectors.vote_code_page(code=code)
        if found is None:
            raise Http404
        try:
            services.vote_cast(code=code, option=request.POST.get("option", ""))
        except DomainError as exc:
            return render(
                request,
                "duty_reports/vote.html",
                {"vc": found, "report": found.report, "error": exc.message},
                status=exc.status if exc.status != 404 else 400,
            )
        return redirect(reverse("duty_reports:voted"))


class VotedView(RendaView):
    permission = PUBLIC

    def get(self, request):
        return render(request, "duty_reports/voted.html")


class RuleListView(RendaView):
    """The evaluation rules the user's reports may use; those of their own jurisdiction can be edited."""

    permission = "duty_reports.manage"

    def get(self, request):
        rules = list(selectors.rule_choices(user=request.user))
        editable = set(
            scope_queryset(
                EvaluationRule.objects.filter(pk__in=[r.pk for r in rules]), request.user
            ).values_list("pk", flat=True)
        )
        return render(request, "duty_reports/rule_list.html", {"rules": rules, "editable": editable})


class RuleCreateView(RendaView):
    permission = "duty_reports.manage"

    def get(self, request):
        form = EvaluationRuleForm(initial={"rectify_over_percent": 50, "rectify_days": 30})
        return render(request, "duty_reports/rule_form.html", {"form": form})

    def post(self, request):
        form = EvaluationRuleForm(request.POST)
        if form.is_valid():
            if request.user.region_id is None:
                raise Http404
            try:
                rule = services.evaluation_rule_create(
                    actor=request.user, region=request.user.region, **form.service_kwargs()
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已新建测评规则“%(n)s”。") % {"n": rule.name})
                return redirect("duty_reports:rules")
        return render(request, "duty_reports/rule_form.html", {"form": form}, status=400)


class RuleEditView(RendaView):
    permission = "duty_reports.manage"

    def _rule(self, request, pk):
        return access_object(EvaluationRule.objects.all(), request.user, permission=self.permission, pk=pk)

    def get(self, request, pk):
        rule = self._rule(request, pk)
        return render(
            request, "duty_reports/rule_form.html", {"form": EvaluationRuleForm(rule=rule), "rule": rule}
        )

    def post(self, request, pk):
        rule = self._rule(request, pk)
        form = EvaluationRuleForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_rule_update(actor=request.user, rule=rule, **form.service_kwargs())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("测评规则已保存。"))
                return redirect("duty_reports:rules")
        return render(request, "duty_reports/rule_form.html", {"form": form, "rule": rule}, status=400)
