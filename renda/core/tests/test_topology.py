"""The production topology (issue 15 §6): the read-replica router, the shared cache for rate limits
and sessions, the connection pool setting, and the client address behind trusted proxies."""

import os
import subprocess
import sys

import pytest
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from config import topology
from renda.core.db_router import replica_alias, replica_reads
from renda.core.middleware import client_ip
from renda.core.throttle import client_key, throttle_hit, throttle_peek

# --- the read replica --------------------------------------------------------------------------


def _tables(queries):
    return " ".join(query["sql"] for query in queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_statistics_read_from_the_replica_and_lists_from_the_primary(users, deputies, login, settings):
    settings.RENDA_READ_REPLICA = "replica"
    client = login(users["county_staff"])
    replica, primary = connections["replica"], connections["default"]
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        page = client.get("/suggestions/stats/")
        api = client.get("/api/v1/suggestions/stats")
    assert page.status_code == 200 and api.status_code == 200
    assert '"suggestions_suggestion"' in _tables(on_replica.captured_queries)
    # The primary served the session and the user, not the statistics.
    assert '"suggestions_suggestion"' not in _tables(on_primary.captured_queries)
    assert "django_session" not in _tables(on_replica.captured_queries)

    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/suggestions/").status_code == 200
    assert on_replica.captured_queries == [], "a work list reads the primary"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_no_replica_configured_means_every_read_on_the_primary(users, deputies, login, settings):
    settings.RENDA_READ_REPLICA = ""
    client = login(users["county_staff"])
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/suggestions/stats/").status_code == 200
    assert on_replica.captured_queries == []


def test_reads_inside_a_transaction_and_of_kernel_apps_stay_on_the_primary(db, settings):
    from django.db import transaction

    from renda.audit.models import AuditEntry
    from renda.suggestions.models import Suggestion

    settings.RENDA_READ_REPLICA = "replica"
    with replica_reads():
        assert replica_alias(AuditEntry) is None
        # The test itself runs in a transaction: a read there precedes a write.
        with transaction.atomic():
            assert replica_alias(Suggestion) is None
    assert replica_alias(Suggestion) is None  # outside replica_reads()


def test_replica_settings():
    primary = topology.database("postgres://u@db:5432/renda")
    standby = topology.replica("postgres://u@standby:5432/renda", primary=primary)
    assert standby["HOST"] == "standby" and "TEST" not in standby
    mirror = topology.replica("", primary=primary)
    assert mirror["TEST"] == {"MIRROR": "default"} and mirror["HOST"] == "db"


# --- PostgreSQL's JIT ---------------------------------------------------------------------------


def test_postgresql_sessions_run_without_jit_unless_asked():
    # The roll-up and statistics aggregates cost enough for the planner to JIT-compile them, which took
    # longer than the query (make bench, /rollup/: 913 → 528 ms of SQL without it).
    config = topology.postgres_session(topology.database("postgres://u@db:5432/renda"), jit=False)
    assert config["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in topology.postgres_session(
        topology.database("postgres://u@db/renda"), jit=True
    ).get("OPTIONS", {})
    sqlite = topology.postgres_session(topology.database("sqlite:///x.sqlite3"), jit=False)
    assert "options" not in sqlite.get("OPTIONS", {})


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL's JIT")
def test_the_application_connection_has_jit_off(db):
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# --- the connection pool -----------------------------------------------------------------------


def test_pool_setting_parses_and_refuses_what_cannot_work():
    config = topology.database("postgres://u@db:5432/renda", conn_max_age=60, pool="2:8")
    assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    assert "pool" not in topology.database("postgres://u@db:5432/renda").get("OPTIONS", {})
    with pytest.raises(ValueError, match="RENDA_DB_POOL 只能用于 PostgreSQL"):
        topology.database("sqlite:///x.sqlite3", pool="2:8")
    for bad in ("8", "8:2", "a:b", "0:0"):
        with pytest.raises(ValueError, match="RENDA_DB_POOL"):
            topology.database("postgres://u@db:5432/renda", pool=bad)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the psycopg pool is PostgreSQL's"
)
def test_pooled_connections_serve_queries_on_postgresql(db):
    # A separate process, started the way production starts (settings from the environment), on the
    # test database.
    from django.db import connection

    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "for _ in range(3):\n"
        "    connection.ensure_connection(); connection.cursor().execute('SELECT 1'); connection.close()\n"
        "print(type(connection.pool).__name__, connection.pool.max_size)\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RENDA_DB_POOL": "1:3",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["ConnectionPool", "3"]


# --- the shared cache --------------------------------------------------------------------------


def _redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["db", "locmem", "redis"])
def throttle_store(request, settings, db):
    from django.core.cache import cache

    if request.param == "db":
        settings.RENDA_THROTTLE_STORE = "db"
    else:
        if request.param == "redis" and not _redis_available():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = topology.caches(REDIS if request.param == "redis" else "")
        settings.RENDA_THROTTLE_STORE = "cache"
        cache.clear()
    yield request.param
    if request.param != "db":
        cache.clear()


def test_rate_limit_counts_in_the_configured_store(throttle_store, django_assert_max_num_queries):
    from renda.core.models import RateLimitBucket

    key = client_key("test-scope", "203.0.113.9")
    with django_assert_max_num_queries(0 if throttle_store != "db" else 100):
        results = [throttle_hit(key=key, limit=3, window_seconds=60, now=1000.0) for _ in range(4)]
    assert results == [True, True, True, False]
    assert throttle_peek(key=key, window_seconds=60, now=1000.0) == 4
    # The next window starts again at zero.
    assert throttle_hit(key=key, limit=3, window_seconds=60, now=1061.0)
    assert RateLimitBucket.objects.exists() == (throttle_store == "db")


@pytest.mark.skipif(not _redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_redis_settings_put_sessions_in_the_shared_cache(users, login, settings):
    from django.core.cache import cache

    settings.CACHES = topology.caches(REDIS)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    client = login(users["county_staff"])
    key = client.session.session_key
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.get("/").status_code == 200
    cache.clear()


# --- the client address ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "198.51.100.7", "1.2.3.4", "198.51.100.7"),  # no proxy trusted: the header is ignored
        ("127.0.0.1", "198.51.100.7", "1.2.3.4", "198.51.100.7"),  # not from the proxy
        ("127.0.0.1", "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # client-written entry left
        ("10.0.0.0/24,127.0.0.1", "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        ("127.0.0.1", "127.0.0.1", "junk, 203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "127.0.0.1", "203.0.113.5, junk", "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_client_address_only_from_a_trusted_proxy(settings, trusted, remote, forwarded, expected):
    settings.RENDA_TRUSTED_PROXIES = topology.trusted_proxies(trusted)
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_bad_proxy_address_stops_the_start():
    with pytest.raises(ValueError, match="RENDA_TRUSTED_PROXIES"):
        topology.trusted_proxies("127.0.0.1,not-an-address")


def test_lockout_and_audit_use_the_same_address(settings, db):
    from axes.helpers import get_client_ip_address

    settings.RENDA_TRUSTED_PROXIES = topology.trusted_proxies("127.0.0.1")
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert get_client_ip_address(request) == "203.0.113.5" == client_ip(request)
