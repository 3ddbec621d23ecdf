"""Issue 13 §4: every error under /api/ answers the JSON error shape with a 4xx status and names
the field; out-of-range numbers, NUL bytes and broken multipart bodies never reach the database."""

import pytest

from renda.core.api import api


@pytest.fixture
def staff(users, client):
    client.force_login(users["county_staff"])
    return client


def _shape(response, status, field):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "detail"} and body["message"]
    assert body["detail"] == {"field": field}, body


@pytest.mark.parametrize("year", ["99999", "-5", "0"])
def test_year_out_of_range(staff, year):
    _shape(staff.get("/api/v1/drafts/stats", {"year": year}), 422, "year")


def test_year_in_range_is_fine(staff):
    assert staff.get("/api/v1/drafts/stats", {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999"])
def test_huge_integer_in_query_and_path(staff, value):
    _shape(staff.get("/api/v1/deputies", {"congress": value}), 422, "congress")
    _shape(staff.get(f"/api/v1/deputies/{value.lstrip('-')}"), 422, "path")


def test_huge_integer_in_a_json_body(staff):
    response = staff.post(
        "/api/v1/deputies/contacts",
        {"kind": "x", "deputy_id": 10**30, "method": "x", "occurred_on": "2026-01-01", "topics": "x"},
        content_type="application/json",
    )
    _shape(response, 422, "deputy_id")


def test_nul_byte_in_text_is_refused_not_stored(staff):
    from renda.deputies.models import Contact

    response = staff.post(
        "/api/v1/deputies/contacts",
        {"kind": "x", "deputy_id": 1, "method": "x", "occurred_on": "2026-01-01", "topics": "a\u0000b"},
        content_type="application/json",
    )
    _shape(response, 422, "topics")
    _shape(staff.get("/api/v1/deputies", {"q": "王\x00"}), 422, "q")
    assert not Contact.objects.exists()


def test_multipart_without_boundary(staff):
    response = staff.generic(
        "POST", "/api/v1/deputies/imports", b"--x\r\n", content_type="multipart/form-data"
    )
    _shape(response, 422, "body")


def test_unexpected_error_is_json(staff, monkeypatch):
    from renda.deputies import selectors

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "deputy_list", boom)
    client = staff
    client.raise_request_exception = False
    response = client.get("/api/v1/deputies")
    assert response.status_code == 500 and response.json()["detail"] is None


def test_schema_names_are_unique():
    """Two response classes called RegionOut (or EventOut) would share one schema in OpenAPI."""
    seen = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    for sub in _models(model):
                        name = sub.__name__
                        if sub.__module__.startswith("renda."):
                            assert seen.setdefault(name, sub) is sub, f"{name}: {seen[name]} and {sub}"


def _models(model, found=None):
    found = found if found is not None else []
    if model is None or not hasattr(model, "model_fields") or model in found:
        return found
    found.append(model)
    import typing

    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if hasattr(annotation, "model_fields"):
                _models(annotation, found)
            stack.extend(typing.get_args(annotation))
    return found
