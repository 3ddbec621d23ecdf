"""Browser journeys: staff import the sample roster with its progress bar and preview; a deputy uses the
portal on a 360-pixel phone, and its first load stays under 100 KB."""

import datetime
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Renda#2024x"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "代表名册-示例.xlsx"


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
    page.console_errors = []
    page.failed_assets = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and "/static/" in r.url and page.failed_assets.append(f"{r.status} {r.url}")
        ),
    )
    return context, page


def assert_clean(page):
    assert [t for t in page.console_errors if "Content Security Policy" in t] == []
    assert page.failed_assets == []


@pytest.fixture
def county():
    from renda.conftest import make_region
    from renda.deputies.services import congress_create, constituency_create

    province = make_region("52", "贵州省", "province")
    city = make_region("5205", "毕节市", "city", province)
    county = make_region("520521", "大方县", "county", city)
    township = make_region("520521105", "黄泥塘镇", "township", county)
    congress = congress_create(level="county", region=county, term=18, starts_on=datetime.date(2021, 12, 28))
    for number in (41, 42, 43, 44):
        constituency_create(congress=congress, name=f"第{number}选区", number=number, region=township)
    return {"county": county, "township": township, "congress": congress}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def test_staff_import_the_sample_roster_with_progress_and_preview(browser, live_server, county, monkeypatch):
    from renda.accounts.services import user_create
    from renda.deputies import tasks
    from renda.deputies.imports import roster_check_run
    from renda.deputies.models import Deputy, RosterImport

    user_create(
        username="liming", password=PASSWORD, role="county_staff", full_name="李明", region=county["county"]
    )
    # Hold the dry run back so that the page shows the bar moving, as it does with a real worker.
    monkeypatch.setattr(tasks, "roster_check_task", SimpleNamespace(enqueue=lambda **kwargs: None))
    context, page = _page(browser, live_server, DESKTOP)
    try:
        log_in(page, "liming")
        page.goto("/deputies/")
        page.get_by_role("link", name="导入名册").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("导入代表名册")
        page.get_by_label("导入到").fill("第十八届")  # the congress is a search picker
        page.get_by_role("radio", name="大方县第十八届人民代表大会").last.check()
        page.get_by_label("代表名册文件").set_input_files(str(SAMPLE))
        page.get_by_role("button", name="上传并检查").click()

        expect(page).to_have_url(re.compile(r"/deputies/imports/[0-9a-f-]+/$"))
        bar = page.locator("#import-status progress")
        expect(bar).to_have_attribute("value", "0")
        expect(page.locator("#import-status .job__state")).to_contain_text("排队中")
        batch = RosterImport.objects.get()
        roster_check_run(str(batch.check_job_id))  # the worker runs; the bar polls and the preview loads

        expect(bar).to_have_attribute("value", "100")
        expect(page.locator("#import-status .job__state")).to_contain_text("已完成")
        expect(page.get_by_role("heading", name="检查结果")).to_be_visible()
        rows = page.locator("#import-status tbody tr")
        expect(rows).to_have_count(12)
        expect(page.locator("tr.outcome-new")).to_have_count(6)
        expect(page.locator("tr.outcome-error")).to_have_count(6)
        expect(rows.filter(has_text="罗敏").first).to_contain_text("新增")
        expect(page.locator("tr.outcome-error").filter(has_text="与第 4 行的身份证号码重复")).to_have_count(1)
        expect(page.get_by_text("身份证号码被 Excel 存成了数字")).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("确认导入"))).to_have_count(0)
        expect(page.get_by_role("alert").filter(has_text="有 6 行存在错误")).to_be_visible()
        assert "520521197503" not in page.content()  # ID numbers only masked in the preview

        page.get_by_role("link", name=re.compile("错误 6")).click()
        expect(page.locator("#import-status tbody tr")).to_have_count(6)
        assert not Deputy.objects.exists()
        assert_clean(page)
    finally:
        context.close()


