"""Points schemes (积分办法) as data, the append-only ledger and the precomputed standings.

A scheme belongs to one congress (and so one level) and a date range (usually a calendar year). It
is edited as a draft and then published; a published scheme is never edited: a change is a new
version (same `lineage`, `version` + 1), and every ledger entry and standing names the version.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel

POINTS = {"max_digits": 9, "decimal_places": 2}


class Period(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年度")


# How many periods of each kind a year has.
PERIOD_COUNT = {Period.MONTH: 12, Period.QUARTER: 4, Period.HALF: 2, Period.YEAR: 1}


class Scheme(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被新版本取代")

    class BaseMode(models.TextChoices):
        FULL = "full", _("全额（任职即得全年基础分）")
        PRO_RATA = "pro_rata", _("按任职天数折算")
        NONE = "none", _("不设基础分")

    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    text = models.TextField(_("办法全文"), blank=True)
    base_mode = models.CharField(
        _("基础分方式"), max_length=10, choices=BaseMode.choices, default=BaseMode.FULL
    )
    rhythm = models.CharField(_("公示周期"), max_length=8, choices=Period.choices, default=Period.YEAR)
    # Grades below this total go on the 约谈 list (None: no such list).
    interview_below = models.DecimalField(_("约谈线（低于）"), null=True, blank=True, **POINTS)
    lineage = models.UUIDField(_("办法系列"), default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="congress__region")

    class Meta:
        verbose_name = _("积分办法")
        verbose_name_plural = _("积分办法")
        ordering = ["-year", "congress_id", "-version"]
        indexes = [models.Index(fields=["congress", "year", "state"], name="points_scheme_cong_year")]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="points_scheme_version_once"),
            # One published version per congress and year: the one standings are computed with.
            models.UniqueConstraint(
                fields=["congress", "year"],
                condition=models.Q(state="published"),
                name="points_scheme_one_published",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="points_scheme_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Category(models.Model):
    """A part of the scheme (基础事项, 履职规定事项, …). `base` is what every deputy starts with in it
    (the yearly base score, or a category that starts full and only loses points); `cap`/`floor`
    bound its yearly total (None: unbounded)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    base = models.DecimalField(_("基础分"), default=Decimal("0"), **POINTS)
    cap = models.DecimalField(_("上限"), null=True, blank=True, **POINTS)
    floor = models.DecimalField(_("下限"), null=True, blank=True, **POINTS)

    class Meta:
        verbose_name = _("积分类别")
        verbose_name_plural = _("积分类别")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="points_category_code_once"),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True)
                | models.Q(floor__isnull=True)
                | models.Q(cap__gte=models.F("floor")),
                name="points_category_cap_over_floor",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """Which duty records give points, and how many.

    kinds: duty-record kinds (["inspection", "survey"]); match: {attribute: value or [values]}
    compared with DutyRecord.attributes (all must hold). mode:
    - per_record: `points` per record;
    - per_unit: `points` per unit (hour, day, half day) of each record;
    - target: units summed over the year; reaching `target` gives `points`, each unit above adds
      `above`, each unit below adds `below` (usually negative);
    - once: `points` once a year if any record matches.
    max_count/max_points cap the rule's yearly count (earliest records first) or points (by
    magnitude, so a negative rule's deduction is capped too).
    """

    class Mode(models.TextChoices):
        PER_RECORD = "per_record", _("按次")
        PER_UNIT = "per_unit", _("按时长")
        TARGET = "target", _("年度目标")
        ONCE = "once", _("每年一次")

    class Unit(models.TextChoices):
        RECORD = "record", _("次")
        HOUR = "hour", _("小时")
        HALF_DAY = "half_day", _("半天")
        DAY = "day", _("天")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kinds = models.JSONField(_("履职类别"), default=list)
    match = models.JSONField(_("属性条件"), default=dict, blank=True)
    mode = models.CharField(_("计分方式"), max_length=12, choices=Mode.choices, default=Mode.PER_RECORD)
    unit = models.CharField(_("计量单位"), max_length=10, choices=Unit.choices, default=Unit.RECORD)
    points = models.DecimalField(_("分值"), **POINTS)
    target = models.DecimalField(_("年度目标"), null=True, blank=True, **POINTS)
    above = models.DecimalField(_("超出每单位"), default=Decimal("0"), **POINTS)
    below = models.DecimalField(_("不足每单位"), default=Decimal("0"), **POINTS)
    max_count = models.PositiveIntegerField(_("每年最多计次数"), null=True, blank=True)
    max_points = models.DecimalField(_("每年最多计分"), null=True, blank=True, **POINTS)

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="points_rule_code_once")]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """A grade band: lower/upper bounds (None: open), each inclusive or not, as the scheme's text
    says ("80分以上" → lower 80 inclusive; "不足60分" → upper 60 exclusive). Bands are tried in
    `order`; the first that holds the total gives the grade (published bands may overlap)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("等次"), max_length=20)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    lower = models.DecimalField(_("下界"), null=True, blank=True, **POINTS)
    lower_inclusive = models.BooleanField(_("含下界"), default=True)
    upper = models.DecimalField(_("上界"), null=True, blank=True, **POINTS)
    upper_inclusive = models.BooleanField(_("含上界"), default=False)

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def holds(self, total: Decimal) -> bool:
        if self.lower is not None and (
            total < self.lower or (total == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (total > self.upper or (total == self.upper and not self.upper_inclusive))
        )


class LedgerEntry(models.Model):
    """One line of the append-only ledger. Amounts are never changed or deleted: a withdrawn or
    changed record gets a reversing entry (`reverses`), and the award it reverses is closed
    (`open` = False, the one update an entry ever sees, in the same transaction). The unique
    constraint on open awards makes counting a record twice under one rule impossible.

    units: the record's measure under the rule (1 per record, hours, days, half days); points: the
    raw points before yearly caps (caps and category bounds apply when totals are formed)."""

    class Kind(models.TextChoices):
        AWARD = "award", _("计分")
        REVERSAL = "reversal", _("冲销")
        BASE = "base", _("基础分")
        ADJUSTMENT = "adjustment", _("审核调整")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="entries")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    record = models.ForeignKey(
        "duty_records.DutyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("日期"))
    units = models.DecimalField(_("数量"), default=Decimal("0"), **POINTS)
    points = models.DecimalField(_("分值"), **POINTS)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    open = models.BooleanField(default=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    # An adjustment's idempotency key: the same request twice writes one entry.
    key = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["scheme", "deputy", "occurred_on"], name="points_entry_deputy"),
            models.Index(fields=["record", "open"], name="points_entry_record"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "record", "rule"],
                condition=models.Q(kind="award", open=True),
                name="points_award_once",
            ),
            models.UniqueConstraint(
                fields=["scheme", "deputy", "category"],
                condition=models.Q(kind="base", open=True),
                name="points_base_once",
            ),
            models.UniqueConstraint(
                fields=["scheme", "key"], condition=~models.Q(key=""), name="points_adjustment_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"


class Standing(models.Model):
    """A deputy's precomputed totals for one period of a scheme: `total` is year to date at the
    period's end (caps and bounds applied), `period_points` what the period itself added,
    `by_category` {code: year-to-date total}. Pages read these, never the ledger."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="standings")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    # The deputy's township (the region at township level above the deputy's own; the deputy's region
    # when it has none): township views filter and rank on it.
    region = models.ForeignKey("regions.Region", null=True, on_delete=models.PROTECT, related_name="+")
    delegation = models.CharField(max_length=50, blank=True)
    period = models.CharField(max_length=8, choices=Period.choices)
    index = models.PositiveSmallIntegerField()
    total = models.DecimalField(**POINTS)
    period_points = models.DecimalField(**POINTS)
    by_category = models.JSONField(default=dict)
    grade = models.CharField(max_length=20, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    scoping = Scoping(region="region", deputy="deputy")

    class Meta:
        verbose_name = _("积分排名")
        verbose_name_plural = _("积分排名")
        indexes = [
            models.Index(fields=["scheme", "period", "index", "total"], name="points_standing_rank"),
            models.Index(fields=["scheme", "period", "index", "region"], name="points_standing_region"),
            models.Index(fields=["scheme", "period", "index", "delegation"], name="points_standing_deleg"),
            models.Index(fields=["deputy", "scheme"], name="points_standing_deputy"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "deputy", "period", "index"], name="points_standing_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}{self.index} {self.total}"


class Publication(TimeStampedModel):
    """公示: the standings of one period made public, frozen as rows, open to objections until
    `objections_until`."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="publications")
    period = models.CharField(_("周期"), max_length=8, choices=Period.choices)
    index = models.PositiveSmallIntegerField(_("期次"))
    order = models.CharField(
        _("排序"), max_length=8, choices=[("rank", _("按名次")), ("stroke", _("按姓氏笔画"))], default="rank"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    public = models.BooleanField(_("公开网页"), default=False)
    rows = models.JSONField(default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="scheme__congress__region")

    class Meta:
        verbose_name = _("积分公示")
        verbose_name_plural = _("积分公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period", "index"], name="points_publication_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="points_publication_range"
            ),
        ]


class Objection(TimeStampedModel):
    """A deputy's objection to a publication (错 wrong, 重 counted twice, 漏 missing), resolved by
    staff with the outcome recorded."""

    class Kind(models.TextChoices):
        WRONG = "wrong", _("错（计分有误）")
        DUPLICATE = "duplicate", _("重（重复计分）")
        MISSING = "missing", _("漏（漏记）")

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("成立，已更正")
        DISMISSED = "dismissed", _("不成立")

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="objections")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("异议类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("异议内容"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.TextField(_("处理结果"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["publication", "state"], name="points_objection_state")]
