"""Issue 13 §10: a user creates or changes mandates only for the congresses their jurisdiction
keeps — county staff the county's congress and its townships', a township clerk that township's
congress — in forms, import and API alike. A grid of roles × congress levels."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.errors import DomainError
from renda.deputies.services import congress_create, deputy_create, mandate_create, mandate_transition
from renda.deputies.tests.conftest import workbook_bytes

START = datetime.date(2021, 12, 28)

# congress key -> roles (usernames) that keep it
KEEPERS = {
    "province": set(),
    "city": set(),
    "county": {"county_staff"},
    "huangnitang": {"county_staff", "township_staff"},
    "jiuyi": {"county_staff", "jiuyi_staff"},
}
ROLES = ["county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader", "deputy", "admin"]


@pytest.fixture
def levels(regions):
    return {
        "province": congress_create(level="provincial", region=regions["province"], term=13, starts_on=START),
        "city": congress_create(level="city", region=regions["city"], term=5, starts_on=START),
        "county": congress_create(level="county", region=regions["county"], term=18, starts_on=START),
        "huangnitang": congress_create(
            level="township", region=regions["huangnitang"], term=17, starts_on=START
        ),
        "jiuyi": congress_create(level="township", region=regions["jiuyi"], term=17, starts_on=START),
    }


@pytest.fixture
def person(regions):
    return deputy_create(name="赵六", gender="male", region=regions["huangnitang"])


@pytest.mark.parametrize("congress_key", list(KEEPERS))
@pytest.mark.parametrize("username", ROLES)
def test_service_grid(users, levels, person, username, congress_key):
    actor = users[username]
    if username in KEEPERS[congress_key]:
        mandate = mandate_create(actor=actor, deputy=person, congress=levels[congress_key])
        mandate_transition(
            actor=actor,
            mandate=mandate,
            to_status="resigned",
            occurred_on=datetime.date(2023, 1, 1),
            reason="辞职",
        )
    else:
        with pytest.raises(DomainError) as info:
            mandate_create(actor=actor, deputy=person, congress=levels[congress_key])
        assert info.value.field == "congress"
        # Nor change one that someone entitled created.
        mandate = mandate_create(deputy=person, congress=levels[congress_key])
        with pytest.raises(DomainError):
            mandate_transition(
                actor=actor,
                mandate=mandate,
                to_status="resigned",
                occurred_on=datetime.date(2023, 1, 1),
                reason="辞职",
            )


@pytest.mark.parametrize("username", ["county_staff", "township_staff", "jiuyi_staff"])
def test_form_offers_only_kept_congresses(users, levels, username):
    from renda.deputies.views import _mandate_add_form

    form = _mandate_add_form(users[username])
    offered = {label for value, label in form.fields["congress"].choices if value}
    expected = {levels[k].name for k, keepers in KEEPERS.items() if username in keepers}
    assert offered == expected


@pytest.mark.parametrize("username", ["county_staff", "township_staff"])
def test_form_post_of_a_congress_above_is_refused(users, levels, person, client, username):
    client.force_login(users[username])
    response = client.post(f"/deputies/{person.pk}/mandates/", {"mandate-congress": levels["city"].pk})
    assert response.status_code in (400, 404)
    assert not person.mandates.exists()


@pytest.mark.parametrize("congress_key", list(KEEPERS))
@pytest.mark.parametrize("username", ["county_staff", "township_staff"])
def test_import_through_the_api_grid(users, levels, client, username, congress_key):
    client.force_login(users[username])
    upload = SimpleUploadedFile(
        "roster.xlsx",
        workbook_bytes([["姓名", "性别"], ["赵六", "男"]]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = client.post("/api/v1/deputies/imports", {"congress": levels[congress_key].pk, "file": upload})
    if username in KEEPERS[congress_key]:
        assert response.status_code == 202, response.content
    else:
        assert response.status_code in (400, 422)
        assert response.json()["detail"] == {"field": "congress"}


def test_import_page_offers_only_kept_congresses(users, levels, client):
    """The upload form's congress is a search picker (issue 15 §4): its search offers the township's own
    congress and none of the others, which the page no longer lists at all."""
    client.force_login(users["township_staff"])
    page = client.get("/deputies/imports/new/").content.decode()
    assert 'hx-get="/pick/kept-congress/"' in page

    def offered(key):
        name = levels[key].name
        found = client.get("/pick/kept-congress/", {"q": name, "field": "congress"}).content.decode()
        return f"> {name}</label>" in found  # a result, not the "没有找到" echo of the query

    assert offered("huangnitang")
    for key in ("province", "city", "county", "jiuyi"):
        assert levels[key].name not in page
        assert not offered(key), key
