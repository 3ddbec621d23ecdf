"""Organisations. The organisations issue grows this into bodies, duties and appointments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("人大常委会")
        WORK_BODY = "work_body", _("工作机构")
        STREET_COMMITTEE = "street_committee", _("街道人大工作委员会")
        TOWNSHIP_PRESIDIUM = "township_presidium", _("乡镇人大主席团")
        HANDLING_UNIT = "handling_unit", _("承办单位")
        CPPCC = "cppcc", _("政协")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT)

    scoping = Scoping(region="region", organization="")

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organization_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name
