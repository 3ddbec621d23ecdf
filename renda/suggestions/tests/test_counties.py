"""Two counties side by side in one deployment (issue 15 §1): numbers per congress, units and deputies
of the suggestion's own county only — offered by the forms and enforced by the services."""

import threading

import pytest
from django.db import connection

from renda.accounts.services import user_create
from renda.conftest import PASSWORD, make_region
from renda.core.access import Role
from renda.core.errors import DomainError
from renda.deputies.services import congress_create, deputy_create, mandate_create
from renda.organizations.models import Organization
from renda.suggestions import services
from renda.suggestions.models import Assignment, State, Suggestion, SuggestionCounter

from . import factories


@pytest.fixture
def qixing(regions, deputies):
    """七星关区 beside 大方县: its own 18th congress, a deputy, staff, and a namesake 县交通运输局."""
    county = regions["other_county"]
    town = make_region("520502001", "市西街道", "township", county)
    congress = congress_create(level="county", region=county, term=18)
    unit = Organization.objects.create(
        name="县交通运输局", kind=Organization.Kind.HANDLING_UNIT, region=county
    )
    deputy_user = user_create(username="qx_deputy", password=PASSWORD, role=Role.DEPUTY)
    deputy = deputy_create(name="张伟", gender="male", region=town, user=deputy_user)
    mandate_create(deputy=deputy, congress=congress)
    staff = user_create(username="qx_staff", password=PASSWORD, role=Role.COUNTY_STAFF, region=county)
    unit_user = user_create(username="qx_unit", password=PASSWORD, role=Role.HANDLING_UNIT, organization=unit)
    return {
        "county": county,
        "town": town,
        "congress": congress,
        "unit": unit,
        "deputy": deputy,
        "staff": staff,
        "unit_user": unit_user,
    }


def make_qixing(users, qixing, state, **kwargs):
    own = {**users, "county_staff": qixing["staff"], "unit": qixing["unit_user"]}
    return factories.make(users=own, deputy=qixing["deputy"], state=state, **kwargs)


def test_each_county_numbers_its_congress_from_one(make, users, qixing):
    dafang = make("accepted")
    other = make_qixing(users, qixing, "accepted")
    assert dafang.congress.region.name == "大方县" and other.congress == qixing["congress"]
    assert (dafang.number, other.number) == (1, 1)
    assert dafang.number_label == other.number_label == "第18届第3次会议第001号"
    second = make("accepted", title="第二件", body="第二件建议的内容")
    assert second.number == 2
    counters = {
        (c.congress.region.name, c.last_number)
        for c in SuggestionCounter.objects.select_related("congress__region")
    }
    assert counters == {("大方县", 2), ("七星关区", 1)}


def test_merge_stays_within_the_congress(make, users, qixing):
    dafang = make("accepted")
    other = make_qixing(users, qixing, "submitted")
    with pytest.raises(DomainError) as info:
        services.suggestion_merge(actor=qixing["staff"], suggestion=other, into=dafang)
    assert info.value.field == "into"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL")
def test_numbers_stay_gap_free_when_both_counties_accept_at_once(users, deputies, units, qixing):
    per_county = 4
    items = [
        factories.make(users=users, deputy=deputies["wang"], state="submitted") for _ in range(per_county)
    ]
    items += [make_qixing(users, qixing, "submitted") for _ in range(per_county)]
    barrier, errors = threading.Barrier(len(items)), []

    def accept(pk, actor):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.suggestion_accept(actor=actor, suggestion=Suggestion.objects.get(pk=pk))
        except Exception as exc:  # reported below: the test must see every failure
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(
            target=accept,
            args=(s.pk, qixing["staff"] if s.congress_id == qixing["congress"].pk else users["county_staff"]),
        )
        for s in items
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers: dict[str, list[int]] = {}
    for s in Suggestion.objects.select_related("congress__region").order_by("number"):
        numbers.setdefault(s.congress.region.name, []).append(s.number)
    assert numbers == {"大方县": [1, 2, 3, 4], "七星关区": [1, 2, 3, 4]}


# --- units of the suggestion's own county ---------------------------------------------------


def test_assign_refuses_the_namesake_unit_of_another_county(make, users, qixing):
    accepted = make("accepted")
    with pytest.raises(DomainError) as info:
        services.suggestion_assign(actor=users["county_staff"], suggestion=accepted, lead_unit=qixing["unit"])
    assert info.value.field == "lead_unit" and "七星关区" in info.value.message
    with pytest.raises(DomainError) as info:
        services.suggestion_assign(
            actor=users["county_staff"],
            suggestion=accepted,
            lead_unit=users["unit"].organization,
            co_units=[qixing["unit"]],
        )
    assert info.value.field == "co_units"
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED and not Assignment.objects.exists()


