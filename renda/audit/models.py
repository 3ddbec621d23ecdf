"""Audit entries: who did what to which object, when, from where, and with what outcome.

Entries are append-only: they cannot be updated, and are deleted only by the retention service
once older than the retention period (never less than 184 days). Python refuses changes here; on
PostgreSQL a trigger refuses them in the database too (migration 0002), and every entry carries a
keyed hash chaining it to the one before (integrity.py), which `manage.py audit_verify` checks.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an audit entry: the log is append-only."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries are removed only by audit_prune")


class AuditEntry(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("用户ID"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("用户"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("事件"), max_length=64, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    changes = models.JSONField(_("变更字段"), default=dict, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    # How many identical events this row stands for: repeated failures and denials from one
    # source are folded into one row per interval (services.audit_record).
    count = models.PositiveIntegerField(_("次数"), default=1)
    # HMAC-SHA256 over the previous entry's hash and this entry's canonical form (integrity.py).
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["outcome", "occurred_at"], name="audit_outcome_time"),
            # The log's own order (-occurred_at, -id), read backwards.
            models.Index(fields=["occurred_at", "id"], name="audit_time_id"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        from .integrity import chain_insert

        chain_insert(self, lambda: super(AuditEntry, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are removed only by audit_prune")


class AuditChainHead(models.Model):
    """One row: the hash of the newest entry. Locking it serialises writers so the chain is one line."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    hash = models.CharField(max_length=64)
    last_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.last_id}: {self.hash[:12]}"


class AuditFold(models.Model):
    """An open interval in which repeated failures or denials from one source are counted, not written.

    `kind` "same": identical events (action, outcome, account, address, object, detail); "source":
    all events of one action and outcome from one account and address, once more than
    RENDA_AUDIT_FOLD_BURST rows were written in the interval. When the interval closes, one entry
    with `count` = `folded` sums up what was not written row by row (services.audit_fold_flush).
    """

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField(db_index=True)
    last_at = models.DateTimeField()
    written = models.PositiveIntegerField(default=0)
    folded = models.PositiveIntegerField(default=0)
    samples = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.action} {self.actor_username or self.ip} ×{self.folded}"
