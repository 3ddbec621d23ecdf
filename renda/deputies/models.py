"""The deputy. The deputies issue grows this into mandates, constituencies and external roles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.crypto import BlindIndexField, EncryptedCharField
from renda.core.masking import mask_id_number, mask_phone
from renda.core.models import TimeStampedModel


class Deputy(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    id_number = EncryptedCharField(_("公民身份号码"), blank=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField(_("联系电话"), blank=True)
    phone_index = BlindIndexField(source="phone")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )

    scoping = Scoping(region="region", deputy="")

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="deputy_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
