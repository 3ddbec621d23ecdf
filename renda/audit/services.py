"""Writing the audit log. Every service write, login event, denial and reveal comes through here."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from renda.core import context
from renda.core.masking import mask_value

from .models import AuditEntry

# Field names whose values never reach the audit log in clear.
SENSITIVE = ("id_number", "phone", "password", "secret", "token", "key")


def _mask_changes(changes: dict | None) -> dict:
    if not changes:
        return {}
    masked = {}
    for field, value in changes.items():
        if any(word in field for word in SENSITIVE):
            if isinstance(value, list | tuple):
                masked[field] = [mask_value(field, str(v) if v else "") for v in value]
            else:
                masked[field] = mask_value(field, str(value) if value else "")
        else:
            masked[field] = value if isinstance(value, list | tuple) else _plain(value)
    return masked


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    changes: dict | None = None,
    detail: str = "",
    username: str | None = None,
) -> AuditEntry:
    """Append one audit entry. The actor and IP default to the current request's."""
    ctx = context.current()
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_name = actor.pk, actor.get_username()
    else:
        actor_id, actor_name = ctx.user_id, ctx.username
    if username is not None and not actor_name:
        actor_name = username
    changes = {
        k: [_plain(v) for v in pair] if isinstance(pair, list | tuple) else pair
        for k, pair in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_username=actor_name[:150],
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        changes=_mask_changes(changes),
        detail=detail,
    )


def audit_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete entries older than the retention period; never younger than the legal minimum."""
    days = max(settings.RENDA_AUDIT_RETENTION_DAYS, settings.RENDA_AUDIT_MIN_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = AuditEntry.objects.filter(occurred_at__lt=cutoff)
    count = old.count()
    if count:
        # The queryset refuses delete(); retention is the one sanctioned removal.
        models.QuerySet.delete(old)
        audit_record(action="audit.prune", detail=f"removed={count} before={cutoff.isoformat()}")
    return count
