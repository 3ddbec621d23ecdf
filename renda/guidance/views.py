"""Guidance pages (/guidance/): the list, a township's items, reporting and reviewing, the board
(printable, .xlsx), and the stations' rules."""

from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.views import RendaView
from renda.network import selectors as network_selectors
from renda.regions.models import Region

from . import exports, selectors, services, workflow
from .forms import (
    BoardFilterForm,
    GuidanceGroupForm,
    GuidanceItemForm,
    GuidanceListForm,
    ReportForm,
    ReviewForm,
    RuleFilterForm,
    StationRuleForm,
)
from .models import RuleKind


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


def _county(user) -> Region | None:
    region = user.region
    while region is not None and region.level not in (Region.Level.COUNTY,):
        region = region.parent
    return region


class GuidanceHomeView(RendaView):
    """The newest list the user may see; township staff land on their own township's items."""

    permission = "guidance.view"

    def get(self, request):
        lists = list(selectors.guidance_list_list(user=request.user))
        if lists and request.GET.get("all") != "1":
            current = lists[0]
            townships = list(selectors.township_choices(user=request.user, guidance_list=current))
            if has_permission(request.user, "guidance.report") and len(townships) == 1:
                return redirect("guidance:township", pk=current.pk, code=townships[0].code)
            return redirect("guidance:detail", pk=current.pk)
        return render(request, "guidance/home.html", {"lists": lists})


class GuidanceListCreateView(RendaView):
    permission = "guidance.manage"

    def get(self, request):
        form = GuidanceListForm(county=_county(request.user))
        return render(request, "guidance/list_form.html", {"form": form})

    def post(self, request):
        county = _county(request.user)
        form = GuidanceListForm(request.POST, county=county)
        if form.is_valid() and county is not None:
            try:
                guidance_list = services.guidance_list_create(
                    actor=request.user, region=county, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("清单已创建，请添加指导事项和指导组。"))
                return redirect("guidance:detail", pk=guidance_list.pk)
        return render(request, "guidance/list_form.html", {"form": form}, status=400)


class GuidanceListDetailView(RendaView):
    permission = "guidance.view"

    def get(self, request, pk):
        guidance_list = selectors.guidance_list_get(user=request.user, pk=pk)
        context = {
            "guidance_list": guidance_list,
            "items": list(selectors.guidance_items(guidance_list=guidance_list)),
            "groups": list(selectors.guidance_groups(guidance_list=guidance_list)),
            "townships": list(selectors.township_choices(user=request.user, guidance_list=guidance_list)),
            "to_review": list(
                selectors.township_item_list(user=request.user, guidance_list=guidance_list, to_review=True)
            ),
        }
        if has_permission(request.user, "guidance.manage"):
            context["item_form"] = GuidanceItemForm()
            context["group_form"] = GuidanceGroupForm(guidance_list=guidance_list)
        return render(request, "guidance/list_detail.html", context)


