"""Reads of the points app, scoped to the asking user (renda/core/access.py). Standings pages read
the precomputed Standing rows, never the ledger."""

import datetime

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from renda.core.access import REGION_ROLES, Role, access_object, has_permission, scope_queryset
from renda.deputies.models import Mandate

from .models import PERIOD_COUNT, LedgerEntry, Period, Publication, Scheme, Standing


def period_label(period: str, index: int) -> str:
    """第一季度, 3月, 上半年, 全年 …"""
    if period == Period.MONTH:
        return _("%(n)d月") % {"n": index}
    if period == Period.QUARTER:
        return _("第%(n)s季度") % {"n": "一二三四"[index - 1]}
    if period == Period.HALF:
        return _("上半年") if index == 1 else _("下半年")
    return _("全年")


def scheme_list(*, user) -> QuerySet[Scheme]:
    """Schemes the user may see: staff, those of congresses in their jurisdiction and of the
    congresses above it (a township's deputies sit in the county congress too); a deputy, the
    published schemes of congresses they sit in."""
    qs = Scheme.objects.select_related("congress")
    if getattr(user, "role", None) == Role.DEPUTY:
        return qs.filter(
            state__in=[Scheme.State.PUBLISHED, Scheme.State.SUPERSEDED],
            congress__mandates__deputy__user=user,
        ).distinct()
    region = getattr(user, "region", None)
    if getattr(user, "role", None) in REGION_ROLES and region is not None:
        parts = [p for p in region.path.split("/") if p]
        above = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
        return scope_queryset(qs, user) | qs.filter(congress__region__path__in=above)
    return scope_queryset(qs, user)


def scheme_get(*, user, pk: int, permission: str = "points.view") -> Scheme:
    """One scheme the user may see with `permission`, or Http404 (missing and forbidden alike)."""
    if has_permission(user, permission):
        found = scheme_list(user=user).filter(pk=pk).first()
        if found is not None:
            return found
    return access_object(Scheme.objects.none(), user, permission=permission, pk=pk)  # raises Http404


def scheme_current(*, congress_id: int, year: int) -> Scheme | None:
    return Scheme.objects.filter(congress_id=congress_id, year=year, state=Scheme.State.PUBLISHED).first()


