"""The site's own 404/403/500 pages, and `make run` (config.settings.dev) showing them: a county clerk
trying the demo meets "页面不存在或您无权访问", not Django's debug page; static files still served."""

import importlib
import uuid

import pytest
from django.test import Client


def test_make_run_settings_show_the_sites_own_error_pages_and_still_serve_static(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    dev = importlib.reload(importlib.import_module("config.settings.dev"))
    assert dev.DEBUG is False  # DEBUG=1 make run brings back the debug pages for developers
    # Static files from the source folders through WhiteNoise, with DEBUG off too.
    assert dev.WHITENOISE_USE_FINDERS is True and dev.STATIC_ROOT is None
    monkeypatch.setenv("DEBUG", "1")
    assert importlib.reload(dev).DEBUG is True


def test_a_missing_object_and_an_unknown_address_show_the_friendly_404(users, client):
    client.force_login(users["county_staff"])
    for url in (f"/jobs/{uuid.uuid4()}/", "/no-such-page/", "/dossier/999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在或您无权访问" in response.content.decode(), url
    assert client.get("/static/css/renda.css").status_code == 200


def test_a_csrf_failure_shows_the_403_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county_staff"])
    response = client.post("/jobs/")
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


@pytest.mark.urls("renda.core.tests.error_urls")
def test_a_server_error_shows_the_500_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500 and "系统繁忙" in body and "a failure" not in body
