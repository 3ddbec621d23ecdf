"""Issue 13 §6: an exact ID or phone search never puts the number in a URL (pages and API),
and the request log scrubs anything shaped like one."""

import logging

import pytest

ID = "520521198003151224"  # 王芳 (renda/conftest.py)
PHONE = "13812345678"


@pytest.mark.parametrize("value", [ID, PHONE, "138 1234 5678"])
def test_page_search_posts_and_redirects_to_a_url_without_the_number(users, deputies, client, value):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/", {"q": value, "order": "stroke"})
    assert response.status_code == 303
    location = response["Location"]
    assert "1224" not in location and "5678" not in location and "find=" in location
    page = client.get(location)
    body = page.content.decode()
    assert "王" in body and "李明" not in body
    # The number is not in the page's own links either (pagination, export, pushed URL).
    assert ID not in body and PHONE not in body


def test_htmx_search_pushes_a_clean_url(users, deputies, client):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/", {"q": ID}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "find=" in response["HX-Push-Url"] and "1224" not in response["HX-Push-Url"]
    assert "王" in response.content.decode()


def test_a_name_search_still_reads_as_a_name(users, deputies, client):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/", {"q": "李明"})
    assert response.status_code == 303 and "q=" in response["Location"]
    assert "李明" in client.get(response["Location"]).content.decode()


def test_a_search_token_belongs_to_its_session(users, deputies, client):
    from django.test import Client

    client.force_login(users["county_staff"])
    location = client.post("/deputies/", {"q": ID})["Location"]
    other = Client()
    other.force_login(users["county_staff"])
    body = other.get(location).content.decode()
    assert "王" not in body.split("deputy-rows", 1)[-1] or "已失效" in body


def test_api_search_by_post_body(users, deputies, client):
    client.force_login(users["county_staff"])
    for payload in ({"id_number": ID}, {"phone": PHONE}):
        response = client.post("/api/v1/deputies/search", payload, content_type="application/json")
        assert response.status_code == 200, response.content
        assert [d["name"] for d in response.json()["items"]] == ["王芳"]
    # An ID number or phone in the query string is refused, naming the field and the POST way.
    response = client.get("/api/v1/deputies", {"q": ID})
    assert response.status_code == 422
    assert response.json()["detail"] == {"field": "q"} and "search" in response.json()["message"]
    # A name in the query string is fine.
    assert client.get("/api/v1/deputies", {"q": "李明"}).json()["count"] == 1


def test_request_log_scrubs_id_and_phone_numbers(caplog):
    from renda.core.logging import ScrubPersonalData

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/deputies/?q={ID}&p={PHONE}",),
        None,
    )
    assert ScrubPersonalData().filter(record) is True
    message = record.getMessage()
    assert ID not in message and PHONE not in message
    assert "520521********1224" in message or "[证件号]" in message
    # Also in preformatted messages and in other numbers' company (dates, ids stay).
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, f"GET /api/v1/deputies?q={ID.lower()} 2026-03-01 id=42", (), None
    )
    ScrubPersonalData().filter(record)
    assert (
        ID not in record.getMessage()
        and "2026-03-01" in record.getMessage()
        and "id=42" in record.getMessage()
    )


def test_logging_config_installs_the_filter():
    from django.conf import settings

    assert "scrub_personal_data" in settings.LOGGING["filters"]
    assert "scrub_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
