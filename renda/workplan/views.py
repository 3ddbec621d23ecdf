"""Work-plan pages (/workplan/): plans by chapter, items and progress, late items, the monthly
summary (.docx), and the import from the office's .docx with a preview."""

from urllib.parse import quote

from django.contrib import messages
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.views import RendaView
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import documents, imports, selectors, services
from .forms import (
    ChapterForm,
    ImportForm,
    PlanFilterForm,
    PlanItemForm,
    ProgressForm,
    SummaryForm,
    WorkPlanForm,
)

IMPORT_SALT = "renda.workplan.import"
IMPORT_MAX_AGE = 2 * 3600  # a preview older than two hours must be uploaded again


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


def _county(user) -> Region | None:
    region = user.region
    while region is not None and region.level != Region.Level.COUNTY:
        region = region.parent
    return region


def _committee(user) -> tuple[Region, Organization]:
    county = _county(user)
    committee = (
        Organization.objects.filter(kind=Organization.Kind.STANDING_COMMITTEE, region=county).first()
        if county
        else None
    )
    if committee is None:
        raise DomainError(_("您的账号所在区划没有人大常委会机构，无法建立工作要点"), field="year")
    return county, committee


class PlanListView(RendaView):
    permission = "workplan.view"

    def get(self, request):
        plans = list(selectors.work_plan_list(user=request.user))
        if len(plans) and request.GET.get("all") != "1":
            return redirect("workplan:detail", pk=plans[0].pk)
        return render(request, "workplan/plan_list.html", {"plans": plans})


class PlanCreateView(RendaView):
    permission = "workplan.manage"

    def get(self, request):
        return render(request, "workplan/plan_form.html", {"form": WorkPlanForm()})

    def post(self, request):
        form = WorkPlanForm(request.POST)
        if form.is_valid():
            try:
                county, committee = _committee(request.user)
                plan = services.work_plan_create(
                    actor=request.user, organization=committee, region=county, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已建立，请添加章节和工作事项。"))
                return redirect("workplan:detail", pk=plan.pk)
        return render(request, "workplan/plan_form.html", {"form": form}, status=400)


class PlanDetailView(RendaView):
    permission = "workplan.view"

    def get(self, request, pk):
        plan = selectors.work_plan_get(user=request.user, pk=pk)
        form = PlanFilterForm(request.GET or None, plan=plan)
        body_id, late = None, False
        if form.is_bound and form.is_valid():
            body_id, late = form.cleaned_data["body"], form.cleaned_data["late"]
        chapters = selectors.plan_chapters(user=request.user, plan=plan, body_id=body_id, late=late)
        items = [item for chapter in chapters for item in chapter.shown]
        context = {
            "plan": plan,
            "form": form,
            "chapters": chapters,
            "figures": selectors.plan_figures(items),
            "late_items": [i for i in items if i.late],
            "month": timezone.localdate().strftime("%Y-%m")
            if timezone.localdate().year == plan.year
            else f"{plan.year}-12",
        }
        if has_permission(request.user, "workplan.manage"):
            context["chapter_form"] = ChapterForm()
            if chapters:
                context["item_form"] = PlanItemForm(plan=plan)
        return render(request, "workplan/plan_detail.html", context)


class PlanPartAddView(RendaView):
    permission = "workplan.manage"

    def post(self, request, pk, part):
        plan = selectors.work_plan_get(user=request.user, pk=pk, permission=self.permission)
        if part == "chapter":
            form = ChapterForm(request.POST)
        elif part == "item":
            form = PlanItemForm(request.POST, plan=plan)
        else:
            raise Http404
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("workplan:detail", pk=plan.pk)
        try:
            if part == "chapter":
                services.chapter_add(actor=request.user, plan=plan, **form.cleaned_data)
            else:
                services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已添加。"))
        return redirect("workplan:detail", pk=plan.pk)


class PlanItemDetailView(RendaView):
    permission = "workplan.view"

    def get(self, request, pk, form=None, status=200):
        item = selectors.plan_item_get(user=request.user, pk=pk)
        may_report = has_permission(request.user, "workplan.report") and services.can_report(
            request.user, item
        )
        context = {
            "item": item,
            "late": selectors.is_late(item),
            "reports": list(item.reports.all()),
            "form": form or (ProgressForm(initial={"percent": item.percent}) if may_report else None),
        }
        return render(request, "workplan/item_detail.html", context, status=status)


class ProgressReportView(PlanItemDetailView):
    permission = "workplan.report"

    def post(self, request, pk):
        item = selectors.plan_item_get(user=request.user, pk=pk, permission=self.permission)
        if not services.can_report(request.user, item):
            raise Http404
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.progress_report_add(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("进展已报告。"))
                return redirect("workplan:item", pk=item.pk)
        return self.get(request, pk, form=form, status=400)


class ProgressFileView(RendaView):
    permission = "workplan.view"

    def get(self, request, pk):
        found = selectors.progress_file_get(user=request.user, pk=pk)
        return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


class LateItemsView(RendaView):
    """What is late across the plans the user sees: for leaders."""

    permission = "workplan.view"

    def get(self, request):
        items = list(selectors.late_items(user=request.user)[:200])
        today = timezone.localdate()
        for item in items:
            item.days_late = (today - item.due_on).days
        return render(request, "workplan/late.html", {"items": items})


class SummaryDocxView(RendaView):
    permission = "workplan.view"

    def get(self, request, pk):
        plan = selectors.work_plan_get(user=request.user, pk=pk)
        form = SummaryForm(request.GET)
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("workplan:detail", pk=plan.pk)
        year, month = (int(p) for p in form.cleaned_data["month"].split("-"))
        if not 1 <= month <= 12 or not (plan.year <= year <= plan.year + 1):
            messages.error(request, _("月份应在工作要点的年度内"))
            return redirect("workplan:detail", pk=plan.pk)
        content = documents.monthly_summary_docx(user=request.user, plan=plan, year=year, month=month)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        filename = f"{plan.title}落实情况（{year}年{month}月）.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


class PlanImportView(RendaView):
    """Upload → preview (nothing saved; the parsed plan travels signed in the page) → confirm."""

    permission = "workplan.manage"
    template_name = "workplan/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        if "payload" in request.POST:
            return self._confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            county, _committee_org = _committee(request.user)
            parsed = imports.plan_docx_parse(form.cleaned_data["file"], region=county)
        except DomainError as exc:
            form.add_error("file", exc.message)
            return render(request, self.template_name, {"form": form}, status=400)
        payload = signing.dumps(parsed, salt=IMPORT_SALT, compress=True)
        return render(
            request,
            self.template_name,
            {"form": ImportForm(), "parsed": parsed, "payload": payload if not parsed["errors"] else ""},
        )

    def _confirm(self, request):
        try:
            parsed = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("预览已过期或内容被改动，请重新上传文件"))
            return redirect("workplan:import")
        try:
            county, committee = _committee(request.user)
            plan = services.work_plan_import(
                actor=request.user, parsed=parsed, organization=committee, region=county
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("workplan:import")
        messages.success(request, _("已导入%(n)d项工作。") % {"n": plan.items.count()})
        return redirect("workplan:detail", pk=plan.pk)
