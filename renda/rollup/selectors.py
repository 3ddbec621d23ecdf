"""The roll-up figures of one region and of each region right below it (province → city → county).

Every figure is a grouped SQL aggregate over the rows the user may see (`scope_queryset`), grouped
by the first characters of the row's region path — the child region's path, since region codes of
one level have one length ("52/5205/" for 毕节市, "52/5205/520521/" for 大方县). So a page costs the
same few queries whether the province has 9 cities or the county 25 townships, and no suggestion is
ever loaded into Python. The definitions are those of the county statistics
(renda/suggestions/stats.py: 收到, 按期答复, 办结率, 满意率 strict and common, 超期未答复).

Shape of `rollup(...)`:
    {"region": Region, "trail": [Region, ...] (from the user's own region down to this one),
     "rows": [{"region": Region | None (None: rows kept at this region's own level, 本级),
               "drill": bool, **figures}], "total": figures, "year": int | None}
with figures = {"deputies": {level: n}, "deputies_total": n, "statuses": {status: n},
                "stations": {kind: n}, "stations_total": n, suggestions COUNTS and RATES,
                "opinions": n, "opinions_open": n, "activities": n,
                "graded": n, "grades": {grade: n}, "points_bands": {band: n}}.
Deputies are counted by serving mandate (a deputy of two levels counts once in each) and by status
(every mandate of the congresses of every level, where the deputy lives).

Points (履职积分): for each congress, the standings of the period of its latest 公示 (Publication) —
the precomputed Standing rows, grouped by the deputy's township path, grade and 10-point band, in
one query; a deputy of two congresses counts in each. `grades` are the bands' names the schemes
give ("" for a scheme without grades: 未评等次); `points_bands` the keys of POINT_BANDS.
"""

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from renda.activities.models import Activity
from renda.core.access import access_object, scope_queryset
from renda.deputies.models import Level, Mandate
from renda.network.models import Station
from renda.opinions.models import Opinion
from renda.points.models import Band, Publication, Standing
from renda.regions.models import Region
from renda.suggestions import stats as suggestion_stats
from renda.suggestions.models import Suggestion
from renda.suggestions.selectors import scope_suggestions, year_range

# Regions a dashboard drills into; below a county the rows are its townships, shown but not opened.
DRILL_LEVELS = (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY)
DEPUTY_LEVELS = [Level.PROVINCIAL, Level.CITY, Level.COUNTY, Level.TOWNSHIP]
OPEN_OPINIONS = (Opinion.State.RECEIVED, Opinion.State.REFERRED)
# (key, lower inclusive, upper exclusive): the points bands of the distribution.
POINT_BANDS = [
    ("lt60", None, 60),
    ("60-70", 60, 70),
    ("70-80", 70, 80),
    ("80-90", 80, 90),
    ("90-100", 90, 100),
    ("ge100", 100, None),
]
POINT_BAND_LABELS = {
    "lt60": _("不足60分"),
    "60-70": _("60–70分"),
    "70-80": _("70–80分"),
    "80-90": _("80–90分"),
    "90-100": _("90–100分"),
    "ge100": _("100分及以上"),
}


def rollup_region(*, user, code: str | None) -> Region:
    """The region a dashboard shows: the user's own by default, or one below it; 404 otherwise."""
    if not code:
        code = user.region.code if user.region_id else ""
    return access_object(Region.objects.all(), user, permission="rollup.view", code=code)


def _grouped(queryset: QuerySet, path: str, length: int, *fields, **aggregates) -> list[dict]:
    """Rows of `queryset` grouped by the first `length` characters of `path` (and `fields`)."""
    return list(
        queryset.annotate(_prefix=Substr(F(path), 1, length))
        .order_by()
        .values("_prefix", *fields)
        .annotate(**aggregates)
    )


def _empty() -> dict:
    figures = {
        "deputies": dict.fromkeys(DEPUTY_LEVELS, 0),
        "deputies_total": 0,
        "statuses": dict.fromkeys(Mandate.Status.values, 0),
        "stations": dict.fromkeys(Station.Kind.values, 0),
        "stations_total": 0,
        "opinions": 0,
        "opinions_open": 0,
        "activities": 0,
        "graded": 0,
        "grades": {},
        "points_bands": dict.fromkeys([key for key, _lo, _hi in POINT_BANDS], 0),
    }
    figures.update(dict.fromkeys(suggestion_stats.COUNTS, 0))
    return figures


