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
    # The message names the field in Chinese; detail keeps the JSON key for the client's code.
    assert set(body) == {"message", "detail"} and body["message"] == "“密码”为必填项"
    assert body["detail"][0]["field"] == "password"
    broken = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert broken.status_code in (400, 422) and "message" in broken.json()


def test_lists_are_paginated_items_and_count(users, deputies, client):
    token = _token(client, "county_staff").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    data = client.get("/api/v1/deputies", {"limit": 1}, headers=auth).json()
    assert set(data) == {"items", "count", "count_estimated", "page", "page_size", "next"}
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


def _is_chinese_sentence(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text) and not any(
        english in text for english in ("Input should", "Field required", "Cannot parse", "valid ")
    )


def test_every_pydantic_error_type_has_a_chinese_message_naming_the_field():
    """All of pydantic-core's error types, with the ctx keys pydantic gives them: Chinese, field named."""
    import typing

    from pydantic_core.core_schema import ErrorType

    from renda.core.api import validation_message

    ctx = {
        "expected": "'director' or 'member'",
        "min_length": 1,
        "max_length": 2,
        "gt": 0,
        "ge": 0,
        "lt": 9,
        "le": 9,
        "max_digits": 12,
        "decimal_places": 2,
        "pattern": "^a$",
        "error": "x",
    }
    types = typing.get_args(ErrorType)
    assert len(types) > 50
    for error_type in types:
        message = validation_message(
            {
                "type": error_type,
                "loc": ("body", "payload", "started_on"),
                "msg": "Input should be x",
                "ctx": ctx,
            }
        )
        assert _is_chinese_sentence(message) or error_type in ("value_error", "assertion_error"), message
        if error_type not in ("json_invalid", "json_type"):
            assert "开始日期" in message and "started_on" not in message, (error_type, message)


def test_api_validation_errors_are_in_chinese_and_all_at_once(users, client):
    """The field report's body: a role not in the list, a date that is no date, a missing field, and a
    body that is not JSON."""
    auth = {"Authorization": f"Bearer {_token(client, 'county_staff').json()['token']}"}
    response = client.post(
        "/api/v1/appointments",
        {"organization_id": 1, "post": "boss", "started_on": "2024-13-01"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 422
    body = response.json()
    messages = {d["field"]: d["message"] for d in body["detail"]}
    assert set(messages) == {"person_name", "post", "started_on"}
    assert messages["person_name"] == "“姓名”为必填项"
    assert messages["post"].startswith("“职务”的取值应为：")
    assert "有效日期" in messages["started_on"]
    assert all(_is_chinese_sentence(m) for m in [body["message"], *messages.values()])
    broken = client.post("/api/v1/appointments", "{not json", content_type="application/json", headers=auth)
    assert broken.status_code == 400 and broken.json()["message"] == "请求内容不是有效的 JSON"


def test_every_api_input_field_has_a_chinese_label():
    """Issue 11 (JSON keys in messages): each field of each InputSchema is named in Chinese in the
    messages — by its Field(title=...) or by renda.core.api.FIELD_LABELS."""
    from renda.core.api import InputSchema, field_label
    from renda.core.tests.test_text import _renda_classes

    missing, checked = [], 0
    for schema in _renda_classes(InputSchema):
        for name, field in schema.model_fields.items():
            checked += 1
            label = field_label(field, name)
            if not label or not any("\u4e00" <= c <= "\u9fff" for c in label):
                missing.append(f"{schema.__module__}.{schema.__qualname__}.{name}")
    assert checked > 100, checked
    assert not missing, missing


def test_a_validation_message_names_the_field_by_its_label_not_its_json_key(users, client):
    """The points API said `ends_on`; every API answer now says the label, nested fields included."""
    from renda.core.api import label_at
    from renda.points.api import RecordIn

    assert label_at(RecordIn, ("occurred_on",)) == "日期"
    auth = {"Authorization": f"Bearer {_token(client, 'county_staff').json()['token']}"}
    response = client.post(
        "/api/v1/appointments",
        {
            "organization_id": 1,
            "person_name": "王芳",
            "post": "member",
            "started_on": "2024-01-01",
            "ended_on": "不是日期",
        },
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == [{"field": "ended_on", "message": body["message"]}]
    assert body["message"].startswith("“结束日期”应为有效日期"), body["message"]
    assert "ended_on" not in body["message"]
