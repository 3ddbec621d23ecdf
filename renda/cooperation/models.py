"""A department's proposal of a supervision activity with the deputies it appointed (e.g. 县市场监管局
and its 行风政风监督员). County staff confirm or decline it.

A confirmed proposal becomes an activity of kind "部门监督活动" through the activities app's services;
`activity_ref` holds that activity's id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


class ActivityProposal(TimeStampedModel):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未采纳")

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=200)
    agenda = models.TextField(_("活动内容"))
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    deputies = models.ManyToManyField("deputies.Deputy", verbose_name=_("邀请代表"), related_name="+")
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("确认意见"), max_length=200, blank=True)
    activity_ref = models.CharField(_("对应活动"), max_length=64, blank=True)

    scoping = Scoping(region="organization__region", organization="organization")

    class Meta:
        verbose_name = _("监督活动申请")
        verbose_name_plural = _("监督活动申请")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="proposal_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title
