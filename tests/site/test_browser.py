"""The site in headless Chromium: Exit this page, privacy, small screens and axe-core.

Requests to any host but the local server never leave the machine: for the interaction tests
the `context` fixture answers them itself and records them; for the pass over every page the
`visitor` fixture sends them to a proxy that refuses them, and records them.
"""

from __future__ import annotations

import functools
import json
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request

from tests.conftest import EXIT_URL, ROOT, run_build, site_urls
from tests.site.test_security_csp import LISTEN

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The axe best-practice rules that Lighthouse's accessibility score counts as well (those
# with a weight in lighthouse@12.2.3's default config and no WCAG tag): with them, a page
# axe passes scores 100 there. Material's search dialog had no name (aria-dialog-name).
LIGHTHOUSE_RULES = ["accesskeys", "aria-allowed-role", "aria-dialog-name", "aria-text",
                    "aria-treeitem-name", "heading-order", "image-redundant-alt", "skip-link",
                    "tabindex", "table-duplicate-name"]
# The headings whose permalink (the ¶ shown on hover and focus) sits on a line below the
# heading's last word: hidden, it leaves an empty line (issue #13, point 4).
ORPHAN_PERMALINKS = """() => [...document.querySelectorAll('.md-content .headerlink')].filter(link => {
  const heading = link.parentElement;
  if (heading.firstChild === link) return false;
  const range = document.createRange();
  range.setStartBefore(heading.firstChild);
  range.setEndBefore(link);
  const text = [...range.getClientRects()].filter(r => r.width > 0);
  const box = link.getClientRects()[0];
  return text.length && box && (box.top + box.bottom) / 2 > text[text.length - 1].bottom;
}).map(link => link.parentElement.textContent.replace('\u00b6', '').trim())"""

RECORD_EXIT = """new MutationObserver(() => {
  const overlay = document.querySelector('.app-exit-this-page-overlay');
  if (overlay && !window.__appRecorded) {
    window.__appRecorded = true;
    const status = document.querySelector('.app-exit-this-page__status');
    localStorage.setItem('app-test-exit', JSON.stringify({
      overlay: overlay.textContent, display: getComputedStyle(overlay).display,
      status: status.textContent}));
  }
}).observe(document, {childList: true, subtree: true});"""


def record_exit(page):
    """Record, synchronously and in the site's own storage, what the page showed at the
    moment it started leaving (the page is gone once the exit site has loaded)."""
    page.add_init_script(RECORD_EXIT)
    page.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title>"))


def recorded_exit(context, site_server) -> dict:
    other = context.new_page()
    other.goto(site_server + "/404.html")
    value = other.evaluate("() => localStorage.getItem('app-test-exit')")
    other.close()
    assert value, "the page never showed the Loading overlay"
    return json.loads(value)


def status(page) -> str:
    return page.locator(".app-exit-this-page__status").text_content().strip()


def lights_on(page) -> int:
    return page.locator(".app-exit-this-page__light--on").count()


# --- Exit this page ----------------------------------------------------------------------


