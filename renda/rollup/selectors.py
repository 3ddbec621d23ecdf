"""The roll-up figures of one region and of each region right below it (province → city → county).

Every figure is a grouped SQL aggregate over the rows the user may see (`scope_queryset`), grouped
by the first characters of the row's region path — the child region's path, since region codes of
one level have one length ("52/5205/" for 毕节市, "52/5205/520521/" for 大方县). So a page costs the
same few queries whether the province has 9 cities or the county 25 townships, and no suggestion is
ever loaded into Python. The definitions are those of the county statistics
(renda/suggestions/stats.py: 收到, 按期答复, 办结率, 满意率 strict and common, 超期未答复).

Figures kept per county: counting a province's 130k mandates, 100k suggestions and its opinions took
over a second per request at full size, whatever the grouping. A city's and the province's dashboards
(rows: cities or counties) therefore read RegionFigures — every figure but the points, per county
path (or the row's own region above the county level) and year, one query of about a hundred rows —
once `figures_refresh` (the periodic job rollup_refresh) has kept them, and say when (`as_of`,
数据截至 HH:MM). Those users see every row of a region within their own, which is what the kept rows
count. A county's dashboard (rows: its townships), an unrefreshed installation and
RENDA_ROLLUP_STORED=0 count live; the points distribution is always live (a few hundred standings).

Shape of `rollup(...)`:
    {"region": Region, "trail": [Region, ...] (from the user's own region down to this one),
     "as_of": datetime | None (when the kept figures were computed; None: counted now),
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

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.activities.models import Activity
from renda.core.access import UPPER_ROLES, access_object, scope_queryset
from renda.deputies.models import Level, Mandate
from renda.network.models import Station
from renda.opinions.models import Opinion
from renda.points.models import Band, Publication, Standing
from renda.regions.models import Region
from renda.suggestions import stats as suggestion_stats
from renda.suggestions.models import Suggestion
from renda.suggestions.selectors import scope_suggestions, year_range

from .models import RegionFigures

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

    as_of = None
    stored = _stored_figures(user, region, year) if region.level in STORED_LEVELS else None
    if stored:
        # Kept per county by `figures_refresh` (the periodic job rollup_refresh): no scan per request.
        as_of = min(f.computed_at for f in stored)
        for f in stored:
            kept = f.figures
            if year and not f.year:
                # The all-years row of a county gives only the figures without a year.
                kept = {key: kept[key] for key in UNDATED_KEYS if key in kept}
            _add(row(f.path[:length]), kept)
    else:
        _collect(
            lambda prefix, _year: row(prefix),
            length,
            _querysets(region, year, user),
            year=year,
            by_year=False,
        )

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
        "as_of": as_of,
        "grade_order": _grade_order(publications, total["grades"]),
    }


def _querysets(region: Region, year: int | None, user=None) -> dict[str, QuerySet]:
    """The rows the figures count (within `region`, in `user`'s jurisdiction when given; of `year`)."""

    def scoped(queryset: QuerySet) -> QuerySet:
        return queryset if user is None else scope_queryset(queryset, user)

    within = region.path
    items = Suggestion.objects.filter(region__path__startswith=within)
    items = items if user is None else scope_suggestions(items, user)
    items = items.exclude(state__in=["draft", "withdrawn"]).filter(submitted_at__isnull=False)
    sets = {
        "mandates": scoped(Mandate.objects.filter(deputy__region__path__startswith=within)),
        "stations": scoped(Station.objects.filter(region__path__startswith=within)),
        "items": items,
        "opinions": scoped(Opinion.objects.filter(region__path__startswith=within)),
        "activities": scoped(Activity.objects.filter(region__path__startswith=within)),
    }
    if year:
        start, end = year_range(year)
        sets["items"] = sets["items"].filter(submitted_at__gte=start, submitted_at__lt=end)
        sets["opinions"] = sets["opinions"].filter(created_at__gte=start, created_at__lt=end)
        sets["activities"] = sets["activities"].filter(starts_at__gte=start, starts_at__lt=end)
    return sets


# The date column that puts a row in a year (the page's year filter), per dated queryset.
YEAR_COLUMNS = {"items": "submitted_at", "opinions": "created_at", "activities": "starts_at"}


def _collect(row, length: int, sets: dict[str, QuerySet], *, year, by_year: bool) -> None:
    """Add every figure but the points to `row(prefix, year)`, one grouped query per figure; with
    `by_year` the dated figures are grouped by their year too (0: figures that have no year)."""

    def grouped(name: str, path: str, *fields, **aggregates) -> list[dict]:
        queryset = sets[name]
        if by_year and name in YEAR_COLUMNS:
            queryset = queryset.annotate(_year=ExtractYear(YEAR_COLUMNS[name]))
            fields = (*fields, "_year")
        return _grouped(queryset, path, length, *fields, **aggregates)

    for r in grouped("mandates", "deputy__region__path", "congress__level", "status", n=Count("pk")):
        figures = row(r["_prefix"], 0)
        figures["statuses"][r["status"]] = figures["statuses"].get(r["status"], 0) + r["n"]
        if r["status"] == Mandate.Status.SERVING and r["congress__level"] in figures["deputies"]:
            figures["deputies"][r["congress__level"]] += r["n"]
            figures["deputies_total"] += r["n"]

    for r in grouped("stations", "region__path", "kind", n=Count("pk")):
        figures = row(r["_prefix"], 0)
        figures["stations"][r["kind"]] = figures["stations"].get(r["kind"], 0) + r["n"]
        figures["stations_total"] += r["n"]

    counts = suggestion_stats.count_expressions(_today())
    for r in grouped("items", "region__path", **counts):
        figures = row(r["_prefix"], r.get("_year", year))
        for name in suggestion_stats.COUNTS:
            figures[name] += r[name]

    opinion_counts = {"n": Count("pk"), "open": Count("pk", filter=Q(state__in=OPEN_OPINIONS))}
    for r in grouped("opinions", "region__path", **opinion_counts):
        figures = row(r["_prefix"], r.get("_year", year))
        figures["opinions"] += r["n"]
        figures["opinions_open"] += r["open"]

    for r in grouped("activities", "region__path", n=Count("pk")):
        row(r["_prefix"], r.get("_year", year))["activities"] += r["n"]


# Dashboards whose rows are cities or counties read the figures kept per county (RegionFigures);
# a county's dashboard (rows: its townships) counts live, on the county's own rows.
STORED_LEVELS = (Region.Level.PROVINCE, Region.Level.CITY)
# Points are counted live on every dashboard: the latest publications depend on the user's congresses.
STORED_KEYS = ("grades", "graded", "points_bands")
# The figures that have no year: current mandates and stations.
UNDATED_KEYS = ("deputies", "deputies_total", "statuses", "stations", "stations_total")


def _to_json(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key not in STORED_KEYS}


def _stored_figures(user, region: Region, year: int | None) -> list[RegionFigures]:
    """The kept figures of the counties (and of the rows above the county level) within `region`: the
    all-years rows (year 0), and the rows of `year` when given; [] when none were kept (the page then
    counts live). One query. Only for users of a region role: the kept figures are every row of
    the region, which is what such a user sees of a region within their own."""
    if not settings.RENDA_ROLLUP_STORED or getattr(user, "role", None) not in UPPER_ROLES:
        return []
    stored = RegionFigures.objects.filter(path__startswith=region.path)
    stored = stored.filter(year__in=[0, year]) if year else stored.filter(year=0)
    return list(stored.order_by("path", "year"))


def figures_refresh() -> int:
    """Recompute the figures kept per county (RegionFigures) from every row, in one transaction: what
    `rollup` counts live, grouped by the county's path (or the row's own region above the county
    level) and by year. The periodic job `rollup_refresh` runs it. Returns how many rows it kept."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by()
    county = counties.values_list("path", flat=True).first()
    length = len(county) if county else 0
    kept: dict[tuple[str, int], dict] = {}
    if county:
        top = Region(path="")
        _collect(
            lambda prefix, year: kept.setdefault((prefix, year or 0), _empty()),
            length,
            _querysets(top, None),
            year=None,
            by_year=True,
        )
    for (path, year), figures in list(kept.items()):
        if year:
            # Year 0 holds every year: a dashboard without a year reads one row per county.
            _add(kept.setdefault((path, 0), _empty()), figures)
    now = timezone.now()
    rows = [
        RegionFigures(path=path, year=year, figures=_to_json(figures), computed_at=now)
        for (path, year), figures in kept.items()
        if path
    ]
    with transaction.atomic():
        RegionFigures.objects.all().delete()
        RegionFigures.objects.bulk_create(rows, batch_size=500)
    return len(rows)


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
    return timezone.localdate()