def test_staff_confirm_a_clean_roster(browser, live_server, county):
    from renda.accounts.services import user_create
    from renda.deputies.models import Deputy
    from renda.deputies.tests.test_imports import clean_workbook

    user_create(
        username="liming", password=PASSWORD, role="county_staff", full_name="李明", region=county["county"]
    )
    context, page = _page(browser, live_server, DESKTOP)
    try:
        log_in(page, "liming")
        page.goto("/deputies/imports/new/")
        page.get_by_label("代表名册文件").set_input_files(
            files=[{"name": "名册.xlsx", "mimeType": "application/octet-stream", "buffer": clean_workbook()}]
        )
        page.get_by_role("button", name="上传并检查").click()
        confirm = page.get_by_role("button", name="确认导入（新增 6 人，更新 0 人）")
        expect(confirm).to_be_visible()
        confirm.click()
        expect(page.get_by_role("status").filter(has_text="已导入：新增 6")).to_be_visible()
        expect(page.locator("#import-status progress")).to_have_attribute("value", "100")
        assert Deputy.objects.count() == 6
        page.get_by_role("link", name="查看代表名册").click()
        expect(page.locator("#deputy-rows tbody tr")).to_have_count(6)
        expect(page.locator("#deputy-rows tbody tr").first).to_contain_text("龙春梅")  # 龙 5 strokes, first
        assert_clean(page)
    finally:
        context.close()


def test_deputy_portal_on_a_phone(browser, live_server, county):
    from renda.accounts.services import user_create
    from renda.deputies.services import deputy_create, mandate_create

    user = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    wang = deputy_create(
        name="王　芳",
        gender="female",
        region=county["township"],
        user=user,
        id_number="520521198003151224",
        phone="13812345678",
    )
    mandate_create(
        deputy=wang, congress=county["congress"], constituency=county["congress"].constituencies.first()
    )
    network = pytest.importorskip("renda.network.models")
    if hasattr(network, "StationedDeputy") and hasattr(network, "ReceptionDay"):
        station = network.Station.objects.create(
            name="黄泥塘镇代表联络站", kind="township_station", region=county["township"]
        )
        network.StationedDeputy.objects.create(station=station, deputy=wang, term="第十八届")
        network.ReceptionDay.objects.create(
            station=station, held_on=datetime.date.today() + datetime.timedelta(days=5), state="scheduled"
        )

    context, page = _page(browser, live_server, PHONE)
    try:
        log_in(page, "wangfang")
        expect(page).to_have_url(re.compile(r"/deputies/portal/$"))
        expect(page.get_by_role("heading", name="王芳代表，您好")).to_be_visible()
        expect(page.get_by_text("138****5678")).to_be_visible()
        expect(page.get_by_text("520521********1224")).to_be_visible()
        expect(page.get_by_text("大方县第十八届人民代表大会")).to_be_visible()
        if hasattr(network, "StationedDeputy"):
            expect(page.get_by_role("heading", name="我的联络站")).to_be_visible()
            expect(page.get_by_text("近期接待日")).to_be_visible()
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        page.get_by_role("link", name="记录联系选民").click()
        contact = page.locator("#contact")
        expect(contact.get_by_text("已联系选民 0 次")).to_be_visible()
        contact.get_by_label("联系方式").select_option(label="走访")
        contact.get_by_label("地点").fill("黄泥塘社区")
        contact.get_by_label("联系人数").fill("6")
        contact.get_by_label("联系主题").fill("村组道路硬化")
        contact.get_by_label("听取的意见建议").fill("希望年内完工")
        contact.get_by_role("button", name="保存联系记录").click()

        expect(page.get_by_role("status").filter(has_text="联系选民记录已保存")).to_be_visible()
        expect(page.locator("#contact").get_by_text("已联系选民 1 次")).to_be_visible()
        expect(page.locator(".records__item").filter(has_text="走访联系选民：村组道路硬化")).to_be_visible()
        expect(page.locator(".stat__value")).to_have_text("1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_clean(page)
    finally:
        context.close()


def test_portal_first_load_is_within_the_page_budget(browser, live_server, county, capsys):
    """Cold cache at phone size: the page plus every asset it loads (renda.conftest.assert_light)."""
    from renda.accounts.services import user_create
    from renda.conftest import assert_light
    from renda.deputies.services import deputy_create

    user = user_create(username="wangfang", password=PASSWORD, role="deputy", full_name="王芳")
    deputy_create(name="王芳", gender="female", region=county["township"], user=user, phone="13812345678")
    context, page = _page(browser, live_server, PHONE)
    try:
        log_in(page, "wangfang")
        expect(page).to_have_url(re.compile(r"/deputies/portal/$"))
        state = context.storage_state()
    finally:
        context.close()
    cold = browser.new_context(base_url=live_server.url, storage_state=state, **PHONE)
    try:
        page = cold.new_page()
        bodies = {}
        page.on("response", lambda r: bodies.__setitem__(r.url.replace(live_server.url, ""), r.body()))
        page.goto("/deputies/portal/")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", name="联系选民")).to_be_visible()
        with capsys.disabled():
            print(f"\nportal first load: {sum(map(len, bodies.values()))} bytes in {len(bodies)} responses")
        assert_light(bodies)
    finally:
        cold.close()
