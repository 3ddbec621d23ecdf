"""One notification to one user: shown in the inbox and handed to the configured sender."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """Where handing a notification to the sender stands (the inbox has it either way)."""

    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    SKIPPED = "skipped", _("无需发送")  # the sender had no address for the recipient
    FAILED = "failed", _("发送失败，待重试")
    ABANDONED = "abandoned", _("多次失败，已放弃")


class Notification(models.Model):
    """An in-app notification. `key`, when given, makes it once-only for its user.

    `kind` names what sent it, as `<app>.<what>` (e.g. `suggestion.reminder`), for filters and for
    senders that treat kinds differently; `url` is the page it is about (a path inside this site).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=40)
    key = models.CharField(max_length=100, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Delivery beyond the inbox: a failed send is kept and retried with back-off (notification_retry).
    delivery = models.CharField(
        _("发送状态"), max_length=10, choices=Delivery.choices, default=Delivery.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次失败原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notice_user_read"),
            models.Index(fields=["delivery", "next_attempt_at"], name="notice_retry_due"),
        ]
        # NULL keys never collide (SQLite and PostgreSQL alike): only keyed notifications are once-only.
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self) -> str:
        return self.title
