"""A constituent on a phone: QR page → opinion → tracking code; a keeper replies; the reply shows up."""

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


def new_page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return page


def assert_clean(page):
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    # A refused form answers 400 on purpose (the browser logs that); anything else is a fault.
    others = [t for t in page.console_errors if "status of 400" not in t]
    assert others == [], others


def assert_fits_the_phone(page):
    """Nothing pushes the page sideways at 360 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


@pytest.fixture
def station():
    from renda.accounts.services import user_create
    from renda.network.models import Station, StationKeeper
    from renda.regions.models import Region

    province = Region.objects.create(code="52", name="贵州省", level="province", path="52/")
    city = Region.objects.create(code="5205", name="毕节市", level="city", parent=province, path="52/5205/")
    county = Region.objects.create(
        code="520521", name="大方县", level="county", parent=city, path="52/5205/520521/"
    )
    township = Region.objects.create(
        code="520521105", name="黄泥塘镇", level="township", parent=county, path="52/5205/520521/520521105/"
    )
    station = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=township
    )
    keeper = user_create(
        username="yangguangming",
        password=PASSWORD,
        role="station_keeper",
        full_name="杨光明",
        region=township,
    )
    StationKeeper.objects.create(station=station, user=keeper)
    return station


def test_constituent_submits_keeper_replies_constituent_reads_the_reply(browser, live_server, station):
    # 1. The constituent scans the poster: the QR code opens /o/<code>/ on their phone.
    constituent = new_page(browser, live_server)
    constituent.goto(station.opinion_path)
    expect(constituent.get_by_role("heading", level=1)).to_have_text("向人大代表反映意见")
    expect(constituent.get_by_text("黄泥塘镇人大代表联络站 · 黄泥塘镇")).to_be_visible()
    assert_fits_the_phone(constituent)
    constituent.get_by_label("您的意见或建议").fill("新寨组到集镇的路灯坏了三个月，晚上出行很不安全。")
    constituent.get_by_label("类别").select_option(label="城乡建设")
    constituent.get_by_label("联系电话（选填）").fill("12345")
    constituent.get_by_role("button", name="提交意见").click()
    # A wrong number is refused next to the phone field, and what was typed is kept.
    phone = constituent.get_by_label("联系电话（选填）")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(constituent.locator("#id_constituent_phone_error")).to_contain_text("电话号码格式不正确")
    expect(constituent.get_by_label("您的意见或建议")).to_have_value(re.compile("路灯坏了三个月"))
    phone.fill("13812345678")
    constituent.get_by_role("button", name="提交意见").click()

    expect(constituent).to_have_url(re.compile(r"/opinions/submitted/\?t="))
    expect(constituent.get_by_role("heading", level=1)).to_have_text("您的意见已提交")
    code = constituent.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", code), code
    assert_fits_the_phone(constituent)
    assert_clean(constituent)

    # 2. The station keeper signs in (also on a phone), finds the opinion and answers on the spot.
    keeper = new_page(browser, live_server)
    keeper.goto("/accounts/login/")
    keeper.get_by_label("用户名").fill("yangguangming")
    keeper.get_by_label("密码").fill(PASSWORD)
    keeper.get_by_role("button", name="登录", exact=True).click()
    keeper.get_by_text("菜单", exact=True).click()
    keeper.locator(".navmenu__panel").get_by_role("link", name="群众意见").click()
    expect(keeper).to_have_url(re.compile(r"/opinions/$"))
    keeper.get_by_role("link", name=re.compile("新寨组到集镇的路灯坏了三个月")).click()
    expect(keeper.locator("#opinion-state")).to_have_text("已受理")
    expect(keeper.get_by_text("138****5678")).to_be_visible()
    keeper.get_by_text("当场答复", exact=True).click()
    keeper.get_by_label("答复内容").fill("已联系镇村建中心，本周五前修复路灯。")
    keeper.get_by_role("button", name="确认当场答复").click()
    expect(keeper.get_by_role("status").filter(has_text="已当场答复")).to_be_visible()
    expect(keeper.locator("#opinion-state")).to_have_text("已当场答复")
    expect(keeper.locator("#opinion-reply")).to_contain_text("本周五前修复路灯")
    assert_fits_the_phone(keeper)
    assert_clean(keeper)

    # 3. The constituent looks up progress with the code, sees the reply and says they are satisfied.
    constituent.get_by_role("link", name="查看办理进展").click()
    constituent.get_by_label("查询码").fill(code.lower())
    constituent.get_by_role("button", name="查询").click()
    expect(constituent.locator("#track-state")).to_have_text("已当场答复")
    expect(constituent.locator("#track-reply")).to_contain_text("已联系镇村建中心，本周五前修复路灯。")
    constituent.get_by_label("满意", exact=True).check()
    constituent.get_by_role("button", name="提交评价").click()
    expect(constituent.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()
    expect(constituent.get_by_text("您的评价：满意")).to_be_visible()
    assert_fits_the_phone(constituent)
    assert_clean(constituent)

    from renda.opinions.models import Opinion

    opinion = Opinion.objects.get(tracking_code=code)
    assert (opinion.state, opinion.satisfaction, opinion.constituent_phone) == (
        "answered",
        "satisfied",
        "13812345678",
    )
    assert [e.action for e in opinion.events.order_by("id")] == ["receive", "transition", "rate"]


def test_a_referred_opinion_is_answered_by_the_department_and_read_on_the_tracking_page(
    browser, live_server, station
):
    from renda.accounts.services import user_create
    from renda.opinions.services import opinion_submit_public
    from renda.organizations.models import Organization

    township = station.region
    unit = Organization.objects.create(
        name="县住房和城乡建设局", kind="handling_unit", region=township.parent
    )
    user_create(
        username="xiangzhen", password=PASSWORD, role="township_staff", full_name="乡镇干部", region=township
    )
    user_create(
        username="zhujian", password=PASSWORD, role="handling_unit", full_name="住建局", organization=unit
    )
    opinion = opinion_submit_public(
        station=station, content="集镇老街排水沟堵塞，下雨就淹到路面。", category="urban"
    )

    def log_in(page, username):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    # 1. Township staff refer it to the housing bureau.
    staff = new_page(browser, live_server)
    log_in(staff, "xiangzhen")
    staff.goto(f"/opinions/{opinion.pk}/")
    staff.get_by_text("转交部门", exact=True).click()
    refer = staff.locator('form:has(input[name="target"][value="referred"])')
    refer.get_by_label("承办部门").select_option(label="县住房和城乡建设局")
    refer.get_by_label("办理说明").fill("请住建局核实并答复群众")
    refer.get_by_role("button", name="确认转交部门").click()
    expect(staff.locator("#opinion-state")).to_have_text("已转交部门")
    assert_clean(staff)

    # 2. The department, on a phone, answers within its deadline.
    department = new_page(browser, live_server)
    log_in(department, "zhujian")
    department.goto(f"/opinions/{opinion.pk}/")
    answer = department.locator("#department-answer")
    expect(answer).to_contain_text("答复期限")
    answer.get_by_label("答复群众").check()
    answer.get_by_label("答复内容或退回理由").fill("已安排清淤，本月底前完成老街排水沟改造。")
    answer.get_by_role("button", name="提交").click()
    expect(department.get_by_role("status").filter(has_text="已答复")).to_be_visible()
    expect(department.locator("#opinion-reply")).to_contain_text("本月底前完成")
    assert_fits_the_phone(department)
    assert_clean(department)

    # 3. The resident follows the link with the code and reads the department's answer.
    resident = new_page(browser, live_server)
    resident.goto(f"/opinions/track/?code={opinion.tracking_code}")
    resident.get_by_role("button", name="查询").click()
    expect(resident.locator("#track-reply")).to_contain_text("已安排清淤，本月底前完成老街排水沟改造。")
    expect(resident.locator("#track-reply")).to_contain_text("县住房和城乡建设局")
    expect(resident.locator("#result")).to_contain_text("承办部门答复")
    assert_fits_the_phone(resident)
    assert_clean(resident)

    # 4. The staff timeline shows the referral and the department's answer.
    staff.goto(f"/opinions/{opinion.pk}/")
    events = staff.locator("#events-title + .table-wrap")
    expect(events).to_contain_text("部门答复")
    expect(events).to_contain_text("县住房和城乡建设局")
    assert_clean(staff)
