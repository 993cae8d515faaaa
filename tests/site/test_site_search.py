"""Material's site search as a resident meets it (issue #13, points 1, 2 and 4): on a phone,
and for the words a worried person types.

In the Chromium that cannot reach other hosts (tests/conftest.py, `unrouted_browser`), so that
Material's search worker loads its index as it does for a visitor. One phone-sized tab that
can be touched, kept for the module: the home page and the search index load once.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page

from tests.site.test_browser import ORPHAN_PERMALINKS

pytestmark = pytest.mark.browser

REPORT = "Report a concern about a child or an adult"
# What a worried person types (issue #13, point 2).
WORRIED = ["MASH", "social care", "adult social care", "worried about a child", "abuse",
           "domestic abuse", "police", "report"]
FIELD = "input.md-search__input"

# Material asks its worker on keyup; a query typed before the index is built is answered once
# it is asked again, so ask until the list holds the first results (or says there are none).
ANSWERED = """(want) => {
  const meta = document.querySelector('.md-search-result__meta').textContent;
  const n = /^No /.test(meta) ? 0 : parseInt(meta, 10);
  const items = document.querySelectorAll('.md-search-result__list > .md-search-result__item').length;
  if (!isNaN(n) && items >= Math.min(n, want)) return true;
  document.querySelector('.md-search__input').dispatchEvent(new KeyboardEvent('keyup'));
  return false;
}"""
AT_CENTRE = """(selector) => {
  const el = document.querySelector(selector);
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  if (hit === el || el.contains(hit)) return 'itself';
  return hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing';
}"""


@pytest.fixture(scope="module")
def phone(unrouted_browser, site_server) -> Page:
    context = unrouted_browser.new_context(viewport={"width": 375, "height": 740},
                                           has_touch=True)
    page = context.new_page()
    with page.expect_response(lambda r: r.url.endswith("/search/search_index.json")):
        page.goto(site_server + "/")
    yield page
    context.close()


def results_for(page: Page, query: str, want: int = 3) -> list[str]:
    """The titles of the pages found for `query`, best first (the first `want` at least)."""
    field = page.locator(FIELD)
    field.fill("")
    field.dispatch_event("keyup")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    field.fill(query)
    page.wait_for_function(ANSWERED, arg=want, polling=100, timeout=30_000)
    return page.eval_on_selector_all(".md-search-result__list > .md-search-result__item",
                                     "els => els.map(e => e.querySelector('h1').textContent.trim())")


def open_search(page: Page) -> None:
    if not page.locator("#__search").is_checked():
        page.tap("label.md-header__button[for=__search]")
    page.wait_for_function("() => document.getElementById('__search').checked")


@pytest.mark.parametrize("width", [320, 375, 414])
def test_on_a_phone_search_opens_below_the_safety_bar_and_closes(phone, width):
    """Tapping the search icon shows the field, clear of the safety bar, which stays on top
    with Exit this page (44 px square or more, on a touch screen); the field finds pages; the
    arrow closes the search again. The home page's headings keep their hidden ¶ beside their
    last word (point 4)."""
    page = phone
    page.set_viewport_size({"width": width, "height": 740})
    problems: dict[str, object] = {}
    orphans = page.evaluate(ORPHAN_PERMALINKS)
    if orphans:
        problems["headings whose hidden ¶ takes a line of its own"] = orphans
    exit_button = page.locator(".app-exit-this-page__button")
    box = exit_button.bounding_box()
    if round(box["width"]) < 44 or round(box["height"]) < 44:
        problems["Exit this page is smaller than 44 by 44 px"] = box
    open_search(page)
    field = page.locator(FIELD)
    field.wait_for(state="visible")
    # The field slides in: wait until it is what a tap on its centre reaches (or say what is).
    try:
        page.wait_for_function(f"() => ({AT_CENTRE})({json.dumps(FIELD)}) === 'itself'", timeout=5_000)
    except Exception:
        problems["the search field is under"] = page.evaluate(AT_CENTRE, FIELD)
        page.evaluate("() => { document.getElementById('__search').checked = false }")
    assert not problems, f"at {width}px: {problems}"
    assert page.evaluate(AT_CENTRE, ".app-exit-this-page__button") == "itself"  # still on top
    assert exit_button.bounding_box()["y"] >= 0
    assert field.bounding_box()["y"] >= box["y"] + box["height"]
    assert results_for(page, "childline", want=1)[0] == REPORT
    page.tap("label.md-search__icon[for=__search]")  # the arrow back
    page.wait_for_function("() => !document.getElementById('__search').checked")


def test_what_a_worried_person_types_finds_report_a_concern(phone):
    """For each of those words, "Report a concern" is among the first three pages found;
    "MASH" finds it although the page writes "(MASH)"."""
    open_search(phone)
    found = {query: results_for(phone, query)[:3] for query in WORRIED}
    assert {q: titles for q, titles in found.items() if REPORT not in titles} == {}


def test_result_headings_are_the_pages_headings(phone, built_site):
    """A result's heading is one heading of the page: the contact cards under "National
    helplines ..." are sections of their own, not run into that heading's text."""
    open_search(phone)
    results_for(phone, "helpline", want=1)
    shown = phone.eval_on_selector_all(".md-search-result__item", """(items, page) => items
      .filter(item => item.querySelector('h1').textContent.trim() === page)
      .flatMap(item => [...item.querySelectorAll('h2')].map(h => h.textContent.trim()))""", REPORT)
    page = BeautifulSoup((built_site / "report-a-concern" / "index.html").read_text(), "html.parser")
    headings = {h.get_text(" ", strip=True).removesuffix("¶").strip()
                for h in page.select(".md-content [id]:is(h2, h3, h4, h5, h6)")}
    assert shown and set(shown) <= headings, set(shown) - headings


