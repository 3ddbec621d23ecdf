"""The yearly work plan (年度工作要点): chapters, numbered items each led by one body with co-bodies,
targets and a due month or quarter, and the bodies' progress reports with files."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


class WorkPlan(TimeStampedModel):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("制定机关"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(_("导入文件"), max_length=200, blank=True)

    scoping = Scoping(region="region")

    class Meta:
        verbose_name = _("年度工作要点")
        verbose_name_plural = _("年度工作要点")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="work_plan_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="work_plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)

    scoping = Scoping(region="plan__region")

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="chapter_number_unique")]

    def __str__(self) -> str:
        return self.title


class PlanItem(TimeStampedModel):
    class DueKind(models.TextChoices):
        MONTH = "month", _("月份")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("全年")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("章节"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("工作事项"))
    target = models.CharField(_("目标要求"), max_length=300, blank=True)
    lead_body = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_bodies = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("配合单位"), blank=True, related_name="+"
    )
    due_kind = models.CharField(
        _("完成时限类型"), max_length=8, choices=DueKind.choices, default=DueKind.YEAR
    )
    due_month = models.PositiveSmallIntegerField(_("完成月份"), null=True, blank=True)
    due_quarter = models.PositiveSmallIntegerField(_("完成季度"), null=True, blank=True)
    due_on = models.DateField(_("完成时限"), db_index=True)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    last_reported_on = models.DateField(_("最近报告日期"), null=True, blank=True)

    scoping = Scoping(region="plan__region")

    class Meta:
        verbose_name = _("工作事项")
        verbose_name_plural = _("工作事项")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_item_number_unique"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="plan_item_percent_range"),
            models.CheckConstraint(
                condition=models.Q(due_month__isnull=True) | models.Q(due_month__gte=1, due_month__lte=12),
                name="plan_item_due_month_range",
            ),
            models.CheckConstraint(
                condition=models.Q(due_quarter__isnull=True)
                | models.Q(due_quarter__gte=1, due_quarter__lte=4),
                name="plan_item_due_quarter_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    @property
    def due_label(self) -> str:
        if self.due_kind == self.DueKind.MONTH:
            return f"{self.due_month}月"
        if self.due_kind == self.DueKind.QUARTER:
            return "第" + "一二三四"[self.due_quarter - 1] + "季度"
        return "全年"


def due_date(year: int, kind: str, month: int | None = None, quarter: int | None = None) -> datetime.date:
    """The last day of the due month, of the due quarter, or of the year."""
    if kind == PlanItem.DueKind.MONTH:
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if kind == PlanItem.DueKind.QUARTER:
        last = quarter * 3
        return datetime.date(year, last, calendar.monthrange(year, last)[1])
    return datetime.date(year, 12, 31)


class ProgressReport(models.Model):
    """A body's progress on an item: the percent reached, what was done, files."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    note = models.TextField(_("进展情况"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("报告单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scoping = Scoping(region="item__plan__region")

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["item", "reported_on", "id"]
        indexes = [models.Index(fields=["reported_on"], name="progress_reported_on")]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_percent_range")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.percent}%"


def progress_file_path(instance, filename: str) -> str:
    return f"workplan/{instance.report.item.plan.year}/{filename}"


class ProgressFile(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("附件"), upload_to=progress_file_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    scoping = Scoping(region="report__item__plan__region")

    class Meta:
        verbose_name = _("进展附件")
        verbose_name_plural = _("进展附件")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name
