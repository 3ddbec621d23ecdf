"""No horizontal scrolling at 360 px: every page a deputy, a handling unit, a station keeper, a resident
(and the township staff and leader who also read on phones) opens, in every combination of 大字, 高对比
and language (zh-hans, en). Issue 11 §4.

Cheap by construction (it used to take about three minutes): each page is rendered by the server once
per language, in one browser context per language with every role's session made once. The Chinese
run walks each role's links from its home page in the browser itself (one page per URL shape:
/suggestions/1/ and /suggestions/2/ are the same template) and the English pass revisits what it found.
大字 and 高对比 are classes on <html> and nothing else the server renders differs (renda.js switches
them in place the same way), so one script per page measures document.documentElement.scrollWidth in
all four class combinations without another request.
"""

import datetime
import os
import re
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

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
MAX_PAGES_PER_ROLE = 60
LANGUAGES = ("zh-hans", "en")
# (large text, high contrast): the classes base.html puts on <html> from the two cookies.
CLASSES = {(False, False): "", (True, False): "large-text", (False, True): "high-contrast"}
CLASSES[(True, True)] = "large-text high-contrast"


def _shape(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", re.sub(r"/\d+/", "/N/", path))


@pytest.fixture
def phone_world(regions, users, deputies, unit_org):
    """A station with its keeper and a stationed deputy, a resident's opinion, and a suggestion of the
    deputy's that the county has accepted and assigned to the unit: every role has something to open.
    Also a draft of 李明's that asks 王芳 to co-sign (联名确认), and 王芳's duty report (述职) with
    voting open."""
    from renda.deputies.services import congress_create, mandate_create
    from renda.duty_reports.services import (
        duty_report_open_voting,
        duty_report_schedule,
        duty_report_write,
        evaluation_rule_from_preset,
    )
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
    cosign = suggestion_create(
        actor=users["county_staff"],
        lead_deputy=deputies["li"],
        title="关于在九驿街道农贸市场增设公共厕所和无障碍通道的建议",
        body="九驿街道农贸市场每天人流量大，周边没有公共厕所，老人和残疾人进出不便。" * 4,
        category="construction",
        cosigners=[deputies["wang"]],
    )
    congress = congress_create(
        level="county", region=regions["county"], term=18, starts_on=datetime.date(2021, 12, 28)
    )
    mandate_create(deputy=deputies["wang"], congress=congress)
    mandate_create(deputy=deputies["li"], congress=congress)
    rule = evaluation_rule_from_preset(
        actor=users["county_staff"], region=regions["county"], preset="competence"
    )
    report = duty_report_schedule(
        actor=users["county_staff"],
        deputy=deputies["wang"],
        congress=congress,
        rule=rule,
        held_on=timezone.localdate(),
        place="黄泥塘镇人大代表之家",
        invited_count=60,
    )
    report = duty_report_write(
        actor=users["county_staff"],
        report=report,
        text="一年来，我认真履行代表职责，走访选民，提出建议。" * 10,
    )
    report = duty_report_open_voting(actor=users["county_staff"], report=report, codes=1)
    return {
        "station": station,
        "opinion": opinion,
        "suggestion": suggestion,
        "cosign": cosign,
        "report": report,
        "vote_code": report.vote_codes.get().code,
    }


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _cookies(base_url: str, language: str, session: str | None) -> list[dict]:
    # Served with both classes on; the script below measures the four combinations from there.
    cookies = [
        {"name": "renda_large", "value": "1", "url": base_url},
        {"name": "renda_contrast", "value": "1", "url": base_url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
    ]
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    return cookies


def _visit(page, path: str, culprits: list) -> list[str] | None:
    """Open `path`; None when it is not an HTML page answered 200. Otherwise, for each class
    combination the page is wider than the screen in, append (classes, width, widest element) to
    `culprits`; return the page's same-site links."""
    try:
        response = page.goto(path, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):  # a file behind an ordinary link (a sample sheet)
            return None
        raise
    if (
        response is None
        or response.status != 200
        or "text/html" not in response.headers.get("content-type", "")
    ):
        return None
    found = page.evaluate(MEASURE, {"width": WIDTH, "combos": list(CLASSES.values())})
    culprits.extend(tuple(x) for x in found["wide"])
    return found["links"]


def _walk(page, must: list[str], starts: list[str], culprits: dict) -> tuple[list[str], dict]:
    """The `must` pages (each visited whatever its shape), then, when there are `starts`, a breadth-first
    walk over same-site HTML pages linked from them, one path per URL shape. Returns the pages seen and
    whether each must page was answered as itself (not a 404, not a redirect elsewhere)."""
    seen_shapes, pages, fate = set(), [], {}
    queue = [(path, True) for path in must] + [(path, False) for path in starts]
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path, required = queue.pop(0)
        if not required and _shape(path) in seen_shapes:
            continue
        seen_shapes.add(_shape(path))
        wide = []
        links = _visit(page, path, wide)
        final = urlsplit(page.url).path
        if required:
            fate[path] = links is not None and final == urlsplit(path).path
        if links is None or (
            not required and final != path and _shape(final) in seen_shapes - {_shape(path)}
        ):
            continue
        pages.append(path)
        if wide:
            culprits[path] = wide
        for href in links if starts else ():
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            if _shape(parts.path) not in seen_shapes:
                queue.append((parts.path, False))
    return pages, fate


def test_no_page_scrolls_sideways_at_360px_in_any_preference(
    browser, live_server, users, deputies, phone_world
):
    world = phone_world
    station, opinion = world["station"], world["opinion"]
    must = {
        "resident": [
            f"/o/{station.public_code}/",
            f"/stations/{station.public_code}/",
            "/stations/",
            f"/opinions/track/?code={opinion.tracking_code}",
            "/opinions/track/",
            f"/duty-reports/vote/{world['vote_code']}/",
            "/accounts/login/",
        ],
        "deputy": [
            f"/suggestions/{world['cosign'].pk}/",  # 联名确认: the request to co-sign
            "/suggestions/mine/?show=cosign",
            f"/duty-reports/{world['report'].pk}/",
            "/points/mine/",
            f"/dossier/{deputies['wang'].pk}/",
        ],
        "unit": [f"/suggestions/{world['suggestion'].pk}/"],
        "station_keeper": [],
        **ALSO,
    }
    sessions = {role: _session(users[role]) for role in must if role in users}
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    too_wide, pages, fates = [], {}, {}
    for language in LANGUAGES:
        for role, required in must.items():
            context.clear_cookies()
            context.add_cookies(_cookies(live_server.url, language, sessions.get(role)))
            culprits = {}
            if language == LANGUAGES[0]:
                walks = ["/"] if role in ROLES else []
                pages[role], fates[role] = _walk(page, required, walks, culprits)
            else:
                for path in pages[role]:
                    wide = []
                    _visit(page, path, wide)
                    if wide:
                        culprits[path] = wide
            too_wide += [(language, role, path, *w) for path, found in culprits.items() for w in found]
    context.close()
    # The pages this test exists for were really looked at (a 404 or a redirect is not a look).
    missed = {role: [p for p, ok in fate.items() if not ok] for role, fate in fates.items()}
    assert not any(missed.values()), missed
    assert len(pages["deputy"]) >= 12 and len(pages["unit"]) >= 4 and len(pages["station_keeper"]) >= 4, pages
    views = sum(len(p) for p in pages.values()) * len(LANGUAGES) * len(CLASSES)
    assert too_wide == [], f"{len(too_wide)} of {views} page views too wide:\n" + "\n".join(
        map(str, too_wide)
    )


# Measures the page in each combination of the <html> classes (大字, 高对比) and lists its links.
# For each too wide, the innermost element that sticks out past the viewport: what to fix.
MEASURE = """({width, combos}) => {
  const html = document.documentElement, served = html.className, wide = [];
  function culprit() {
    let found = null;
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('details:not([open]) > :not(summary)')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0) found = el;
    }
    if (!found) return null;
    return found.tagName.toLowerCase() + '.' + String(found.className).replace(/ +/g, '.') +
      ' «' + (found.textContent || '').trim().slice(0, 30) + '» right=' +
      Math.round(found.getBoundingClientRect().right);
  }
  for (const classes of combos) {
    html.className = classes;
    const scroll = html.scrollWidth;
    if (scroll > width) wide.push([classes || 'standard', scroll, culprit()]);
  }
  html.className = served;
  const links = Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))
    .filter((href) => !href.startsWith('#'));
  return {wide, links};
}"""
