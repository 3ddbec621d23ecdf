"""Who sees which opinions: region for offices, station for keepers, own for deputies, referred for units."""

import pytest

from renda.audit.models import AuditEntry
from renda.opinions import selectors
from renda.opinions.models import Opinion


@pytest.fixture
def spread(make_opinion, deputies, unit_org):
    return {
        "township": make_opinion(title="镇联络站的意见"),
        "village": make_opinion(station="village", title="村联络室的意见"),
        "jiuyi": make_opinion(station="jiuyi", title="九驿的意见"),
        "heard": make_opinion(station=None, deputy=deputies["wang"], title="王芳代表听到的意见"),
        "referred": make_opinion(Opinion.State.REFERRED, station="jiuyi", title="转交交通局的意见"),
    }


EXPECTED = {
    "county_staff": {"township", "village", "jiuyi", "heard", "referred"},
    "leader": {"township", "village", "jiuyi", "heard", "referred"},
    "township_staff": {"township", "village", "heard"},
    "jiuyi_staff": {"jiuyi", "referred"},
    "station_keeper": {"township"},
    "village_keeper": {"village"},
    "deputy": {"heard"},
    "unit": {"referred"},
    "admin": set(),
    "security": set(),
    "auditor": set(),
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_scoping_per_role_in_list_detail_and_api(username, spread, users, stations, client):
    user = stations["village_keeper"] if username == "village_keeper" else users[username]
    names = {v.pk: k for k, v in spread.items()}
    assert {names[o.pk] for o in selectors.opinion_list(user=user)} == EXPECTED[username]

    client.force_login(user)
    api = client.get("/api/v1/opinions")
    may_view = username not in ("admin", "security", "auditor")
    if may_view:
        assert api.status_code == 200
        assert {names[i["id"]] for i in api.json()["items"]} == EXPECTED[username]
        assert api.json()["count"] == len(EXPECTED[username])
    else:
        assert api.status_code == 404
    for key, opinion in spread.items():
        html = client.get(f"/opinions/{opinion.pk}/")
        detail = client.get(f"/api/v1/opinions/{opinion.pk}")
        expected = 200 if key in EXPECTED[username] else 404
        assert (html.status_code, detail.status_code) == (expected, expected), (username, key)
    denied = len(spread) - len(EXPECTED[username])
    assert (
        AuditEntry.objects.filter(action="access.denied", actor_username=user.username).count() >= 2 * denied
    )


def test_filters(spread, users):
    county = users["county_staff"]
    assert [o.title for o in selectors.opinion_list(user=county, state="referred")] == ["转交交通局的意见"]
    assert [o.title for o in selectors.opinion_list(user=county, channel="deputy")] == ["王芳代表听到的意见"]
    assert selectors.opinion_list(user=county, q="九驿").count() == 1
    assert selectors.opinion_list(user=county, station_id=spread["village"].station_id).count() == 1
    year = spread["township"].received_at.year
    assert selectors.opinion_list(user=county, year=year).count() == 5
    assert selectors.opinion_list(user=county, year=year - 1).count() == 0


def test_merge_candidates_stay_in_the_township_and_in_scope(spread, users, make_opinion):
    merged = make_opinion(Opinion.State.MERGED, title="已合并的")
    candidates = selectors.merge_candidates(user=users["county_staff"], opinion=spread["township"])
    titles = {o.title for o in candidates}
    assert "九驿的意见" not in titles and "已合并的" not in titles and "镇联络站的意见" not in titles
    assert {"村联络室的意见", "王芳代表听到的意见"} <= titles and merged.merged_into.title in titles
    keeper = selectors.merge_candidates(user=users["station_keeper"], opinion=spread["township"])
    assert "村联络室的意见" not in {o.title for o in keeper}


def test_tracking_lookup_needs_the_exact_code(spread):
    opinion = spread["township"]
    code = opinion.tracking_code
    assert selectors.opinion_track(code=code.lower()) == opinion
    assert selectors.opinion_track(code=f"{code[:5]}-{code[5:]}") == opinion
    assert selectors.opinion_track(code=code[:9]) is None
    assert selectors.opinion_track(code="") is None


def test_merge_candidates_keep_the_limit_and_can_be_filtered(spread, users, make_opinion):
    for i in range(3):
        make_opinion(title=f"重复{i}")
    candidates = selectors.merge_candidates(user=users["county_staff"], opinion=spread["township"], limit=2)
    assert len(candidates) == 2
    # A form field validates a choice by filtering its queryset: this must work and keep the limit.
    chosen = next(iter(candidates))
    assert candidates.filter(pk=chosen.pk).get() == chosen
    assert not candidates.filter(pk=spread["township"].pk).exists()
