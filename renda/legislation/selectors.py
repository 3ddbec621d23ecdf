"""Reads of legislative consultation, scoped to the asking user (the public pages read open drafts)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from renda.core.access import access_object, scope_queryset
from renda.network.models import Station

from .models import LEGISLATIVE_KINDS, Draft, DraftArticle, DraftOpinion


def draft_list(*, user, status: str = "") -> QuerySet[Draft]:
    # Scoping goes through the distributions (one row per station), hence distinct().
    qs = scope_queryset(Draft.objects.all(), user).distinct()
    today = timezone.localdate()
    if status == "open":
        qs = qs.filter(opens_on__lte=today, closes_on__gte=today)
    elif status == "closed":
        qs = qs.filter(closes_on__lt=today)
    elif status == "upcoming":
        qs = qs.filter(opens_on__gt=today)
    return qs.order_by("-opens_on", "-id")


def draft_get(*, user, pk: int, permission: str = "legislation.view") -> Draft:
    return access_object(Draft.objects.all(), user, permission=permission, pk=pk)


def draft_opinion_counts(*, user, drafts) -> dict[int, dict[str, int]]:
    """Opinions and adopted opinions per draft, as far as the user may see them (one query)."""
    rows = (
        scope_queryset(DraftOpinion.objects.filter(draft__in=[d.pk for d in drafts]), user)
        .values("draft_id")
        .annotate(total=Count("id"), adopted=Count("id", filter=Q(adoption=DraftOpinion.Adoption.ADOPTED)))
    )
    return {r["draft_id"]: {"total": r["total"], "adopted": r["adopted"]} for r in rows}


def draft_opinion_list(
    *,
    user,
    draft: Draft | None = None,
    station_id: int | None = None,
    adoption: str = "",
    contributor_kind: str = "",
    year: int | None = None,
) -> QuerySet[DraftOpinion]:
    qs = scope_queryset(DraftOpinion.objects.select_related("draft", "article", "station", "deputy"), user)
    if draft is not None:
        qs = qs.filter(draft=draft)
    if station_id:
        qs = qs.filter(station_id=station_id)
    if adoption:
        qs = qs.filter(adoption=adoption)
    if contributor_kind:
        qs = qs.filter(contributor_kind=contributor_kind)
    if year:
        start, end = _year_range(year)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    return qs.order_by("article__number", "submitted_at", "id")


def draft_opinion_get(*, user, pk: int, permission: str = "legislation.view") -> DraftOpinion:
    return access_object(
        DraftOpinion.objects.select_related("draft", "article", "station"), user, permission=permission, pk=pk
    )


def draft_distributions(*, user, draft: Draft):
    return scope_queryset(draft.distributions.select_related("station", "station__region"), user).order_by(
        "-station__kind", "station__name"
    )


def legislative_stations(*, user) -> QuerySet[Station]:
    """The legislative liaison stations and rooms the user may send drafts to or enter opinions for."""
    return scope_queryset(Station.objects.filter(kind__in=LEGISLATIVE_KINDS, is_active=True), user).order_by(
        "-kind", "name"
    )


def station_search(user, q: str) -> QuerySet[Station]:
    """The drafts' station picker: legislative stations in the user's jurisdiction by name."""
    return (
        legislative_stations(user=user)
        .filter(name__contains=q)
        .select_related("region")
        .order_by("name", "id")
    )


def deputy_search(user, q: str):
    """The staff opinion form's deputy picker: deputies in the user's jurisdiction by name."""
    from renda.deputies.selectors import deputy_list

    return deputy_list(user=user, q=q)


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "legislation-station",
        permission="legislation.manage",
        search=station_search,
        label=lambda station: f"{station.name}（{station.region.name}）",
    )
    register_picker(
        "legislation-deputy",
        permission="legislation.contribute",
        search=deputy_search,
        label=lambda deputy: f"{deputy.name}（{deputy.region.name}）",
    )


@dataclass
class ArticleGroup:
    article: DraftArticle | None  # None: opinions on the draft as a whole
    opinions: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.article.label if self.article else "总体意见"

    @property
    def count(self) -> int:
        return len(self.opinions)

    @property
    def adopted(self) -> int:
        return sum(1 for o in self.opinions if o.adoption == DraftOpinion.Adoption.ADOPTED)


@dataclass
class DraftSummary:
    draft: Draft
    groups: list[ArticleGroup]
    stations: list[dict]
    total: int
    adopted: int
    articles_without_opinions: int
    kinds: list[dict]


def draft_summary(*, user, draft: Draft) -> DraftSummary:
    """The report's content: the opinions the user may see, grouped by article, with counts."""
    opinions = list(draft_opinion_list(user=user, draft=draft))
    articles = list(draft.articles.order_by("number"))
    by_article: dict[int | None, ArticleGroup] = {None: ArticleGroup(None)}
    for article in articles:
        by_article[article.pk] = ArticleGroup(article)
    for opinion in opinions:
        by_article[opinion.article_id].opinions.append(opinion)
    groups = [g for g in by_article.values() if g.opinions]
    stations: dict[int, dict] = {}
    for opinion in opinions:
        row = stations.setdefault(opinion.station_id, {"station": opinion.station, "total": 0, "adopted": 0})
        row["total"] += 1
        row["adopted"] += opinion.adoption == DraftOpinion.Adoption.ADOPTED
    kinds = [
        {"kind": label, "total": sum(1 for o in opinions if o.contributor_kind == value)}
        for value, label in DraftOpinion.ContributorKind.choices
    ]
    return DraftSummary(
        draft=draft,
        groups=groups,
        stations=sorted(stations.values(), key=lambda r: (-r["total"], r["station"].name)),
        total=len(opinions),
        adopted=sum(g.adopted for g in groups),
        articles_without_opinions=sum(1 for a in articles if not by_article[a.pk].opinions),
        kinds=kinds,
    )


