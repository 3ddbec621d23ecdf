"""A deputy declares a record on a 360-pixel phone, staff approve it, and the points appear in the
deputy's standing (issue 10 "Done when")."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# The launch and page helpers of the deputies' browser tests (one Chromium setup for the suite).
from renda.deputies.tests.test_browser import DESKTOP, PASSWORD, PHONE, _page, assert_clean, browser, log_in  # noqa: F401

from .conftest import SHAPE_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_declare_on_the_phone_review_and_see_the_points(browser, live_server):  # noqa: F811
    from renda.accounts.services import user_create
    from renda.conftest import make_region
    from renda.deputies.services import congress_create, deputy_create, mandate_create
    from renda.points.services import scheme_import, scheme_publish

    province = make_region("52", "贵州省", "province")
    city = make_region("5205", "毕节市", "city", province)
    county = make_region("520521", "大方县", "county", city)
    township = make_region("520521105", "黄泥塘镇", "township", county)
    congress = congress_create(level="county", region=county, term=18, starts_on=datetime.date(2021, 12, 28))
    user = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    wang = deputy_create(name="王　芳", gender="female", region=township, user=user)
    mandate_create(deputy=wang, congress=congress)
    user_create(username="staff", password=PASSWORD, role="county_staff", full_name="张敏", region=county)
    today = timezone.localdate()
    scheme_publish(
        actor=None,
        scheme=scheme_import(actor=None, congress=congress, document={**SHAPE_A, "year": today.year}),
    )

    context, phone = _page(browser, live_server, PHONE)
    try:
        log_in(phone, "wangfang")
        expect(phone).to_have_url(re.compile(r"/deputies/portal/$"))
        declare = phone.locator("#declare")
        declare.get_by_label("类别").select_option(label="视察")
        declare.get_by_label("事项").fill("视察黄泥塘镇农村公路建设")
        declare.locator("input[type=date]").fill(today.isoformat())
        declare.get_by_role("button", name="提交申报").click()
        expect(phone.get_by_text("已提交申报，等待工作人员审核。")).to_be_visible()
        phone.goto("/points/mine/")
        year = phone.locator('[data-period="year-1"]')
        expect(year.locator(".points-total")).to_have_text("0.00")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert_clean(phone)
    finally:
        context.close()

    context, desk = _page(browser, live_server, DESKTOP)
    try:
        log_in(desk, "staff")
        desk.goto("/duty-records/?review_state=pending")
        row = desk.locator("tr").filter(has_text="视察黄泥塘镇农村公路建设")
        row.get_by_role("button", name="通过").click()
        expect(desk.get_by_text("已审核。")).to_be_visible()
    finally:
        context.close()

    context, phone = _page(browser, live_server, PHONE)
    try:
        log_in(phone, "wangfang")
        phone.goto("/points/mine/")
        expect(phone.locator('[data-period="year-1"] .points-total')).to_have_text("3.00")
        expect(phone.get_by_text("甲地积分办法")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert_clean(phone)
    finally:
        context.close()
