"""Fixtures of the activities tests: bodies, a county congress with mandates, a station, an
appointed supervisor, and helpers to plan an activity around now."""

import datetime

import pytest
from django.utils import timezone

from renda.activities import services
from renda.deputies.models import Deputy
from renda.deputies.services import (
    congress_create,
    constituency_create,
    deputy_create,
    external_role_add,
    mandate_create,
)
from renda.network.services import station_create, stationed_deputy_add
from renda.organizations.models import Organization


@pytest.fixture
def orgs(regions, unit_org):
    county, huangnitang = regions["county"], regions["huangnitang"]
    return {
        "committee": Organization.objects.create(
            name="大方县人大常委会", kind=Organization.Kind.STANDING_COMMITTEE, region=county
        ),
        "presidium": Organization.objects.create(
            name="黄泥塘镇人大主席团", kind=Organization.Kind.TOWNSHIP_PRESIDIUM, region=huangnitang
        ),
        "jiuyi_committee": Organization.objects.create(
            name="九驿街道人大工委", kind=Organization.Kind.STREET_COMMITTEE, region=regions["jiuyi"]
        ),
        "cppcc": Organization.objects.create(
            name="政协大方县委员会", kind=Organization.Kind.CPPCC, region=county
        ),
        "unit": unit_org,
        "market": Organization.objects.create(
            name="县市场监管局", kind=Organization.Kind.HANDLING_UNIT, region=county
        ),
    }


@pytest.fixture
def roster(regions, deputies, orgs):
    """王芳 (黄泥塘, health sector, 第一代表团, 黄泥塘 station, market supervisor) and 李明 (九驿,
    education, 第二代表团) in the 18th county congress; 张强 in 黄泥塘's township congress only."""
    county = congress_create(
        level="county", region=regions["county"], term=18, starts_on=datetime.date(2021, 12, 28)
    )
    township = congress_create(
        level="township", region=regions["huangnitang"], term=18, starts_on=datetime.date(2021, 12, 28)
    )
    c1 = constituency_create(congress=county, name="第一选区", region=regions["huangnitang"], number=1)
    c2 = constituency_create(congress=county, name="第二选区", region=regions["jiuyi"], number=2)
    wang, li = deputies["wang"], deputies["li"]
    Deputy.objects.filter(pk=wang.pk).update(sector="health")
    Deputy.objects.filter(pk=li.pk).update(sector="education")
    mandate_create(deputy=wang, congress=county, constituency=c1, delegation="第一代表团")
    mandate_create(deputy=li, congress=county, constituency=c2, delegation="第二代表团")
    zhang = deputy_create(name="张强", gender="male", region=regions["huangnitang"])
    mandate_create(deputy=zhang, congress=township)
    station = station_create(
        name="黄泥塘镇人大代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    stationed_deputy_add(station=station, deputy=wang, term="第十八届")
    external_role_add(
        deputy=wang,
        kind="department_appointment",
        title="行风政风监督员",
        organization=orgs["market"],
        starts_on=datetime.date(2023, 3, 15),
    )
    external_role_add(deputy=li, kind="policy_publicist", starts_on=datetime.date(2022, 3, 1))
    for d in (wang, li, zhang):
        d.refresh_from_db()
    return {
        "wang": wang,
        "li": li,
        "zhang": zhang,
        "county": county,
        "township": township,
        "c1": c1,
        "c2": c2,
        "station": station,
    }


@pytest.fixture
def plan(users, orgs):
    """plan(start_offset_hours=-1, hours=3, **fields): an activity starting relative to now."""

    def _plan(start=-1.0, length=3.0, actor=None, **fields):
        starts = timezone.now() + datetime.timedelta(hours=start)
        data = {
            "kind": "inspection",
            "title": "视察农村公路建设",
            "organizer": orgs["committee"],
            "place": "黄泥塘镇",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=length),
        }
        data.update(fields)
        return services.activity_create(actor=actor or users["county_staff"], **data)

    return _plan
