"""Writes of the media column: draft, edit, publish, withdraw articles; add images. The body is
sanitised here, on every write, so nothing unsanitised is ever stored."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import validate

from .images import image_prepare
from .models import Article, ArticleImage
from .sanitize import clean_body, plain_text

ARTICLE_FIELDS = ["title", "summary", "body", "published_on", "source", "author"]


def _clean(data: dict) -> dict:
    data = dict(data)
    for key in ("title", "summary", "source", "author"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "body" in data:
        data["body"] = clean_body(data["body"])
        if not plain_text(data["body"]) and "<img" not in data["body"]:
            raise DomainError(_("请填写正文"), field="body")
    if not data.get("title", "x"):
        raise DomainError(_("请填写标题"), field="title")
    return data


def _check_deputies(deputies, region) -> list:
    deputies = list(deputies or [])
    outside = [d.name for d in deputies if not d.region.path.startswith(region.path)]
    if outside:
        raise DomainError(_("相关代表不在本行政区域内：%(n)s") % {"n": "、".join(outside)}, field="deputies")
    return deputies


def _check_activities(activities, region) -> list:
    activities = list(activities or [])
    outside = [a.title for a in activities if not a.region.path.startswith(region.path)]
    if outside:
        raise DomainError(
            _("相关活动不在本行政区域内：%(n)s") % {"n": "、".join(outside)}, field="activities"
        )
    return activities


def article_create(
    *,
    actor=None,
    region,
    title: str,
    body: str,
    published_on: datetime.date,
    source: str,
    summary: str = "",
    author: str = "",
    deputies=(),
    activities=(),
) -> Article:
    """A draft article in `region` (the staff member's county). Its body is sanitised with nh3."""
    data = _clean(
        {
            "title": title,
            "summary": summary,
            "body": body,
            "published_on": published_on,
            "source": source,
            "author": author,
        }
    )
    article = Article(
        region=region, created_by=actor if getattr(actor, "is_authenticated", False) else None, **data
    )
    validate(article)
    deputies = _check_deputies(deputies, region)
    activities = _check_activities(activities, region)
    with transaction.atomic():
        article.save()
        article.deputies.set(deputies)
        article.activities.set(activities)
        audit_record(action="article.create", actor=actor, obj=article, changes={"title": article.title})
    return article


def article_update(*, actor=None, article: Article, data: dict, deputies=None, activities=None) -> Article:
    data = _clean({k: v for k, v in data.items() if k in ARTICLE_FIELDS})
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        changes = {}
        for field, value in data.items():
            old = getattr(article, field)
            if old != value:
                setattr(article, field, value)
                changes[field] = [old, value] if field != "body" else ["…", "…"]
        validate(article)
        if changes:
            article.save(update_fields=[*changes, "updated_at"])
        if deputies is not None:
            deputies = _check_deputies(deputies, article.region)
            before = sorted(article.deputies.values_list("name", flat=True))
            article.deputies.set(deputies)
            after = sorted(d.name for d in deputies)
            if before != after:
                changes["deputies"] = [before, after]
        if activities is not None:
            activities = _check_activities(activities, article.region)
            before = sorted(article.activities.values_list("title", flat=True))
            article.activities.set(activities)
            after = sorted(a.title for a in activities)
            if before != after:
                changes["activities"] = [before, after]
        audit_record(action="article.update", actor=actor, obj=article, changes=changes)
    return article


def article_publish(*, actor=None, article: Article) -> Article:
    """Draft → published: the article appears on /news/ and on its deputies' record pages."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.state != Article.State.DRAFT:
            raise InvalidTransition(_("文章已发布"))
        if article.published_on > timezone.localdate():
            raise DomainError(_("文章日期不能晚于今天"), field="published_on")
        article.state, article.published_at = Article.State.PUBLISHED, timezone.now()
        article.save(update_fields=["state", "published_at", "updated_at"])
        audit_record(
            action="article.publish", actor=actor, obj=article, changes={"state": ["draft", "published"]}
        )
    return article


def article_withdraw(*, actor=None, article: Article, reason: str) -> Article:
    """Published → draft (taken off the public site), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤回原因"), field="reason")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.state != Article.State.PUBLISHED:
            raise InvalidTransition(_("文章尚未发布"))
        article.state, article.published_at = Article.State.DRAFT, None
        article.save(update_fields=["state", "published_at", "updated_at"])
        audit_record(
            action="article.withdraw",
            actor=actor,
            obj=article,
            changes={"state": ["published", "draft"]},
            detail=reason,
        )
    return article


def article_image_add(
    *, actor=None, article: Article, upload, caption: str = "", insert: bool = True
) -> ArticleImage:
    """Check and shrink an image (images.image_prepare), store it, and (by default) append it to the
    body as a figure. The image is public once the article is."""
    content, content_type, width, height = image_prepare(upload, field="image")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        image = ArticleImage(
            article=article, content_type=content_type, width=width, height=height, caption=caption.strip()
        )
        image.file.save(content.name, content, save=False)
        image.save()
        if insert:
            src = reverse("media_column_public:image", args=[image.pk])
            text = escape(caption.strip())
            figure = f'<figure><img src="{src}" alt="{text}" width="{width}" height="{height}">'
            figure += f"<figcaption>{text}</figcaption></figure>" if text else "</figure>"
            article.body = clean_body(article.body + figure)
            article.save(update_fields=["body", "updated_at"])
        audit_record(
            action="article.image_add",
            actor=actor,
            obj=article,
            changes={"image": image.pk, "size": [width, height]},
        )
    return image