def test_exit_button_leaves_blanks_the_page_and_back_does_not_return(
        context, page, site_server):
    record_exit(page)
    page.goto(site_server + "/about/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert "/about/" not in page.url, "Back returned to the page the user left"
    shown = recorded_exit(context, site_server)
    assert shown["overlay"] == "Loading." and shown["display"] != "none"
    assert shown["status"] == "Exit this page activated."


def test_exit_skip_link_is_first_on_tab_and_leaves(page, site_server):
    page.goto(site_server + "/report-a-concern/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), "
                            "document.activeElement.getAttribute('href')]")
    assert focused == ["Exit this page", EXIT_URL]
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().width") > 0
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert "/report-a-concern/" not in page.url


def test_shift_three_times_leaves_with_progress_announced(context, page, site_server):
    record_exit(page)
    page.goto(site_server + "/adults/")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 2 more times to exit."
    assert lights_on(page) == 1 and page.locator(".app-exit-this-page__indicator").is_visible()
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 1 more time to exit."
    assert lights_on(page) == 2
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert "/adults/" not in page.url
    assert recorded_exit(context, site_server)["overlay"] == "Loading."


def not_leaving(page, site_server) -> bool:
    """The page has not started to leave. Leaving puts up the overlay in the key's own handler,
    before it asks for the exit site, so its absence is the answer as soon as the key has been
    handled: no need to wait and see whether a navigation follows."""
    return (page.url.startswith(site_server)
            and page.locator(".app-exit-this-page-overlay").count() == 0)


def test_any_other_key_resets_the_count(page, site_server):
    page.goto(site_server + "/")
    for key in ("Shift", "Shift", "a", "Shift"):
        page.keyboard.press(key)
    assert lights_on(page) == 1
    assert not_leaving(page, site_server)
    page.keyboard.press("Shift")
    assert lights_on(page) == 2 and not_leaving(page, site_server)
    assert status(page) == "Shift, press 1 more time to exit."


def test_count_expires_after_five_seconds(page, site_server):
    """On a paused clock: only fast_forward moves it, so the count expires at 5 s exactly and
    not a moment before, however busy the machine."""
    import datetime as dt

    start = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
    page.clock.install(time=start)
    page.goto(site_server + "/")
    page.clock.pause_at(start + dt.timedelta(minutes=5))
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.fast_forward(4999)
    assert status(page) == "Shift, press 1 more time to exit."
    page.clock.fast_forward(2)
    assert status(page) == "Exit this page expired."
    assert not page.locator(".app-exit-this-page__indicator").is_visible()
    page.keyboard.press("Shift")
    assert lights_on(page) == 1 and not_leaving(page, site_server)


def test_presses_within_five_seconds_still_count(page, site_server):
    """4.9 s between presses, on a paused clock: only fast_forward moves it, so a busy machine
    cannot add the 0.1 s that would let the count expire."""
    import datetime as dt

    start = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
    page.clock.install(time=start)
    page.goto(site_server + "/")
    page.clock.pause_at(start + dt.timedelta(minutes=5))
    page.keyboard.press("Shift")
    page.clock.fast_forward(4900)
    page.keyboard.press("Shift")
    page.clock.fast_forward(4900)
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)


def test_exit_button_stays_on_screen_when_scrolled(page, site_server):
    page.set_viewport_size({"width": 1024, "height": 600})
    page.goto(site_server + "/about/words-we-use/")
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => window.scrollY > 500")
    box = page.locator(".app-exit-this-page__button").bounding_box()
    assert box is not None and 0 <= box["y"] < 60


# --- Every page, once per width ---------------------------------------------------------------
#
# Each page of the built site is loaded once at each width, and that one visit checks
# everything a visit can show: axe-core, reflow, what the page asks for from other hosts,
# cookies and the Content-Security-Policy. The interaction tests above stay separate.

WIDTHS = [1280, 320]
HEIGHT = 900


@functools.cache
def pages_of_a_fresh_build() -> tuple[tuple[str, ...], str]:
    """The URL path of every page of the site, from a build made while the tests are collected
    (a test is named after its page, so the list must exist before the session's build);
    or no pages and the build's error."""
    dest = Path(tempfile.mkdtemp(prefix="site-pages-"))
    try:
        result = run_build(dest)
        if result.returncode != 0:
            return (), result.stderr[-4000:]
        return tuple(site_urls(dest)), ""
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        paths, _ = pages_of_a_fresh_build()
        metafunc.parametrize("page_path", list(paths) or [pytest.param(None, id="no-page-built")])


def test_the_pass_covers_every_page_of_the_built_site(built_site):
    """The pages named at collection are the pages of the site the session serves."""
    paths, error = pages_of_a_fresh_build()
    assert paths, f"the site did not build while the tests were collected:\n{error}"
    assert list(paths) == site_urls(built_site)


@dataclass
class Visitor:
    """One tab at one width, kept for every page; what each visit asked for and logged."""

    page: Page
    requests: list[Request] = field(default_factory=list)
    ended: set[Request] = field(default_factory=set)  # answered or failed
    csp_messages: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.requests.clear()
        self.ended.clear()
        self.csp_messages.clear()


