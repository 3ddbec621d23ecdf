"""Suggestions store their region's county and township keys (renda/regions/keys.py, issue 15 §4)."""

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from renda.core.access import scope_queryset
from renda.regions.keys import region_keys_backfill, region_keys_drift
from renda.suggestions.models import Assignment, Suggestion


def test_suggestions_are_keyed_and_scoped_by_their_keys(make, regions, users, settings):
    settings.RENDA_SCOPE_BY_REGION_KEYS = True
    village = make("assigned", region=regions["village"])
    county = make("submitted", region=regions["county"])
    assert (village.county_code, village.township_code) == ("520521", "520521105")
    assert (county.county_code, county.township_code) == ("520521", "")
    assert region_keys_drift(Suggestion) == []
    for model, path in ((Suggestion, "region__path"), (Assignment, "suggestion__region__path")):
        for user in (users["county_staff"], users["township_staff"]):
            by_keys = set(scope_queryset(model.objects.all(), user).values_list("pk", flat=True))
            by_path = set(
                model.objects.filter(Q(**{f"{path}__startswith": user.region.path})).values_list(
                    "pk", flat=True
                )
            )
            assert by_keys == by_path, (model, user.username)


def test_the_backfill_keys_every_suggestion_in_one_update(make, regions):
    make("draft", region=regions["village"])
    make("draft", region=regions["county"])
    Suggestion.objects.update(county_code="", township_code="")
    with CaptureQueriesContext(connection) as queries:
        region_keys_backfill(Suggestion, connection=connection)
    assert len(queries.captured_queries) == 1
    assert region_keys_drift(Suggestion) == []
