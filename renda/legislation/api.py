"""Drafts for comment in the API: lists and details with the same scoping as the pages, and statistics."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from . import selectors
from .models import Draft, DraftOpinion

router = Router(tags=["立法征询"])


class DraftOut(Schema):
    id: int
    title: str
    issuing_body: str
    opens_on: datetime.date
    closes_on: datetime.date
    status: str

    @staticmethod
    def resolve_status(obj: Draft | dict) -> str:
        return obj["status"] if isinstance(obj, dict) else obj.status()


class ArticleOut(Schema):
    number: int
    label: str
    chapter: str
    text: str


class StationRef(Schema):
    id: int
    name: str
    kind: str


class DraftDetailOut(DraftOut):
    summary: str
    articles: list[ArticleOut]
    stations: list[StationRef]
    opinion_count: int
    adopted_count: int


class DraftOpinionOut(Schema):
    id: int
    draft_id: int
    article_label: str
    station_id: int
    station_name: str
    contributor_kind: str
    contributor_name: str
    deputy_id: int | None
    content: str
    channel: str
    adoption: str
    adoption_note: str
    submitted_at: datetime.datetime

    @staticmethod
    def resolve_article_label(obj: DraftOpinion) -> str:
        return obj.article.label if obj.article else "总体意见"

    @staticmethod
    def resolve_station_name(obj: DraftOpinion) -> str:
        return obj.station.name


class StationStatOut(Schema):
    station_id: int
    station_name: str
    station_kind: str
    drafts: int
    sent: int
    adopted: int


class YearStatOut(Schema):
    year: int
    drafts: int
    sent: int
    adopted: int


class StatsOut(Schema):
    year: int | None
    stations: list[StationStatOut]
    years: list[YearStatOut]


class DraftFilters(InputSchema):
    status: str = Field("", max_length=50)


class DraftOpinionFilters(InputSchema):
    station_id: int | None = None
    adoption: str = Field("", max_length=50)
    contributor_kind: str = Field("", max_length=50)


@router.get("", response=list[DraftOut])
@paginate(Pagination)
def draft_index(request: HttpRequest, filters: Query[DraftFilters]):
    require(request, "legislation.view")
    return selectors.draft_list(user=request.user, status=filters.status)


@router.get("/stats", response=StatsOut)
def draft_stats(request: HttpRequest, year: int | None = None):
    """Opinions sent up and adopted, per station (for `year`, all years if omitted) and per year."""
    require(request, "legislation.view")
    return {
        "year": year,
        "stations": selectors.legislation_station_stats(user=request.user, year=year),
        "years": selectors.legislation_year_stats(user=request.user),
    }


@router.get("/{int:draft_id}", response=DraftDetailOut)
def draft_detail(request: HttpRequest, draft_id: int):
    draft = selectors.draft_get(user=request.user, pk=draft_id)
    counts = selectors.draft_opinion_counts(user=request.user, drafts=[draft]).get(
        draft.pk, {"total": 0, "adopted": 0}
    )
    return {
        "id": draft.pk,
        "title": draft.title,
        "issuing_body": draft.issuing_body,
        "opens_on": draft.opens_on,
        "closes_on": draft.closes_on,
        "status": draft.status(),
        "summary": draft.summary,
        "articles": list(draft.articles.order_by("number")),
        "stations": [d.station for d in selectors.draft_distributions(user=request.user, draft=draft)],
        "opinion_count": counts["total"],
        "adopted_count": counts["adopted"],
    }


@router.get("/{int:draft_id}/opinions", response=list[DraftOpinionOut])
@paginate(Pagination)
def draft_opinion_index(request: HttpRequest, draft_id: int, filters: Query[DraftOpinionFilters]):
    draft = selectors.draft_get(user=request.user, pk=draft_id)
    return selectors.draft_opinion_list(user=request.user, draft=draft, **filters.dict())
