"""The roll-up on a 360 px phone: cards, no sideways scrolling, charts drawn without CSP errors, and
drill-down by tapping a region (the Playwright helpers of the suggestions' browser test)."""

import re

import pytest
from playwright.sync_api import expect

from renda.suggestions.tests import test_browser as helpers
from renda.suggestions.tests.test_browser import PASSWORD, PHONE, _clean, _log_in, _page

browser = helpers.browser  # the module-scoped Chromium fixture, shared rather than copied

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def upper(db):
    from renda.accounts.services import user_create
    from renda.regions.models import Region

    province = Region.objects.create(code="52", name="贵州省", level="province", path="52/")
    city = Region.objects.create(code="5205", name="毕节市", level="city", parent=province, path="52/5205/")
    Region.objects.create(code="5201", name="贵阳市", level="city", parent=province, path="52/5201/")
    Region.objects.create(code="520521", name="大方县", level="county", parent=city, path="52/5205/520521/")
    user_create(username="gz", password=PASSWORD, role="province_staff", full_name="省人大", region=province)


def test_the_rollup_fits_a_phone_and_drills_down(browser, live_server, upper):
    page = _page(browser, live_server, PHONE)
    _log_in(page, "gz")
    page.goto("/rollup/")
    expect(page.locator("#rollup-rows > li")).to_have_count(2)
    expect(page.locator("#chart-rows canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="毕节市", exact=True).click()
    expect(page).to_have_url(re.compile(r"/rollup/5205/$"))
    expect(page.locator("#rollup-rows")).to_contain_text("大方县")
    _clean(page)
