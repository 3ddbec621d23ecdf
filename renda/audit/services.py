"""Writing the audit log. Every service write, login event, denial and reveal comes through here."""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from renda.core import context
from renda.core.inserts import insert_many
from renda.core.masking import mask_value

from .integrity import chain_insert_many
from .models import AuditEntry, AuditFold

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


ANONYMOUS = "anonymous"  # a request with no account: the address says who
SYSTEM = "system"  # no request at all: a command or a job with no owner

audit_log = logging.getLogger("renda.audit")


def _actor(actor, username: str | None, ctx) -> tuple[int | None, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    if ctx.user_id is not None or ctx.username:
        return ctx.user_id, ctx.username
    if username:
        return None, username
    return None, ANONYMOUS if ctx.ip else SYSTEM


def _text(value: str, limit: int | None = None) -> str:
    # PostgreSQL text cannot hold NUL: shown as its control picture, everything else kept as typed.
    value = (value or "").replace("\x00", "\u2400")
    return value[:limit] if limit else value


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
    """Append one audit entry. The actor and IP default to the current request's (or job's).

    Names: the account; a username typed at a failed login; "anonymous" for a request with no
    account (the address says who); "system" for a command with no request. A failure or denial
    that repeats from one source within RENDA_AUDIT_FOLD_SECONDS is folded (see `_fold`): the
    returned entry is then the interval's first one.
    """
    ctx = context.current()
    actor_id, actor_name = _actor(actor, username, ctx)
    entry = _entry(
        ctx,
        actor_id,
        actor_name,
        timezone.now(),
        action=action,
        obj=obj,
        outcome=outcome,
        changes=changes,
        detail=detail,
    )
    with transaction.atomic():
        if settings.RENDA_AUDIT_FOLD_SECONDS > 0:
            audit_fold_flush(now=entry.occurred_at)
        if outcome != AuditEntry.Outcome.SUCCESS and settings.RENDA_AUDIT_FOLD_SECONDS > 0:
            first = _fold(entry)
            if first is not None:
                return first
        entry.save()
        _log_on_commit(entry)
    return entry


def _entry(ctx, actor_id, actor_name: str, now, *, action, obj, outcome, changes, detail) -> AuditEntry:
    changes = {
        k: [_plain(v) for v in pair] if isinstance(pair, list | tuple) else pair
        for k, pair in (changes or {}).items()
    }
    return AuditEntry(
        occurred_at=now,
        actor_id=actor_id,
        actor_username=_text(actor_name, 150),
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=_text(str(obj), 200) if obj is not None else "",
        ip=ctx.ip,
        user_agent=_text(ctx.user_agent, 200),
        changes=_mask_changes(changes),
        detail=_text(detail),
    )


def audit_record_many(*, records: list[dict], actor=None) -> list[AuditEntry]:
    """Append one successful entry per item of `records` ({action, obj, changes, detail}), in that
    order, all by `actor` (or the current request's or job's): what a bulk write (the roster import)
    calls instead of `audit_record` per object. Same entries, same chain (integrity.chain_insert_many),
    a few queries per thousand; successes are never folded, so none is held back."""
    if not records:
        return []
    ctx = context.current()
    actor_id, actor_name = _actor(actor, None, ctx)
    now = timezone.now()
    entries = [
        _entry(
            ctx,
            actor_id,
            actor_name,
            now,
            action=record["action"],
            obj=record.get("obj"),
            outcome=AuditEntry.Outcome.SUCCESS,
            changes=record.get("changes"),
            detail=record.get("detail", ""),
        )
        for record in records
    ]
    with transaction.atomic():
        if settings.RENDA_AUDIT_FOLD_SECONDS > 0:
            audit_fold_flush(now=now)
        # One chain lock for them all; insert_many puts as many in a statement as the database takes.
        chain_insert_many(entries, lambda: insert_many(AuditEntry, entries))
        for entry in entries:
            _log_on_commit(entry)
    return entries


def _log_on_commit(entry: AuditEntry) -> None:
    """A copy of the entry for the system log (a syslog handler when RENDA_AUDIT_SYSLOG_ADDRESS is
    set): 等保 wants records kept where the application's administrators cannot change them."""
    payload = {
        "id": entry.pk,
        "time": entry.occurred_at.isoformat(),
        "actor": entry.actor_username,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "outcome": entry.outcome,
        "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        "ip": entry.ip,
        "count": entry.count,
        "detail": entry.detail[:500],
        "hash": entry.hash,
    }
    message = json.dumps(payload, ensure_ascii=False)
    transaction.on_commit(lambda: audit_log.info(message))


def _key(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _fold(entry: AuditEntry) -> AuditEntry | None:
    """Count `entry` in an open interval instead of writing it; None when it must be written.

    Identical events (same action, outcome, account, address, object and detail) are written
    once per interval. Beyond RENDA_AUDIT_FOLD_BURST written rows of one action and outcome from
    one account and address, further ones are counted too, with a sample of their details.
    Runs under the chain's lock (the head row), so concurrent writers count correctly.
    """
    from .integrity import _head

    _head()  # the lock
    now = entry.occurred_at
    window = datetime.timedelta(seconds=settings.RENDA_AUDIT_FOLD_SECONDS)
    source = (entry.action, entry.outcome, entry.actor_id, entry.actor_username, entry.ip)
    same_key = _key("same", *source, entry.object_type, entry.object_id, entry.detail)
    source_key = _key("source", *source)
    folds = {f.key: f for f in AuditFold.objects.filter(key__in=[same_key, source_key], window_end__gt=now)}
    sample = f"{entry.object_type}:{entry.object_id} {entry.detail}".strip()[:200]

    def count_in(fold: AuditFold) -> AuditEntry:
        fold.folded += 1
        fold.last_at = now
        if len(fold.samples) < 20 and sample not in fold.samples:
            fold.samples = [*fold.samples, sample]
        fold.save(update_fields=["folded", "last_at", "samples"])
        first = AuditEntry.objects.filter(action=entry.action, ip=entry.ip).order_by("-id").first()
        return first or entry

    if same_key in folds:
        return count_in(folds[same_key])
    source_fold = folds.get(source_key)
    if source_fold is not None and source_fold.written >= settings.RENDA_AUDIT_FOLD_BURST:
        return count_in(source_fold)
    # Written: open (or renew) both intervals.
    common = {
        "action": entry.action,
        "outcome": entry.outcome,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "ip": entry.ip,
    }
    AuditFold.objects.filter(key=same_key).delete()
    AuditFold.objects.create(
        key=same_key,
        kind="same",
        window_start=now,
        window_end=now + window,
        last_at=now,
        written=1,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        samples=[sample],
        **common,
    )
    if source_fold is None:
        AuditFold.objects.filter(key=source_key).delete()
        AuditFold.objects.create(
            key=source_key,
            kind="source",
            window_start=now,
            window_end=now + window,
            last_at=now,
            written=1,
            **common,
        )
    else:
        AuditFold.objects.filter(pk=source_fold.pk).update(written=models.F("written") + 1, last_at=now)
    return None


def audit_fold_flush(*, now: datetime.datetime | None = None, everything: bool = False) -> int:
    """Close the intervals that have ended: one counted entry for each that folded events.

    Called by every audit write (so a closed interval is summed up at the next event of any
    kind), by the auditor's pages and export, by audit_verify and audit_prune. `everything`
    closes open intervals too. Returns the number of entries written.
    """
    now = now or timezone.now()
    ended = AuditFold.objects.all() if everything else AuditFold.objects.filter(window_end__lte=now)
    written = 0
    if not ended.exists():
        return 0
    with transaction.atomic():
        for fold in list(ended.order_by("window_start", "id")[:500]):
            if fold.folded:
                tz = timezone.get_current_timezone()
                span = (
                    f"{fold.window_start.astimezone(tz):%Y-%m-%d %H:%M:%S}"
                    f"–{fold.last_at.astimezone(tz):%H:%M:%S}"
                )
                summary = AuditEntry(
                    occurred_at=fold.last_at,
                    actor_id=fold.actor_id,
                    actor_username=fold.actor_username,
                    action=fold.action,
                    outcome=fold.outcome,
                    object_type=fold.object_type if fold.kind == "same" else "",
                    object_id=fold.object_id if fold.kind == "same" else "",
                    object_repr=fold.object_repr if fold.kind == "same" else "",
                    ip=fold.ip,
                    count=fold.folded,
                    detail=(
                        f"同一来源在 {span} 内另有 {fold.folded} 次同类事件，合并为本条记录"
                        f"（{'与首条相同' if fold.kind == 'same' else '超出逐条记录上限'}）；示例："
                        + "；".join(fold.samples)
                    ),
                )
                summary.save()
                _log_on_commit(summary)
                written += 1
            fold.delete()
    return written


def audit_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete entries older than the retention period; never younger than the legal minimum.

    The one sanctioned removal: on PostgreSQL it opens the trigger's gate for its own transaction
    only (`renda.audit_prune`), and its own entry records the hash of the last entry removed, from
    which the chain now starts (integrity.py).
    """
    from django.db import connection

    days = max(settings.RENDA_AUDIT_RETENTION_DAYS, settings.RENDA_AUDIT_MIN_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        audit_fold_flush()
        # The chain runs in id order: remove only a prefix of it (never a hole), and within it only
        # entries past retention. Ids follow time, so in practice this is every old entry.
        old = AuditEntry.objects.filter(occurred_at__lt=cutoff)
        first_young = (
            AuditEntry.objects.filter(occurred_at__gte=cutoff)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if first_young is not None:
            old = old.filter(id__lt=first_young)
        last = old.order_by("-id").values_list("id", "hash").first()
        if last is None:
            return 0
        count = old.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('renda.audit_prune', 'on', true)")
        # The queryset refuses delete(); retention is the one sanctioned removal.
        models.QuerySet.delete(old)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('renda.audit_prune', 'off', true)")
        audit_record(
            action="audit.prune",
            detail=f"removed={count} before={cutoff.isoformat()}",
            changes={"anchor": last[1], "anchor_id": last[0]},
        )
    return count
