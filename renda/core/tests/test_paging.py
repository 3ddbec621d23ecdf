"""Paging that stays cheap (issue 15 §4): the API's page_size honoured and bounded on every list,
counts estimated above a threshold (PostgreSQL), and an elided page range in the pager."""

import re

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory

from renda.core.paging import Paginator, count_or_estimate
from renda.deputies.models import Deputy


def test_page_size_is_honoured_paged_and_bounded(users, deputies, login):
    client = login(users["county_staff"])
    first = client.get("/api/v1/deputies", {"page_size": 1}).json()
    second = client.get("/api/v1/deputies", {"page_size": 1, "page": 2}).json()
    assert first["page_size"] == 1 and len(first["items"]) == 1 and first["count"] == 2
    assert second["page"] == 2 and len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert len(client.get("/api/v1/deputies", {"page": 3, "page_size": 1}).json()["items"]) == 0
    # The default, and the legacy limit/offset.
    assert client.get("/api/v1/deputies").json()["page_size"] == 100
    assert client.get("/api/v1/deputies", {"limit": 1, "offset": 1}).json()["items"] == second["items"]
    for bad in ({"page_size": 201}, {"page_size": 0}, {"page": 0}, {"limit": 500}):
        refused = client.get("/api/v1/deputies", bad)
        assert refused.status_code == 422, bad
        # The message names the field by its label (每页条数 …); the JSON key stays in detail[].field.
        assert next(iter(bad)) in {item["field"] for item in refused.json()["detail"]}, refused.json()


def test_every_api_list_takes_page_and_page_size(users, deputies, login):
    """Each paginated GET without path parameters: page_size=1 gives at most one item, 201 is refused."""
    client = login(users["county_staff"])
    schema = client.get("/api/v1/openapi.json").json()
    lists = [
        path
        for path, ops in schema["paths"].items()
        if "get" in ops
        and "{" not in path
        and {p["name"] for p in ops["get"].get("parameters", [])} >= {"page", "page_size"}
    ]
    assert len(lists) >= 10, lists
    for path in lists:
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        refused = client.get(url, {"page_size": 201})
        assert refused.status_code in (422, 404), (path, refused.status_code)
        answer = client.get(url, {"page_size": 1})
        if answer.status_code == 200:
            data = answer.json()
            assert data["page_size"] == 1 and len(data["items"]) <= 1, path


def test_counts_exact_below_the_threshold_and_estimated_above_on_postgresql(users, deputies):
    everyone = Deputy.objects.all()
    assert count_or_estimate(everyone, exact_up_to=10) == (2, False)
    count, estimated = count_or_estimate(everyone, exact_up_to=1)
    if connection.vendor == "postgresql":
        assert estimated and count >= 2  # the planner's figure, never below the threshold + 1
    else:
        assert (count, estimated) == (2, False)


def test_the_api_and_the_pager_say_when_a_count_is_an_estimate(users, deputies, login, settings):
    settings.RENDA_COUNT_EXACT_UP_TO = 1
    client = login(users["county_staff"])
    data = client.get("/api/v1/deputies").json()
    page = client.get("/deputies/").content.decode()
    if connection.vendor == "postgresql":
        assert data["count_estimated"] is True and "约 " in page
    else:
        assert data == data | {"count": 2, "count_estimated": False} and "共 2 条" in page


def test_the_pager_elides_page_numbers():
    page = Paginator(list(range(100_000)), 10).get_page(5000)
    html = render_to_string(
        "components/_pagination.html", {"page": page, "request": RequestFactory().get("/x/")}
    )
    numbers = re.findall(r"page=(\d+)\"", html)
    assert set(numbers) >= {"1", "4999", "5001", "10000"}
    assert len(html) < 5000 and html.count("pager__gap") == 2
    assert "共 100000 条" in html
