"""The opinions and legislation demo seeders: every opinion state, a draft with opinions, idempotent."""

import io
from collections import Counter

import pytest

from renda.network.models import Station
from renda.opinions import demo
from renda.opinions.models import Opinion
from renda.organizations.models import Organization


@pytest.fixture
def demo_world(regions, users, deputies, unit_org):
    for name in ("县卫生健康局", "县住房和城乡建设局"):
        Organization.objects.create(name=name, kind=Organization.Kind.HANDLING_UNIT, region=regions["county"])
    township = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    Station.objects.create(
        name="新塘社区代表联络室", kind="village_room", region=regions["village"], parent=township
    )
    Station.objects.create(name="九驿街道人大代表联络站", kind="township_station", region=regions["jiuyi"])
    legislative = Station.objects.create(
        name="大方县基层立法联络站", kind="legislative_station", region=regions["jiuyi"]
    )
    Station.objects.create(
        name="黄泥塘镇基层立法联络室",
        kind="legislative_room",
        region=regions["huangnitang"],
        parent=legislative,
    )
    from renda.network.models import StationKeeper

    StationKeeper.objects.create(station=township, user=users["station_keeper"])


def test_opinion_demo_has_every_state_and_runs_twice(demo_world):
    out = io.StringIO()
    demo.seed(stdout=out)
    states = Counter(Opinion.objects.values_list("state", flat=True))
    assert set(states) == set(Opinion.State.values)
    assert "群众意见：新增" in out.getvalue()
    count = Opinion.objects.count()
    merged = Opinion.objects.get(state="merged")
    assert merged.merged_into.title == "通组路路面破损"
    # Steps were spread back in time and keep their order.
    for opinion in Opinion.objects.all():
        times = list(opinion.events.order_by("id").values_list("occurred_at", flat=True))
        assert times == sorted(times) and times[0] == opinion.received_at
    demo.seed(stdout=io.StringIO())
    assert Opinion.objects.count() == count


def test_legislation_demo_makes_one_draft_with_opinions(demo_world):
    from renda.legislation import demo as legislation_demo
    from renda.legislation.models import Draft, DraftOpinion

    legislation_demo.seed(stdout=io.StringIO())
    draft = Draft.objects.get()
    assert draft.is_open and draft.articles.count() == 9 and draft.distributions.count() == 2
    by_station = Counter(DraftOpinion.objects.values_list("station__name", flat=True))
    assert by_station == {"大方县基层立法联络站": 3, "黄泥塘镇基层立法联络室": 3}
    assert DraftOpinion.objects.filter(adoption="adopted").count() == 3
    legislation_demo.seed(stdout=io.StringIO())
    assert Draft.objects.count() == 1 and DraftOpinion.objects.count() == 6
