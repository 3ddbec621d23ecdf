"""Training: a yearly plan per congress (items approved and published), sessions with their days,
attendees (deputies and staff accounts) and each attendee's hours on each day."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


class TrainingForm(models.TextChoices):
    """The forms of training a county uses (培训形式)."""

    CONCENTRATED = "concentrated", _("集中学习")
    BY_MEETING = "by_meeting", _("以会代训")
    ONLINE = "online", _("线上学习")
    OFFSITE_COURSE = "offsite_course", _("异地培训")
    STUDY_VISIT = "study_visit", _("外出考察学习")


class TrainingPlan(TimeStampedModel):
    """年度培训计划 of one congress for one year: draft → approved → published to its deputies."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草拟")
        APPROVED = "approved", _("已审定")
        PUBLISHED = "published", _("已印发")

    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("标题"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    scoping = Scoping(region="congress__region")

    class Meta:
        verbose_name = _("年度培训计划")
        verbose_name_plural = _("年度培训计划")
        ordering = ["-year", "congress_id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="training_plan_once_per_year"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(TimeStampedModel):
    """One planned training: topic, for whom, in what form, in which month, with what budget (元)."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("培训计划"), on_delete=models.CASCADE, related_name="items"
    )
    topic = models.CharField(_("培训主题"), max_length=200)
    target_group = models.CharField(_("培训对象"), max_length=100, help_text=_("如：全体县人大代表"))
    form = models.CharField(_("培训形式"), max_length=20, choices=TrainingForm.choices)
    planned_month = models.PositiveSmallIntegerField(
        _("计划月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    budget = models.DecimalField(
        _("经费预算（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scoping = Scoping(region="plan__congress__region")

    class Meta:
        verbose_name = _("培训计划事项")
        verbose_name_plural = _("培训计划事项")
        ordering = ["planned_month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_month__gte=1, planned_month__lte=12), name="plan_item_month_valid"
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="plan_item_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.topic


class TrainingSession(TimeStampedModel):
    """One training held (a course, a study visit, a meeting used as training), over one or more days.

    Open while attendance is being taken; closed once recorded, when each deputy who attended gets
    one `training` duty record with their total hours.
    """

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结班")

    congress = models.ForeignKey(
        "deputies.Congress", verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("落实的计划事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("培训名称"), max_length=200)
    form = models.CharField(_("培训形式"), max_length=20, choices=TrainingForm.choices)
    organizer = models.CharField(_("承办单位"), max_length=100, help_text=_("如：复旦大学继续教育学院"))
    place = models.CharField(_("地点"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("培训内容"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("结班时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结班人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="congress__region")

    class Meta:
        verbose_name = _("培训班次")
        verbose_name_plural = _("培训班次")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on"], name="training_session_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def day_count(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class TrainingDay(models.Model):
    """One day of a session and the hours of training it holds (学时, the most an attendee can get)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"))
    hours = models.DecimalField(
        _("学时"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    agenda = models.CharField(_("当日安排"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培训日")
        verbose_name_plural = _("培训日")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="training_day_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=12), name="training_day_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.date:%Y-%m-%d}"


class Attendee(TimeStampedModel):
    """Someone enrolled in a session: a deputy, or a staff account (工作人员). `region` is where they
    belong (the deputy's township, the account's region), so that a township sees its own people."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendees")
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The deputy's `training` duty record, written once when the session is closed.
    duty_record = models.ForeignKey(
        "duty_records.DutyRecord",
        verbose_name=_("履职记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="region", deputy="deputy")

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["session", "deputy__stroke_key", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(deputy__isnull=False) & models.Q(user__isnull=True))
                | (models.Q(deputy__isnull=True) & models.Q(user__isnull=False)),
                name="attendee_deputy_or_staff",
            ),
            models.UniqueConstraint(
                fields=["session", "deputy"],
                condition=models.Q(deputy__isnull=False),
                name="attendee_deputy_once",
            ),
            models.UniqueConstraint(
                fields=["session", "user"], condition=models.Q(user__isnull=False), name="attendee_user_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.session}"

    @property
    def is_deputy(self) -> bool:
        return self.deputy_id is not None


class Attendance(models.Model):
    """An attendee was there on a day, for `hours` (at most the day's hours)."""

    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="attendance")
    day = models.ForeignKey(TrainingDay, on_delete=models.CASCADE, related_name="attendance")
    hours = models.DecimalField(_("学时"), max_digits=3, decimal_places=1)

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(fields=["attendee", "day"], name="attendance_once_per_day"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=12), name="attendance_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee.name} {self.day.date:%Y-%m-%d} {self.hours}"
