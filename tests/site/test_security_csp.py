"""Issue #11, point 3: a Content-Security-Policy on every page, under which the site still works
and an injected inline script does not run.

Every interaction below runs with a listener for `securitypolicyviolation`: the site's own
pages must cause none, so a script, style or request the policy would block is found here.
"""

from __future__ import annotations

import html as html_module
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.conftest import EXIT_URL
from tests.site.test_training_site import fixture_server, fixture_site  # noqa: F401, F811 (fixtures)

pytestmark = pytest.mark.browser

LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')));"""
REQUIRED = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'"]


def policy_of(html: str) -> tuple[str, bool]:
    """(the page's policy, whether its meta tag comes before every script)."""
    head = html.split("</head>", 1)[0]
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', head)
    assert match, "no Content-Security-Policy meta tag in <head>"
    first_script = head.find("<script")
    return html_module.unescape(match.group(1)), first_script == -1 or match.start() < first_script


def test_every_page_has_the_policy_before_any_script(html_pages):
    for path in html_pages:
        policy, first = policy_of(path.read_text())
        directives = [" ".join(d.split()) for d in policy.split(";")]
        assert first, path
        assert all(r in directives for r in REQUIRED), (path, policy)
        script = next(d for d in directives if d.startswith("script-src"))
        assert "unsafe" not in script and "http" not in policy and "*" not in policy, policy


def test_no_page_has_an_inline_script_or_handler(html_pages):
    """What the policy would block must not be needed: no inline script (JSON data aside),
    no event-handler attribute, no style attribute."""
    for path in html_pages:
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") in ("application/json",
                                                                "application/ld+json"), (path, script)
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on") or a == "style"], (path, tag)


def violations(page) -> list[str]:
    return page.evaluate("() => window.__violations")


PAGES = ["/", "/report-a-concern/", "/training/", "/training/past/", "/reviews/", "/reviews/sar-a/",
         "/forums/community/", "/forums/community/newsletters/2023-02-introduction/", "/404.html"]


def test_pages_load_without_a_violation(page, site_server):
    page.add_init_script(LISTEN)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    for path in PAGES:
        page.goto(site_server + path)
        page.wait_for_load_state("load")
        assert violations(page) == [], path
    assert errors == []


def test_exit_this_page_works_under_the_policy_by_button_and_by_shift(context, site_server):
    for how in ("button", "shift"):
        page = context.new_page()
        page.add_init_script(LISTEN)
        page.route(EXIT_URL + "**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title>"))
        page.goto(site_server + "/adults/")
        if how == "button":
            page.locator(".app-exit-this-page__button").click()
        else:
            page.locator("body").click(position={"x": 5, "y": 300})
            page.keyboard.press("Shift")
            expect(page.locator(".app-exit-this-page__status")).to_have_text(
                "Shift, press 2 more times to exit.")
            page.keyboard.press("Shift")
            assert violations(page) == []
            page.keyboard.press("Shift")
        page.wait_for_url(EXIT_URL)
        page.close()


@pytest.fixture
def unrouted_page(unrouted_browser, site_server):
    """A page in the Chromium that cannot reach other hosts (tests/conftest.py), each request
    to one recorded: there must be none."""
    context = unrouted_browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((site_server, "data:")) else None)
    yield page
    context.close()
    assert outside == []


def test_site_search_works_under_the_policy(unrouted_page, site_server):
    page = unrouted_page
    page.add_init_script(LISTEN)
    with page.expect_response(lambda r: r.url.endswith("/search/search_index.json")):
        page.goto(site_server + "/")
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("neglect")
    # The worker builds its index after the download: a query typed before it is ready is
    # answered once it is asked again (Material listens for keyup), so ask until answered.
    page.wait_for_function("""() => {
      if (document.querySelector('.md-search-result__item')) return true;
      document.querySelector('.md-search__input').dispatchEvent(new KeyboardEvent('keyup'));
      return false;
    }""", polling=250, timeout=30_000)
    assert "neglect" in page.locator(".md-search-result").inner_text().lower()
    assert violations(page) == []


def test_the_calendar_search_and_filters_work_under_the_policy(page, fixture_server):  # noqa: F811
    page.add_init_script(LISTEN)
    page.goto(fixture_server + "/training/")
    page.wait_for_function("() => document.querySelector('.app-training[data-ready]')")
    shown = "() => document.querySelectorAll('li.app-course:not([hidden])').length"
    total = page.evaluate(shown)
    assert total == 7
    page.locator(".app-filter__more > summary", has_text="Format").click()
    page.locator("#f-format-online").check()
    page.wait_for_function(f"() => ({shown})() === 2")  # the filter narrows the list
    page.get_by_label("Search courses").fill("county lines")
    page.wait_for_function(f"() => ({shown})() === 1")  # and the search within it
    page.get_by_label("Search courses").fill("zzzz no such course")
    page.wait_for_function("() => document.querySelectorAll('li.app-course:not([hidden])').length === 0")
    page.get_by_role("button", name="Clear search and filters").click()
    page.wait_for_function("n => document.querySelectorAll('li.app-course:not([hidden])').length === n",
                           arg=total)
    assert violations(page) == []


def test_the_review_library_works_under_the_policy(page, site_server):
    page.add_init_script(LISTEN)
    page.goto(site_server + "/reviews/")
    cards = page.locator(".app-review-card:not([hidden])")
    total = cards.count()
    page.get_by_label("Search the reviews").fill("zzzz nothing")
    expect(cards).to_have_count(0)
    page.get_by_label("Search the reviews").fill("")
    expect(cards).to_have_count(total)
    assert violations(page) == []


def test_an_injected_inline_script_does_not_run(context, page, site_server):
    """As if a script had got into a page's content: the browser refuses it."""
    def inject(route):
        response = route.fetch()
        body = response.text().replace("</article>", "<script>window.__injected = 1</script>"
                                       "<img src=x onerror='window.__injected = 2'>"
                                       '<script src="https://elsewhere.example/x.js"></script>'
                                       "</article>", 1)
        route.fulfill(response=response, body=body)

    page.add_init_script(LISTEN)
    page.route(site_server + "/adults/", inject)
    page.goto(site_server + "/adults/")
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__injected") is None  # the inline script ran before "load"
    page.wait_for_function("() => window.__violations.length >= 1")  # and the refusal is reported
    assert all(v.startswith("script-src") for v in violations(page))
    assert context.outside == []  # the other site's script was not even asked for


@pytest.mark.parametrize("policy", [
    "", "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'",
    "default-src 'self'; script-src 'self'; base-uri 'self'",
    "default-src *; script-src 'self'; object-src 'none'; base-uri 'self'"])
def test_the_build_refuses_a_weakened_policy(policy):
    from macros.core.settings import check_extra

    extra = {"feedback": {"url": "https://forms.southend.gov.uk/x"},
             "exit": {"url": "https://www.bbc.co.uk/weather"}, "content_security_policy": policy}
    errors, _ = check_extra(extra)
    assert [str(e) for e in errors] == [
        "mkdocs.yml: extra.content_security_policy: must keep default-src 'self', script-src 'self' "
        "(with no 'unsafe-...'), object-src 'none' and base-uri 'self' (SECURITY.md)"]
