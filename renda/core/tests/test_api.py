"""The API contract: OpenAPI document, bearer tokens, one error shape, {items, count}."""

import json

from openapi_spec_validator import validate

from renda.conftest import PASSWORD


def _token(client, username, password=PASSWORD):
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    return response


def test_openapi_document_is_valid(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert "/api/v1/auth/token" in spec["paths"] and "/api/v1/me" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_token_then_bearer_me(users, client):
    response = _token(client, "township_staff")
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["username"] == "township_staff" and me["roles"] == ["township_staff"]
    assert me["region"] == {"code": "520521105", "name": "黄泥塘镇", "level": "township"}
    assert "deputies.view" in me["permissions"]


def test_bad_credentials_and_bad_tokens(users, client):
    assert _token(client, "township_staff", "nope").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and response.json()["message"] == "未登录或令牌无效"
    assert client.get("/api/v1/me").status_code == 401


def test_malformed_body_names_the_field(client, db):
    response = client.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"message", "detail"} and "password" in body["message"]
    assert body["detail"][0]["field"] == "password"
    broken = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert broken.status_code in (400, 422) and "message" in broken.json()


def test_lists_are_paginated_items_and_count(users, deputies, client):
    token = _token(client, "county_staff").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    data = client.get("/api/v1/deputies", {"limit": 1}, headers=auth).json()
    assert set(data) == {"items", "count", "count_estimated", "page", "page_size"}
    assert data["count"] == 2 and len(data["items"]) == 1 and data["count_estimated"] is False
    assert client.get("/api/v1/deputies", {"limit": 0}, headers=auth).status_code == 422


def test_session_api_calls_need_csrf_for_writes(users, deputies):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county_staff"])
    response = client.post(f"/api/v1/deputies/{deputies['wang'].pk}/reveal/phone")
    assert response.status_code in (401, 403)


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ok"
