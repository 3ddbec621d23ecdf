"""The base model every domain model extends, and the kernel's own tables (the rate-limit
counter, the work queues' "last looked" marks)."""

from django.conf import settings
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


class RateLimitBucket(models.Model):
    """Requests per client key per time window, in the database so that every worker process shares it.

    The key is a blind index of the client's address (never the address itself) and a scope name.
    Used through `renda.core.throttle` by every public form (opinions, legislation).
    """

    key = models.CharField(max_length=100)
    window = models.BigIntegerField()  # start of the window, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        # Born in the opinions app. Keeping its table name keeps the counts and spares the kernel's
        # migration a dependency on a domain app's (the table is created by opinions' 0001).
        db_table = "opinions_ratelimitbucket"
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_limit_bucket_unique")]
        indexes = [models.Index(fields=["window"], name="rate_limit_bucket_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.hits}"


class QueueMark(models.Model):
    """When a user last opened a "changed since you last looked" work queue (core/queues.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=50)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="queue_mark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.seen_at:%Y-%m-%d %H:%M}"
