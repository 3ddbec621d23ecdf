"""Forms on a 360-pixel phone with 大字 (issue 11 §4): switching a preference never loses what was typed;
long text fields count characters as they are typed; after a submit, the error summary or the success
message is on screen, not 1,200 px below where the reloaded page opens."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from renda.conftest import PHONE
from renda.core.tests import test_phone_sweep

phone_world = test_phone_sweep.phone_world  # a station, a resident's opinion, the deputy's suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPINION = "村口的路灯坏了三盏，晚上老人出行不便。"
TOPICS = "听取黄泥塘社区群众对通村公路的意见"


def _phone(browser, live_server, user=None, large=True):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(15_000)
    cookies = [{"name": "renda_large", "value": "1" if large else "0", "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # A refused form answers 400, which Chromium logs as a failed resource: not a script error.
    page.on(
        "console",
        lambda msg: msg.type == "error" and "status of 400" not in msg.text and page.errors.append(msg.text),
    )
    return context, page


def _switch_every_preference(page, typed: dict[str, str], checked: tuple[str, ...] = (), reload: bool = True):
    """Tap 大字, 高对比, English and 中文 in turn; after each, every typed value is still in its field
    and every box in `checked` still ticked. Then (`reload`) a fresh load keeps the switches."""

    def still_there():
        for selector, value in typed.items():
            expect(page.locator(selector)).to_have_value(value)
        for selector in checked:
            expect(page.locator(selector)).to_be_checked()

    page.get_by_role("button", name="大字").click()
    expect(page.locator("html")).not_to_have_class("large-text")
    still_there()
    page.get_by_role("button", name="高对比").click()
    expect(page.locator("html")).to_have_class("high-contrast")
    still_there()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    still_there()
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    still_there()
    if not reload:
        return
    # The switches were saved: a fresh load keeps them.
    page.reload()
    expect(page.locator("html")).to_have_class("high-contrast")


def test_switching_preferences_keeps_the_public_opinion_form_as_typed(browser, live_server, phone_world):
    context, page = _phone(browser, live_server)
    page.goto(f"/o/{phone_world['station'].public_code}/")
    page.fill("#id_content", OPINION)
    page.fill("#id_constituent_name", "张大妈")
    page.fill("#id_constituent_phone", "13800001111")
    _switch_every_preference(
        page,
        {"#id_content": OPINION, "#id_constituent_name": "张大妈", "#id_constituent_phone": "13800001111"},
    )
    assert page.errors == []
    context.close()


def test_switching_preferences_keeps_the_deputys_contact_form_as_typed(browser, live_server, users, deputies):
    context, page = _phone(browser, live_server, users["deputy"])
    page.goto("/deputies/portal/")
    page.fill("#id_topics", TOPICS)
    page.fill("#id_place", "黄泥塘社区")
    page.fill("#id_people_count", "12")
    page.select_option("#id_method", index=1)
    method = page.input_value("#id_method")
    _switch_every_preference(
        page,
        {"#id_topics": TOPICS, "#id_place": "黄泥塘社区", "#id_people_count": "12", "#id_method": method},
    )
    assert page.errors == []
    context.close()


def test_switching_preferences_keeps_the_cosigners_picked(browser, live_server, users, deputies, phone_world):
    """The co-signer picker's picks come from a search (htmx), so the reloaded page does not hold them:
    they are put back as chips, and the draft is saved with them."""
    from renda.suggestions.models import Suggestion

    li = deputies["li"]
    context, page = _phone(browser, live_server, users["deputy"])
    page.goto("/suggestions/write/")
    title = "关于在黄泥塘镇农贸市场增设公共厕所的建议"
    page.fill("#id_title", title)
    page.fill("#id_cosigners_q", "李")
    page.locator(f"#id_cosigners_results input[value='{li.pk}']").check()
    chip = f"#id_cosigners .picker__current input[value='{li.pk}']"
    expect(page.locator(chip)).to_be_checked()
    _switch_every_preference(page, {"#id_title": title}, checked=(chip,), reload=False)
    expect(page.locator("#id_cosigners .picker__current")).to_contain_text("李明")
    page.fill("#id_body", "黄泥塘镇农贸市场周边没有公共厕所，赶集的群众如厕不便。")
    page.select_option("#id_category", "construction")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("main .messages")).to_be_visible()
    draft = Suggestion.objects.get(title=title)
    assert list(draft.signers.filter(is_lead=False).values_list("deputy", flat=True)) == [li.pk]
    assert page.errors == []
    context.close()


def test_switching_preferences_keeps_text_over_the_limit(browser, live_server, phone_world):
    """Over-long text is kept as typed, before a submit and after the refused submit (when the page
    holds it as the form's own value)."""
    context, page = _phone(browser, live_server)
    page.goto(f"/o/{phone_world['station'].public_code}/")
    long_text = "路灯坏了" * 520  # 2080 characters, the limit is 2000
    page.fill("#id_content", long_text)
    page.fill("#id_constituent_name", "张大妈")
    _switch_every_preference(page, {"#id_content": long_text, "#id_constituent_name": "张大妈"}, reload=False)
    page.get_by_role("button", name="提交").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("最多 2000 字")
    # The language is the switch that reloads the page (大字 and 高对比 switch in place).
    for button, lang in (("English", "en"), ("中文", "zh-hans")):
        page.get_by_role("button", name=button).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#id_content")).to_have_value(long_text)
        expect(page.locator("#id_constituent_name")).to_have_value("张大妈")
    expect(page.locator("#id_content_counter")).to_contain_text("超出 80 字")
    assert page.errors == []
    context.close()


def test_a_long_text_field_counts_what_is_typed(browser, live_server, phone_world):
    context, page = _phone(browser, live_server)
    page.goto(f"/o/{phone_world['station'].public_code}/")
    counter = page.locator("#id_content_counter")
    expect(counter).to_have_text("已输入 0/2000 字")
    page.fill("#id_content", OPINION)
    expect(counter).to_have_text(f"已输入 {len(OPINION)}/2000 字")
    page.fill("#id_content", "字" * 2105)  # a paste is not cut short: the counter says how much is over
    expect(counter).to_have_text("已输入 2105/2000 字，超出 105 字")
    page.get_by_role("button", name="提交").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("您的意见或建议最多 2000 字，现在 2105 字")
    expect(summary).to_be_in_viewport()
    context.close()


def test_the_contact_forms_outcome_is_on_screen_at_360px_with_large_text(
    browser, live_server, users, deputies
):
    context, page = _phone(browser, live_server, users["deputy"])
    page.goto("/deputies/portal/")
    page.fill("#id_place", "黄泥塘社区")
    page.get_by_role("button", name="保存联系记录").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请填写联系主题")
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link", name="联系主题").click()
    expect(page.locator("#id_topics")).to_be_focused()
    page.fill("#id_topics", TOPICS)
    page.get_by_role("button", name="保存联系记录").click()
    message = page.locator("main .messages")
    expect(message).to_be_focused()
    expect(message).to_contain_text("联系选民记录已保存")
    expect(message).to_be_in_viewport()
    assert page.errors == []
    context.close()
