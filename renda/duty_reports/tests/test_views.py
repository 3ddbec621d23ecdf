"""Duty-report pages: who sees what (denied looks like missing), the staff flow through the forms,
the printable code sheet, and the public voting page a QR code opens."""

import pytest
from django.urls import reverse

from renda.duty_reports.models import DutyReport, VoteCode


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("county_staff", 200),
        ("township_staff", 200),  # 王芳 lives in 黄泥塘镇
        ("jiuyi_staff", 404),
        ("deputy", 200),  # her own
        ("leader", 200),
        ("unit", 404),
        ("station_keeper", 404),
        ("admin", 404),
    ],
)
def test_who_sees_a_report(report, users, client, username, status):
    client.force_login(users[username])
    assert client.get(reverse("duty_reports:detail", args=[report.pk])).status_code == status


def test_a_deputy_sees_only_her_own_reports(report, users, client, serving, congress, rule):
    from renda.duty_reports import services

    other = services.duty_report_schedule(
        actor=users["county_staff"],
        deputy=serving["li"],
        congress=congress,
        rule=rule,
        held_on=report.held_on,
        place="九驿街道代表之家",
    )
    client.force_login(users["deputy"])
    page = client.get(reverse("duty_reports:list")).content.decode()
    assert "黄泥塘镇代表之家" in page and "九驿街道代表之家" not in page
    assert client.get(reverse("duty_reports:detail", args=[other.pk])).status_code == 404


def test_staff_schedule_open_tally_and_close_through_the_pages(
    serving, congress, users, client, django_assert_max_num_queries
):
    client.force_login(users["county_staff"])
    assert client.get(reverse("duty_reports:create")).status_code == 200
    response = client.post(
        reverse("duty_reports:create"),
        {
            "deputy": serving["wang"].pk,
            "congress": congress.pk,
            "rule": "preset:competence",
            "held_on": "2024-06-01",
            "place": "黄泥塘镇代表之家",
            "invited_count": 60,
            "min_attendance": 50,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = DutyReport.objects.get()
    url = lambda action: reverse("duty_reports:action", args=[report.pk, action])  # noqa: E731
    # No evaluation before the deputy's report exists: refused with a message, then allowed.
    refused = client.post(url("open"), {"codes": 3})
    assert refused.status_code == 400 and "尚未填写或上传述职报告" in refused.content.decode()
    page = client.get(reverse("duty_reports:detail", args=[report.pk])).content.decode()
    assert "尚未填写或上传述职报告" in page
    assert client.post(url("write"), {"report_text": "各位选民代表：本人一年来……"}).status_code == 302
    assert client.post(url("open"), {"codes": 3}).status_code == 302
    sheet = client.get(reverse("duty_reports:codes", args=[report.pk]))
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert client.post(url("tally"), {"count_0": 45, "count_1": 4, "count_2": 1}).status_code == 302
    refused = client.post(url("close"), {"attendance": 30})
    assert refused.status_code == 400 and "少于最少到会人数" in refused.content.decode()
    assert client.post(url("close"), {"attendance": 52}).status_code == 302
    report.refresh_from_db()
    assert report.result == "称职" and report.state == "closed"
    with django_assert_max_num_queries(12):
        page = client.get(reverse("duty_reports:list"))
    assert "称职" in page.content.decode()


def test_the_deputy_writes_her_report_on_the_phone_but_cannot_run_the_vote(report, users, client):
    client.force_login(users["deputy"])
    ok = client.post(
        reverse("duty_reports:action", args=[report.pk, "write"]), {"report_text": "各位选民代表：……"}
    )
    assert ok.status_code == 302
    assert (
        client.post(reverse("duty_reports:action", args=[report.pk, "open"]), {"codes": 5}).status_code == 404
    )
    report.refresh_from_db()
    assert report.report_text == "各位选民代表：……" and report.state == "scheduled"


def test_the_public_page_takes_one_vote_per_code(voting, client):
    code = VoteCode.objects.filter(report=voting).first()
    url = reverse("duty_reports:vote", args=[code.code])
    page = client.get(url)
    assert page.status_code == 200 and "不称职" in page.content.decode()
    assert client.post(url, {"option": "称职"}).status_code == 302
    replay = client.post(url, {"option": "不称职"})
    assert replay.status_code == 409 and "一码只能投一票" in replay.content.decode()
    assert VoteCode.objects.get(pk=code.pk).option == "称职"
    assert client.get(reverse("duty_reports:vote", args=["nope"])).status_code == 404


def test_the_api_lists_reports_and_takes_a_vote(voting, users, client):
    code = VoteCode.objects.filter(report=voting).first().code
    assert (
        client.post(
            "/api/v1/duty-reports/vote", {"code": code, "option": "称职"}, content_type="application/json"
        ).status_code
        == 201
    )
    again = client.post(
        "/api/v1/duty-reports/vote", {"code": code, "option": "称职"}, content_type="application/json"
    )
    assert again.status_code == 409
    client.force_login(users["county_staff"])
    listing = client.get("/api/v1/duty-reports").json()
    assert listing["count"] == 1 and listing["items"][0]["state"] == "voting"
    detail = client.get(f"/api/v1/duty-reports/{voting.pk}").json()
    assert {c["option"]: c["code"] for c in detail["counts"]}["称职"] == 1
    client.force_login(users["jiuyi_staff"])
    assert client.get(f"/api/v1/duty-reports/{voting.pk}").status_code == 404
