"""Reads of the media column: staff lists scoped to their region; the public reads only published
articles (and the images of published articles)."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from renda.activities.models import Activity
from renda.core.access import access_object, scope_queryset
from renda.deputies.models import Deputy

from .models import Article, ArticleImage


def article_list(*, user, state: str = "", q: str = "") -> QuerySet[Article]:
    qs = scope_queryset(Article.objects.all(), user)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(title__contains=q.strip()) | Q(source__contains=q.strip()))
    return qs.order_by("-published_on", "-id")


def article_get(*, user, pk: int, permission: str = "media.manage") -> Article:
    return access_object(Article.objects.all(), user, permission=permission, pk=pk)


def article_deputies(*, article: Article) -> list[Deputy]:
    return list(article.deputies.order_by("stroke_key", "id"))


def deputy_choices(*, user) -> QuerySet[Deputy]:
    return scope_queryset(Deputy.objects.all(), user).order_by("stroke_key", "id")


def activity_choices(*, user) -> QuerySet[Activity]:
    """Activities an article may name: the user's jurisdiction, the last two years (a bounded list)."""
    since = timezone.now() - datetime.timedelta(days=730)
    return scope_queryset(Activity.objects.filter(starts_at__gte=since), user).order_by("-starts_at", "-id")


def deputy_search(user, q: str) -> QuerySet[Deputy]:
    """The article form's deputy picker (a province holds 100,000 deputies)."""
    return deputy_choices(user=user).filter(name__contains=q).select_related("region")


def activity_search(user, q: str) -> QuerySet[Activity]:
    """The article form's activity picker: activity_choices by title."""
    return activity_choices(user=user).filter(title__contains=q)


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "media-deputy",
        permission="media.manage",
        search=deputy_search,
        label=lambda deputy: f"{deputy.name}（{deputy.region.name}）",
    )
    register_picker(
        "media-activity",
        permission="media.manage",
        search=activity_search,
        label=lambda activity: f"{activity.title}（{activity.starts_at:%Y-%m-%d}）",
    )


def public_article_list(*, q: str = "") -> QuerySet[Article]:
    qs = Article.objects.filter(state=Article.State.PUBLISHED).only(
        "id", "title", "summary", "published_on", "source", "author"
    )
    if q:
        qs = qs.filter(title__contains=q.strip())
    return qs.order_by("-published_on", "-id")


def public_article_get(*, pk: int) -> Article:
    article = (
        Article.objects.filter(state=Article.State.PUBLISHED, pk=pk)
        .prefetch_related(
            Prefetch("deputies", queryset=Deputy.objects.order_by("stroke_key", "id").only("id", "name")),
            Prefetch("activities", queryset=Activity.objects.order_by("starts_at", "id").only("id", "title")),
        )
        .first()
    )
    if article is None:
        raise Http404
    return article


def image_for(*, user, pk: int) -> ArticleImage:
    """An image of a published article (anyone), or of a draft the user may manage."""
    image = ArticleImage.objects.select_related("article").filter(pk=pk).first()
    if image is None:
        raise Http404
    if image.article.state == Article.State.PUBLISHED:
        return image
    from renda.core.access import has_permission

    if (
        has_permission(user, "media.manage")
        and scope_queryset(Article.objects.filter(pk=image.article_id), user).exists()
    ):
        return image
    raise Http404


def deputy_articles(*, deputy, limit: int = 10) -> list[Article]:
    """Published articles that name a deputy, newest first."""
    return list(
        deputy.articles.filter(state=Article.State.PUBLISHED)
        .only("id", "title", "published_on", "source")
        .order_by("-published_on", "-id")[:limit]
    )
