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

The counts read facts stored on the suggestion row (first_reply_on_time, last_reply_category,
last_evaluation_result: kept by services.reply_submit and services.evaluation_submit), so an aggregate
reads no reply or evaluation row and costs one pass over the suggestions in scope, nothing more per
suggestion; `recomputed_facts` derives the same facts from the reply and evaluation rows (the tests
check that they agree on random histories).

Where the suggestions in view span several counties (city and province users), the groupings by
handling unit and by township give one row per county instead (`by_county`), each opening that
county's own rows (`county=<code>`): a province has some 900 units and 1,500 townships.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import access_object
from renda.organizations.models import Organization
from renda.regions.models import Region

from .models import HANDLING_STATES, Assignment, Category, Evaluation, Reply, State, Suggestion
from .selectors import scope_suggestions, year_range

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


def scoped_items(user, term: int | None = None, year: int | None = None, county: Region | None = None):
    """The counted suggestions (submitted, not drafts or withdrawn) `user` may see (of `county` when
    given)."""
    qs = scope_suggestions(Suggestion.objects.all(), user).exclude(state__in=[State.DRAFT, State.WITHDRAWN])
    qs = qs.filter(submitted_at__isnull=False)
    if county is not None:
        qs = qs.filter(region__path__startswith=county.path)
    if term:
        qs = qs.filter(term=term)
    if year:
        start, end = year_range(year)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    return qs


def recomputed_facts(qs):
    """`qs` with the stored facts derived again from the reply and evaluation rows, as correlated
    subqueries (`first_on_time`, `last_category`, `last_result`): for tests and checks only — this is
    what the stored columns spare every statistics request."""
    first_reply = Reply.objects.filter(suggestion=OuterRef("pk"), round=1)
    last_reply = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    last_evaluation = Evaluation.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    return qs.annotate(
        first_on_time=Subquery(first_reply.values("on_time")[:1]),
        last_category=Subquery(last_reply.values("category")[:1]),
        last_result=Subquery(last_evaluation.values("result")[:1]),
    )


def annotate_lead_unit(qs):
    """`lead_unit`: the current lead unit's id (a part it returned no longer counts)."""
    lead = Assignment.objects.filter(suggestion=OuterRef("pk"), role=Assignment.Role.LEAD).exclude(
        state=Assignment.State.RETURNED
    )
    return qs.annotate(lead_unit=Subquery(lead.values("unit_id")[:1]))


def count_expressions(today) -> dict:
    """COUNTS as SQL aggregates over suggestion rows: the definitions at the top, in SQL, reading
    only the suggestion's own columns."""

    def n(**conditions):
        return Count("pk", filter=Q(**conditions))

    return {
        "received": Count("pk"),
        "accepted": n(number__isnull=False),
        "handed_over": n(assigned_on__isnull=False),
        "answered": n(first_reply_on_time__isnull=False),
        "answered_on_time": n(first_reply_on_time=True),
        "overdue": n(state__in=HANDLING_STATES, due_on__lt=today),
        "a": n(last_reply_category=Reply.Category.A),
        "b": n(last_reply_category=Reply.Category.B),
        "c": n(last_reply_category=Reply.Category.C),
        "d": n(last_reply_category=Reply.Category.D),
        "closed": n(state=State.CLOSED),
        "evaluated": Count("pk", filter=~Q(last_evaluation_result="")),
        "satisfied": n(last_evaluation_result=Evaluation.Result.SATISFIED),
        "basic": n(last_evaluation_result=Evaluation.Result.BASIC),
        "dissatisfied": n(last_evaluation_result=Evaluation.Result.DISSATISFIED),
        "rehandled": n(rehandle_count__gt=0),
    }


def finish(row: dict) -> dict:
    """Add RATES to a row of COUNTS (in place) and return it."""
    replied = row["a"] + row["b"] + row["c"] + row["d"]
    for letter in "abcd":
        row[f"{letter}_share"] = rate(row[letter], replied)
    row["closing_rate"] = rate(row["closed"], row["handed_over"])
    row["satisfaction_strict"] = rate(row["satisfied"], row["evaluated"])
    row["satisfaction_common"] = rate(row["satisfied"] + row["basic"], row["evaluated"])
    return row


# What each grouping groups by: an identity (an id or a code), never a name (issue 15 §1).
GROUP_COLUMNS = {
    "term": "term",
    "year": "submitted_year",
    "unit": "lead_unit",
    "category": "category",
    "township": "region_id",
}
# Groupings with one row per county where several counties are in view.
COUNTY_GROUPS = ("unit", "township")


def spans_counties(user) -> bool:
    """Whether the user sees more than one county's suggestions (a city or province account)."""
    region = getattr(user, "region", None) if getattr(user, "region_id", None) else None
    return region is not None and region.level in (Region.Level.PROVINCE, Region.Level.CITY)


def stats_county(*, user, code: str) -> Region:
    """The county a city or province user opens in the statistics; 404 outside the jurisdiction."""
    return access_object(
        Region.objects.all(), user, permission="suggestions.stats", code=code, level="county"
    )


