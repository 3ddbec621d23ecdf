"""The media column in the API: published articles, for anyone (no login), as on /news/."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination

from . import selectors

router = Router(tags=["宣传专栏"])


class NewsArticleOut(Schema):
    id: int
    title: str
    summary: str
    published_on: datetime.date
    source: str
    author: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("media_column_public:detail", args=[obj.pk])


class DeputyRef(Schema):
    id: int
    name: str


class ArticleDetailOut(NewsArticleOut):
    body_html: str
    deputies: list[DeputyRef]

    @staticmethod
    def resolve_body_html(obj) -> str:
        return obj.body  # sanitised with nh3 when saved

    @staticmethod
    def resolve_deputies(obj) -> list:
        return list(obj.deputies.all())


class ArticleFilters(InputSchema):
    q: str = Field("", max_length=100)


@router.get("", response=list[NewsArticleOut], auth=None)
@paginate(Pagination)
def article_list(request, filters: Query[ArticleFilters]):
    """Published articles, newest first."""
    return selectors.public_article_list(q=filters.q[:50])


@router.get("/{article_id}", response=ArticleDetailOut, auth=None)
def article_detail(request, article_id: int):
    """One published article; its body is sanitised HTML."""
    return selectors.public_article_get(pk=article_id)
