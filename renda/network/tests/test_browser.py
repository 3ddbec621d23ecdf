"""Browser journeys at phone size: the public station directory and a station's page, no login;
and a keeper printing a station's poster."""

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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.failed_assets = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and "/static/" in response.url and page.failed_assets.append(response.url)
        ),
    )
    yield page
    context.close()


def assert_clean(page):
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    assert page.failed_assets == []
    # Nothing wider than the phone: no sideways scrolling on a 360-pixel screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def network():
    from renda.accounts.services import user_create
    from renda.deputies.services import deputy_create
    from renda.network import services
    from renda.network.models import StationKeeper
    from renda.regions.models import Region

    def region(code, name, level, parent=None):
        path = (parent.path if parent else "") + code + "/"
        return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)

    province = region("52", "贵州省", "province")
    city = region("5205", "毕节市", "city", province)
    county = region("520521", "大方县", "county", city)
    township = region("520521105", "黄泥塘镇", "township", county)
    jiuyi = region("520521004", "九驿街道", "township", county)
    village = region("520521105002", "黄泥塘社区居民委员会", "village", township)
    center = services.station_create(name="大方县人大代表联络服务中心", kind="county_center", region=county)
    station = services.station_create(
        name="黄泥塘镇人大代表联络站",
        kind="township_station",
        region=township,
        parent=center,
        address="黄泥塘镇人民政府便民服务中心一楼",
        opening_hours="工作日 9:00—17:00；每月15日为代表接待日",
        contact_person="杨光明",
        contact_phone="0857-5231234",
    )
    services.station_create(name="黄泥塘社区代表之家", kind="deputies_home", region=village, parent=station)
    services.station_create(
        name="九驿街道人大代表联络站", kind="township_station", region=jiuyi, parent=center
    )
    wang = deputy_create(name="王芳", gender="female", region=township, phone="13812345678")
    services.stationed_deputy_add(station=station, deputy=wang, term="第十八届")
    services.reception_day_schedule(
        station=station,
        held_on=datetime.date.today() + datetime.timedelta(days=10),
        deputies=[wang],
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        theme="听取群众对乡村振兴工作的意见",
    )
    keeper = user_create(
        username="yanggm", password=PASSWORD, role="station_keeper", full_name="杨光明", region=township
    )
    StationKeeper.objects.create(station=station, user=keeper)
    return station


def test_constituent_finds_a_station_on_a_phone_without_login(page, network):
    page.goto("/stations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("代表联络站")
    cards = page.locator(".station-card")
    expect(cards).to_have_count(4)
    assert_clean(page)

    page.get_by_label("乡镇（街道）").select_option(label="黄泥塘镇")
    page.get_by_role("button", name="查找").click()
    expect(page).to_have_url(re.compile(r"township=520521105"))
    expect(cards).to_have_count(2)
    page.get_by_role("link", name=re.compile("黄泥塘镇人大代表联络站")).click()

    expect(page).to_have_url(re.compile(rf"/stations/{network.public_code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("黄泥塘镇人大代表联络站")
    expect(page.get_by_text("黄泥塘镇人民政府便民服务中心一楼")).to_be_visible()
    expect(page.get_by_role("link", name="0857-5231234")).to_have_attribute("href", "tel:0857-5231234")
    expect(page.get_by_text("听取群众对乡村振兴工作的意见")).to_be_visible()
    expect(page.get_by_text("王芳").first).to_be_visible()
    cta = page.get_by_role("link", name="向代表反映意见建议")
    expect(cta).to_be_visible()
    expect(cta).to_have_attribute("href", f"/o/{network.public_code}/")
    assert "138" not in page.content()  # no deputy's phone on a public page
    assert_clean(page)


def test_keeper_opens_the_poster_of_their_station(page, network, live_server):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("yanggm")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(f"/network/{network.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("黄泥塘镇人大代表联络站")
    page.get_by_role("link", name="打印二维码海报").click()
    expect(page.locator(".poster__qr svg")).to_be_visible()
    expect(page.locator(".poster__url")).to_have_text(f"{live_server.url}/o/{network.public_code}/")
    box = page.locator(".poster__qr svg").bounding_box()
    assert box["width"] > 250  # large enough to scan from the wall
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [] and page.failed_assets == []
