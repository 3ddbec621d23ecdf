"""Two clerks editing one shared record at once (deputy, station, organisation, appointment): the later save
keeps the earlier clerk's change it did not touch, and a real clash is refused naming who changed what —
nothing silently reverted, nothing typed lost. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime
import re

import pytest
from django.test import Client

from renda.accounts.services import user_create
from renda.conftest import PASSWORD
from renda.core.access import Role
from renda.deputies.models import Deputy
from renda.network.models import Station
from renda.organizations.models import Appointment, Organization

_STAMP = re.compile(r'name="edit_stamp" value="([^"]+)"')


@pytest.fixture
def clerks(users, regions):
    second = user_create(
        username="county_staff2",
        password=PASSWORD,
        role=Role.COUNTY_STAFF,
        full_name="第二位工作人员",
        region=regions["county"],
    )
    first, other = Client(), Client()
    first.force_login(users["county_staff"])
    other.force_login(second)
    return first, other


def _open(client, url) -> tuple[dict, str]:
    """The form as the clerk's browser would post it back: every input's current value, and the stamp."""
    page = client.get(url).content.decode()
    stamp = _STAMP.search(page).group(1)
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, flags=re.S):
        values[name] = body.strip()
    values.pop("csrfmiddlewaretoken", None)
    values["edit_stamp"] = stamp
    return values, stamp


def test_two_clerks_edit_one_deputy_and_neither_change_is_lost(clerks, deputies):
    first, other = clerks
    url = f"/deputies/{deputies['wang'].pk}/edit/"
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    # Clerk A changes the workplace and saves first.
    assert first.post(url, {**form_a, "workplace": "黄泥塘镇卫生院院长"}).status_code == 302
    # Clerk B, on the page opened before, changes the native place and saves second.
    assert other.post(url, {**form_b, "native_place": "贵州毕节"}).status_code == 302
    wang = Deputy.objects.get(pk=deputies["wang"].pk)
    assert (wang.workplace, wang.native_place) == ("黄泥塘镇卫生院院长", "贵州毕节")


def test_a_real_clash_is_refused_naming_who_changed_what_and_keeps_the_input(clerks, deputies):
    first, other = clerks
    url = f"/deputies/{deputies['wang'].pk}/edit/"
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "workplace": "卫生院院长", "ethnicity": "苗族"}).status_code == 302
    clash = other.post(url, {**form_b, "workplace": "中心小学校长"})
    page = clash.content.decode()
    assert clash.status_code == 409
    assert "county_staff" in page and "工作单位" in page and "卫生院院长" in page
    assert 'value="中心小学校长"' in page  # what B typed is still in the form
    assert 'value="苗族"' in page  # A's untouched change is shown, so saving again keeps it
    assert Deputy.objects.get(pk=deputies["wang"].pk).workplace == "卫生院院长"
    # Saving the re-shown form is a knowing decision: B's workplace wins, A's ethnicity stays.
    again, _ = _open_from(page)
    assert other.post(url, again).status_code == 302
    wang = Deputy.objects.get(pk=deputies["wang"].pk)
    assert (wang.workplace, wang.ethnicity) == ("中心小学校长", "苗族")


def _open_from(page: str) -> tuple[dict, str]:
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrfmiddlewaretoken", None)
    return values, values["edit_stamp"]


def test_a_stale_save_of_a_station_keeps_the_other_clerks_change(clerks, regions):
    station = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    first, other = clerks
    url = f"/network/{station.pk}/edit/"
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "address": "黄泥塘镇政府一楼"}).status_code == 302
    assert other.post(url, {**form_b, "contact_phone": "0857-5221234"}).status_code == 302
    station.refresh_from_db()
    assert (station.address, station.contact_phone) == ("黄泥塘镇政府一楼", "0857-5221234")
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "address": "甲"}).status_code == 302
    assert other.post(url, {**form_b, "address": "乙"}).status_code == 409
    station.refresh_from_db()
    assert station.address == "甲"


def test_a_stale_save_of_an_organisation_and_an_appointment(clerks, regions, users):
    org = Organization.objects.create(name="县人大常委会办公室", kind="work_body", region=regions["county"])
    first, other = clerks
    url = f"/organizations/{org.pk}/edit/"
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "short_name": "办公室"}).status_code == 302
    assert other.post(url, {**form_b, "position": "3"}).status_code == 302
    org.refresh_from_db()
    assert (org.short_name, org.position) == ("办公室", 3)
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "short_name": "甲"}).status_code == 302
    assert other.post(url, {**form_b, "short_name": "乙"}).status_code == 409

    from renda.organizations.services import appointment_create

    appointment = appointment_create(
        actor=users["county_staff"],
        organization=org,
        person_name="张三",
        post="director",
        started_on=datetime.date(2024, 1, 2),
    )
    url = f"/organizations/appointments/{appointment.pk}/edit/"
    form_a, _ = _open(first, url)
    form_b, _ = _open(other, url)
    assert first.post(url, {**form_a, "post": "deputy_director"}).status_code == 302
    assert other.post(url, {**form_b, "note": "兼任"}).status_code == 302
    appointment = Appointment.objects.get(pk=appointment.pk)
    assert (appointment.post, appointment.note) == ("deputy_director", "兼任")