class GuidancePartAddView(RendaView):
    """Add an item or a group from the list page."""

    permission = "guidance.manage"

    def post(self, request, pk, part):
        guidance_list = selectors.guidance_list_get(user=request.user, pk=pk, permission=self.permission)
        if part == "item":
            form = GuidanceItemForm(request.POST)
            save = services.guidance_item_add
            done = _("已添加指导事项，各乡镇（街道）的落实事项已生成。")
        elif part == "group":
            form = GuidanceGroupForm(request.POST, guidance_list=guidance_list)
            save = services.guidance_group_create
            done = _("已添加指导组。")
        else:
            raise Http404
        if not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                save(actor=request.user, guidance_list=guidance_list, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
        return redirect("guidance:detail", pk=guidance_list.pk)


class TownshipItemsView(RendaView):
    """One township's items of the list, with their state, due date and evidence count."""

    permission = "guidance.view"

    def get(self, request, pk, code):
        guidance_list = selectors.guidance_list_get(user=request.user, pk=pk)
        township = (
            selectors.township_choices(user=request.user, guidance_list=guidance_list)
            .filter(code=code)
            .first()
        )
        if township is None:
            raise Http404
        cells = list(
            selectors.township_item_list(user=request.user, guidance_list=guidance_list, township=township)
        )
        today = timezone.localdate()
        for cell in cells:
            cell.overdue = cell.state not in ("accepted", "reported") and cell.guidance_item.due_on < today
        cells.sort(key=lambda c: (not c.overdue, c.guidance_item.due_on, c.guidance_item.number))
        return render(
            request,
            "guidance/township_items.html",
            {"guidance_list": guidance_list, "township": township, "cells": cells, "today": today},
        )


class TownshipItemDetailView(RendaView):
    permission = "guidance.view"

    def get(self, request, pk, report_form=None, review_form=None, status=200):
        item = selectors.township_item_get(user=request.user, pk=pk)
        actions = workflow.allowed_actions(item.state)
        can_report = "report" in actions and has_permission(request.user, "guidance.report")
        can_review = "accept" in actions and selectors.can_review(request.user, item)
        context = {
            "item": item,
            "guidance_item": item.guidance_item,
            "events": list(item.events.all()),
            "can_report": can_report,
            "can_review": can_review,
            "report_form": report_form
            or (ReportForm(initial={"result": item.result or None}) if can_report else None),
            "review_form": review_form or (ReviewForm() if can_review else None),
            "overdue": item.state not in ("accepted", "reported")
            and item.guidance_item.due_on < timezone.localdate(),
        }
        return render(request, "guidance/item_detail.html", context, status=status)


class TownshipItemReportView(TownshipItemDetailView):
    permission = "guidance.report"

    def post(self, request, pk):
        item = selectors.township_item_get(user=request.user, pk=pk, permission=self.permission)
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.township_item_report(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已报送，等待指导组审核。"))
                return redirect("guidance:item", pk=item.pk)
        return self.get(request, pk, report_form=form, status=400)


class TownshipItemReviewView(TownshipItemDetailView):
    permission = "guidance.review"

    def post(self, request, pk):
        item = selectors.township_item_get(user=request.user, pk=pk, permission=self.permission)
        if not selectors.can_review(request.user, item):
            raise Http404  # not this user's group: the same answer as a missing item
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.township_item_review(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if form.cleaned_data["decision"] == "accept":
                    messages.success(request, _("已审核通过。"))
                else:
                    messages.success(request, _("已退回，乡镇（街道）将补充后重新报送。"))
                return redirect("guidance:item", pk=item.pk)
        return self.get(request, pk, review_form=form, status=400)


class EvidenceDownloadView(RendaView):
    permission = "guidance.view"

    def get(self, request, pk):
        evidence = selectors.evidence_get(user=request.user, pk=pk)
        return FileResponse(
            evidence.file.open("rb"), as_attachment=not evidence.is_photo, filename=evidence.name
        )


def _board(request, pk):
    guidance_list = selectors.guidance_list_get(user=request.user, pk=pk)
    groups = list(selectors.guidance_groups(guidance_list=guidance_list))
    form = BoardFilterForm(request.GET or None, groups=groups)
    group, as_of = None, None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["group"]:
            group = selectors.group_get(
                user=request.user, guidance_list=guidance_list, pk=form.cleaned_data["group"]
            )
        as_of = form.cleaned_data["as_of"]
    board = selectors.board(user=request.user, guidance_list=guidance_list, group=group, as_of=as_of)
    return guidance_list, groups, form, board


class BoardView(RendaView):
    permission = "guidance.view"

    def get(self, request, pk):
        guidance_list, _groups, form, board = _board(request, pk)
        rules = selectors.station_rules_by_township(
            selectors.station_rules(user=request.user, year=guidance_list.year)
        )
        for row in board.rows:
            row.stations = rules.get(row.township.pk, {"stations": 0, "complete": 0})
        return render(
            request,
            "guidance/board.html",
            {
                "guidance_list": guidance_list,
                "form": form,
                "board": board,
                "looks": selectors.CELL_LOOKS,
                "mine": selectors.groups_led_by(user=request.user, guidance_list=guidance_list),
                "query": request.GET.urlencode(),
            },
        )


class BoardExportView(RendaView):
    permission = "guidance.view"

    def get(self, request, pk):
        guidance_list, _groups, _form, board = _board(request, pk)
        response = HttpResponse(
            exports.board_xlsx(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{guidance_list.year}年工作指导看板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


# ---------- the stations' rules ----------


class StationRulesView(RendaView):
    """Each station's four rules in a year, grouped by township; whoever sees the network sees this."""

    permission = "network.view"

    def get(self, request):
        townships = Region.objects.filter(level=Region.Level.TOWNSHIP)
        if request.user.region_id:
            townships = townships.filter(path__startswith=request.user.region.path)
        else:
            townships = townships.none()
        form = RuleFilterForm(request.GET or None, townships=townships.order_by("code"))
        year, township = selectors.station_rules_latest_year(user=request.user), None
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"] or year
            township = form.cleaned_data["township"]
        entries = selectors.station_rules(user=request.user, year=year, township=township)
        grouped: dict[int, dict] = {}
        for entry in entries:
            place = selectors.station_township(entry.station)
            grouped.setdefault(place.pk, {"township": place, "entries": []})["entries"].append(entry)
        return render(
            request,
            "guidance/station_rules.html",
            {
                "form": form,
                "year": year,
                "groups": list(grouped.values()),
                "kinds": list(RuleKind),
                "looks": selectors.RULE_LOOKS,
                "can_edit": has_permission(request.user, "guidance.rules"),
            },
        )


class StationRuleEditView(RendaView):
    permission = "guidance.rules"

    def _context(self, request, station_pk, year, kind):
        if kind not in RuleKind.values:
            raise Http404
        station = network_selectors.station_get(user=request.user, pk=station_pk, permission=self.permission)
        templates = selectors.rule_templates(region=station.region)
        rule = selectors.station_rule_get(user=request.user, station=station, year=year, kind=kind)
        return {
            "station": station,
            "year": year,
            "kind": RuleKind(kind),
            "rule": rule,
            "template": templates.get(kind),
        }

    def get(self, request, station_pk, year, kind):
        context = self._context(request, station_pk, year, kind)
        rule = context["rule"]
        initial = {"posted_on": timezone.localdate()}
        if rule is not None:
            initial = {
                "template": rule.template_id is not None,
                "text": "" if rule.template_id else rule.text,
                "posted": rule.posted,
                "posted_on": rule.posted_on,
                "note": rule.note,
            }
        context["form"] = StationRuleForm(initial=initial)
        return render(request, "guidance/station_rule_form.html", context)

    def post(self, request, station_pk, year, kind):
        context = self._context(request, station_pk, year, kind)
        form = StationRuleForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            use_template = data.pop("template")
            if use_template and context["template"] is None:
                form.add_error("template", _("县人大常委会尚未发布这项制度的范本"))
            else:
                try:
                    services.station_rule_save(
                        actor=request.user,
                        station=context["station"],
                        year=year,
                        kind=kind,
                        template=context["template"] if use_template else None,
                        **data,
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("“%(k)s”已保存。") % {"k": context["kind"].label})
                    return redirect(reverse("guidance:rules") + f"?year={year}")
        context["form"] = form
        return render(request, "guidance/station_rule_form.html", context, status=400)


class StationRuleFileView(RendaView):
    permission = "network.view"

    def get(self, request, station_pk, year, kind):
        station = network_selectors.station_get(user=request.user, pk=station_pk)
        rule = selectors.station_rule_get(user=request.user, station=station, year=year, kind=kind)
        if rule is None or not rule.file:
            raise Http404
        return FileResponse(
            rule.file.open("rb"), as_attachment=True, filename=rule.file.name.rsplit("/", 1)[-1]
        )
