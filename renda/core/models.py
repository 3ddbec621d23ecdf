"""The base model every domain model extends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class KeyCheck(models.Model):
    """A known value encrypted and indexed under the keys the data was written with (one row).

    Written at first start (renda/core/keycheck.py); every later start decrypts it and recomputes the
    index, and refuses to run when either differs: a wrong RENDA_FIELD_KEY or RENDA_INDEX_KEY would
    otherwise start fine and fail on every decrypt, or silently find nobody by ID number.
    """

    name = models.CharField(max_length=20, primary_key=True)
    field_check = models.TextField()
    index_check = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("密钥校验值")
        verbose_name_plural = _("密钥校验值")

    def __str__(self) -> str:
        return self.name


class KeyRotation(models.Model):
    """How far `manage.py rotate_keys` got through one model's rows (the last primary key done), so an
    interrupted rotation resumes where it stopped. Deleted when the rotation completes."""

    model_label = models.CharField(max_length=100, primary_key=True)
    last_pk = models.CharField(max_length=64, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    finished = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("密钥轮换进度")
        verbose_name_plural = _("密钥轮换进度")

    def __str__(self) -> str:
        return self.model_label