def test_every_search_section_is_titled_by_its_own_heading(built_site):
    """In the search index, each section's title is the text of the heading it starts at, and
    nothing more (Material appends to it any heading of the same level that has no id)."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    pages: dict[str, BeautifulSoup] = {}
    wrong = []
    for doc in index["docs"]:
        path, _, anchor = doc["location"].partition("#")
        if not anchor:
            continue
        if path not in pages:
            pages[path] = BeautifulSoup((built_site / path / "index.html").read_text(), "html.parser")
        heading = pages[path].find(id=anchor)
        for link in heading.select(".headerlink"):
            link.extract()
        title = BeautifulSoup(doc["title"], "html.parser").get_text()
        if " ".join(title.split()) != heading.get_text(" ", strip=True):
            wrong.append((doc["location"], title))
    assert wrong == []


def test_a_contact_for_children_and_adults_is_one_search_result(built_site):
    """Report a concern shows a contact for both (the police, the helplines) under children and
    under adults; site search lists it once, not twice."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    titles = [doc["title"] for doc in index["docs"]
              if doc["location"].startswith("report-a-concern/#contact-")]
    assert "National Domestic Abuse Helpline" in titles
    assert sorted(t for t in titles if titles.count(t) > 1) == []


def test_no_two_words_run_together_in_the_search_index(built_site):
    """Every word of each search section's text is a word of its page: text from neighbouring
    elements (a summary list's key and value, a line break) is not glued into one word, which
    no search would find ("KindSafeguarding", "2023The")."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    words: dict[str, set[str]] = {}
    glued = []
    for doc in index["docs"]:
        path = doc["location"].partition("#")[0]
        if path not in words:
            page = BeautifulSoup((built_site / path / "index.html").read_text(), "html.parser")
            words[path] = set(re.findall(r"[^\W_]+", page.get_text(" ")))
        text = BeautifulSoup(doc["text"], "html.parser").get_text(" ")
        glued += [(doc["location"], w) for w in re.findall(r"[^\W_]+", text) if w not in words[path]]
    assert glued == []