def _labels(group_by: str, ids: list) -> dict:
    """Display names for the group ids; a unit or township carries its county when the rows span
    more than one county (every county has a 县交通运输局 and namesake townships). One query at most."""
    if group_by == "term":
        return {i: f"第{i}届" for i in ids}
    if group_by == "year":
        return {i: f"{i}年" for i in ids}
    if group_by == "category":
        categories = dict(Category.choices)
        return {i: str(categories.get(i, i)) for i in ids}
    if group_by == "unit":
        rows = {
            o.pk: (o.name, o.region.name, o.region.path)
            for o in Organization.objects.filter(pk__in=[i for i in ids if i]).select_related("region")
        }
    else:
        rows = {
            r.pk: (r.name, (r.parent.name if r.level != Region.Level.COUNTY and r.parent else r.name), r.path)
            for r in Region.objects.filter(pk__in=ids).select_related("parent")
        }
    counties = {"/".join(path.split("/")[:3]) for _name, _county, path in rows.values()}
    several = len(counties) > 1
    labels = {}
    for i in ids:
        if i not in rows:
            labels[i] = str(_("未交办"))
            continue
        name, county, _path = rows[i]
        labels[i] = f"{name}（{county}）" if several and county != name else name
    return labels


def _county_path(path: str) -> str:
    """The path of the county a region lies in ("52/5205/520521/"), or its own above a county."""
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:3]) + "/" if len(parts) > 3 else path


def _county_groups(rows: list[dict]) -> list[dict]:
    """Rows of COUNTS per region id folded into one row per county (two queries for the regions:
    the rows' own, then their counties); a row above any county keeps its own region."""
    paths = dict(Region.objects.filter(pk__in=[r["region_id"] for r in rows]).values_list("pk", "path"))
    county_path = {pk: _county_path(path) for pk, path in paths.items()}
    counties = {
        r.path: r for r in Region.objects.filter(path__in=set(county_path.values())).select_related("parent")
    }
    folded: dict[str, dict] = {}
    for r in rows:
        path = county_path.get(r["region_id"], "")
        figures = folded.setdefault(path, dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            figures[name] += r[name]
    several_cities = len({county.parent_id for county in counties.values()}) > 1
    groups = []
    for path, figures in folded.items():
        county = counties.get(path)
        if county is None:
            key, code, drill = str(_("本级")), "", False
        else:
            key, code, drill = county.name, county.code, county.level == Region.Level.COUNTY
            if several_cities and county.parent is not None:
                key = f"{county.name}（{county.parent.name}）"
        groups.append({"key": key, "id": code, "code": code, "drill": drill, **finish(figures)})
    return groups


def suggestion_stats(
    *,
    user,
    term: int | None = None,
    year: int | None = None,
    group_by: str = "",
    county: Region | None = None,
    total: dict | None = None,
) -> dict:
    """{"total": {...}, "groups": [{"key": name, "id": identity, ...}], "group_by": ..., "by_county":
    bool, "county": {"code", "name"} | None} with COUNTS and RATES. One SQL aggregate (grouped: the
    total is the sum of the groups, which never overlap) and one or two queries for the groups' names:
    the database counts over the suggestion rows alone, reading no reply or evaluation.

    `county` (a county region the user may see, `stats_county`) narrows everything to it; without it a
    city or province user gets the unit and township groupings as one row per county (`by_county`,
    each row with its `code` to open). `total`: the total already counted for the same filters."""
    if group_by not in GROUPS:
        group_by = ""
    today = timezone.localdate()
    counts = count_expressions(today)
    items = scoped_items(user, term, year, county)
    by_county = bool(group_by in COUNTY_GROUPS and county is None and spans_counties(user))
    groups = []
    rows = []
    if by_county:
        rows = list(items.order_by().values("region_id").annotate(**counts))
        groups = _county_groups(rows)
        groups.sort(key=lambda g: (-g["received"], g["key"]))
    elif group_by:
        column = GROUP_COLUMNS[group_by]
        grouped = items
        if group_by == "year":
            grouped = grouped.annotate(submitted_year=ExtractYear("submitted_at"))
        if group_by == "unit":
            grouped = annotate_lead_unit(grouped)
        rows = list(grouped.order_by().values(column).annotate(**counts))
        labels = _labels(group_by, [r[column] for r in rows])
        groups = [
            {"key": labels[r[column]], "id": r[column], **finish({k: r[k] for k in COUNTS})} for r in rows
        ]
        if group_by in ("year", "term"):
            groups.sort(key=lambda g: g["id"])
        else:
            groups.sort(key=lambda g: (-g["received"], g["key"]))
    if total is None and group_by:
        # Every grouping splits the items without overlap: the total is the sum of its rows.
        total = finish({name: sum(r[name] for r in rows) for name in COUNTS})
    elif total is None:
        total = finish(items.aggregate(**counts))
    return {
        "group_by": group_by,
        "term": term,
        "year": year,
        "by_county": by_county,
        "county": {"code": county.code, "name": county.name} if county is not None else None,
        "total": total,
        "groups": groups,
    }


def suggestion_stats_sheets(
    *, user, term=None, year=None, county=None, groupings=("unit", "category", "township", "year")
):
    """The statistics of each grouping (stats.xlsx), the total counted once."""
    results = []
    for group_by in groupings:
        result = suggestion_stats(
            user=user,
            term=term,
            year=year,
            group_by=group_by,
            county=county,
            total=results[0]["total"] if results else None,
        )
        results.append(result)
    return results


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
