"""The figures kept per county (RegionFigures, issue 15 §4): a city's or the province's dashboard reads
them instead of counting every mandate, suggestion and opinion on each request, and they equal the
live count exactly."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.core.periodic import periodic_jobs
from renda.opinions.models import Opinion
from renda.rollup import selectors
from renda.rollup.models import RegionFigures
from renda.rollup.tests.test_rollup import province  # noqa: F401 (the fixture)
from renda.suggestions.models import Suggestion

SCANNED = (
    "deputies_mandate",
    "suggestions_suggestion",
    "opinions_opinion",
    "network_station",
    "activities_activity",
)


def _figures(result: dict) -> tuple:
    rows = sorted((r["region"].code if r["region"] else "", r) for r in result["rows"])
    return [(code, {k: v for k, v in r.items() if k != "region"}) for code, r in rows], result["total"]


def _live(user, region, year, settings):
    settings.RENDA_ROLLUP_STORED = False
    try:
        return selectors.rollup(user=user, region=region, year=year)
    finally:
        settings.RENDA_ROLLUP_STORED = True


@pytest.mark.parametrize("who", ["province_staff", "city_staff", "city_leader"])
def test_kept_figures_equal_the_live_count(who, province, regions, settings):  # noqa: F811
    user = province[who]
    this_year = timezone.localdate().year
    # Dated figures in two years: the kept rows split them by year as the page's year filter does.
    last_year = timezone.now().replace(year=this_year - 1)
    Opinion.objects.filter(pk=Opinion.objects.order_by("pk").first().pk).update(created_at=last_year)
    Suggestion.objects.filter(pk=province["qixing"].pk).update(submitted_at=last_year)
    places = [regions["city"]]
    if who == "province_staff":
        places += [regions["province"], province["guiyang"]]
    live = {
        (region.code, year): _live(user, region, year, settings)
        for region in places
        for year in (None, this_year, this_year - 1)
    }
    assert selectors.figures_refresh() > 0
    for (code, year), expected in live.items():
        region = next(r for r in places if r.code == code)
        kept = selectors.rollup(user=user, region=region, year=year)
        assert kept["as_of"] is not None and expected["as_of"] is None
        assert _figures(kept) == _figures(expected), (code, year)


def test_the_dashboard_reads_no_row_table_once_figures_are_kept(
    province,  # noqa: F811
    client,
    django_assert_max_num_queries,
):
    call_command("rollup_refresh")
    client.force_login(province["province_staff"])
    client.get("/rollup/")  # warm the session
    for path in ("/rollup/", "/rollup/5205/", "/api/v1/rollup/52", "/rollup/5205/rollup.xlsx"):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(10):
            page = client.get(path)
        assert page.status_code == 200, path
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert not [table for table in SCANNED if table in sql], path
    page = client.get("/rollup/")
    assert "数据截至" in page.content.decode()
    rows = {r["region"].name: r for r in page.context["result"]["rows"]}
    assert rows["毕节市"]["deputies"] == {"provincial": 0, "city": 1, "county": 3, "township": 0}
    assert rows["毕节市"]["opinions"] == 2 and rows["贵阳市"]["opinions"] == 1


def test_a_county_dashboard_and_an_unrefreshed_one_count_live(province, client):  # noqa: F811
    client.force_login(province["province_staff"])
    page = client.get("/rollup/")
    assert page.context["result"]["as_of"] is None and "数据截至" not in page.content.decode()
    selectors.figures_refresh()
    county = client.get("/rollup/520521/")
    assert county.context["result"]["as_of"] is None
    towns = {r["region"].name: r for r in county.context["result"]["rows"] if r["region"]}
    assert towns["黄泥塘镇"]["received"] == 1


def test_the_refresh_replaces_every_row_and_is_a_periodic_job(province):  # noqa: F811
    assert "rollup_refresh" in {job.target for job in periodic_jobs()}
    first = selectors.figures_refresh()
    assert selectors.figures_refresh() == first == RegionFigures.objects.count()
    assert RegionFigures.objects.filter(path="52/5205/520521/", year=0).exists()
