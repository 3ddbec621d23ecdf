"""Browser journeys in Debian's Chromium at phone and desktop size: sign-in, home, portal, 适老化."""

import os
import re
import shutil
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Renda#2024x"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SIZES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


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


@pytest.fixture(params=list(SIZES))
def page(request, browser, live_server):
    """A fresh browser context at one size; console errors and failed static files are collected."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **SIZES[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.size = request.param
    page.console_errors = []
    page.failed_assets = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and "/static/" in response.url
            and page.failed_assets.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()


def assert_clean(page):
    """No CSP violation (inline script or style, eval), no script error, no missing asset."""
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    assert page.failed_assets == []


@pytest.fixture
def tree():
    from renda.regions.models import Region

    province = Region.objects.create(code="52", name="贵州省", level="province", path="52/")
    city = Region.objects.create(code="5205", name="毕节市", level="city", parent=province, path="52/5205/")
    county = Region.objects.create(
        code="520521", name="大方县", level="county", parent=city, path="52/5205/520521/"
    )
    township = Region.objects.create(
        code="520521105", name="黄泥塘镇", level="township", parent=county, path="52/5205/520521/520521105/"
    )
    return SimpleNamespace(province=province, city=city, county=county, township=township)


@pytest.fixture
def staff(tree):
    from renda.accounts.services import user_create

    return user_create(username="liming", password=PASSWORD, role="county_staff", full_name="李明",
                       region=tree.county)  # fmt: skip


@pytest.fixture
def deputy_user(tree):
    from renda.accounts.services import user_create
    from renda.deputies.services import deputy_create

    user = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    deputy_create(name="王芳", gender="female", region=tree.township, user=user, phone="13812345678")
    return user


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_staff_logs_in_sees_home_and_logs_out(page, staff, live_server):
    page.goto("/accounts/login/")
    expect(page).to_have_title("人大履职通 · 登录")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()

    log_in(page, "liming")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("李明")
    expect(page.locator(".welcome").get_by_text("县人大工作人员")).to_be_visible()
    expect(page.locator(".welcome")).to_contain_text("大方县")
    tiles = page.locator(".tiles")
    expect(tiles.get_by_role("link", name="代表名册")).to_be_visible()
    expect(tiles.get_by_role("link", name="履职记录")).to_be_visible()

    if page.size == "phone":
        # The navigation sits behind the 菜单 toggle (a <details>, so it works without JavaScript).
        expect(page.locator(".mainnav")).to_be_hidden()
        page.get_by_text("菜单", exact=True).click()
        menu = page.locator(".navmenu__panel")
        expect(menu.get_by_role("link", name="代表名册")).to_be_visible()
        expect(menu.get_by_role("link", name="履职记录")).to_be_visible()
    else:
        nav = page.locator(".mainnav")
        expect(nav.get_by_role("link", name="代表名册")).to_be_visible()
        expect(nav.get_by_role("link", name="履职记录")).to_be_visible()
        expect(nav.get_by_role("link", name="首页")).to_have_attribute("aria-current", "page")
    assert_clean(page)

    page.get_by_role("button", name="退出登录").filter(visible=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page).to_have_title("人大履职通 · 登录")
    expect(page.get_by_role("status").filter(has_text="您已安全退出")).to_be_visible()
    assert_clean(page)


def test_deputy_lands_on_portal_and_declares(page, deputy_user):
    log_in(page, "wangfang")
    expect(page).to_have_url(re.compile(r"/deputies/portal/$"))
    expect(page.get_by_role("heading", name="我的信息")).to_be_visible()
    expect(page.get_by_text("黄泥塘镇")).to_be_visible()
    expect(page.get_by_text("138****5678")).to_be_visible()
    expect(page.get_by_role("heading", name="本年度履职")).to_be_visible()
    expect(page.locator(".stat__value")).to_have_text("0")
    assert_clean(page)

    page.get_by_label("类别").select_option(label="进站接待选民")
    page.locator("#declare_title").fill("在黄泥塘镇代表联络站接待选民")
    expect(page.get_by_label("日期")).not_to_have_value("")  # today, in the ISO form the date input needs
    page.get_by_label("说明").fill("收集意见3条")
    page.get_by_role("button", name="提交申报").click()

    expect(page).to_have_url(re.compile(r"/deputies/portal/$"))
    expect(page.get_by_role("status").filter(has_text="已提交申报，等待工作人员审核")).to_be_visible()
    expect(page.locator(".stat__value")).to_have_text("1")
    record = page.locator(".records__item").first
    expect(record).to_contain_text("在黄泥塘镇代表联络站接待选民")
    expect(record).to_contain_text("待审核")
    assert_clean(page)


def test_portal_first_load_is_light(page, deputy_user, browser, live_server):
    """Deputies use cheap phones on slow networks: the portal, cold cache, stays within the page budget
    (renda.conftest.assert_light: bytes on the wire and bytes to parse)."""
    from renda.conftest import assert_light

    log_in(page, "wangfang")
    expect(page).to_have_url(re.compile(r"/deputies/portal/$"))
    state = page.context.storage_state()
    context = browser.new_context(base_url=live_server.url, storage_state=state, **SIZES[page.size])
    try:
        cold = context.new_page()
        sizes = {}
        cold.on("response", lambda r: sizes.__setitem__(r.url.replace(live_server.url, ""), r.body()))
        cold.goto("/deputies/portal/")
        cold.wait_for_load_state("networkidle")
        expect(cold.get_by_role("heading", name="我的信息")).to_be_visible()
        assert_light(sizes)
    finally:
        context.close()


def test_staff_filters_roster_and_reveals_phone(page, staff, deputy_user, tree):
    from renda.deputies.services import deputy_create

    deputy_create(name="张国强", gender="male", region=tree.township, phone="13908570001")
    log_in(page, "liming")
    page.goto("/deputies/")
    rows = page.locator("#deputy-rows tbody tr")
    expect(rows).to_have_count(2)

    # htmx refreshes only the rows as the user types, and keeps the address in step.
    page.get_by_label("姓名或身份证号").fill("王")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=%E7%8E%8B"))
    expect(page.get_by_role("heading", level=1)).to_have_text("代表名册")

    rows.first.get_by_role("link", name="王芳").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王芳")
    expect(page.locator("#phone-value")).to_have_text("138****5678")
    # A permitted reveal is an htmx POST: it needs the CSRF header set on <body>.
    page.get_by_role("button", name="查看完整联系电话").click()
    expect(page.locator(".revealed")).to_contain_text("13812345678")
    expect(page.locator(".revealed")).to_contain_text("已记录查看日志")
    expect(page.get_by_role("button", name="查看完整联系电话")).to_be_hidden()
    assert_clean(page)


def test_declaration_without_title_shows_error_next_to_field(page, deputy_user):
    log_in(page, "wangfang")
    page.get_by_role("button", name="提交申报").click()
    title = page.locator("#declare_title")
    expect(title).to_have_attribute("aria-invalid", "true")
    error_id = title.get_attribute("aria-describedby")
    assert error_id and error_id.endswith("_error")
    expect(page.locator(f"#{error_id}")).to_be_visible()
    assert_clean(page)


def test_wrong_password_shows_chinese_error(page, staff):
    log_in(page, "liming", password="wrong-password-1")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    expect(page.get_by_label("用户名")).to_have_value("liming")
    assert_clean(page)


def test_large_text_switch_adds_class(page, staff):
    page.goto("/accounts/login/")
    html = page.locator("html")
    expect(html).not_to_have_class("large-text")
    size_before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    page.get_by_role("button", name="大字").click()
    expect(html).to_have_class("large-text")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    size_after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size_after == pytest.approx(size_before * 1.25)

    # The choice follows the user after signing in.
    log_in(page, "liming")
    expect(page.get_by_role("heading", level=1)).to_contain_text("李明")
    expect(html).to_have_class("large-text")

    page.get_by_role("button", name="高对比").click()
    expect(html).to_have_class("large-text high-contrast")
    assert_clean(page)


def test_a_destructive_button_asks_first(page, staff):
    """撤销 a token: dismissing the question keeps it; accepting revokes it (data-confirm, renda.js)."""
    from renda.accounts.models import ApiToken
    from renda.accounts.services import api_token_issue

    api_token_issue(user=staff, ip="127.0.0.1", user_agent="test")
    log_in(page, "liming")
    page.goto("/accounts/tokens/")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="撤销", exact=True).click()
    expect(page.get_by_role("button", name="撤销", exact=True)).to_be_visible()
    assert questions and "撤销" in questions[0]
    assert not ApiToken.objects.filter(user=staff, revoked=True).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="撤销", exact=True).click()
    expect(page.get_by_role("button", name="撤销", exact=True)).to_have_count(0)
    assert ApiToken.objects.filter(user=staff, revoked=True).exists()
