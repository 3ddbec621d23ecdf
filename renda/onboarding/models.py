"""The one-time sheet of initial passwords handed to staff after a bulk account creation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.crypto import EncryptedCharField


class CredentialSheet(models.Model):
    """An .xlsx of usernames and initial passwords, SM4-encrypted in the row (base64 of the file).

    It can be downloaded once, by the account that created it; the download deletes the row, and
    `credential_sheet_prune` deletes sheets never downloaded after RENDA_CREDENTIAL_SHEET_HOURS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credential_sheets"
    )
    title = models.CharField(_("名称"), max_length=100)
    filename = models.CharField(_("文件名"), max_length=100)
    accounts = models.PositiveIntegerField(_("账号数"), default=0)
    content = EncryptedCharField(_("文件内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("初始密码表")
        verbose_name_plural = _("初始密码表")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
