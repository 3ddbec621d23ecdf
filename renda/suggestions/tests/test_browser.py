"""One suggestion's whole life in Chromium: written on a deputy's phone, 交办 by staff, answered by the
unit, 不满意, re-handled, 满意, 办结 — with no CSP violation or script error on any page."""

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


@pytest.fixture
def people(db):
    from renda.accounts.services import user_create
    from renda.deputies.services import deputy_create
    from renda.organizations.models import Organization
    from renda.regions.models import Region

    province = Region.objects.create(code="52", name="贵州省", level="province", path="52/")
    city = Region.objects.create(code="5205", name="毕节市", level="city", parent=province, path="52/5205/")
    county = Region.objects.create(
        code="520521", name="大方县", level="county", parent=city, path="52/5205/520521/"
    )
    township = Region.objects.create(
        code="520521105", name="黄泥塘镇", level="township", parent=county, path="52/5205/520521/520521105/"
    )
    unit = Organization.objects.create(name="县交通运输局", kind="handling_unit", region=county)
    deputy = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    deputy_create(name="王芳", gender="female", region=township, user=deputy)
    user_create(username="chen", password=PASSWORD, role="county_staff", full_name="陈立新", region=county)
    user_create(
        username="jiaotong",
        password=PASSWORD,
        role="handling_unit",
        full_name="交通局办公室",
        region=county,
        organization=unit,
    )


def _page(browser, live_server, size):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **size)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on(
        "response",
        lambda r: r.status >= 400 and "/static/" in r.url and page.problems.append(f"{r.status} {r.url}"),
    )
    return page


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _clean(page):
    assert page.problems == [], page.problems


def _state(page, text):
    expect(page.locator("#state-badge")).to_have_text(text)


