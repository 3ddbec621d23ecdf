"""Browser journey at phone size (360 px): a deputy answers an invitation and checks in by opening
the QR link; staff, watching the activity's page, see the attendance update without reloading."""

import datetime
import os
import re
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Renda#2024x"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _context(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return context, page


def assert_clean(page):
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    # Nothing wider than the phone: no sideways scrolling on a 360-pixel screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


@pytest.fixture
def scene():
    from django.utils import timezone

    from renda.accounts.services import user_create
    from renda.activities import services
    from renda.deputies.services import deputy_create
    from renda.organizations.models import Organization
    from renda.regions.models import Region

    def region(code, name, level, parent=None):
        path = (parent.path if parent else "") + code + "/"
        return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)

    province = region("52", "贵州省", "province")
    city = region("5205", "毕节市", "city", province)
    county = region("520521", "大方县", "county", city)
    township = region("520521105", "黄泥塘镇", "township", county)
    committee = Organization.objects.create(
        name="大方县人大常委会", kind=Organization.Kind.STANDING_COMMITTEE, region=county
    )
    staff = user_create(
        username="chenlx", password=PASSWORD, role="county_staff", full_name="陈立新", region=county
    )
    user = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    wang = deputy_create(name="王芳", gender="female", region=township, user=user)
    starts = timezone.now() - datetime.timedelta(minutes=20)
    activity = services.activity_create(
        actor=staff,
        kind="survey",
        title="农村饮水安全调研",
        organizer=committee,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place="黄泥塘镇便民服务中心",
    )
    services.invitations_add(actor=staff, activity=activity, deputies=[wang])
    return activity


def test_deputy_answers_and_checks_in_by_the_qr_link_and_staff_see_it(browser, live_server, scene):
    from renda.activities import checkin
    from renda.duty_records.models import DutyRecord

    activity = scene
    staff_context, staff = _context(browser, live_server)
    deputy_context, phone = _context(browser, live_server)
    try:
        log_in(staff, "chenlx")
        staff.goto(f"/activities/{activity.pk}/")
        expect(staff.get_by_test_id("present-count")).to_have_text("0")

        # The deputy answers on the phone with one tap.
        log_in(phone, "wangfang")
        phone.goto("/activities/mine/")
        expect(phone.get_by_role("heading", name="待答复的邀请")).to_be_visible()
        phone.get_by_role("button", name="报名参加").click()
        expect(phone.get_by_text("已报名，请按时参加。")).to_be_visible()
        assert_clean(phone)

        # At the venue: the QR code's link opens the check-in page; one tap checks in.
        phone.goto(checkin.checkin_path(activity))
        expect(phone.get_by_role("heading", name="活动签到")).to_be_visible()
        assert_clean(phone)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.get_by_test_id("checkin-done")).to_contain_text("签到成功")
        assert_clean(phone)

        # A second scan says so at once, in Chinese, with no button that could only fail.
        phone.goto(checkin.checkin_path(activity))
        expect(phone.get_by_test_id("checkin-error")).to_contain_text("无需重复签到")
        expect(phone.get_by_role("button", name="确认签到")).to_have_count(0)

        # Staff's page updates itself (htmx polling) without a reload.
        expect(staff.get_by_test_id("present-count")).to_have_text("1", timeout=20_000)
        expect(staff.locator("#attendance")).to_contain_text("已签到")
        assert staff.console_errors == []
        assert re.search(r"/activities/\d+/$", staff.url)
    finally:
        staff_context.close()
        deputy_context.close()
    record = DutyRecord.objects.get()
    assert record.kind == "survey" and record.unit == "小时"
