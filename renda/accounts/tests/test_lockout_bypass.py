"""Issue 13 §1: a success clears only the failures of the account that succeeded.

The attack: with an account of their own, someone guesses another account's password four times,
then logs in as themselves from the same address, and repeats. If a success cleared every failure
of the address, the target would never be locked.
"""

import pytest

from renda.conftest import PASSWORD


def _html(client, username, password, ip):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _api(client, username, password, ip):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _ok(path, response) -> bool:
    return response.status_code == (302 if path is _html else 200)


@pytest.mark.parametrize("path", [_html, _api], ids=["html", "token"])
def test_own_success_does_not_clear_the_targets_failures(users, client, path):
    ip = "10.7.7.7"
    for _ in range(4):
        path(client, "county_staff", "wrong", ip)
    # The attacker's own success from the same address …
    assert _ok(path, path(client, "deputy", PASSWORD, ip))
    client.logout()
    # … leaves the target's four failures in place: one more locks the target everywhere.
    path(client, "county_staff", "wrong", "10.7.7.8")
    response = path(client, "county_staff", PASSWORD, "10.9.9.9")
    assert response.status_code == 429


@pytest.mark.parametrize("path", [_html, _api], ids=["html", "token"])
def test_repeated_bypass_locks_the_address(users, client, path):
    """The issue's reproduction: 4 failures + own success, three times, from one address."""
    ip = "10.7.7.9"
    for round_ in range(3):
        for _ in range(4):
            path(client, "county_staff", "wrong", ip)
        response = path(client, "deputy", PASSWORD, ip)
        client.logout()
        if round_ == 0:
            assert _ok(path, response)
    # Twelve failures: the target is locked, and so is the address (per-address limit holds).
    assert path(client, "county_staff", PASSWORD, "10.1.1.1").status_code == 429
    assert path(client, "township_staff", PASSWORD, ip).status_code == 429


@pytest.mark.parametrize("path", [_html, _api], ids=["html", "token"])
def test_success_clears_the_accounts_own_failures(users, client, path):
    for _ in range(4):
        path(client, "county_staff", "wrong", "10.3.3.3")
    assert _ok(path, path(client, "county_staff", PASSWORD, "10.3.3.3"))
    client.logout()
    for _ in range(4):
        path(client, "county_staff", "wrong", "10.3.3.4")
    assert _ok(path, path(client, "county_staff", PASSWORD, "10.3.3.4"))
