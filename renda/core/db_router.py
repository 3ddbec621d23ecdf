"""The read-replica router (issue 15 §6): statistics, exports and dashboards read from a standby.

`replica_reads()` marks a stretch of code (a request to one of settings.RENDA_REPLICA_VIEWS, see
ReplicaReadsMiddleware) whose reads may be served by settings.RENDA_READ_REPLICA ("replica"); the
router sends there only reads of the apps in config.topology.REPLICA_APPS, only outside a
transaction on the primary (a read inside one precedes a write and must see the primary), and never
writes. With RENDA_READ_REPLICA empty (no DATABASE_REPLICA_URL) everything reads the primary.

A standby lags the primary by a moment (streaming replication: milliseconds); a figure on a
statistics page may miss what was saved in that moment, which a report tolerates and a form would
not — so forms and lists are not routed.
"""

import contextlib
import contextvars
import fnmatch

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import Resolver404, resolve

from config.topology import REPLICA_APPS

_reads = contextvars.ContextVar("renda_replica_reads", default=False)


@contextlib.contextmanager
def replica_reads():
    """Within this block, eligible reads go to the replica (when one is configured)."""
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


def replica_alias(model) -> str | None:
    """The alias a read of `model` goes to now: the replica's, or None for the primary."""
    alias = settings.RENDA_READ_REPLICA
    if not alias or not _reads.get() or model._meta.app_label not in REPLICA_APPS:
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica_alias(model)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS  # the standby replays the primary's schema


def view_reads_replica(request) -> bool:
    """True when the request is for one of settings.RENDA_REPLICA_VIEWS (namespace:url_name, shell
    patterns) and only reads (GET/HEAD)."""
    if request.method not in ("GET", "HEAD"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    name = f"{match.namespace}:{match.url_name}"
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.RENDA_REPLICA_VIEWS)


class ReplicaReadsMiddleware:
    """Runs the requests for settings.RENDA_REPLICA_VIEWS, their templates included, inside
    `replica_reads()` (a TemplateResponse is rendered before the response comes back here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.RENDA_READ_REPLICA or not view_reads_replica(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
