"""The yearly guidance list (工作指导清单) issued to townships and streets, its items, each township's
part of an item (a cell of the board) with its reports, reviews and evidence, the guidance groups
(工作指导组), and the stations' four working rules (“两室两站”制度) in practice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


def is_street(region) -> bool:
    """Streets (街道) have a working committee of the county congress, not a congress of their own."""
    return region.name.endswith("街道")


class GuidanceList(TimeStampedModel):
    """One year's list, issued by the county standing committee to the townships it names."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("印发机关所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    townships = models.ManyToManyField(
        "regions.Region", verbose_name=_("乡镇（街道）"), related_name="guidance_lists"
    )

    # A township sees the lists issued to it; the county every list issued to its townships.
    scoping = Scoping(region="townships")

    class Meta:
        verbose_name = _("工作指导清单")
        verbose_name_plural = _("工作指导清单")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="guidance_list_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="guidance_list_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GuidanceItem(TimeStampedModel):
    class AppliesTo(models.TextChoices):
        BOTH = "both", _("乡镇和街道")
        TOWNSHIP = "township", _("仅乡镇")
        STREET = "street", _("仅街道")

    guidance_list = models.ForeignKey(
        GuidanceList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("工作要求"), blank=True)
    evidence_expected = models.CharField(
        _("佐证材料"), max_length=200, blank=True, help_text=_("如：会议记录、照片、签到表、文号")
    )
    due_on = models.DateField(_("完成时限"))
    applies_to = models.CharField(
        _("适用范围"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH
    )

    scoping = Scoping(region="cells__township")

    class Meta:
        verbose_name = _("指导事项")
        verbose_name_plural = _("指导事项")
        ordering = ["guidance_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["guidance_list", "number"], name="guidance_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def applies(self, region) -> bool:
        if self.applies_to == self.AppliesTo.BOTH:
            return True
        return (self.applies_to == self.AppliesTo.STREET) == is_street(region)


class GuidanceGroup(TimeStampedModel):
    """A guidance group led by a member of the standing committee (an account with the leader role)."""

    guidance_list = models.ForeignKey(
        GuidanceList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="guidance_groups"
    )
    townships = models.ManyToManyField("regions.Region", verbose_name=_("联系乡镇（街道）"), related_name="+")

    scoping = Scoping(region="townships")

    class Meta:
        verbose_name = _("工作指导组")
        verbose_name_plural = _("工作指导组")
        ordering = ["guidance_list", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guidance_list", "name"], name="guidance_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TownshipItem(TimeStampedModel):
    """One township's part of one item: a cell of the board. Its state changes only through
    `renda.guidance.workflow.transition`, which writes a TownshipItemEvent for every step."""

    class State(models.TextChoices):
        OPEN = "open", _("待报送")
        REPORTED = "reported", _("待审核")
        IN_PROGRESS = "in_progress", _("推进中")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已完成")

    class Result(models.TextChoices):
        DONE = "done", _("已完成")
        IN_PROGRESS = "in_progress", _("推进中")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    guidance_item = models.ForeignKey(
        GuidanceItem, verbose_name=_("指导事项"), on_delete=models.CASCADE, related_name="cells"
    )
    township = models.ForeignKey(
        "regions.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    result = models.CharField(_("报送结果"), max_length=16, choices=Result.choices, blank=True)
    note = models.TextField(_("落实情况"), blank=True)
    reason = models.CharField(_("不适用理由"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)

    scoping = Scoping(region="township")

    class Meta:
        verbose_name = _("乡镇落实事项")
        verbose_name_plural = _("乡镇落实事项")
        ordering = ["guidance_item__number", "township__code"]
        indexes = [models.Index(fields=["township", "state"], name="township_item_township_state")]
        constraints = [
            models.UniqueConstraint(fields=["guidance_item", "township"], name="township_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.guidance_item}"

    @property
    def shown_state(self) -> tuple[str, str]:
        """(css modifier, label) for pages: an accepted "not applicable" report reads 不适用, as on the
        board, not 已完成."""
        if self.state == self.State.ACCEPTED and self.result == self.Result.NOT_APPLICABLE:
            return "na", str(self.Result.NOT_APPLICABLE.label)
        return self.state, self.get_state_display()


class TownshipItemEvent(models.Model):
    """One step on a cell's timeline: a report, an acceptance or a send-back (who, when, what)."""

    class Action(models.TextChoices):
        REPORT = "report", _("报送")
        ACCEPT = "accept", _("审核通过")
        SEND_BACK = "send_back", _("退回")

    township_item = models.ForeignKey(TownshipItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    result = models.CharField(_("报送结果"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"))

    scoping = Scoping(region="township_item__township")

    class Meta:
        verbose_name = _("落实记录")
        verbose_name_plural = _("落实记录")
        ordering = ["township_item", "occurred_at", "id"]
        indexes = [
            models.Index(fields=["township_item", "-occurred_at", "-id"], name="township_event_latest")
        ]

    def __str__(self) -> str:
        return f"{self.township_item} {self.action}"


def evidence_path(instance, filename: str) -> str:
    return f"guidance/{instance.township_item.township.code}/{filename}"


class Evidence(models.Model):
    """A file sent with a report: minutes, a photo (shrunk on upload), a sign-in sheet, a document."""

    township_item = models.ForeignKey(TownshipItem, on_delete=models.CASCADE, related_name="evidence")
    event = models.ForeignKey(
        TownshipItemEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(_("佐证材料"), upload_to=evidence_path)
    name = models.CharField(_("文件名"), max_length=200)
    is_photo = models.BooleanField(_("照片"), default=False)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scoping = Scoping(region="township_item__township")

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["township_item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# ---------- the stations' working rules (“两室两站”制度) ----------


class RuleKind(models.TextChoices):
    STUDY = "study", _("学习制度")
    DUTY = "duty", _("履职制度")
    ACTIVITY = "activity", _("活动制度")
    RECEPTION = "reception", _("接访走访选民制度")


class RuleTemplate(TimeStampedModel):
    """The county's model text of one rule, which a station may adopt as it is."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("制度"), max_length=10, choices=RuleKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("制度文本"))

    class Meta:
        verbose_name = _("制度范本")
        verbose_name_plural = _("制度范本")
        ordering = ["region", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="rule_template_once")]

    def __str__(self) -> str:
        return self.title


def rule_file_path(instance, filename: str) -> str:
    return f"guidance/rules/{instance.year}/{instance.station_id}/{filename}"


class StationRule(TimeStampedModel):
    """One station's record of one rule in one year: its text, whether it is posted on the wall."""

    station = models.ForeignKey(
        "network.Station", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="rules"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("制度"), max_length=10, choices=RuleKind.choices)
    template = models.ForeignKey(
        RuleTemplate,
        verbose_name=_("采用范本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("制度文本"), blank=True)
    file = models.FileField(_("制度文件"), upload_to=rule_file_path, blank=True)
    posted = models.BooleanField(_("已上墙"), default=False)
    posted_on = models.DateField(_("上墙日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("站点制度")
        verbose_name_plural = _("站点制度")
        ordering = ["station", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "kind"], name="station_rule_once"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="station_rule_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year} {self.get_kind_display()}"

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip() or self.file)
