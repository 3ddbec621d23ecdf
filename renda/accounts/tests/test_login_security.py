"""等保 level 3 login rules: lockout, idle and absolute session limits, two factors, password rules."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.accounts.services import user_set_password
from renda.audit.models import AuditEntry
from renda.conftest import PASSWORD
from renda.core.errors import DomainError


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout_are_audited(users, client):
    response = _login(client, "county_staff", PASSWORD)
    assert response.status_code == 302
    client.post("/accounts/logout/")
    actions = list(AuditEntry.objects.filter(actor_username="county_staff").values_list("action", flat=True))
    assert "auth.login" in actions and "auth.logout" in actions


def test_wrong_password_gets_a_clear_message_and_an_audit_record(users, client):
    response = _login(client, "county_staff", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEntry.objects.filter(
        action="auth.login_failed", actor_username="county_staff", outcome="failure"
    ).exists()


def test_lockout_after_five_failures_per_username(users, client):
    for i in range(5):
        _login(client, "county_staff", "wrong", ip=f"10.0.0.{i + 1}")
    # The sixth try, even with the right password and from a new address, is refused.
    response = _login(client, "county_staff", PASSWORD, ip="10.0.1.1")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.lockout", outcome="denied").exists()
    # Another user from another address is not affected.
    assert _login(client, "township_staff", PASSWORD, ip="10.0.2.1").status_code == 302


def test_lockout_after_five_failures_per_ip(users, client):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "wrong", ip="10.9.9.9")
    assert _login(client, "county_staff", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _login(client, "county_staff", PASSWORD, ip="10.9.9.10").status_code == 302


def test_security_admin_lifts_a_lockout(users, client):
    for _ in range(5):
        _login(client, "county_staff", "wrong")
    client.force_login(users["security"])
    page = client.get("/accounts/security/")
    assert "county_staff" in page.content.decode()
    client.post("/accounts/security/", {"username": "county_staff"})
    client.logout()
    assert _login(client, "county_staff", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="security.unlock", actor_username="security").exists()


def test_api_token_lockout(users, client):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "county_staff", "password": "x"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "county_staff", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["message"]


@override_settings(RENDA_IDLE_TIMEOUT_SECONDS=1800)
def test_idle_logout_after_thirty_minutes(users, client):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _login(client, "county_staff", PASSWORD)
        assert client.get("/deputies/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/deputies/").status_code == 200  # activity resets the clock
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/deputies/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get("/deputies/").status_code == 302  # really logged out
    assert AuditEntry.objects.filter(action="auth.idle_logout", actor_username="county_staff").exists()


@override_settings(RENDA_IDLE_TIMEOUT_SECONDS=1800, RENDA_SESSION_MAX_SECONDS=4 * 3600)
def test_absolute_session_limit(users, client):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _login(client, "county_staff", PASSWORD)
        for _ in range(9):  # busy all morning, never idle
            traveller.shift(datetime.timedelta(minutes=25))
            assert client.get("/deputies/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=25))
        assert client.get("/deputies/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.session_expired").exists()


@override_settings(RENDA_REQUIRE_2FA=True)
def test_two_factor_is_enforced_for_staff_when_on(users, client):
    from renda.accounts.services import enrolment_code_issue

    enrolment = enrolment_code_issue(actor=users["security"], user=users["county_staff"])
    _login(client, "county_staff", PASSWORD)
    response = client.get("/deputies/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    # The setup page offers a fresh authenticator; a wrong code is refused.
    assert client.get("/accounts/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=users["county_staff"], confirmed=False)
    assert (
        client.post("/accounts/two-factor/", {"token": "000000", "enrolment_code": enrolment}).status_code
        == 400
    )
    # django-otp throttles after a failure; the user types the right code a little later.
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=5), tick=False
    ):
        code = f"{totp(device.bin_key):06d}"
        response = client.post("/accounts/two-factor/", {"token": code, "enrolment_code": enrolment})
        assert response.status_code == 302
    assert client.get("/deputies/").status_code == 200
    # The API also wants the second factor: a token request without otp is refused.
    response = client.post(
        "/api/v1/auth/token",
        {"username": "county_staff", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 401 and response.json()["detail"] == {"field": "otp"}


@override_settings(RENDA_REQUIRE_2FA=True)
def test_two_factor_not_required_of_deputies(users, deputies, client):
    _login(client, "deputy", PASSWORD)
    assert client.get("/deputies/portal/").status_code == 200


@override_settings(RENDA_REQUIRE_2FA=False)
def test_two_factor_off_in_the_demo(users, client):
    _login(client, "county_staff", PASSWORD)
    assert client.get("/deputies/").status_code == 200


@pytest.mark.parametrize(
    "password, reason",
    [("sh1A!x", "至少"), ("alllowercaseletters", "三类"), ("Renda#2024x", "最近")],
)
def test_password_rules(users, password, reason):
    with pytest.raises(DomainError) as info:
        user_set_password(user=users["county_staff"], password=password)
    assert reason in info.value.message or info.value.field == "password"


def test_password_history_blocks_reuse(users):
    user = users["county_staff"]
    user_set_password(user=user, password="Second#Pass2026")
    user_set_password(user=user, password="Third#Pass2026")
    with pytest.raises(DomainError, match="最近"):
        user_set_password(user=user, password="Renda#2024x")
    assert AuditEntry.objects.filter(action="user.password_change", object_id=str(user.pk)).count() == 2


def test_csrf_forgery_is_refused(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county_staff"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
