"""A fixed-window rate limit shared by every web process: kept in the shared cache (Redis) when
REDIS_URL is set (settings.RENDA_THROTTLE_STORE "cache"), else in the database ("db")."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from renda.core.crypto import blind_index

from .models import RateLimitBucket


def client_key(scope: str, ip: str | None) -> str:
    """The bucket key for a client: a keyed hash of the address, so no address is stored."""
    return f"{scope}:{blind_index(ip or 'unknown')[:40]}"


def throttle_hit(*, key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one request for `key`; False once more than `limit` fall in the current window."""
    moment = time.time() if now is None else now
    window = int(moment // window_seconds) * window_seconds
    if settings.RENDA_THROTTLE_STORE == "cache":
        return _cache_hit(key, window, window_seconds) <= limit
    with transaction.atomic():
        updated = RateLimitBucket.objects.filter(key=key, window=window).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitBucket.objects.create(key=key, window=window, hits=1)
            except IntegrityError:
                # Another process created the bucket between our UPDATE and INSERT.
                RateLimitBucket.objects.filter(key=key, window=window).update(hits=F("hits") + 1)
        hits = RateLimitBucket.objects.filter(key=key, window=window).values_list("hits", flat=True).first()
        # Old windows are useless; dropping them here keeps the table at a handful of rows per client.
        RateLimitBucket.objects.filter(window__lt=window - window_seconds).delete()
    return (hits or 0) <= limit


def throttle_peek(*, key: str, window_seconds: int, now: float | None = None) -> int:
    """How many hits `key` has in the current window, without counting one (check first, count only what
    was accepted: a refused submission must not use up the limit)."""
    moment = time.time() if now is None else now
    window = int(moment // window_seconds) * window_seconds
    if settings.RENDA_THROTTLE_STORE == "cache":
        return cache.get(_cache_key(key, window), 0)
    hits = RateLimitBucket.objects.filter(key=key, window=window).values_list("hits", flat=True).first()
    return hits or 0


def _cache_key(key: str, window: int) -> str:
    return f"throttle:{key}:{window}"


def _cache_hit(key: str, window: int, window_seconds: int) -> int:
    """Count one hit in the shared cache; returns the window's hits. `add` then `incr` are each atomic
    in Redis, so concurrent processes never lose a hit; the key expires after two windows."""
    name = _cache_key(key, window)
    cache.add(name, 0, timeout=2 * window_seconds)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=2 * window_seconds)
        return 1
