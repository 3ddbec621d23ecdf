"""Organisation pages: the permission grid per role and jurisdiction, edits, and query counts."""

import datetime

import pytest

from renda.organizations.models import Appointment, Organization
from renda.organizations.services import appointment_create, organization_create

BODIES = ("committee", "office", "presidium", "street")
VIEW_GRID = {
    "county_staff": set(BODIES),
    "leader": set(BODIES),
    "township_staff": {"presidium"},
    "jiuyi_staff": {"street"},
    "admin": set(),  # holds organizations.view but no region: sees no body
    "station_keeper": set(),
    "deputy": set(),
    "unit": set(),
    "security": set(),
    "auditor": set(),
}
EDIT_GRID = {"county_staff": set(BODIES), "township_staff": {"presidium"}, "jiuyi_staff": {"street"}}


@pytest.mark.parametrize("username", VIEW_GRID)
def test_body_page_grid(username, users, bodies, client):
    client.force_login(users[username])
    for key in BODIES:
        body = bodies[key]
        status = client.get(f"/organizations/{body.pk}/").status_code
        assert status == (200 if key in VIEW_GRID[username] else 404), (username, key)
        edit = client.get(f"/organizations/{body.pk}/edit/").status_code
        assert edit == (200 if key in EDIT_GRID.get(username, set()) else 404), (username, key)
        appoint = client.get(f"/organizations/{body.pk}/appointments/new/").status_code
        assert appoint == edit


def test_township_user_cannot_appoint_in_another_townships_body(users, bodies, client):
    client.force_login(users["township_staff"])
    response = client.post(
        f"/organizations/{bodies['street'].pk}/appointments/new/",
        {"person_name": "张三", "post": "member", "started_on": "2024-01-01"},
    )
    assert response.status_code == 404 and not Appointment.objects.exists()


def test_appointment_through_the_page_refuses_end_before_start(users, bodies, client):
    client.force_login(users["county_staff"])
    url = f"/organizations/{bodies['street'].pk}/appointments/new/"
    bad = client.post(
        url, {"person_name": "张三", "post": "member", "started_on": "2024-05-01", "ended_on": "2024-04-01"}
    )
    assert bad.status_code == 400 and "任职终止日期不能早于起始日期" in bad.content.decode()
    assert not Appointment.objects.exists()
    good = client.post(
        url,
        {
            "person_name": "张三",
            "post": "member",
            "started_on": "2024-05-01",
            "decided_on": "2024-04-28",
            "document_number": "大人常任〔2024〕3号",
        },
    )
    assert good.status_code == 302
    appointment = Appointment.objects.get()
    page = client.get(f"/organizations/{bodies['street'].pk}/").content.decode()
    assert "张三" in page and "大人常任〔2024〕3号" in page
    ended = client.post(f"/organizations/appointments/{appointment.pk}/end/", {"ended_on": "2024-06-30"})
    assert ended.status_code == 302
    appointment.refresh_from_db()
    assert appointment.ended_on == datetime.date(2024, 6, 30)
    page = client.get(f"/organizations/{bodies['street'].pk}/").content.decode()
    assert "任免历史" in page and "2024年6月30日" in page


def test_duties_page_adds_a_version(users, bodies, client):
    client.force_login(users["county_staff"])
    url = f"/organizations/{bodies['office'].pk}/duties/"
    assert client.post(url, {"text": "一、联系代表。", "effective_on": "2022-01-01"}).status_code == 302
    assert (
        client.post(
            url, {"text": "一、联系代表。\n二、指导联络站。", "effective_on": "2024-01-01", "note": "修订"}
        ).status_code
        == 302
    )
    same = client.post(url, {"text": "一、联系代表。\n二、指导联络站。", "effective_on": "2024-02-01"})
    assert same.status_code == 400 and "无需另存新版本" in same.content.decode()
    page = client.get(f"/organizations/{bodies['office'].pk}/").content.decode()
    assert "第 2 版" in page and "历史版本（1）" in page and "指导联络站" in page


def test_create_and_edit_a_body(users, bodies, client, regions):
    client.force_login(users["county_staff"])
    response = client.post(
        "/organizations/new/",
        {
            "name": "顺德街道人大工作委员会",
            "kind": "street_committee",
            "parent": bodies["committee"].pk,
            "region_code": "520521004",
        },
    )
    body = Organization.objects.get(name="顺德街道人大工作委员会")
    assert response.status_code == 302 and body.parent == bodies["committee"]
    response = client.post(
        f"/organizations/{bodies['committee'].pk}/edit/",
        {
            "name": "大方县人大常委会",
            "kind": "standing_committee",
            "parent": bodies["office"].pk,
            "region_code": "520521",
        },
    )
    assert response.status_code == 400  # the office is the committee's child: no cycles
    client.force_login(users["township_staff"])
    outside = client.post(
        "/organizations/new/", {"name": "越界", "kind": "other", "region_code": "520521004"}
    )
    assert outside.status_code == 400 and not Organization.objects.filter(name="越界").exists()


def test_chart_page(users, bodies, client):
    appointment_create(
        organization=bodies["street"],
        person_name="赵明远",
        post="director",
        started_on=datetime.date(2023, 7, 1),
    )
    client.force_login(users["leader"])
    body = client.get("/organizations/chart/").content.decode()
    assert "组织架构图" in body and "主任 赵明远" in body and "九驿街道人大工作委员会" in body


def test_body_list_query_count(users, bodies, regions, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    client.get("/organizations/")
    for i in range(25):
        org = organization_create(
            name=f"测试单位{i}", kind="handling_unit", region=regions["county"], parent=bodies["committee"]
        )
        appointment_create(
            organization=org, person_name=f"人{i}", post="director", started_on=datetime.date(2024, 1, 1)
        )
    with django_assert_max_num_queries(8):
        response = client.get("/organizations/")
    assert (
        response.status_code == 200 and response.content.decode().count('href="/organizations/?parent=') >= 25
    )
    with django_assert_max_num_queries(8):
        assert client.get("/organizations/chart/").status_code == 200
