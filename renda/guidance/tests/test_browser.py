"""Browser journey at phone size: township staff report an item with a photo; the group leader
accepts it; the board's cell changes from 未报 to 待审 to 完成."""

import datetime
import io
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


def _page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return context, page


def _login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _assert_clean(page):
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def setup():
    from renda.accounts.services import user_create
    from renda.guidance import services
    from renda.regions.models import Region

    def region(code, name, level, parent=None):
        path = (parent.path if parent else "") + code + "/"
        return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)

    province = region("52", "贵州省", "province")
    city = region("5205", "毕节市", "city", province)
    county = region("520521", "大方县", "county", city)
    town = region("520521105", "黄泥塘镇", "township", county)
    street = region("520521004", "九驿街道", "township", county)
    user_create(username="luoyan", password=PASSWORD, role="township_staff", full_name="罗燕", region=town)
    leader = user_create(
        username="zhanggh", password=PASSWORD, role="leader", full_name="张国华", region=county
    )
    today = datetime.date.today()
    guidance_list = services.guidance_list_create(
        year=today.year,
        title=f"{today.year}年乡镇（街道）人大工作指导清单",
        region=county,
        townships=[town, street],
    )
    item = services.guidance_item_add(
        guidance_list=guidance_list,
        title="召开乡镇人大主席团会议",
        due_on=today + datetime.timedelta(days=30),
        evidence_expected="会议记录、照片",
    )
    services.guidance_group_create(
        guidance_list=guidance_list, name="第一指导组", leader=leader, townships=[town]
    )
    return {"list": guidance_list, "item": item}


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (180, 60, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_township_reports_with_a_photo_leader_accepts_board_changes(browser, live_server, setup):
    from renda.guidance.models import Evidence

    board_url = f"/guidance/{setup['list'].pk}/board/"
    cell = '[data-cell="520521105-1"]'

    staff_context, staff = _page(browser, live_server)
    _login(staff, "luoyan")
    staff.goto("/guidance/")
    expect(staff).to_have_url(re.compile(r"/townships/520521105/$"))
    staff.get_by_role("link", name=re.compile("召开乡镇人大主席团会议")).click()
    expect(staff.get_by_role("heading", level=2, name="报送落实情况")).to_be_visible()
    staff.get_by_label("已完成").first.check()
    staff.get_by_label("落实情况说明").fill("3月5日召开主席团第一次会议，研究代表活动安排。")
    staff.get_by_label("佐证材料").set_input_files(
        [{"name": "主席团会议.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    staff.get_by_role("button", name="报送").click()
    expect(staff.get_by_text("已报送，等待指导组审核。")).to_be_visible()
    expect(staff.locator("#item-state")).to_contain_text("待审核")
    expect(staff.locator(".gfiles__thumb")).to_be_visible()
    _assert_clean(staff)
    staff_context.close()
    evidence = Evidence.objects.get()
    assert evidence.is_photo and evidence.size < 400_000  # shrunk from 2400×1800

    leader_context, leader = _page(browser, live_server)
    _login(leader, "zhanggh")
    leader.goto(board_url)
    expect(leader.locator(cell)).to_contain_text("待审")
    leader.locator(cell).click()
    expect(leader.get_by_role("heading", level=2, name="审核")).to_be_visible()
    leader.get_by_label("通过").check()
    leader.get_by_role("button", name="提交审核").click()
    expect(leader.get_by_text("已审核通过。")).to_be_visible()
    leader.goto(board_url)
    expect(leader.locator(cell)).to_contain_text("完成")
    expect(leader.locator(cell)).to_contain_text("✓")
    # County-wide: 黄泥塘镇 done, 九驿街道 not yet reported → 1 of 2.
    expect(leader.locator("#board-rate")).to_have_text("50.0%")
    _assert_clean(leader)
    leader_context.close()


def test_large_text_township_pages_fit_a_phone(browser, live_server, setup):
    """With 大字 on, the header's 大字/高对比/English buttons wrap instead of pushing the page wider
    than a 360 px phone (it was 391 px: “English” cut off, 大字 broken into one character a line)."""
    context, page = _page(browser, live_server)
    context.add_cookies([{"name": "renda_large", "value": "1", "url": live_server.url}])
    _login(page, "luoyan")
    for url in ("/guidance/", f"/guidance/{setup['list'].pk}/board/"):
        page.goto(url)
        expect(page.locator("html")).to_have_class(re.compile("large-text"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        button = page.get_by_role("button", name="大字")
        box = button.bounding_box()
        assert box["height"] < 2.5 * 16 * 1.25, box  # one line, not one character a line
    _assert_clean(page)
    context.close()
