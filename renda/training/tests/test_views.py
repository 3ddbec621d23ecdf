"""Training pages: who sees which session and whose rows (a grid), the attendance form, closing,
the certificate PDF, the deputy's own page and portal section, query counts."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from renda.duty_records.models import DutyRecord
from renda.training import services
from renda.training.models import Attendance, TrainingForm

from .conftest import marks_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 6, 25, 9, 0, tzinfo=datetime.UTC)
HOURS = {"王芳": ["6", "6", "6", "3", "6"], "李明": ["6", "", "6", "6", "6"], "county_staff": ["6"] * 5}


@pytest.fixture
def township_session(congresses, serving, users):
    """A 以会代训 of 黄泥塘镇's own congress, with 王芳."""
    session = services.training_session_create(
        congress=congresses["township"],
        title="黄泥塘镇人大代表以会代训",
        form=TrainingForm.BY_MEETING,
        organizer="黄泥塘镇人大主席团",
        place="黄泥塘镇人民政府会议室",
        starts_on=datetime.date(2024, 3, 5),
        ends_on=datetime.date(2024, 3, 5),
        day_hours=Decimal("3"),
    )
    services.attendees_add(session=session, deputies=[serving["wang"]])
    return session


# username -> (sees fudan, sees the township session, names of fudan's rows shown)
GRID = {
    "county_staff": (True, True, {"王芳", "李明", "county_staff"}),
    "leader": (True, True, {"王芳", "李明", "county_staff"}),
    # 黄泥塘镇 staff see the county course because 王芳 (their township) attends — only her row.
    "township_staff": (True, True, {"王芳"}),
    "jiuyi_staff": (True, False, {"李明"}),
    "station_keeper": (False, False, set()),
    "unit": (False, False, set()),
    "deputy": (False, False, set()),
    "admin": (False, False, set()),
}


@pytest.mark.parametrize("username", GRID)
def test_session_pages_scoping_grid(username, users, fudan, township_session, client):
    sees_fudan, sees_township, rows = GRID[username]
    client.force_login(users[username])
    response = client.get(f"/training/sessions/{fudan.pk}/")
    assert response.status_code == (200 if sees_fudan else 404)
    if sees_fudan:
        body = response.content.decode()
        shown = {name for name in ("王芳", "李明", "county_staff") if f">{name}<br>" in body}
        assert shown == rows
    assert client.get(f"/training/sessions/{township_session.pk}/").status_code == (
        200 if sees_township else 404
    )
    listing = client.get("/training/")
    if username in ("county_staff", "leader", "township_staff", "jiuyi_staff"):
        body = listing.content.decode()
        assert (f'href="/training/sessions/{fudan.pk}/"' in body) == sees_fudan
        assert (f'href="/training/sessions/{township_session.pk}/"' in body) == sees_township
    else:
        assert listing.status_code == 404