def rollup(*, user, region: Region, year: int | None = None) -> dict:
    """The dashboard of `region` for `user` (see the module docstring for the shape). 11 queries."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    length = len(children[0].path) if children else len(region.path)
    rows: dict[str, dict] = {c.path: _empty() for c in children}

    def row(prefix: str) -> dict:
        # A prefix that is no child's path: rows kept at this region's own level (本级).
        return rows.setdefault(prefix if prefix in rows else "", _empty())

    within = region.path
    mandates = scope_queryset(Mandate.objects.filter(deputy__region__path__startswith=within), user)
    for r in _grouped(mandates, "deputy__region__path", length, "congress__level", "status", n=Count("pk")):
        figures = row(r["_prefix"])
        figures["statuses"][r["status"]] = figures["statuses"].get(r["status"], 0) + r["n"]
        if r["status"] == Mandate.Status.SERVING and r["congress__level"] in figures["deputies"]:
            figures["deputies"][r["congress__level"]] += r["n"]
            figures["deputies_total"] += r["n"]

    stations = scope_queryset(Station.objects.filter(region__path__startswith=within), user)
    for r in _grouped(stations, "region__path", length, "kind", n=Count("pk")):
        figures = row(r["_prefix"])
        figures["stations"][r["kind"]] = figures["stations"].get(r["kind"], 0) + r["n"]
        figures["stations_total"] += r["n"]

    items = scope_suggestions(Suggestion.objects.filter(region__path__startswith=within), user)
    items = items.exclude(state__in=["draft", "withdrawn"]).filter(submitted_at__isnull=False)
    opinions = scope_queryset(Opinion.objects.filter(region__path__startswith=within), user)
    activities = scope_queryset(Activity.objects.filter(region__path__startswith=within), user)
    if year:
        start, end = year_range(year)
        items = items.filter(submitted_at__gte=start, submitted_at__lt=end)
        opinions = opinions.filter(created_at__gte=start, created_at__lt=end)
        activities = activities.filter(starts_at__gte=start, starts_at__lt=end)
    counts = suggestion_stats.count_expressions(_today())
    for r in _grouped(items, "region__path", length, **counts):
        figures = row(r["_prefix"])
        for name in suggestion_stats.COUNTS:
            figures[name] += r[name]

    opinion_counts = {"n": Count("pk"), "open": Count("pk", filter=Q(state__in=OPEN_OPINIONS))}
    for r in _grouped(opinions, "region__path", length, **opinion_counts):
        figures = row(r["_prefix"])
        figures["opinions"] += r["n"]
        figures["opinions_open"] += r["open"]

    for r in _grouped(activities, "region__path", length, n=Count("pk")):
        row(r["_prefix"])["activities"] += r["n"]

    publications = latest_publications(user=user, year=year)
    standings = latest_standings(user=user, region=region, publications=publications)
    for r in _grouped(
        standings.annotate(band=_band()), "region__path", length, "grade", "band", n=Count("pk")
    ):
        figures = row(r["_prefix"])
        figures["graded"] += r["n"]
        figures["grades"][r["grade"]] = figures["grades"].get(r["grade"], 0) + r["n"]
        figures["points_bands"][r["band"]] += r["n"]

    total = _empty()
    for figures in rows.values():
        _add(total, figures)
    by_path = {c.path: c for c in children}
    result_rows = [
        {
            "region": by_path.get(path),
            "drill": path in by_path and by_path[path].level in DRILL_LEVELS,
            **suggestion_stats.finish(figures),
        }
        for path, figures in rows.items()
    ]
    return {
        "region": region,
        "trail": _trail(user, region),
        "rows": result_rows,
        "total": suggestion_stats.finish(total),
        "year": year,
        "grade_order": _grade_order(publications, total["grades"]),
    }


def _grade_order(publications: list[Publication], grades: dict) -> list[str]:
    """The grades found, in the order the schemes list their bands (best first), then any other."""
    names = Band.objects.filter(scheme_id__in=[p.scheme_id for p in publications]).order_by(
        "scheme_id", "order", "id"
    )
    order = list(dict.fromkeys(names.values_list("name", flat=True))) if publications else []
    return [g for g in order if g in grades] + sorted(g for g in grades if g not in order)


def latest_publications(*, user, year: int | None = None) -> list[Publication]:
    """For each congress the user may see, its latest 公示 (of `year` when given). One query."""
    qs = scope_queryset(Publication.objects.select_related("scheme"), user)
    if year:
        qs = qs.filter(scheme__year=year)
    latest: dict[int, Publication] = {}
    for publication in qs.order_by("-scheme__year", "-ends_on", "-id"):
        latest.setdefault(publication.scheme.congress_id, publication)
    return list(latest.values())


def latest_standings(*, user, region: Region, publications: list[Publication]) -> QuerySet[Standing]:
    """The standings of these publications' periods, of deputies living within `region`."""
    periods = Q()
    for publication in publications:
        periods |= Q(scheme_id=publication.scheme_id, period=publication.period, index=publication.index)
    if not periods:
        return Standing.objects.none()
    return scope_queryset(Standing.objects.filter(periods, region__path__startswith=region.path), user)


def _band():
    whens = []
    for key, lower, upper in POINT_BANDS:
        bounds = {}
        if lower is not None:
            bounds["total__gte"] = lower
        if upper is not None:
            bounds["total__lt"] = upper
        whens.append(When(then=Value(key), **bounds))
    return Case(*whens, output_field=CharField())


def _add(total: dict, figures: dict) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            for inner, n in value.items():
                total[key][inner] = total[key].get(inner, 0) + n
        else:
            total[key] += value


def _trail(user, region: Region) -> list[Region]:
    """The regions from the user's own region down to `region`, for the breadcrumbs (one query)."""
    codes = [code for code in region.path.split("/") if code]
    top = user.region.path if user.region_id else region.path
    return list(Region.objects.filter(code__in=codes, path__startswith=top).order_by("path"))


def _today():
    from django.utils import timezone

    return timezone.localdate()
