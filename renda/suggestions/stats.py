"""Handling statistics per term, year, unit, category and township — counted exactly, one definition.

Over the suggestions and motions the user may see (drafts and withdrawn items are not counted):
- received 收到: submitted items;          accepted 立案: numbered items;
- handed_over 交办: items handed to units;  answered 已答复: items with a first reply;
- answered_on_time 按期答复: first reply on or before its deadline;
- overdue 超期未答复: being handled now and past the deadline (today);
- A/B/C/D: the category of the latest reply, shares of the answered items;
- closed 办结; closing_rate 办结率 = closed / handed over;
- evaluated 已评价: items with an evaluation, counted by the latest one;
  satisfaction_strict 满意率（严格）= 满意 / evaluated;
  satisfaction_common 满意率（通常口径）= (满意 + 基本满意) / evaluated;
- rehandled 重新办理: items re-handled after a 不满意.
Rates are percentages with one decimal, None when the denominator is 0.
"""

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import HANDLING_STATES, Category, Evaluation, Reply, State, Suggestion
from .selectors import scope_suggestions, with_lead_unit, year_range

GROUPS = {
    "": _("合计"),
    "term": _("届次"),
    "year": _("年度"),
    "unit": _("主办单位"),
    "category": _("类别"),
    "township": _("乡镇（街道）"),
}

COUNTS = [
    "received",
    "accepted",
    "handed_over",
    "answered",
    "answered_on_time",
    "overdue",
    "a",
    "b",
    "c",
    "d",
    "closed",
    "evaluated",
    "satisfied",
    "basic",
    "dissatisfied",
    "rehandled",
]
RATES = [
    "a_share",
    "b_share",
    "c_share",
    "d_share",
    "closing_rate",
    "satisfaction_strict",
    "satisfaction_common",
]

LABELS = {
    "key": _("分组"),
    "received": _("收到"),
    "accepted": _("立案"),
    "handed_over": _("交办"),
    "answered": _("已答复"),
    "answered_on_time": _("按期答复"),
    "overdue": _("超期未答复"),
    "a": _("A类"),
    "b": _("B类"),
    "c": _("C类"),
    "d": _("D类"),
    "a_share": _("A类占比%"),
    "b_share": _("B类占比%"),
    "c_share": _("C类占比%"),
    "d_share": _("D类占比%"),
    "closed": _("办结"),
    "closing_rate": _("办结率%"),
    "evaluated": _("已评价"),
    "satisfied": _("满意"),
    "basic": _("基本满意"),
    "dissatisfied": _("不满意"),
    "satisfaction_strict": _("满意率%（仅满意）"),
    "satisfaction_common": _("满意率%（满意+基本满意）"),
    "rehandled": _("重新办理"),
}


def rate(part: int, whole: int) -> float | None:
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def _base(user, term: int | None, year: int | None):
    qs = scope_suggestions(Suggestion.objects.all(), user).exclude(state__in=[State.DRAFT, State.WITHDRAWN])
    qs = qs.filter(submitted_at__isnull=False)
    if term:
        qs = qs.filter(term=term)
    if year:
        start, end = year_range(year)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    first_reply = Reply.objects.filter(suggestion=OuterRef("pk"), round=1)
    last_reply = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    last_evaluation = Evaluation.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    return with_lead_unit(qs).annotate(
        first_on_time=Subquery(first_reply.values("on_time")[:1]),
        last_category=Subquery(last_reply.values("category")[:1]),
        last_result=Subquery(last_evaluation.values("result")[:1]),
    )


def _empty() -> dict:
    return dict.fromkeys(COUNTS, 0)


def _add(row: dict, item: dict, today) -> None:
    row["received"] += 1
    row["accepted"] += item["number"] is not None
    row["handed_over"] += item["assigned_on"] is not None
    if item["first_on_time"] is not None:
        row["answered"] += 1
        row["answered_on_time"] += bool(item["first_on_time"])
    if item["state"] in HANDLING_STATES and item["due_on"] and item["due_on"] < today:
        row["overdue"] += 1
    if item["last_category"]:
        row[item["last_category"].lower()] += 1
    row["closed"] += item["state"] == State.CLOSED
    if item["last_result"]:
        row["evaluated"] += 1
        row[
            {
                Evaluation.Result.SATISFIED: "satisfied",
                Evaluation.Result.BASIC: "basic",
                Evaluation.Result.DISSATISFIED: "dissatisfied",
            }[item["last_result"]]
        ] += 1
    row["rehandled"] += item["rehandle_count"] > 0


def _finish(row: dict) -> dict:
    replied = row["a"] + row["b"] + row["c"] + row["d"]
    for letter in "abcd":
        row[f"{letter}_share"] = rate(row[letter], replied)
    row["closing_rate"] = rate(row["closed"], row["handed_over"])
    row["satisfaction_strict"] = rate(row["satisfied"], row["evaluated"])
    row["satisfaction_common"] = rate(row["satisfied"] + row["basic"], row["evaluated"])
    return row


def _key(item: dict, group_by: str, categories: dict) -> str:
    if group_by == "term":
        return f"第{item['term']}届"
    if group_by == "year":
        return f"{timezone.localtime(item['submitted_at']).year}年"
    if group_by == "unit":
        return item["lead_unit_name"] or str(_("未交办"))
    if group_by == "category":
        return str(categories.get(item["category"], item["category"]))
    if group_by == "township":
        return item["region__name"]
    return str(_("合计"))


def suggestion_stats(*, user, term: int | None = None, year: int | None = None, group_by: str = "") -> dict:
    """{"total": {...}, "groups": [{"key": ..., ...}], "group_by": ...} with COUNTS and RATES."""
    if group_by not in GROUPS:
        group_by = ""
    today = timezone.localdate()
    categories = dict(Category.choices)
    items = _base(user, term, year).values(
        "term",
        "submitted_at",
        "number",
        "assigned_on",
        "state",
        "due_on",
        "category",
        "region__name",
        "rehandle_count",
        "lead_unit_name",
        "first_on_time",
        "last_category",
        "last_result",
    )
    total = _empty()
    groups: dict[str, dict] = OrderedDict()
    for item in items:
        _add(total, item, today)
        if group_by:
            key = _key(item, group_by, categories)
            _add(groups.setdefault(key, _empty()), item, today)
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1]["received"], kv[0]))
    if group_by in ("year", "term"):
        ordered = sorted(groups.items(), key=lambda kv: kv[0])
    return {
        "group_by": group_by,
        "term": term,
        "year": year,
        "total": _finish(total),
        "groups": [{"key": key, **_finish(row)} for key, row in ordered],
    }


def chart_data(stats: dict) -> dict:
    """What the ECharts script draws: per-group bars and the A/B/C/D and satisfaction pies."""
    groups = stats["groups"]
    total = stats["total"]
    return {
        "groups": [g["key"] for g in groups],
        "series": {
            "handed_over": [g["handed_over"] for g in groups],
            "closed": [g["closed"] for g in groups],
            "overdue": [g["overdue"] for g in groups],
        },
        "series_labels": {
            "handed_over": str(LABELS["handed_over"]),
            "closed": str(LABELS["closed"]),
            "overdue": str(LABELS["overdue"]),
        },
        "categories": [
            {"name": str(label), "value": total[letter.lower()]} for letter, label in Reply.Category.choices
        ],
        "satisfaction": [
            {"name": str(LABELS["satisfied"]), "value": total["satisfied"]},
            {"name": str(LABELS["basic"]), "value": total["basic"]},
            {"name": str(LABELS["dissatisfied"]), "value": total["dissatisfied"]},
        ],
    }
