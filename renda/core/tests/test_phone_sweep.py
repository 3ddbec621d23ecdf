"""No horizontal scrolling at 360 px: every page a deputy, a handling unit, a station keeper, a resident
(and the township staff and leader who also read on phones) opens, in every combination of 大字, 高对比
and language (zh-hans, en). Issue 11 §4.

The pages are found by walking each role's links from its home page with Django's test client (fast, no
browser), one page per URL shape (/suggestions/1/ and /suggestions/2/ are the same template); then one
Chromium context per preference combination visits them all and reads document.documentElement.scrollWidth.
"""

import itertools
import os
import re
from html import unescape
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings
from django.test import Client

from renda.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = PHONE["viewport"]["width"]
ROLES = ("deputy", "unit", "station_keeper")
# Desk roles that also read on phones: the pages testers found too wide (not a whole walk, to stay fast).
ALSO = {"leader": ["/deputies/"], "township_staff": ["/suggestions/stats/", "/suggestions/"]}
# Links that are not pages to look at: files, signing out, JSON, the admin.
SKIP = re.compile(
    r"^/(api|static|media|admin|accounts/logout|i18n)/|export|download|\.(docx|xlsx|pdf|csv|zip)$|/file/|/attachments?/"
)
HREF = re.compile(r'href="([^"#]+)"')
MAX_PAGES_PER_ROLE = 60


def _shape(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", re.sub(r"/\d+/", "/N/", path))


def discover(client: Client, starts: list[str]) -> list[str]:
    """Breadth-first walk over same-site HTML pages reachable from `starts`; one path per URL shape."""
    seen_shapes, pages, queue = set(), [], list(starts)
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if _shape(path) in seen_shapes:
            continue
        seen_shapes.add(_shape(path))
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        if final != path and _shape(final) in seen_shapes - {_shape(path)}:
            continue
        pages.append(path)
        for href in HREF.findall(response.content.decode()):
            parts = urlsplit(unescape(href))
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            if _shape(parts.path) not in seen_shapes:
                queue.append(parts.path)
    return pages


@pytest.fixture
def phone_world(regions, users, deputies, unit_org):
    """A station with its keeper and a stationed deputy, a resident's opinion, and a suggestion of the
    deputy's that the county has accepted and assigned to the unit: every role has something to open."""
    from renda.network.services import station_create, station_keeper_add, stationed_deputy_add
    from renda.opinions.services import opinion_submit_public
    from renda.suggestions.services import (
        suggestion_accept,
        suggestion_assign,
        suggestion_create,
        suggestion_submit,
    )

    station = station_create(
        name="黄泥塘镇人大代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    station_keeper_add(station=station, user=users["station_keeper"])
    stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十八届")
    opinion = opinion_submit_public(
        station=station,
        content="黄泥塘社区到镇卫生院的路灯坏了三盏，晚上老人出行不便，希望尽快修复。" * 3,
        constituent_name="张大妈",
        constituent_phone="13800001111",
    )
    suggestion = suggestion_create(
        actor=users["deputy"],
        lead_deputy=deputies["wang"],
        title="关于修复黄泥塘镇通村公路并增设错车道和安全防护设施的建议",
        body="黄泥塘镇至九驿街道的通村公路路面破损，雨天积水，群众出行困难。" * 5,
        category="transport",
    )
    suggestion_submit(actor=users["deputy"], suggestion=suggestion)
    suggestion_accept(actor=users["county_staff"], suggestion=suggestion)
    suggestion_assign(actor=users["county_staff"], suggestion=suggestion, lead_unit=unit_org)
    return {"station": station, "opinion": opinion, "suggestion": suggestion}


def _combos():
    for large, contrast, language in itertools.product((False, True), (False, True), ("zh-hans", "en")):
        yield {"large": large, "contrast": contrast, "language": language}


def _cookies(base_url, combo, session=None):
    cookies = [
        {"name": "renda_large", "value": "1" if combo["large"] else "0", "url": base_url},
        {"name": "renda_contrast", "value": "1" if combo["contrast"] else "0", "url": base_url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": combo["language"], "url": base_url},
    ]
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    return cookies


def test_no_page_scrolls_sideways_at_360px_in_any_preference(browser, live_server, users, phone_world):
    station, opinion = phone_world["station"], phone_world["opinion"]
    public = [
        f"/o/{station.public_code}/",
        f"/stations/{station.public_code}/",
        "/stations/",
        f"/opinions/track/?code={opinion.tracking_code}",
        "/opinions/track/",
        "/accounts/login/",
    ]
    sessions, pages = {}, {"resident": sorted(set(public))}
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        pages[role] = discover(client, ["/"])
    for role, paths in ALSO.items():
        client = Client()
        client.force_login(users[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        pages[role] = paths
    total = sum(len(p) for p in pages.values())
    assert len(pages["deputy"]) >= 8 and len(pages["unit"]) >= 4 and len(pages["station_keeper"]) >= 4, pages

    too_wide = []
    for combo in _combos():
        context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
        context.set_default_timeout(15_000)
        page = context.new_page()
        for role, paths in pages.items():
            context.clear_cookies()
            context.add_cookies(_cookies(live_server.url, combo, sessions.get(role)))
            for path in paths:
                page.goto(path, wait_until="load")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > WIDTH:
                    culprit = page.evaluate(WIDEST_ELEMENT, WIDTH)
                    too_wide.append((combo, role, path, width, culprit))
        context.close()
    assert too_wide == [], f"{len(too_wide)} of {total * 8} page views too wide:\n" + "\n".join(
        map(str, too_wide)
    )


# The innermost element that sticks out past the viewport: what to fix, named by tag and class.
WIDEST_ELEMENT = """(width) => {
  let found = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    if (r.right > width + 0.5 && r.width > 0) found = el;
  }
  if (!found) return null;
  return found.tagName.toLowerCase() + '.' + String(found.className).replace(/ +/g, '.') +
    ' «' + (found.textContent || '').trim().slice(0, 30) + '» right=' +
    Math.round(found.getBoundingClientRect().right);
}"""
