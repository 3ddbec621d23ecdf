"""Articles of the media column and the images in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


class Article(TimeStampedModel):
    """One article. `body` is HTML that has been through `sanitize.clean_body` (nh3) on every write."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    published_on = models.DateField(_("日期"))
    source = models.CharField(_("来源"), max_length=100, help_text=_("如：大方县人大常委会办公室"))
    author = models.CharField(_("作者"), max_length=100, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("发布区域"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("相关代表"), blank=True, related_name="articles"
    )
    activities = models.ManyToManyField(
        "activities.Activity", verbose_name=_("相关活动"), blank=True, related_name="articles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="region")

    class Meta:
        verbose_name = _("宣传文章")
        verbose_name_plural = _("宣传文章")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["state", "published_on"], name="article_state_date")]

    def __str__(self) -> str:
        return self.title


class ArticleImage(TimeStampedModel):
    """An image of an article, re-encoded by Pillow (at most 1600 px a side, no EXIF) at upload."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(_("图片"), upload_to="articles/%Y/")
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("图片说明"), max_length=100, blank=True)

    scoping = Scoping(region="article__region")

    class Meta:
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.article} #{self.pk}"
