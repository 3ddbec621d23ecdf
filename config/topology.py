"""The scale-out parts of the settings (issue 15 §6), as plain functions of the environment so that
they can be tested without restarting Django: connection pooling, the read replica, the shared cache
and the trusted reverse proxies. config/settings/base.py calls them; docs/architecture.md
("Production topology") explains the deployment they serve.
"""

import ipaddress

import dj_database_url

# Apps whose reads may be served by the replica. Everything else — accounts, sessions, the lockout
# (axes), the audit chain, jobs, rate limits — always reads the primary: those reads precede writes.
REPLICA_APPS = frozenset(
    {
        "regions",
        "organizations",
        "deputies",
        "duty_records",
        "network",
        "opinions",
        "legislation",
        "suggestions",
        "activities",
        "training",
        "cooperation",
        "media_column",
        "guidance",
        "workplan",
    }
)


def database(url: str, *, conn_max_age: int = 0, pool: str = "") -> dict:
    """One DATABASES entry from a URL. `pool` ("MIN:MAX", e.g. "2:10"; "" for none) turns on Django's
    psycopg connection pool on PostgreSQL (each process keeps MIN..MAX open connections and lends one
    per request; CONN_MAX_AGE must then be 0, Django refuses both). Raises ValueError for a malformed
    pool or one asked of another engine."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if pool:
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ValueError(f"RENDA_DB_POOL 只能用于 PostgreSQL（当前数据库：{config['ENGINE']}）")
        try:
            low, high = (int(part) for part in pool.split(":"))
        except ValueError:
            raise ValueError(f'RENDA_DB_POOL 应为"最小:最大"连接数，例如 2:10：{pool!r}') from None
        if not 0 <= low <= high or high == 0:
            raise ValueError(f"RENDA_DB_POOL 的最小连接数应不大于最大连接数且最大连接数大于 0：{pool!r}")
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {"min_size": low, "max_size": high, "timeout": 10}
    return config


def postgres_session(config: dict, *, jit: bool) -> dict:
    """A PostgreSQL entry's session settings: JIT off unless `jit`. The planner JIT-compiles a query
    whose estimated cost is high — the roll-up and statistics aggregates, with their correlated
    subqueries — and compiling took longer than running them (make bench: /rollup/'s SQL 913 → 528 ms,
    the statistics .xlsx 7.5 → 4.1 s without it). Sent as a startup option, so it holds for pooled
    connections too; behind PgBouncer (which refuses unknown startup options) set RENDA_PG_JIT=on and
    `jit = off` in postgresql.conf instead. Other engines are returned unchanged."""
    if config.get("ENGINE") == "django.db.backends.postgresql" and not jit:
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


def replica(url: str, *, primary: dict, pool: str = "") -> dict:
    """The "replica" DATABASES entry: a read-only standby at `url`. In tests (no URL) it mirrors the
    primary (TEST MIRROR), so the routing runs in the suite against the same data."""
    if url:
        config = database(url, conn_max_age=primary.get("CONN_MAX_AGE", 0), pool=pool)
    else:
        config = {**primary, "OPTIONS": dict(primary.get("OPTIONS", {}))}
        config["TEST"] = {"MIRROR": "default"}
    return config


def caches(redis_url: str) -> dict:
    """CACHES: Redis shared by every process when `redis_url` is set (redis://host:6379/0), else each
    process's own memory (enough for one machine: rate limits and sessions then stay in the database)."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "renda",
                "TIMEOUT": 300,
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def trusted_proxies(value: str) -> tuple:
    """RENDA_TRUSTED_PROXIES ("127.0.0.1,10.0.0.0/24") as networks; raises ValueError naming a bad one."""
    networks = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"RENDA_TRUSTED_PROXIES 中的地址无效：{item!r}") from None
    return tuple(networks)
