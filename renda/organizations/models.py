"""Organisations (机构): bodies in a tree, their written duties (versioned) and appointments (任免)."""

from django.conf import settings
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
    position = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("同级机构按此数字从小到大排列")
    )

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


class OrganizationDuty(models.Model):
    """One version of a body's written duties (职责). A change adds a version; none is ever edited."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="duty_versions"
    )
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("职责"))
    effective_on = models.DateField(_("施行日期"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="organization__region", organization="organization")

    class Meta:
        verbose_name = _("机构职责")
        verbose_name_plural = _("机构职责")
        ordering = ["organization", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="organization_duty_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="organization_duty_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 职责 第{self.version}版"


class Appointment(TimeStampedModel):
    """An appointment (任免) of a person to a post in a body. Ending one keeps it as history."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("主任")
        DEPUTY_DIRECTOR = "deputy_director", _("副主任")
        MEMBER = "member", _("委员")
        STAFF = "staff", _("专职工作人员")

    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="appointments"
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=20, choices=Post.choices, db_index=True)
    started_on = models.DateField(_("任职起始日期"))
    ended_on = models.DateField(_("任职终止日期"), null=True, blank=True, help_text=_("在任的留空"))
    decided_on = models.DateField(_("任免决定日期"), null=True, blank=True)
    document_number = models.CharField(_("任免文号"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scoping = Scoping(region="organization__region", organization="organization")

    class Meta:
        verbose_name = _("任免")
        verbose_name_plural = _("任免")
        ordering = ["organization", "-started_on", "id"]
        indexes = [
            models.Index(fields=["organization", "ended_on"], name="appointment_org_end"),
            models.Index(fields=["started_on"], name="appointment_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="appointment_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_post_display()} {self.person_name}"

    def is_current_on(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


# The order in which posts are listed on a body's page and the org chart.
POST_ORDER = [
    Appointment.Post.DIRECTOR,
    Appointment.Post.DEPUTY_DIRECTOR,
    Appointment.Post.MEMBER,
    Appointment.Post.STAFF,
]