def _year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def legislation_station_stats(*, user, year: int | None = None) -> list[dict]:
    """Per station (of the user's jurisdiction): opinions sent up and opinions adopted, for a year."""
    qs = scope_queryset(DraftOpinion.objects.all(), user)
    if year:
        start, end = _year_range(year)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    rows = (
        qs.values("station_id", "station__name", "station__kind")
        .annotate(
            sent=Count("id"),
            adopted=Count("id", filter=Q(adoption=DraftOpinion.Adoption.ADOPTED)),
            drafts=Count("draft", distinct=True),
        )
        .order_by("-sent", "station__name")
    )
    return [
        {
            "station_id": r["station_id"],
            "station_name": r["station__name"],
            "station_kind": r["station__kind"],
            "drafts": r["drafts"],
            "sent": r["sent"],
            "adopted": r["adopted"],
        }
        for r in rows
    ]


def legislation_year_stats(*, user) -> list[dict]:
    """Per year: drafts commented on, opinions sent up, opinions adopted."""
    rows = (
        scope_queryset(DraftOpinion.objects.all(), user)
        .annotate(year=ExtractYear("submitted_at"))
        .values("year")
        .annotate(
            sent=Count("id"),
            adopted=Count("id", filter=Q(adoption=DraftOpinion.Adoption.ADOPTED)),
            drafts=Count("draft", distinct=True),
        )
        .order_by("-year")
    )
    return [
        {"year": r["year"], "drafts": r["drafts"], "sent": r["sent"], "adopted": r["adopted"]} for r in rows
    ]


# ---------- public pages ----------


def public_draft_list() -> QuerySet[Draft]:
    """Drafts open for comment today, for the public page."""
    today = timezone.localdate()
    return Draft.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "id")


def public_draft_get(*, pk: int) -> Draft | None:
    """A draft that has been sent out for comment (closed ones still show, without the form)."""
    return Draft.objects.filter(pk=pk, distributions__isnull=False).distinct().first()


def public_draft_stations(*, draft: Draft) -> QuerySet[Station]:
    return Station.objects.filter(draft_distributions__draft=draft, is_active=True).order_by("-kind", "name")
