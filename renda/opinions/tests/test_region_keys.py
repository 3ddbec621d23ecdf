"""Opinions store their region's county and township keys (renda/regions/keys.py, issue 15 §4): county
and township users' lists filter on them, with the same rows as the region path."""

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from renda.conftest import make_region
from renda.core.access import scope_queryset
from renda.network.models import Station
from renda.opinions.models import Opinion
from renda.regions.keys import region_keys_backfill, region_keys_drift


def _opinions(make_opinion, stations, regions):
    far = Station.objects.create(
        name="市西街道人大代表联络站",
        kind=Station.Kind.TOWNSHIP_STATION,
        region=make_region("520502001", "市西街道", "township", regions["other_county"]),
    )
    stations["far"] = far
    return [make_opinion(station=name) for name in ("township", "village", "jiuyi", "far")]


def test_opinions_are_keyed_and_scoped_by_their_keys(make_opinion, stations, regions, users, settings):
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    township, village, jiuyi, far = _opinions(make_opinion, stations, regions)
    assert (village.county_code, village.township_code) == ("520521", "520521105")
    assert (far.county_code, far.township_code) == ("520502", "520502001")
    assert region_keys_drift(Opinion) == []
    for user in users.values():
        if not getattr(user, "region_id", None) or user.role == "station_keeper":
            continue
        by_keys = set(scope_queryset(Opinion.objects.all(), user).values_list("pk", flat=True))
        by_path = set(
            Opinion.objects.filter(Q(region__path__startswith=user.region.path)).values_list("pk", flat=True)
        )
        assert by_keys == by_path, user.username
    county = set(scope_queryset(Opinion.objects.all(), users["county_staff"]).values_list("pk", flat=True))
    assert county == {township.pk, village.pk, jiuyi.pk}


def test_the_backfill_keys_every_opinion_in_one_update(make_opinion, stations, regions):
    _opinions(make_opinion, stations, regions)
    Opinion.objects.update(county_code="x", township_code="y")
    with CaptureQueriesContext(connection) as queries:
        region_keys_backfill(Opinion, connection=connection)
    assert len(queries.captured_queries) == 1
    assert region_keys_drift(Opinion) == []
