"""The audit log's hash chain: a canonical form of each entry, the keyed chain, and its verification.

Each entry's `hash` is HMAC-SHA256(key, previous entry's hash + "\\n" + canonical(entry)), the first
entry chaining from GENESIS. The key is RENDA_AUDIT_KEY (or, by default, derived from SECRET_KEY),
which the database does not hold: someone who can change rows in the database cannot compute the
hash of an altered or inserted row, and a deleted row breaks the link of the one after it.

Concurrency: writers lock the one AuditChainHead row (SELECT … FOR UPDATE on PostgreSQL; SQLite
runs IMMEDIATE transactions, so writers are serialised anyway) from reading the previous hash to
their commit, so entries chain in id order with no fork.

The retention prune deletes the oldest entries through its own path and records, in its own
chained `audit.prune` entry, the hash of the last entry it deleted (`changes["anchor"]`): the first
remaining entry must chain from that anchor, or from GENESIS when nothing was ever pruned. A
deleted newest entry is found by comparing the head with the last entry; an attacker who also
rewinds the head is caught by the copy of every event in the system log (`renda.audit` logger).
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

GENESIS = "0" * 64

# The fields that make an entry, in the order of the canonical form (keys are sorted anyway).
CANONICAL_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_repr",
    "ip",
    "user_agent",
    "changes",
    "detail",
    "count",
)


def chain_key() -> bytes:
    configured = getattr(settings, "RENDA_AUDIT_KEY", "")
    if configured:
        return bytes.fromhex(configured)
    return hmac.new(settings.SECRET_KEY.encode(), b"renda.audit.chain", hashlib.sha256).digest()


def normalise_ip(ip: str | None) -> str | None:
    """The address as PostgreSQL's inet gives it back (compressed IPv6), so the hash is stable."""
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return ip


def canonical(entry) -> bytes:
    """The entry as sorted, compact JSON (UTF-8); times in UTC with microseconds."""
    values = {}
    for name in CANONICAL_FIELDS:
        value = getattr(entry, name)
        if name == "occurred_at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        elif name == "ip":
            value = normalise_ip(value)
        elif name == "actor_id" and value is not None:
            value = int(value)
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(previous: str, entry, key: bytes | None = None) -> str:
    key = key or chain_key()
    return hmac.new(key, previous.encode() + b"\n" + canonical(entry), hashlib.sha256).hexdigest()


def _head():
    from .models import AuditChainHead, AuditEntry

    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A fresh database (or one emptied by a test's flush): start from the newest entry, if any.
        last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(
                    pk=1, hash=last[1] if last else GENESIS, last_id=last[0] if last else None
                )
        except IntegrityError:
            pass
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def chain_insert(entry, insert) -> None:
    """Give `entry` its chained hash and insert it (`insert()`), holding the chain's lock."""
    from .models import AuditChainHead

    with transaction.atomic():
        head = _head()
        entry.ip = normalise_ip(entry.ip)
        entry.hash = entry_hash(head.hash, entry)
        insert()
        AuditChainHead.objects.filter(pk=1).update(hash=entry.hash, last_id=entry.pk)


def chain_insert_many(entries: list, insert) -> None:
    """`chain_insert` for many entries at once (a bulk import's records): each chained to the one
    before it in list order and inserted by `insert()` in that order (ids follow it), under one lock."""
    from .models import AuditChainHead, AuditEntry

    if not entries:
        return
    with transaction.atomic():
        head = _head()
        previous, key = head.hash, chain_key()
        for entry in entries:
            entry.ip = normalise_ip(entry.ip)
            entry.hash = previous = entry_hash(previous, entry, key)
        insert()
        last_id = entries[-1].pk
        if last_id is None:  # a database that returns no ids from a bulk insert
            last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        AuditChainHead.objects.filter(pk=1).update(hash=previous, last_id=last_id)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    message: str = ""


def audit_verify(*, batch: int = 2000) -> VerifyResult:
    """Walk the whole log in id order and check every link. Reads only; any role-free caller."""
    from .models import AuditChainHead, AuditEntry

    anchors = {GENESIS}
    last_prune = (
        AuditEntry.objects.filter(action="audit.prune")
        .order_by("-id")
        .values_list("changes", flat=True)
        .first()
    )
    if last_prune and last_prune.get("anchor"):
        anchors.add(last_prune["anchor"])

    previous = None
    checked = 0
    last_id = 0
    last_hash = None
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for entry in rows:
            candidates = anchors if previous is None else {previous}
            if not any(hmac.compare_digest(entry_hash(p, entry), entry.hash) for p in candidates):
                return VerifyResult(
                    False,
                    checked,
                    entry.pk,
                    f"第 {entry.pk} 条记录的校验值不符：该条被修改、在其前插入，或其前一条被删除",
                )
            previous = entry.hash
            checked += 1
            last_id = entry.pk
            last_hash = entry.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and last_hash is not None and head.hash != last_hash:
        return VerifyResult(False, checked, head.last_id, "最新的审计记录缺失（链头与最后一条记录不符）")
    return VerifyResult(True, checked, None, f"已校验 {checked} 条审计记录，哈希链完整")
