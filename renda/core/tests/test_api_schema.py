"""A bounded schemathesis pass over the whole /api/v1/ OpenAPI document (issue 13 §4).

For each operation in the schema, a few generated requests (3 examples, derandomized, so the run is
repeatable) go to the Django WSGI application in-process, signed with a fresh bearer token of one of
two roles (county staff, the widest office role, and a deputy, the narrowest). Each answer must not be
a server error (5xx), must have a status code the operation documents, and, for documented codes,
a body that matches the documented schema.

Every failure is collected (not only the first) and reported with its operation, so one run names
all of them. An operation the schema loader cannot read counts as a failure too: nothing is skipped.
"""

import time
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 3
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _check_operation(operation, role_user, failures: list[str], counter: list[int]) -> None:
    """Send EXAMPLES_PER_OPERATION generated requests to one operation; collect failures."""
    from renda.accounts.services import api_token_issue

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        counter[0] += 1
        # A fresh token per case: logout and token revocation are among the operations.
        token = api_token_issue(user=role_user, ip="127.0.0.1", user_agent="schemathesis")
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            first = str(exc).strip().splitlines()[:12]
            body = str(case.body)[:120] if case.body is not None else ""
            failures.append(
                f"{operation.label} → {response.status_code}: "
                f"path={case.path_parameters} query={case.query} body={body}\n    " + "\n    ".join(first)
            )

    check()


@contextmanager
def _connections_kept_open():
    """Keep the test transaction's connection across requests, as Django's own test client does.

    A WSGI request ends with `close_old_connections`, which drops a connection whose autocommit
    differs from the settings, i.e. every connection inside the test's transaction. SQLite's
    in-memory test database ignores the close; PostgreSQL's connection really closes and the next
    query fails with "the connection is closed". django.test.client.ClientHandler disconnects the
    same receivers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(role_user) -> tuple[int, int, list[str]]:
    """Run every operation as `role_user`; return (operations, cases, failures)."""
    from django.core.wsgi import get_wsgi_application

    failures: list[str] = []
    operations = 0
    counter = [0]
    started = time.monotonic()
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        for result in schema.get_all_operations():
            try:
                operation = result.ok()
            except Exception as exc:  # an unreadable operation is a failure, not a skip
                failures.append(f"schema: {exc}")
                continue
            operations += 1
            _check_operation(operation, role_user, failures, counter)
    elapsed = time.monotonic() - started
    print(f"{operations} operations, {counter[0]} cases in {elapsed:.1f} s")
    return operations, counter[0], failures


@pytest.mark.parametrize("role", ["county_staff", "deputy"])
def test_schemathesis_finds_no_server_error_and_no_schema_break(role, users, deputies):
    operations, cases, failures = _run(users[role])
    assert operations >= 20, f"only {operations} operations read from the schema"
    assert cases >= operations, f"{cases} cases for {operations} operations"
    print(f"schemathesis as {role}: {operations} operations, {cases} cases, {len(failures)} failures")
    assert not failures, f"{len(failures)} failures as {role}:\n" + "\n".join(failures)


def test_openapi_documents_the_shared_error_answers(client, db):
    """Every operation lists 404 and 422 in the error shape; writes list 409; those needing a
    credential list 401 (the token exchange, open to all, still documents its own 401)."""
    spec = client.get("/api/v1/openapi.json").json()
    assert "ErrorOut" in spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"404", "422"} <= codes, f"{method.upper()} {path}: {sorted(codes)}"
            if method != "get":
                assert "409" in codes, f"{method.upper()} {path}: {sorted(codes)}"
            if operation.get("security"):
                assert "401" in codes, f"{method.upper()} {path}: {sorted(codes)}"
            ref = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut")
