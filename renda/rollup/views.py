"""Roll-up pages: a region's figures and one card per region below it, drill down by clicking."""

from urllib.parse import quote

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.views import RendaView
from renda.deputies.models import Level, Mandate
from renda.network.models import Station

from . import exports, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RollupFilterForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


def _year(request) -> tuple[RollupFilterForm, int | None]:
    form = RollupFilterForm(request.GET or None)
    return form, (form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None)


def chart_data(result: dict) -> dict:
    """What rollup.js draws: per-row bars (received, closed, overdue) and deputies by level."""
    rows = [r for r in result["rows"] if r["region"] is not None]
    levels = dict(Level.choices)
    return {
        "base": reverse("rollup:home"),
        "names": [r["region"].name for r in rows],
        "codes": [r["region"].code if r["drill"] else "" for r in rows],
        "series": {
            "received": [r["received"] for r in rows],
            "closed": [r["closed"] for r in rows],
            "overdue": [r["overdue"] for r in rows],
        },
        "labels": {"received": str(_("收到建议")), "closed": str(_("办结")), "overdue": str(_("超期未答复"))},
        "deputies": [
            {"name": str(levels[level]), "value": result["total"]["deputies"][level]}
            for level in selectors.DEPUTY_LEVELS
        ],
    }


def _lists(figures: dict, grade_order: list[str]) -> dict:
    """The nested counts as (label, n) lists the template can loop over (zeros left out)."""
    levels = dict(Level.choices)
    statuses = dict(Mandate.Status.choices)
    kinds = dict(Station.Kind.choices)
    return {
        **figures,
        "grade_list": [
            (grade or _("未评等次"), figures["grades"][grade])
            for grade in grade_order
            if figures["grades"].get(grade)
        ],
        "band_list": [
            (selectors.POINT_BAND_LABELS[key], n) for key, n in figures["points_bands"].items() if n
        ],
        "deputy_levels": [(levels[k], n) for k, n in figures["deputies"].items()],
        "status_list": [(statuses.get(k, k), n) for k, n in figures["statuses"].items() if n],
        "kind_list": [(kinds.get(k, k), n) for k, n in figures["stations"].items() if n],
    }


class RollupView(RendaView):
    permission = "rollup.view"

    def get(self, request, code: str | None = None):
        region = selectors.rollup_region(user=request.user, code=code)
        form, year = _year(request)
        result = selectors.rollup(user=request.user, region=region, year=year)
        order = result["grade_order"]
        shown = {
            **result,
            "rows": [_lists(r, order) for r in result["rows"]],
            "total": _lists(result["total"], order),
        }
        return render(
            request,
            "rollup/rollup.html",
            {
                "result": shown,
                "form": form,
                "query": request.GET.urlencode(),
                "chart": chart_data(result),
            },
        )


class RollupXlsxView(RendaView):
    permission = "rollup.view"

    def get(self, request, code: str):
        region = selectors.rollup_region(user=request.user, code=code)
        _form, year = _year(request)
        result = selectors.rollup(user=request.user, region=region, year=year)
        response = HttpResponse(exports.rollup_xlsx(result), content_type=XLSX)
        filename = f"{region.name}汇总统计.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response
