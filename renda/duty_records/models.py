"""One row per thing a deputy did, written by other apps through `duty_record_add`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel
from renda.regions.keys import KeysFrom


class DutyRecordQuerySet(models.QuerySet):
    def standing(self):
        """Records that count: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class DutyRecord(KeysFrom, TimeStampedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("参加会议")
        RECEPTION = "reception", _("进站接待选民")
        CONTACT = "contact", _("联系选民")
        INSPECTION = "inspection", _("视察")
        SURVEY = "survey", _("调研")
        LAW_INSPECTION = "law_inspection", _("执法检查")
        INQUIRY = "inquiry", _("专题询问")
        CAMPAIGN = "campaign", _("主题活动")
        JOINT_INSPECTION = "joint_inspection", _("联合视察")
        SUPERVISION = "supervision", _("部门监督活动")
        STUDY = "study", _("集中学习")
        LEAVE = "leave", _("请假")
        ABSENCE = "absence", _("无故缺席")
        SUGGESTION = "suggestion", _("提出建议")
        MOTION = "motion", _("提出议案")
        EVALUATION = "evaluation", _("评价办理结果")
        TRAINING = "training", _("参加培训")
        LEGISLATION = "legislation", _("立法意见征询")
        DUTY_REPORT = "duty_report", _("述职")
        OTHER = "other", _("其他履职")

    # Kinds only the system writes (attendance bookkeeping); a deputy cannot declare them.
    SYSTEM_ONLY_KINDS = frozenset({"leave", "absence"})

    @classmethod
    def declarable_choices(cls) -> list[tuple[str, str]]:
        return [(value, label) for value, label in cls.Kind.choices if value not in cls.SYSTEM_ONLY_KINDS]

    class Origin(models.TextChoices):
        SYSTEM = "system", _("系统记录")
        DECLARED = "declared", _("代表申报")

    class Review(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("事项"), max_length=200)
    occurred_on = models.DateField(_("日期"))
    quantity = models.DecimalField(
        _("数量"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    unit = models.CharField(_("单位"), max_length=10, default="次")
    # The source is the row in another app that this fact comes from ("suggestions.suggestion", 42).
    source_type = models.CharField(_("来源类型"), max_length=64, blank=True)
    source_id = models.CharField(_("来源ID"), max_length=64, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=200, blank=True)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices, default=Origin.SYSTEM)
    review_state = models.CharField(
        _("审核状态"), max_length=10, choices=Review.choices, default=Review.APPROVED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Structured facts a points scheme can match on, e.g. {"activity_kind": "law_inspection",
    # "organiser_id": 7, "role": "participant"}; the source app documents its keys.
    attributes = models.JSONField(_("属性"), default=dict, blank=True)
    # A withdrawn record stays (the history of a correction) but no list or count includes it.
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DutyRecordQuerySet.as_manager()

    # The deputy's county and township keys, copied onto the record (renda/regions/keys.py KeysFrom):
    # a county's records are one range of an index, whatever the size of the province.
    keys_from = "deputy"
    scoping = Scoping(region="deputy__region", deputy="deputy", region_keys="")

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # A deputy's records in the list's order (-occurred_on, -id), no sort left to do.
            models.Index(fields=["deputy", "occurred_on", "id"], name="duty_deputy_date_id"),
            models.Index(fields=["kind", "occurred_on"], name="duty_kind_date"),
            models.Index(fields=["review_state", "occurred_on"], name="duty_review_date"),
            # The list's own order (-occurred_on, -id): read backwards, no sort of a million rows.
            models.Index(fields=["occurred_on", "id"], name="duty_date_id"),
            # A county's or a township's records in the list's order.
            models.Index(fields=["county_code", "occurred_on", "id"], name="duty_county_date_id"),
            models.Index(fields=["township_code", "occurred_on", "id"], name="duty_township_date_id"),
        ]
        constraints = [
            # One standing fact per source: the same suggestion cannot count twice for the same deputy
            # and kind. A withdrawn record does not count, so a correction can record the fact anew.
            models.UniqueConstraint(
                fields=["deputy", "kind", "source_type", "source_id"],
                condition=~models.Q(source_type="") & models.Q(withdrawn_at__isnull=True),
                name="duty_record_once_per_source",
            ),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="duty_record_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
