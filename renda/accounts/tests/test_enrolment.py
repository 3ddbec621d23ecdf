"""Issue 13 §1: the first authenticator is bound only with a one-time enrolment code issued by the
security administrator, so a stolen initial password alone cannot enrol the thief's phone."""

import datetime
import io

import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.accounts.models import EnrolmentCode
from renda.accounts.services import enrolment_code_issue
from renda.audit.models import AuditEntry
from renda.conftest import PASSWORD


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def _later(seconds=5):
    return time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=seconds), tick=False
    )


@override_settings(RENDA_REQUIRE_2FA=True)
def test_password_alone_cannot_enrol(users, client):
    client.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    page = client.get("/accounts/two-factor/")
    assert "绑定码" in page.content.decode()
    device = TOTPDevice.objects.get(user=users["county_staff"], confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert response.status_code == 400 and "绑定码" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=users["county_staff"], confirmed=True).exists()
    # A made-up code is refused too, and audited.
    response = client.post("/accounts/two-factor/", {"token": _code(device), "enrolment_code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert AuditEntry.objects.filter(action="auth.2fa_setup", outcome="failure").exists()


def test_security_admin_issues_a_code_that_works_once(users, client):
    client.force_login(users["security"])
    response = client.post("/accounts/security/enrolment/", {"username": "county_staff"})
    assert response.status_code == 200
    code = response.context["enrolment_code"]
    assert code and code in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.2fa_enrolment_code", actor_username="security").exists()
    assert code not in str(list(AuditEntry.objects.values_list("detail", "changes")))
    client.logout()

    with override_settings(RENDA_REQUIRE_2FA=True):
        client.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
        client.get("/accounts/two-factor/")
        device = TOTPDevice.objects.get(user=users["county_staff"], confirmed=False)
        with _later():
            response = client.post(
                "/accounts/two-factor/", {"token": _code(device), "enrolment_code": code.lower()}
            )
        assert response.status_code == 302
        assert client.get("/deputies/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_setup", outcome="success").exists()
    entry = EnrolmentCode.objects.get(user=users["county_staff"])
    assert entry.used_at is not None


def test_code_is_stored_hashed_and_expires(users):
    code = enrolment_code_issue(actor=users["security"], user=users["county_staff"])
    stored = EnrolmentCode.objects.get(user=users["county_staff"])
    assert code.replace("-", "") not in stored.code_hash
    from renda.accounts.services import enrolment_code_check

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=4)):
        assert enrolment_code_check(user=users["county_staff"], code=code) is None
    assert enrolment_code_check(user=users["county_staff"], code=code) is not None


def test_only_the_security_admin_issues_codes(users, client):
    for name in ("admin", "auditor", "county_staff"):
        client.force_login(users[name])
        assert client.post("/accounts/security/enrolment/", {"username": "county_staff"}).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_admin_account_command_prints_an_enrolment_code(db, monkeypatch):
    monkeypatch.setenv("RENDA_ADMIN_PASSWORD", "Strong#Admin2026")
    out = io.StringIO()
    call_command("admin_account", "sec2", "--role", "security_admin", stdout=out)
    assert "绑定码" in out.getvalue()
    assert EnrolmentCode.objects.filter(user__username="sec2", used_at=None).exists()