def _unit_reply(unit, url, content, text):
    unit.goto(url)
    contact = unit.locator("#step-contact")
    contact.get_by_label("沟通方式").select_option(label="电话")
    contact.get_by_label("沟通内容").fill(content)
    contact.get_by_role("button", name="沟通", exact=True).click()
    expect(unit.get_by_role("status").filter(has_text="已沟通")).to_be_visible()
    reply = unit.locator("#step-reply")
    reply.get_by_label("A类 已解决或基本解决").check()
    reply.get_by_label("答复内容").fill(text)
    reply.get_by_label("签发领导").fill("张局长")
    reply.get_by_label("答复函（盖章扫描件）").set_input_files(
        {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 reply"}
    )
    reply.get_by_role("button", name="答复", exact=True).click()
    _state(unit, "已答复待评价")
    _clean(unit)


def test_a_suggestion_from_a_phone_to_closing(browser, live_server, people):
    deputy = _page(browser, live_server, PHONE)
    _log_in(deputy, "wangfang")
    deputy.goto("/suggestions/mine/")
    deputy.get_by_role("link", name="写建议").click()
    deputy.get_by_label("标题").fill("关于修复黄泥塘镇通村公路的建议")
    deputy.get_by_label("建议内容").fill("黄泥塘镇至九驿街道的通村公路路面破损，雨天积水，群众出行困难。")
    deputy.get_by_label("类别").select_option(label="交通")
    # The page is usable at 360 px: no sideways scrolling.
    assert deputy.evaluate("document.documentElement.scrollWidth") <= 360
    deputy.get_by_role("button", name="保存草稿").click()
    _state(deputy, "草稿")
    deputy.locator("#step-submit").get_by_role("button", name="提交", exact=True).click()
    _state(deputy, "待审查")
    url = re.sub(r"^https?://[^/]+", "", deputy.url)
    _clean(deputy)

    staff = _page(browser, live_server, DESKTOP)
    _log_in(staff, "chen")
    staff.goto("/suggestions/")
    staff.get_by_role("link", name="关于修复黄泥塘镇通村公路的建议").click()
    staff.locator("#step-accept").get_by_role("button", name="审查立案").click()
    _state(staff, "已立案待交办")
    expect(staff.get_by_text("第18届第3次会议第001号")).to_be_visible()
    assign = staff.locator("#step-assign")
    assign.get_by_label("主办单位").select_option(label="县交通运输局")
    assign.get_by_role("button", name="交办", exact=True).click()
    _state(staff, "办理中")
    _clean(staff)

    unit = _page(browser, live_server, DESKTOP)
    _log_in(unit, "jiaotong")
    unit.goto("/suggestions/unit/")
    expect(unit.get_by_text("待签收")).to_be_visible()
    unit.get_by_role("link", name="关于修复黄泥塘镇通村公路的建议").click()
    unit.locator("#step-unit_accept").get_by_role("button", name="签收").click()
    expect(unit.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    _unit_reply(unit, url, "电话联系王芳代表，了解破损路段位置", "已安排资金修复K2至K3段，预计两个月内完工。")

    deputy.goto(url)
    expect(deputy.get_by_text("已安排资金修复K2至K3段")).to_be_visible()
    evaluation = deputy.locator("#step-evaluate")
    evaluation.locator("fieldset").filter(has_text="对办理结果").get_by_label("不满意").check()
    evaluation.locator("fieldset").filter(has_text="对办理态度").get_by_label("基本满意").check()
    evaluation.get_by_label("意见和建议").fill("只修了一段，其余路段仍未修复")
    evaluation.get_by_role("button", name="评价办理结果").click()
    _state(deputy, "重新办理")
    _clean(deputy)

    _unit_reply(unit, url, "登门走访王芳代表，现场察看其余路段", "全部破损路段已修复，并增设排水沟。")

    deputy.goto(url)
    evaluation = deputy.locator("#step-evaluate")
    evaluation.locator("fieldset").filter(has_text="对办理结果").get_by_label("满意", exact=True).check()
    evaluation.locator("fieldset").filter(has_text="对办理态度").get_by_label("满意", exact=True).check()
    evaluation.get_by_role("button", name="评价办理结果").click()
    _state(deputy, "办结")
    expect(deputy.locator("#step-evaluate")).to_have_count(0)
    _clean(deputy)

    staff.goto(url.rstrip("/") + "/timeline/")
    timeline = staff.locator(".timeline")
    for step in ("提交", "审查立案", "交办", "签收", "沟通", "答复", "不满意，重新办理", "评价"):
        expect(timeline.get_by_text(step, exact=True).first).to_be_visible()
    _clean(staff)


def test_statistics_charts_draw_without_csp_errors(browser, live_server, people):
    staff = _page(browser, live_server, DESKTOP)
    _log_in(staff, "chen")
    staff.goto("/suggestions/stats/")
    expect(staff.locator("#chart-groups canvas")).to_have_count(1)
    expect(staff.locator("#chart-categories canvas")).to_have_count(1)
    _clean(staff)


def test_a_co_units_input_reaches_the_lead_and_its_part_closes(browser, live_server, people):
    from renda.accounts.models import User
    from renda.accounts.services import user_create
    from renda.deputies.models import Deputy
    from renda.organizations.models import Organization
    from renda.suggestions import services

    transport = Organization.objects.get(name="县交通运输局")
    housing = Organization.objects.create(
        name="县住房和城乡建设局", kind="handling_unit", region=transport.region
    )
    user_create(
        username="zhujian", password=PASSWORD, role="handling_unit", full_name="住建局", organization=housing
    )
    staff = User.objects.get(username="chen")
    item = services.suggestion_create(
        actor=User.objects.get(username="wangfang"),
        lead_deputy=Deputy.objects.get(name="王芳"),
        title="关于整治集镇排水和道路的建议",
        body="集镇道路积水严重，排水沟堵塞，建议交通、住建部门联合整治。",
        category="construction",
        submit=True,
    )
    services.suggestion_accept(actor=staff, suggestion=item)
    services.suggestion_assign(actor=staff, suggestion=item, lead_unit=transport, co_units=[housing])
    url = f"/suggestions/{item.pk}/"

    # The co-unit, on a phone: sees its deadline, signs, sends its input to the lead unit.
    co = _page(browser, live_server, PHONE)
    _log_in(co, "zhujian")
    co.goto("/suggestions/unit/")
    co.get_by_role("link", name="关于整治集镇排水和道路的建议").first.click()
    expect(co.locator("#co-part")).to_contain_text("向主办单位县交通运输局报送协办意见")
    co.locator("#step-unit_accept").get_by_role("button", name="签收").click()
    co_input = co.locator("#step-co_input")
    co_input.get_by_label("协办意见").fill("排水沟清淤由我局负责，已列入本季度计划。")
    co_input.get_by_role("button", name="报送协办意见").click()
    expect(co.locator("#co-part")).to_contain_text("已于")
    assert co.evaluate("document.documentElement.scrollWidth") <= 360
    _clean(co)

    # The lead unit sees the co-unit's input next to its reply form, then replies.
    lead = _page(browser, live_server, DESKTOP)
    _log_in(lead, "jiaotong")
    lead.goto(url)
    lead.locator("#step-unit_accept").get_by_role("button", name="签收").click()
    expect(lead.locator("#co-inputs")).to_contain_text("排水沟清淤由我局负责")
    _unit_reply(lead, url, "电话联系王芳代表", "道路由我局修复，排水沟由住建局清淤。")

    # The co-unit's part is closed and it reads the lead's answer.
    co.goto(url)
    expect(co.locator("#replies-title")).to_be_visible()
    expect(co.get_by_text("道路由我局修复，排水沟由住建局清淤。")).to_be_visible()
    expect(co.locator('[id^="step-"]')).to_have_count(0)
    _clean(co)


def test_a_cosigner_is_chosen_on_a_phone_by_initials_and_confirms(browser, live_server, people):
    from renda.accounts.services import user_create
    from renda.deputies.models import Deputy
    from renda.deputies.services import congress_create, deputy_create, mandate_create
    from renda.regions.models import Region
    from renda.suggestions.models import Suggestion

    county = Region.objects.get(code="520521")
    congress = congress_create(level="county", region=county, term=18)
    li_user = user_create(username="liming", password=PASSWORD, role="deputy", full_name="李明")
    li = deputy_create(name="李明", gender="male", region=county, user=li_user)
    mandate_create(deputy=li, congress=congress, delegation="九驿街道代表团")
    zhao = deputy_create(name="赵红旗", gender="male", region=county)
    mandate_create(deputy=zhao, congress=congress, delegation="黄泥塘镇代表团")
    mandate_create(deputy=Deputy.objects.get(name="王芳"), congress=congress)

    deputy = _page(browser, live_server, PHONE)
    _log_in(deputy, "wangfang")
    deputy.goto("/suggestions/write/")
    deputy.get_by_label("标题").fill("关于增设九驿街道停车位的建议")
    deputy.get_by_label("建议内容").fill("九驿街道停车位不足，建议增设。")
    deputy.get_by_label("类别").select_option(label="交通")
    deputy.get_by_label("联名代表").fill("lm")
    option = deputy.get_by_role("checkbox", name="李明（九驿街道代表团）")
    option.check()
    # A second search keeps the first pick (it moves to the chosen list).
    deputy.get_by_label("联名代表").fill("红旗")
    deputy.get_by_role("checkbox", name="赵红旗（黄泥塘镇代表团）").check()
    expect(deputy.get_by_role("checkbox", name="李明（九驿街道代表团）")).to_be_checked()
    assert deputy.evaluate("document.documentElement.scrollWidth") <= 360
    deputy.get_by_role("button", name="保存草稿").click()
    _state(deputy, "草稿")
    expect(deputy.get_by_text("李明（待确认）")).to_be_visible()
    expect(deputy.get_by_text("赵红旗（待确认）")).to_be_visible()
    url = re.sub(r"^https?://[^/]+", "", deputy.url)
    _clean(deputy)

    cosigner = _page(browser, live_server, PHONE)
    _log_in(cosigner, "liming")
    cosigner.goto(url)
    cosigner.locator("#cosign-request").get_by_role("button", name="同意联名").click()
    expect(cosigner.get_by_role("status").filter(has_text="已确认联名")).to_be_visible()
    _clean(cosigner)
    signer = Suggestion.objects.get(title="关于增设九驿街道停车位的建议").signers.get(deputy=li)
    assert signer.answer == "confirmed"
