"""The site in headless Chromium: Exit this page, privacy, small screens and axe-core.

Requests to any host but the local server never leave the machine: the `context`
fixture answers them itself and records them.
"""

from __future__ import annotations

import json

import pytest

from .conftest import EXIT_URL, ROOT, site_urls

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


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


def test_any_other_key_resets_the_count(page, site_server):
    page.goto(site_server + "/")
    for key in ("Shift", "Shift", "a", "Shift"):
        page.keyboard.press(key)
    assert lights_on(page) == 1
    assert page.url.startswith(site_server)
    page.keyboard.press("Shift")
    assert lights_on(page) == 2 and page.url.startswith(site_server)


def test_count_expires_after_five_seconds(page, site_server):
    page.clock.install()
    page.goto(site_server + "/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.fast_forward(5001)
    assert status(page) == "Exit this page expired."
    assert not page.locator(".app-exit-this-page__indicator").is_visible()
    page.keyboard.press("Shift")
    assert lights_on(page) == 1 and page.url.startswith(site_server)


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


# --- Every page ----------------------------------------------------------------------------


def test_every_page_makes_no_request_to_another_host_and_sets_no_cookie(
        context, built_site, site_server):
    page = context.new_page()
    for path in site_urls(built_site):
        page.goto(site_server + path, wait_until="networkidle")
    assert context.outside == [], f"requests to other hosts: {context.outside}"
    assert context.cookies() == []


def test_every_page_fits_a_320px_screen(page, built_site, site_server):
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for path in site_urls(built_site):
        page.goto(site_server + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append(f"{path}: {width}px")
        assert page.locator(".app-exit-this-page__button").is_visible(), path
        assert page.locator(".app-safety-bar__concern").is_visible(), path
    assert not too_wide, "pages wider than the screen: " + ", ".join(too_wide)


def run_axe(page) -> list[dict]:
    # Evaluated by the test harness, as a tester's console would: the page's own
    # Content-Security-Policy (rightly) refuses an injected <script> element.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        {"id": v["id"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_wcag_violations_on_any_page(page, built_site, site_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in site_urls(built_site):
        page.goto(site_server + path)
        violations = run_axe(page)
        if violations:
            failures[path] = violations
    assert not failures, json.dumps(failures, indent=1)
