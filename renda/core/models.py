"""The base model every domain model extends, and the work queues' "last looked" marks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class QueueMark(models.Model):
    """When a user last opened a "changed since you last looked" work queue (core/queues.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=50)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="queue_mark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.seen_at:%Y-%m-%d %H:%M}"
