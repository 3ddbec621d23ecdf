"""Constituents' opinions (群众意见) and every step of their handling."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.crypto import BlindIndexField, EncryptedCharField
from renda.core.masking import mask_phone
from renda.core.models import TimeStampedModel
from renda.regions.keys import RegionKeyed


class Opinion(RegionKeyed, TimeStampedModel):
    class State(models.TextChoices):
        RECEIVED = "received", _("已受理")
        ANSWERED = "answered", _("已当场答复")
        REFERRED = "referred", _("已转交部门")
        SUGGESTION = "suggestion", _("已转为代表建议")
        MERGED = "merged", _("已合并")
        CLOSED = "closed", _("已办结")

    class Channel(models.TextChoices):
        QR_FORM = "qr_form", _("扫码留言")
        WALK_IN = "walk_in", _("来访")
        PHONE_CALL = "phone_call", _("来电")
        DEPUTY = "deputy", _("代表收集")

    class Category(models.TextChoices):
        TRANSPORT = "transport", _("交通出行")
        EDUCATION = "education", _("教育")
        HEALTH = "health", _("医疗卫生")
        SOCIAL_SECURITY = "social_security", _("社会保障")
        AGRICULTURE = "agriculture", _("农业农村")
        URBAN = "urban", _("城乡建设")
        ENVIRONMENT = "environment", _("生态环境")
        OTHER = "other", _("其他")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    # The constituent's key to the public progress page: random, never shown in staff URLs.
    tracking_code = models.CharField(_("查询码"), max_length=10, unique=True, editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RECEIVED)
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("意见内容"))
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("联络站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("联系代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    constituent_name = models.CharField(_("反映人"), max_length=50, blank=True)
    constituent_phone = EncryptedCharField(_("联系电话"), blank=True)
    constituent_phone_index = BlindIndexField(source="constituent_phone")
    department = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("转交部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_opinions",
    )
    # The department's answer is due by this day (RENDA_OPINION_REFERRAL_WORKING_DAYS after referral).
    department_due_on = models.DateField(_("部门答复期限"), null=True, blank=True)
    department_replied_at = models.DateTimeField(_("部门答复时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Township staff by region, keepers by station, a deputy the opinions they heard or took up,
    # a handling unit the opinions referred to it.
    # County and township users by the stored keys (renda/regions/keys.py).
    scoping = Scoping(
        region="region", station="station", deputy="deputy", organization="department", region_keys=""
    )

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="opinion_state_received"),
            models.Index(fields=["station", "received_at"], name="opinion_station_received"),
            models.Index(fields=["region", "received_at"], name="opinion_region_received"),
            models.Index(fields=["channel", "received_at"], name="opinion_channel_received"),
            models.Index(fields=["category", "received_at"], name="opinion_category_received"),
            models.Index(fields=["received_at"], name="opinion_received"),
            models.Index(fields=["satisfaction", "received_at"], name="opinion_satisfaction"),
            models.Index(fields=["department", "state"], name="opinion_department_state"),
            # A county's or a township's list in its order (-received_at, -id), read backwards.
            models.Index(fields=["county_code", "received_at", "id"], name="opinion_county_received"),
            models.Index(fields=["township_code", "received_at", "id"], name="opinion_township_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="opinion_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="opinion_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="referred") | models.Q(department__isnull=False),
                name="opinion_referred_has_department",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction="") | ~models.Q(reply=""),
                name="opinion_satisfaction_after_reply",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state_badge(self) -> str:
        """The badge colour of the state (the stylesheet's badge--* names)."""
        return {
            self.State.RECEIVED: "pending",
            self.State.ANSWERED: "approved",
            self.State.CLOSED: "approved",
            self.State.REFERRED: "running",
            self.State.SUGGESTION: "running",
        }.get(self.state, "muted")

    @property
    def constituent_phone_masked(self) -> str:
        return mask_phone(self.constituent_phone)


class OpinionEvent(models.Model):
    """One step of an opinion's life: who, when, from which state to which, and why."""

    class Action(models.TextChoices):
        RECEIVE = "receive", _("受理")
        TRANSITION = "transition", _("办理")
        REPLY = "reply", _("答复群众")
        RATE = "rate", _("评价")
        DEPARTMENT_REPLY = "dept_reply", _("部门答复")
        DEPARTMENT_RETURN = "dept_return", _("部门退回")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("事项"), max_length=12, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=Opinion.State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=Opinion.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("办理人"), max_length=60)
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)

    scoping = Scoping(
        region="opinion__region",
        region_keys="opinion",
        station="opinion__station",
        deputy="opinion__deputy",
        organization="opinion__department",
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["opinion", "occurred_at"], name="opinion_event_time")]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.from_state}→{self.to_state}"
