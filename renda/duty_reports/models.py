"""Duty reports (代表述职): an evaluation rule (ballot options and how a tally becomes a result), the
scheduled report meeting, paper tallies entered by staff and one-time voting codes.

Source of the rule: 《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》 art. 45 (deputies of
county and township congresses report on their work to their constituents) and local rules such as
《大方县人大代表向选民述职办法》: at least once a term, before at least 50 voters' representatives,
who evaluate by ballot (满意/基本满意/不满意 or 称职/基本称职/不称职) with locally set thresholds.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


def default_min_attendance() -> int:
    """RENDA_DUTY_REPORT_MIN_ATTENDANCE, 50 by default (local rules: 选民代表一般不少于50人)."""
    return int(getattr(settings, "RENDA_DUTY_REPORT_MIN_ATTENDANCE", 50))


class EvaluationRule(TimeStampedModel):
    """How the votes of one report meeting become its result. Data that county staff edit.

    options: the ballot's choices in order, e.g. ["称职", "基本称职", "不称职"].
    measure_options: the options whose combined share of valid votes decides, e.g. ["称职"].
    bands: [{"min_percent": 80, "result": "称职"}, {"min_percent": 50, "result": "基本称职"},
            {"min_percent": 0, "result": "不称职"}] — the first band whose bound the share reaches
            (≥, inclusive) gives the result; a band with min_percent 0 must close the list.
    rectify_option / rectify_over_percent / rectify_days: when more than rectify_over_percent of the
    valid votes are rectify_option (e.g. more than 50 % 不满意), the deputy owes a rectification
    plan (整改方案) within rectify_days days of the meeting.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    options = models.JSONField(_("票面选项"), default=list)
    measure_options = models.JSONField(_("计算比例的选项"), default=list)
    bands = models.JSONField(_("结果档次"), default=list)
    rectify_option = models.CharField(_("需整改的选项"), max_length=20, blank=True)
    rectify_over_percent = models.PositiveSmallIntegerField(
        _("超过该比例须整改（%）"), default=50, validators=[MaxValueValidator(100)]
    )
    rectify_days = models.PositiveSmallIntegerField(_("整改方案提交期限（天）"), default=30)

    scoping = Scoping(region="region")

    class Meta:
        verbose_name = _("述职测评规则")
        verbose_name_plural = _("述职测评规则")
        ordering = ["region__code", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="dreport_rule_name_once")]

    def __str__(self) -> str:
        return self.name


class DutyReport(TimeStampedModel):
    """One deputy's report meeting (述职会): scheduled → voting → closed, or cancelled."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        VOTING = "voting", _("测评中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="duty_reports"
    )
    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        EvaluationRule, verbose_name=_("测评规则"), on_delete=models.PROTECT, related_name="reports"
    )
    held_on = models.DateField(_("述职日期"))
    place = models.CharField(_("地点"), max_length=100)
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("联络站（代表之家）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited = models.TextField(_("邀请的选民代表"), blank=True, help_text=_("每行一位或一个单位"))
    invited_count = models.PositiveIntegerField(_("邀请人数"), default=0)
    min_attendance = models.PositiveIntegerField(
        _("最少到会人数"), default=default_min_attendance, validators=[MinValueValidator(1)]
    )
    attendance = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    report_text = models.TextField(_("述职报告"), blank=True)
    report_file = models.FileField(_("述职报告文件"), upload_to="duty_reports/%Y/", blank=True)
    report_updated_at = models.DateTimeField(_("报告更新时间"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("测评截止时间"), null=True, blank=True)
    result = models.CharField(_("测评结果"), max_length=20, blank=True)
    result_percent = models.DecimalField(
        _("计算比例（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    valid_votes = models.PositiveIntegerField(_("有效票数"), default=0)
    rectification_required = models.BooleanField(_("须整改"), default=False)
    rectification_due = models.DateField(_("整改方案期限"), null=True, blank=True)
    rectification_plan = models.TextField(_("整改方案"), blank=True)
    rectification_submitted_at = models.DateTimeField(_("整改方案提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("代表述职")
        verbose_name_plural = _("代表述职")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["deputy", "held_on"], name="dreport_deputy_date"),
            models.Index(fields=["state", "held_on"], name="dreport_state_date"),
            models.Index(fields=["-held_on", "-id"], name="dreport_date_desc"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.held_on:%Y-%m-%d} 述职"


class PaperTally(models.Model):
    """Votes counted from paper ballots by staff: one row per option."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="paper_tallies")
    option = models.CharField(_("选项"), max_length=20)
    count = models.PositiveIntegerField(_("票数"), default=0)

    scoping = Scoping(region="report__deputy__region", deputy="report__deputy")

    class Meta:
        verbose_name = _("纸质票统计")
        verbose_name_plural = _("纸质票统计")
        constraints = [models.UniqueConstraint(fields=["report", "option"], name="dreport_tally_once")]

    def __str__(self) -> str:
        return f"{self.option}：{self.count}"


class VoteCode(models.Model):
    """A one-time voting code printed as a QR code for the meeting: one code, one vote.

    `code` is 16 random URL-safe characters (≈96 bits), so codes cannot be guessed; `used_at` is set
    by a conditional UPDATE (… WHERE used_at IS NULL), which makes a second use impossible even when
    two phones submit the same code at once.
    """

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="vote_codes")
    number = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("测评码"), max_length=32, unique=True)
    option = models.CharField(_("所投选项"), max_length=20, blank=True)
    used_at = models.DateTimeField(_("投票时间"), null=True, blank=True)

    scoping = Scoping(region="report__deputy__region", deputy="report__deputy")

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="dreport_code_number_once")]
        indexes = [models.Index(fields=["report", "used_at"], name="dreport_code_used")]

    def __str__(self) -> str:
        return f"No.{self.number}"
