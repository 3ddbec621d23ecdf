"""Browser journey at phone size (360 px): a voters' representative scans a printed code and votes;
a replay of the same code is refused; the deputy reads her dossier on the phone without sideways
scrolling and finds the report's result there once staff close the meeting."""

import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from renda.activities.tests.test_browser import _context, assert_clean, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vote_on_the_phone_then_the_result_in_the_dossier(browser, live_server, voting, users):  # noqa: F811
    from renda.duty_reports import services
    from renda.duty_reports.models import VoteCode

    code = VoteCode.objects.filter(report=voting).first().code
    context, page = _context(browser, live_server)
    page.goto(f"/duty-reports/vote/{code}/")
    page.get_by_label("称职", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    assert_clean(page)
    page.goto(f"/duty-reports/vote/{code}/")
    page.get_by_text("该测评码已投过票").wait_for()
    context.close()

    services.paper_tally_set(actor=users["county_staff"], report=voting, counts={"称职": 45, "基本称职": 4})
    services.duty_report_close(actor=users["county_staff"], report=voting, attendance=52)

    context, page = _context(browser, live_server)
    log_in(page, "deputy")
    page.goto("/dossier/")
    page.get_by_role("heading", name="向选民述职").wait_for()
    assert "测评结果：称职" in page.content()
    assert_clean(page)
    context.close()
