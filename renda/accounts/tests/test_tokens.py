"""Issue 13 §1: API tokens end with the session that made them, with a password, role or active
change, after idle time, and whenever their owner revokes them; users list their own tokens."""

import datetime

import time_machine
from django.test import Client, override_settings

from renda.accounts.models import ApiToken
from renda.accounts.services import user_set_password, user_update
from renda.audit.models import AuditEntry
from renda.conftest import PASSWORD


def _token(client, username="county_staff", ip="10.0.0.1"):
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_token_endpoint_logout_revokes_that_token(users, client):
    token = _token(client)
    other = _token(client)
    response = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    assert _me(client, token) == 401
    assert _me(client, other) == 200
    assert AuditEntry.objects.filter(action="auth.token_revoke", actor_username="county_staff").exists()


def test_page_logout_revokes_the_tokens_the_session_issued(users):
    browser = Client()
    browser.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    issued_in_session = _token(browser)
    elsewhere = _token(Client())
    browser.post("/accounts/logout/")
    api = Client()
    assert _me(api, issued_in_session) == 401
    assert _me(api, elsewhere) == 200


def test_password_change_revokes_every_session_and_token(users):
    user = users["county_staff"]
    other_browser = Client()
    other_browser.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    assert other_browser.get("/deputies/").status_code == 200
    token = _token(Client())
    user_set_password(user=user, password="Another#Pass2026")
    assert _me(Client(), token) == 401
    assert other_browser.get("/deputies/").status_code == 302  # the other session is gone


def test_own_password_change_keeps_this_session_only(users):
    here, there = Client(), Client()
    for c in (here, there):
        c.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Another#Pass2026", "new_password2": "Another#Pass2026"},
    )
    assert response.status_code == 302
    assert here.get("/deputies/").status_code == 200
    assert there.get("/deputies/").status_code == 302


def test_role_change_and_deactivation_revoke_sessions_and_tokens(users, regions):
    user = users["township_staff"]
    browser = Client()
    browser.post("/accounts/login/", {"username": "township_staff", "password": PASSWORD})
    token = _token(Client(), "township_staff")
    user_update(actor=users["admin"], user=user, data={"role": "station_keeper"})
    assert _me(Client(), token) == 401
    assert browser.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.revoke_all", object_id=str(user.pk)).exists()

    browser.post("/accounts/login/", {"username": "township_staff", "password": PASSWORD})
    token = _token(Client(), "township_staff")
    user_update(actor=users["admin"], user=user, data={"is_active": False})
    assert _me(Client(), token) == 401
    assert browser.get("/").status_code == 302
    assert ApiToken.objects.filter(user=user, revoked=False).count() == 0


def test_unrelated_change_keeps_sessions(users):
    user = users["township_staff"]
    browser = Client()
    browser.post("/accounts/login/", {"username": "township_staff", "password": PASSWORD})
    user_update(actor=users["admin"], user=user, data={"full_name": "新名字"})
    assert browser.get("/").status_code == 200


@override_settings(RENDA_API_TOKEN_IDLE_SECONDS=1800, RENDA_API_TOKEN_HOURS=12)
def test_token_idle_expiry(users, client):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        token = _token(client)
        traveller.shift(datetime.timedelta(minutes=29))
        assert _me(client, token) == 200  # use resets the idle clock
        traveller.shift(datetime.timedelta(minutes=29))
        assert _me(client, token) == 200
        traveller.shift(datetime.timedelta(minutes=31))
        assert _me(client, token) == 401


def test_user_lists_and_revokes_own_tokens_through_the_api(users, client):
    first = _token(client, ip="10.1.1.1")
    second = _token(client, ip="10.1.1.2")
    _token(client, "township_staff")
    auth = {"Authorization": f"Bearer {first}"}
    listed = client.get("/api/v1/auth/tokens", headers=auth).json()
    assert listed["count"] == 2
    item = next(i for i in listed["items"] if i["created_ip"] == "10.1.1.2")
    assert item["current"] is False and "key_hash" not in item
    assert next(i for i in listed["items"] if i["created_ip"] == "10.1.1.1")["current"] is True
    assert client.delete(f"/api/v1/auth/tokens/{item['id']}", headers=auth).status_code == 204
    assert _me(client, second) == 401
    # Another user's token is "not found".
    theirs = ApiToken.objects.get(user=users["township_staff"])
    assert client.delete(f"/api/v1/auth/tokens/{theirs.pk}", headers=auth).status_code == 404
    assert _me(client, first) == 200


def test_user_lists_and_revokes_own_tokens_on_a_page(users, client):
    token = _token(client)
    client.force_login(users["county_staff"])
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and "10.0.0.1" in page.content.decode()
    pk = ApiToken.objects.get(user=users["county_staff"]).pk
    assert client.post(f"/accounts/tokens/{pk}/revoke/").status_code == 302
    assert _me(Client(), token) == 401
    client.force_login(users["township_staff"])
    assert client.post(f"/accounts/tokens/{pk}/revoke/").status_code == 404
