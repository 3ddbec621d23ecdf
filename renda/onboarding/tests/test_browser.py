"""Browser journey: the administrator creates a deputy's account and links it with the search picker;
the deputy's first login on a phone forces a new password, then the portal greets the deputy."""

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
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


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


def _page(browser, live_server, size):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **size)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def _serving(township, *deputies):
    """Gives the deputies a current mandate in their township's congress."""
    from renda.deputies.services import congress_create, mandate_create

    congress = congress_create(region=township, level="township", term=18)
    for deputy in deputies:
        mandate_create(deputy=deputy, congress=congress)


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_account_created_linked_first_login_changes_password_portal_shows_deputy(browser, live_server):
    from renda.accounts.services import user_create
    from renda.conftest import make_region
    from renda.deputies.models import Deputy
    from renda.deputies.services import deputy_create

    province = make_region("52", "贵州省", "province")
    county = make_region("520521", "大方县", "county", make_region("5205", "毕节市", "city", province))
    township = make_region("520521105", "黄泥塘镇", "township", county)
    deputy = deputy_create(name="王芳", gender="female", region=township)
    li = deputy_create(name="李明", gender="male", region=township)
    _serving(township, deputy, li)  # only a deputy with a current mandate gets an account
    user_create(username="admin", password=PASSWORD, role="system_admin")

    context, page, errors = _page(browser, live_server, DESKTOP)
    try:
        log_in(page, "admin", PASSWORD)
        page.goto("/accounts/users/new/")
        page.get_by_label("用户名").fill("wangfang01")
        page.get_by_label("姓名").fill("王芳")
        page.get_by_label("角色").select_option("deputy")
        page.get_by_label("初始密码").fill("Start#2026ab")
        page.get_by_role("button", name="保存").click()
        # The deputy role leads to the account's page, where the link panel loads.
        expect(page.get_by_role("heading", name="关联代表")).to_be_visible()
        # The picker searches again as the text changes (its results box survives the first answer).
        page.get_by_label("代表").fill("李")
        expect(page.get_by_role("radio", name=re.compile(r"^李明（黄泥塘镇"))).to_be_visible()
        page.get_by_label("代表").fill("王")
        expect(page.get_by_role("radio", name=re.compile(r"^李明（黄泥塘镇"))).to_have_count(0)
        option = page.get_by_role("radio", name=re.compile(r"^王芳（黄泥塘镇"))
        option.check()
        page.get_by_role("button", name="关联", exact=True).click()
        expect(page.get_by_text("已关联代表：王芳")).to_be_visible()
        assert errors == []
    finally:
        context.close()
    assert Deputy.objects.get(pk=deputy.pk).user.username == "wangfang01"

    context, page, errors = _page(browser, live_server, PHONE)
    try:
        log_in(page, "wangfang01", "Start#2026ab")
        expect(page).to_have_url(f"{live_server.url}/accounts/password/")
        page.locator("#id_old_password").fill("Start#2026ab")
        page.locator("#id_new_password").fill("Mine#2026wf")
        page.locator("#id_new_password2").fill("Mine#2026wf")
        page.get_by_role("button", name="保存新密码").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("王芳代表，您好")
        assert errors == []
    finally:
        context.close()


def test_a_refused_link_shows_its_reason_next_to_the_field_not_a_generic_error(browser, live_server):
    """htmx leaves a 4xx answer unswapped by default; renda.js swaps a refused form's partial in."""
    from renda.accounts.services import user_create
    from renda.conftest import make_region
    from renda.deputies.services import deputy_create
    from renda.onboarding.services import account_deputy_link

    county = make_region("520521", "大方县", "county")
    township = make_region("520521105", "黄泥塘镇", "township", county)
    deputy = deputy_create(name="李明", gender="male", region=township)
    _serving(township, deputy)
    admin = user_create(username="admin", password=PASSWORD, role="system_admin")
    account = user_create(username="liming01", password=PASSWORD, role="deputy")
    other = user_create(username="liming02", password=PASSWORD, role="deputy")

    context, page, errors = _page(browser, live_server, DESKTOP)
    try:
        log_in(page, "admin", PASSWORD)
        page.goto(f"/onboarding/accounts/{account.pk}/")
        page.get_by_label("代表").fill("李")
        page.get_by_role("radio", name=re.compile(r"^李明（黄泥塘镇")).check()
        # Meanwhile another administrator links 李明 to another account.
        account_deputy_link(actor=admin, account=other, deputy=deputy)
        page.get_by_role("button", name="关联", exact=True).click()
        expect(page.locator("#id_deputy_error")).to_contain_text("已关联账号“liming02”")
        expect(page.locator("#ajax-error")).to_be_hidden()
        assert errors == []
    finally:
        context.close()