@pytest.fixture(scope="module")
def visitor(browser, width) -> Visitor:
    """A tab `width` px wide in a context whose proxy is a local port nobody listens on, so a
    request to any host but 127.0.0.1 fails at once and never leaves the machine. Nothing is
    routed through Playwright (routing would turn off the HTTP cache and fetch every stylesheet
    and script again for each page), and each request is recorded as it starts, the search
    worker's included."""
    with socket.socket() as refused:
        refused.bind(("127.0.0.1", 0))  # bound and never listening: every connection refused
        ctx = browser.new_context(
            viewport={"width": width, "height": HEIGHT},
            proxy={"server": f"http://127.0.0.1:{refused.getsockname()[1]}", "bypass": "127.0.0.1"})
        page = ctx.new_page()
        seen = Visitor(page)
        page.add_init_script(LISTEN)
        ctx.on("request", lambda request: seen.requests.append(request))
        ctx.on("requestfinished", lambda request: seen.ended.add(request))
        ctx.on("requestfailed", lambda request: seen.ended.add(request))
        page.on("console", lambda m: seen.csp_messages.append(m.text)
                if "Content Security Policy" in m.text else None)
        yield seen
        ctx.close()


def finish_requests(visitor: Visitor, limit: float = 30.0) -> None:
    """Wait until every request the page has made has answered or failed, including any that
    those answers lead to (a stylesheet's font, say). A condition, not a pause: with nothing
    open (the usual case, once axe has run) it returns at once; each round waits one frame
    for the browser's events. `limit` only stops a request that never ends from hanging the
    suite."""
    deadline = time.monotonic() + limit
    while open_ := [r.url for r in visitor.requests if r not in visitor.ended]:
        assert time.monotonic() < deadline, f"requests still open after {limit:.0f} s: {open_}"
        visitor.page.evaluate("() => new Promise(requestAnimationFrame)")


def on_this_machine(url: str, site_server: str) -> bool:
    return url.startswith((site_server + "/", "data:", "blob:" + site_server + "/"))


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def run_axe(page) -> list[dict]:
    # Evaluated by the test harness, as a tester's console would: the page's own
    # Content-Security-Policy (rightly) refuses an injected <script> element.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: Object.fromEntries(rules.map(r => [r, {enabled: true}]))})",
        [WCAG_TAGS, LIGHTHOUSE_RULES])
    return [
        {"id": v["id"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px", scope="module")
def test_every_page_at_every_width(visitor, site_server, page_path, width):
    """One visit: the page answers; it fits the screen with no horizontal scrolling (at 320 px,
    WCAG 1.4.10 Reflow); Exit this page and Report a concern are visible; no heading's hidden ¶
    takes a line of its own; axe-core finds no WCAG 2.2 A/AA violation, nor any of the
    best-practice rules Lighthouse counts; no request goes to another host; no cookie is set;
    and the Content-Security-Policy reports no violation. Every problem is listed, then it
    fails once."""
    assert page_path is not None, f"no page to visit: {pages_of_a_fresh_build()[1]}"
    page = visitor.page
    page.goto("about:blank")  # the last page is gone: all that is recorded now is this one's
    visitor.clear()
    response = page.goto(site_server + page_path)
    problems: dict[str, object] = {}

    if response is None or response.status != 200:
        problems["answer"] = response and response.status
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > width:
        problems["wider than the screen"] = f"{scroll_width}px"
    for selector in (".app-exit-this-page__button", ".app-safety-bar__concern"):
        if not page.locator(selector).is_visible():
            problems.setdefault("not visible", []).append(selector)
    # The feedback form's address is a placeholder: the footer says so rather than link to it.
    feedback = page.locator(".app-footer__feedback")
    if "Feedback form address to be confirmed." not in (feedback.inner_text() if feedback.count() else ""):
        problems["feedback"] = "the footer does not say the form's address is to be confirmed"
    if page.locator('a[href*="feedback.invalid"]').count():
        problems["feedback"] = "a link to the placeholder feedback.invalid"
    orphans = page.evaluate(ORPHAN_PERMALINKS)
    if orphans:
        problems["headings whose hidden ¶ takes a line of its own"] = orphans
    violations = run_axe(page)
    if violations:
        problems["axe"] = violations

    finish_requests(visitor)
    outside = [r.url for r in visitor.requests if not on_this_machine(r.url, site_server)]
    if outside:
        problems["requests to other hosts"] = outside
    cookies = page.context.cookies()
    if cookies:
        problems["cookies"] = [c["name"] for c in cookies]
        page.context.clear_cookies()
    policy = page.evaluate("() => window.__violations") + visitor.csp_messages
    if policy:
        problems["Content-Security-Policy"] = policy

    assert not problems, f"{page_path} at {width}px:\n{json.dumps(problems, indent=1)}"