def test_return_to_a_unit_of_another_county_is_refused(make, users, units, qixing):
    assigned = make("assigned")
    part = assigned.assignments.get()
    services.assignment_return_request(actor=users["unit"], suggestion=assigned, reason="不属于本单位职责")
    assigned.refresh_from_db()
    part.refresh_from_db()
    with pytest.raises(DomainError) as info:
        services.assignment_return_decide(
            actor=users["county_staff"],
            suggestion=assigned,
            assignment=part,
            approve=True,
            new_unit=qixing["unit"],
        )
    assert info.value.field == "new_unit"
    services.assignment_return_decide(
        actor=users["county_staff"],
        suggestion=assigned,
        assignment=part,
        approve=True,
        new_unit=units["education"],
    )


def test_the_assign_form_offers_only_the_own_county_units(login, make, users, qixing):
    accepted = make("accepted")
    page = login(users["county_staff"]).get(f"/suggestions/{accepted.pk}/")
    form = next(p["form"] for p in page.context["panels"] if p["step"] == "assign")
    offered = set(form.fields["lead_unit"].queryset)
    assert users["unit"].organization in offered and qixing["unit"] not in offered
    # A tampered POST naming the other county's unit is refused next to the field, nothing written.
    response = login(users["county_staff"]).post(
        f"/suggestions/{accepted.pk}/step/assign/",
        {"version": accepted.version, "lead_unit": qixing["unit"].pk},
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_cosigners_and_region_come_from_the_own_county(users, deputies, qixing, regions):
    with pytest.raises(DomainError) as info:
        services.suggestion_create(
            actor=users["deputy"],
            lead_deputy=deputies["wang"],
            title="标题",
            body="内容",
            category="transport",
            cosigners=[qixing["deputy"]],
        )
    assert info.value.field == "cosigners" and "张伟" in info.value.message
    with pytest.raises(DomainError) as info:
        services.suggestion_create(
            actor=users["deputy"],
            lead_deputy=deputies["wang"],
            title="标题",
            body="内容",
            category="transport",
            region=qixing["town"],
        )
    assert info.value.field == "region"
    assert not Suggestion.objects.exists()


def test_the_draft_form_offers_own_county_deputies(login, users, qixing, deputies):
    page = login(users["deputy"]).get("/suggestions/write/")
    offered = set(page.context["form"].fields["cosigners"].queryset)
    assert deputies["li"] in offered and qixing["deputy"] not in offered


# --- statistics group by identity -------------------------------------------------------------


def test_statistics_keep_namesake_units_and_townships_apart(
    make, users, qixing, regions, django_assert_max_num_queries
):
    from renda.suggestions.stats import suggestion_stats

    make("assigned")
    make("closed", title="第二件", body="第二件建议的内容")
    make_qixing(users, qixing, "assigned", region=qixing["town"])
    # A namesake township in the other county: the same name must not merge the two rows.
    namesake = make_region("520502105", "黄泥塘镇", "township", qixing["county"])
    make_qixing(users, qixing, "accepted", region=namesake, title="第三件", body="第三件建议的内容")
    city_user = user_create(
        username="city_viewer", password=PASSWORD, role=Role.COUNTY_STAFF, region=regions["city"]
    )
    # Several counties in view: one row per county (namesakes can no longer meet in one table), and
    # each county opened shows its own units and townships.
    with django_assert_max_num_queries(4):
        units = suggestion_stats(user=city_user, group_by="unit")
    assert units["by_county"]
    assert {g["key"]: g["received"] for g in units["groups"]} == {"大方县": 2, "七星关区": 2}
    assert units["total"]["received"] == 4 and units["total"]["closed"] == 1
    with django_assert_max_num_queries(4):
        towns = suggestion_stats(user=city_user, group_by="township")
    assert {g["key"]: g["received"] for g in towns["groups"]} == {"大方县": 2, "七星关区": 2}
    with django_assert_max_num_queries(4):
        qx_units = suggestion_stats(user=city_user, group_by="unit", county=qixing["county"])
    assert {g["key"]: g["received"] for g in qx_units["groups"]} == {"县交通运输局": 1, "未交办": 1}
    qx_towns = suggestion_stats(user=city_user, group_by="township", county=qixing["county"])
    assert {g["key"]: g["received"] for g in qx_towns["groups"]} == {"黄泥塘镇": 1, "市西街道": 1}
    dafang = suggestion_stats(user=city_user, group_by="township", county=regions["county"])
    assert {g["key"]: g["received"] for g in dafang["groups"]} == {"黄泥塘镇": 2}
    namesakes = {g["id"] for r in (qx_towns, dafang) for g in r["groups"] if g["key"] == "黄泥塘镇"}
    assert namesakes == {namesake.pk, regions["huangnitang"].pk}
    # One county in view: plain names, as the county's own staff always saw them.
    own = suggestion_stats(user=users["county_staff"], group_by="unit")
    assert {g["key"] for g in own["groups"]} == {"县交通运输局"}


def test_the_cosigner_picker_searches_the_own_county_only(login, users, qixing, deputies):
    from django.urls import reverse

    url = reverse("core:pick", args=["cosigner"])
    client = login(users["deputy"])
    body = client.get(url, {"q": "张", "field": "cosigners", "multiple": "1"}).content.decode()
    assert "张伟" not in body
    body = client.get(url, {"q": "李", "field": "cosigners", "multiple": "1"}).content.decode()
    assert "李明" in body
    # 七星关区's staff find its deputy (its deputy himself is left out: he leads what he writes).
    body = login(qixing["staff"]).get(url, {"q": "张", "field": "cosigners", "multiple": "1"})
    assert "张伟" in body.content.decode()
    body = login(qixing["deputy"].user).get(url, {"q": "张", "field": "cosigners", "multiple": "1"})
    assert "张伟" not in body.content.decode()


def test_the_key_leader_is_one_of_the_own_county_leaders(login, make, users, qixing):
    """Issue 15 §1/§4: the key suggestion's leader account is offered (a picker) and accepted (the
    service) from the suggestion's own county only; another county's leader is not found."""
    from django.urls import reverse

    other_leader = user_create(
        username="qx_leader", password=PASSWORD, role=Role.LEADER, full_name="赵主任", region=qixing["county"]
    )
    own_leader = users["leader"]
    own_leader.full_name = "钱主任"
    own_leader.save(update_fields=["full_name"])
    accepted = make("accepted")
    page = login(users["county_staff"]).get(f"/suggestions/{accepted.pk}/")
    form = next(p["form"] for p in page.context["panels"] if p["step"] == "designate_key")
    offered = set(form.fields["leader_user"].queryset)
    assert own_leader in offered and other_leader not in offered
    assert 'name="leader_user"' in page.content.decode() and "<select" not in str(form["leader_user"])

    url = reverse("core:pick", args=["key-leader"])
    body = login(users["county_staff"]).get(url, {"q": "主任", "field": "leader_user"}).content.decode()
    assert "钱主任" in body and "赵主任" not in body
    body = login(qixing["staff"]).get(url, {"q": "主任", "field": "leader_user"}).content.decode()
    assert "赵主任" in body and "钱主任" not in body
    assert login(users["deputy"]).get(url, {"q": "主任", "field": "leader_user"}).status_code == 404

    # The service refuses another county's leader (or an unknown id) as not found, nothing written.
    for stranger in (other_leader, other_leader.pk, 999999):
        with pytest.raises(DomainError, match="未找到该督办领导账号") as refused:
            services.suggestion_designate_key(
                actor=users["county_staff"], suggestion=accepted, leader="赵主任", leader_user=stranger
            )
        assert (refused.value.field, refused.value.status) == ("leader_user", 404)
    accepted.refresh_from_db()
    assert not accepted.is_key
    # A tampered POST is refused next to the field.
    response = login(users["county_staff"]).post(
        f"/suggestions/{accepted.pk}/step/designate_key/",
        {"version": accepted.version, "leader": "赵主任", "leader_user": other_leader.pk},
    )
    assert response.status_code == 400
    accepted.refresh_from_db()
    assert not accepted.is_key
    services.suggestion_designate_key(
        actor=users["county_staff"], suggestion=accepted, leader="钱主任", leader_user=own_leader.pk
    )
    accepted.refresh_from_db()
    assert accepted.is_key and accepted.key_leader_user == own_leader


def test_a_paper_suggestion_is_led_by_a_deputy_of_the_clerks_own_county(login, users, qixing, deputies):
    """Issue 15 §1/§4: the paper entry's lead deputy is a picker of the clerk's county congress, and
    the service refuses another county's deputy as not found (nothing written)."""
    from django.urls import reverse

    url = reverse("core:pick", args=["lead-deputy"])
    body = login(users["county_staff"]).get(url, {"q": "张", "field": "lead_deputy"}).content.decode()
    assert "张伟" not in body
    body = login(users["county_staff"]).get(url, {"q": "李", "field": "lead_deputy"}).content.decode()
    assert "李明" in body
    body = login(qixing["staff"]).get(url, {"q": "张", "field": "lead_deputy"}).content.decode()
    assert "张伟" in body
    assert login(users["deputy"]).get(url, {"q": "李", "field": "lead_deputy"}).status_code == 404

    page = login(users["county_staff"]).get("/suggestions/new/")
    assert "<select" not in str(page.context["form"]["lead_deputy"])
    with pytest.raises(DomainError, match="未找到该领衔代表") as refused:
        services.suggestion_create(
            actor=users["county_staff"],
            lead_deputy=qixing["deputy"],
            title="修路",
            body="请修路",
            category="transport",
            submit=True,
        )
    assert (refused.value.field, refused.value.status) == ("lead_deputy", 404)
    assert not Suggestion.objects.exists()
    made = services.suggestion_create(
        actor=qixing["staff"], lead_deputy=qixing["deputy"], title="修路", body="请修路", category="transport"
    )
    assert made.congress == qixing["congress"]