def test_township_staff_cannot_edit_a_county_session_they_only_attend(users, fudan, client):
    client.force_login(users["township_staff"])
    attendee = fudan.attendees.get(deputy__name="王芳")
    day = fudan.days.first()
    response = client.post(f"/training/sessions/{fudan.pk}/attendance/", {f"a{attendee.pk}_d{day.pk}": "6"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@time_machine.travel(NOW)
def test_attendance_form_close_and_certificate(users, fudan, client):
    client.force_login(users["county_staff"])
    page = client.get(f"/training/sessions/{fudan.pk}/").content.decode()
    assert "保存考勤" in page
    posted = {f"a{a}_d{d}": v for (a, d), v in marks_for(fudan, HOURS).items()}
    response = client.post(f"/training/sessions/{fudan.pk}/attendance/", posted)
    assert response.status_code == 302
    assert Attendance.objects.count() == 14
    # A bad cell: the page says what is wrong, in Chinese, and keeps what was typed.
    bad = dict(posted)
    key = next(iter(bad))
    bad[key] = "8"
    response = client.post(f"/training/sessions/{fudan.pk}/attendance/", bad)
    assert response.status_code == 400
    assert "不能超过当日安排的6学时" in response.content.decode()
    assert 'value="8"' in response.content.decode()

    response = client.post(f"/training/sessions/{fudan.pk}/close/")
    assert response.status_code == 302
    assert DutyRecord.objects.filter(kind="training").count() == 2

    wang = fudan.attendees.get(deputy__name="王芳")
    response = client.get(f"/training/certificates/{wang.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = "".join(text.split())  # the title and the name are letter-spaced
    assert "王芳" in text and "累计27学时" in text and "结业证书" in text

    # The deputy opens their own certificate; 李明's answers 404 to them.
    client.force_login(users["deputy"])
    assert client.get(f"/training/certificates/{wang.pk}.pdf").status_code == 200
    li = fudan.attendees.get(deputy__name="李明")
    assert client.get(f"/training/certificates/{li.pk}.pdf").status_code == 404

    # 更正考勤: a reason is required; then the session is open again and its records withdrawn.
    client.force_login(users["county_staff"])
    response = client.post(f"/training/sessions/{fudan.pk}/reopen/", {"reason": ""}, follow=True)
    assert "请填写更正原因" in response.content.decode()
    client.post(f"/training/sessions/{fudan.pk}/reopen/", {"reason": "补录考勤"})
    fudan.refresh_from_db()
    assert fudan.state == "open"
    assert DutyRecord.objects.filter(kind="training", withdrawn_at__isnull=True).count() == 0
    client.force_login(users["township_staff"])  # sees the session (王芳), may not reopen it
    assert client.post(f"/training/sessions/{fudan.pk}/close/").status_code == 404


def test_certificate_before_closing_is_refused_with_a_message(users, fudan, client):
    client.force_login(users["county_staff"])
    attendee = fudan.attendees.get(deputy__name="王芳")
    response = client.get(f"/training/certificates/{attendee.pk}.pdf", follow=True)
    assert "培训结班后才能打印结业证书" in response.content.decode()


@time_machine.travel(NOW)
def test_deputy_sees_own_hours_in_portal_and_record_page(users, fudan, serving, client):
    services.attendance_record(session=fudan, marks=marks_for(fudan, HOURS))
    client.force_login(users["deputy"])
    portal = client.get("/deputies/portal/").content.decode()
    assert "履职培训" in portal and "27" in portal
    mine = client.get("/training/mine/").content.decode()
    assert "大方县人大代表履职能力提升专题培训班" in mine and "27" in mine
    client.force_login(users["county_staff"])
    detail = client.get(f"/deputies/{serving['wang'].pk}/").content.decode()
    assert "履职培训" in detail and "2024年 27 学时" in detail


def test_plan_pages(users, plan, client):
    client.force_login(users["county_staff"])
    page = client.get(f"/training/plans/{plan.pk}/").content.decode()
    assert "复旦大学代表履职能力提升专题培训" in page and "19.20万元" in page
    response = client.post(f"/training/plans/{plan.pk}/publish/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "published"
    # Township staff do not see the county's plan; a deputy has no plan pages at all.
    client.force_login(users["township_staff"])
    assert client.get(f"/training/plans/{plan.pk}/").status_code == 404
    client.force_login(users["deputy"])
    assert client.get("/training/plans/").status_code == 404


def test_plan_item_bad_budget_is_shown_next_to_the_field(users, congresses, client):
    client.force_login(users["county_staff"])
    plan = services.training_plan_create(congress=congresses["county"], year=2025)
    response = client.post(
        f"/training/plans/{plan.pk}/items/",
        {"topic": "培训", "target_group": "代表", "form": "online", "planned_month": "3", "budget": "-5"},
    )
    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
    assert not plan.items.exists()


def test_session_create_page(users, plan, congresses, client):
    client.force_login(users["county_staff"])
    item = plan.items.get(form=TrainingForm.CONCENTRATED)
    assert client.get(f"/training/sessions/new/?plan_item={item.pk}").status_code == 200
    data = {
        "congress": congresses["county"].pk,
        "title": "基层立法联络工作能力培训班",
        "form": "concentrated",
        "plan_item": item.pk,
        "organizer": "县人大常委会法制工作委员会",
        "place": "县人大常委会会议室",
        "starts_on": "2024-04-18",
        "ends_on": "2024-04-17",
        "day_hours": "6",
    }
    response = client.post("/training/sessions/new/", data)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    data["ends_on"] = "2024-04-19"
    response = client.post("/training/sessions/new/", data)
    assert response.status_code == 302


@time_machine.travel(NOW)
def test_list_pages_query_counts(
    users, fudan, congresses, serving, plan, client, django_assert_max_num_queries
):
    services.attendance_record(session=fudan, marks=marks_for(fudan, HOURS))
    for n in range(12):
        services.training_session_create(
            congress=congresses["county"],
            title=f"集中学习第{n}期",
            form="concentrated",
            organizer="县人大常委会",
            place="县人大常委会会议室",
            starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            ends_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
    client.force_login(users["county_staff"])
    for url, limit in (
        ("/training/", 8),
        ("/training/plans/", 8),
        ("/training/hours/?year=2024", 8),
        (f"/training/sessions/{fudan.pk}/", 14),
        (f"/training/plans/{plan.pk}/", 10),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
    client.force_login(users["deputy"])
    with django_assert_max_num_queries(12):
        assert client.get("/training/mine/").status_code == 200
