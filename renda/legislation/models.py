"""Drafts for comment, their articles, the stations they were sent to, and the opinions collected."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel

# The kinds of station a draft may be sent to (基层立法联络站 and the township rooms).
LEGISLATIVE_KINDS = ("legislative_station", "legislative_room")


class Draft(TimeStampedModel):
    """A draft law or regulation sent down for comment (法律法规草案征求意见稿)."""

    title = models.CharField(_("草案名称"), max_length=200)
    issuing_body = models.CharField(
        _("征求意见机关"), max_length=100, help_text=_("如：全国人大常委会法制工作委员会、省人大常委会")
    )
    summary = models.TextField(_("征求意见说明"), blank=True)
    text = models.TextField(_("草案全文"))
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # A draft belongs to the stations it was sent to: township staff and keepers see it through them.
    scoping = Scoping(region="distributions__station__region", station="distributions__station")

    class Meta:
        verbose_name = _("征求意见草案")
        verbose_name_plural = _("征求意见草案")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="draft_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="draft_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        if today > self.closes_on:
            return "closed"
        return "open"

    @property
    def status_label(self) -> str:
        return {"upcoming": _("尚未开始"), "open": _("征求意见中"), "closed": _("已截止")}[self.status()]

    @property
    def is_open(self) -> bool:
        return self.status() == "open"


class DraftArticle(models.Model):
    """One article (条) of a draft, split from its text so that opinions can be filed against it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField(_("序号"))
    label = models.CharField(_("条号"), max_length=20)
    chapter = models.CharField(_("所在章节"), max_length=100, blank=True)
    text = models.TextField(_("条文"))

    scoping = Scoping(region="draft__distributions__station__region", station="draft__distributions__station")

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_article_unique_number")
        ]

    def __str__(self) -> str:
        return self.label


class DraftDistribution(models.Model):
    """A draft sent to one legislative liaison station or room (分发)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="distributions")
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("联络站点"),
        on_delete=models.PROTECT,
        related_name="draft_distributions",
    )
    distributed_at = models.DateTimeField(_("分发时间"), default=timezone.now)
    distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("分发站点")
        verbose_name_plural = _("分发站点")
        ordering = ["draft", "station__kind", "station__name"]
        constraints = [models.UniqueConstraint(fields=["draft", "station"], name="draft_distribution_once")]

    def __str__(self) -> str:
        return f"{self.draft} → {self.station}"


class DraftOpinion(TimeStampedModel):
    """One opinion on a draft (立法意见), about one article or the draft as a whole, via one station."""

    class ContributorKind(models.TextChoices):
        DEPUTY = "deputy", _("人大代表")
        EXPERT = "expert", _("专家学者")
        RESIDENT = "resident", _("居民群众")
        COMPANY = "company", _("企业")

    class Channel(models.TextChoices):
        STAFF = "staff", _("工作人员录入")
        PUBLIC = "public", _("网上提交")

    class Adoption(models.TextChoices):
        PENDING = "pending", _("待反馈")
        ADOPTED = "adopted", _("采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    draft = models.ForeignKey(
        Draft, verbose_name=_("草案"), on_delete=models.PROTECT, related_name="opinions"
    )
    article = models.ForeignKey(
        DraftArticle,
        verbose_name=_("条文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        help_text=_("不选则为对草案的总体意见"),
    )
    station = models.ForeignKey(
        "network.Station", verbose_name=_("联络站点"), on_delete=models.PROTECT, related_name="draft_opinions"
    )
    contributor_kind = models.CharField(_("意见人类别"), max_length=10, choices=ContributorKind.choices)
    contributor_name = models.CharField(_("意见人"), max_length=50, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draft_opinions",
    )
    content = models.TextField(_("意见内容"))
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    adoption = models.CharField(
        _("采纳情况"), max_length=12, choices=Adoption.choices, default=Adoption.PENDING
    )
    adoption_note = models.CharField(_("反馈说明"), max_length=300, blank=True)
    adoption_decided_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="station__region", station="station", deputy="deputy")

    class Meta:
        verbose_name = _("立法意见")
        verbose_name_plural = _("立法意见")
        ordering = ["draft", "article__number", "submitted_at", "id"]
        indexes = [
            models.Index(fields=["draft", "article"], name="draft_opinion_article"),
            models.Index(fields=["draft", "contributor_kind"], name="draft_opinion_kind"),
            models.Index(fields=["station", "submitted_at"], name="draft_opinion_station_time"),
            models.Index(fields=["submitted_at"], name="draft_opinion_time"),
            models.Index(fields=["adoption", "submitted_at"], name="draft_opinion_adoption"),
        ]
        constraints = [
            # A deputy's opinion names the deputy (their duty record hangs on it), and only then.
            models.CheckConstraint(
                condition=(models.Q(contributor_kind="deputy") & models.Q(deputy__isnull=False))
                | (~models.Q(contributor_kind="deputy") & models.Q(deputy__isnull=True)),
                name="draft_opinion_deputy_iff_deputy_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} · {self.article or _('总体意见')}"