def _rank(group: str | None):
    """1 + how many standings of the same scheme and period (and group) have a higher total: ties
    share a rank (1, 2, 2, 4). A correlated count served by the (scheme, period, index, total) index."""
    higher = Standing.objects.filter(
        scheme_id=OuterRef("scheme_id"),
        period=OuterRef("period"),
        index=OuterRef("index"),
        total__gt=OuterRef("total"),
    )
    if group:
        higher = higher.filter(**{group: OuterRef(group)})
    count = higher.order_by().values("scheme_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0)) + 1


def standing_list(
    *,
    user,
    scheme: Scheme,
    period: str,
    index: int,
    township_id: int | None = None,
    delegation: str = "",
    order: str = "rank",
) -> QuerySet[Standing]:
    """Standings of one period with `rank` (in the congress; in the township or delegation when
    filtered by one) and `congress_rank`. Scoped: staff in their jurisdiction, a deputy their own."""
    qs = Standing.objects.filter(scheme=scheme, period=period, index=index).select_related("deputy", "region")
    qs = qs.annotate(congress_rank=_rank(None))
    if township_id:
        qs = qs.filter(region_id=township_id).annotate(rank=_rank("region_id"))
    elif delegation:
        qs = qs.filter(delegation=delegation).annotate(rank=_rank("delegation"))
    else:
        qs = qs.annotate(rank=F("congress_rank"))
    qs = scope_queryset(qs, user)
    if order == "stroke":
        return qs.order_by("deputy__stroke_key", "deputy_id")
    return qs.order_by("-total", "deputy__stroke_key", "deputy_id")


def township_summary(*, user, scheme: Scheme, period: str, index: int) -> list[dict]:
    """Per township: deputies, average and lowest total, and how many in each grade. One query."""
    from django.db.models import Avg, Min

    qs = scope_queryset(Standing.objects.filter(scheme=scheme, period=period, index=index), user)
    rows = (
        qs.values("region_id", "region__name")
        .annotate(n=Count("pk"), average=Avg("total"), lowest=Min("total"))
        .order_by("region__name")
    )
    return list(rows)


def ledger_list(*, user, deputy_id: int, scheme: Scheme) -> QuerySet[LedgerEntry]:
    """A deputy's ledger under a scheme, oldest first, with rule, category and record."""
    qs = LedgerEntry.objects.filter(scheme=scheme, deputy_id=deputy_id).select_related(
        "rule", "category", "record", "actor"
    )
    return scope_queryset(qs, user).order_by("occurred_on", "id")


def deputy_points(deputy, year: int) -> list[dict]:
    """The deputy's points in `year`, for the dossier and the portal: one dict per published scheme
    of a congress the deputy sits in (county and township congress both, say):

        {"scheme": {"id", "name", "version", "congress"},
         "categories": [{"code", "name"}],
         "periods": [{"period": "quarter", "index": 1, "label": "第一季度", "total": Decimal,
                      "period_points": Decimal, "by_category": {code: Decimal}, "grade": "好"}]}

    Periods: every month, quarter, half and the year (year to date at each period's end). Reads
    precomputed standings: three queries whatever the number of schemes. No access check: the caller
    has decided the user may see this deputy (a selector of its own, or deputy == user's)."""
    from decimal import Decimal

    congress_ids = Mandate.objects.filter(deputy=deputy).values("congress_id")
    schemes = list(
        Scheme.objects.filter(congress_id__in=congress_ids, year=year, state=Scheme.State.PUBLISHED)
        .select_related("congress")
        .prefetch_related("categories")
    )
    rows = Standing.objects.filter(deputy=deputy, scheme__in=schemes).order_by("period", "index")
    by_scheme: dict[int, list] = {}
    order = {p: i for i, p in enumerate(PERIOD_COUNT)}
    for row in sorted(rows, key=lambda r: (order[r.period], r.index)):
        by_scheme.setdefault(row.scheme_id, []).append(
            {
                "period": row.period,
                "index": row.index,
                "label": period_label(row.period, row.index),
                "total": row.total,
                "period_points": row.period_points,
                "by_category": {k: Decimal(v) for k, v in row.by_category.items()},
                "grade": row.grade,
            }
        )
    return [
        {
            "scheme": {"id": s.pk, "name": s.name, "version": s.version, "congress": s.congress.name},
            "categories": [{"code": c.code, "name": c.name} for c in s.categories.all()],
            "periods": by_scheme.get(s.pk, []),
        }
        for s in schemes
    ]


def interview_list(*, user, scheme: Scheme) -> QuerySet[Standing]:
    """约谈: deputies whose year total is below the scheme's `interview_below` (none if unset)."""
    if scheme.interview_below is None:
        return Standing.objects.none()
    return scope_queryset(
        Standing.objects.filter(
            scheme=scheme, period=Period.YEAR, index=1, total__lt=scheme.interview_below
        ).select_related("deputy", "region"),
        user,
    ).order_by("total", "deputy__stroke_key")


def interview_due(*, user) -> QuerySet[Standing]:
    """约谈 in every published scheme: year totals below the scheme's `interview_below`. The staff's
    work queue counts these and links to exactly this list (actions page, show=interview)."""
    return scope_queryset(
        Standing.objects.filter(
            scheme__state=Scheme.State.PUBLISHED,
            scheme__interview_below__isnull=False,
            period=Period.YEAR,
            total__lt=F("scheme__interview_below"),
        ),
        user,
    )


def repeated_conditions(*, user, congress_id: int, year: int, grade: str = "") -> dict[str, list]:
    """Multi-year conditions for the staff dashboard: {"grade": deputies graded `grade` (the
    scheme's lowest band by default) in `year` and `year - 1`; "bottom": deputies with the lowest
    year total in both years}. Deputies as (id, name)."""
    schemes = {y: scheme_current(congress_id=congress_id, year=y) for y in (year - 1, year)}
    if None in schemes.values():
        return {"grade": [], "bottom": []}
    years = {}
    for y, scheme in schemes.items():
        lowest = grade or (scheme.bands.order_by("-order").values_list("name", flat=True).first() or "")
        rows = list(
            scope_queryset(
                Standing.objects.filter(scheme=scheme, period=Period.YEAR, index=1), user
            ).values_list("deputy_id", "deputy__name", "total", "grade")
        )
        bottom = min((r[2] for r in rows), default=None)
        years[y] = {
            "grade": {(r[0], r[1]) for r in rows if lowest and r[3] == lowest},
            "bottom": {(r[0], r[1]) for r in rows if r[2] == bottom},
        }
    return {
        key: sorted(years[year - 1][key] & years[year][key], key=lambda d: d[1])
        for key in ("grade", "bottom")
    }


def publication_list(*, user, scheme: Scheme | None = None) -> QuerySet[Publication]:
    qs = scope_queryset(Publication.objects.select_related("scheme"), user)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs


def in_objection_window(publication: Publication, on: datetime.date) -> bool:
    return publication.starts_on <= on <= publication.ends_on


def record_deputy_search(user, q: str) -> QuerySet:
    """Deputies the user may add duty records for, by name (the staff record form's picker)."""
    from renda.deputies.models import Deputy

    if not has_permission(user, "duty_records.add"):
        return Deputy.objects.none()
    return (
        scope_queryset(Deputy.objects.select_related("region"), user)
        .filter(name__contains="".join(q.split()))
        .order_by("stroke_key", "id")
    )


def _deputy_label(deputy) -> str:
    return f"{deputy.name}（{deputy.region.name}）"


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "points-record-deputy",
        permission="duty_records.add",
        search=record_deputy_search,
        label=_deputy_label,
    )


def declarations_pending(*, user) -> QuerySet:
    """Declared records waiting for review that the user may review, oldest first."""
    from renda.duty_records.models import DutyRecord

    if not has_permission(user, "duty_records.review"):
        return DutyRecord.objects.none()
    return (
        scope_queryset(DutyRecord.objects.select_related("deputy", "deputy__region"), user)
        .standing()
        .filter(origin=DutyRecord.Origin.DECLARED, review_state=DutyRecord.Review.PENDING)
        .order_by("occurred_on", "id")
    )


def adjustable_categories(*, user) -> list:
    """Categories of the published schemes the user may adjust points in (points.manage), for the
    review page's "approve and adjust"."""
    from .models import Category

    if not has_permission(user, "points.manage"):
        return []
    schemes = scheme_list(user=user).filter(state=Scheme.State.PUBLISHED).values("pk")
    return list(
        Category.objects.filter(scheme_id__in=schemes)
        .select_related("scheme")
        .order_by("-scheme__year", "scheme_id", "order", "id")
    )
