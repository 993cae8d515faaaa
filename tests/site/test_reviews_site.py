"""The case review library in the built site: a page per review, filters that match the
data, the JSON and Atom feeds, and (in Chromium) filtering, search and printing."""

from __future__ import annotations

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup

from macros.data.reviews import load_reviews
from macros.data.topics import load_topics
from macros.render.reviews_page import filter_options

REVIEWS = load_reviews()
TOPICS = load_topics()


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("review", REVIEWS, ids=[r.id for r in REVIEWS])
def test_every_review_has_its_page(built_site, review):
    page = soup(built_site / "reviews" / review.id / "index.html")
    h1 = page.find_all("h1")
    assert [h.get_text(strip=True) for h in h1] == [review.title]
    assert page.title.get_text().startswith(review.title)
    themes = [a["href"] for a in page.select(".app-review__themes a")]
    assert themes == [f"../?theme={t}" for t in review.themes]
    blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    report = [b for b in blocks if b.get("@type") == "Report"]
    assert len(report) == 1 and report[0]["name"] == review.title
    text = page.select_one(".app-review").get_text(" ", strip=True)
    if not review.is_published:
        assert "Not published." in text and review.not_published_reason[:40] in text
    if review.briefing:
        sections = page.select(".app-briefing__section h3")
        assert [s.get_text(" ", strip=True) for s in sections] == [
            "1. Background", "2. Why it matters", "3. Information", "4. Learning",
            "5. Questions to reflect on", "6. What you should do", "7. Further resources"]


def test_every_filter_value_on_the_library_page_matches_the_data(built_site):
    page = soup(built_site / "reviews" / "index.html")
    shown = {}
    for fieldset in page.select("fieldset[data-facet]"):
        shown[fieldset["data-facet"]] = [
            (box["value"], box.find_next("label").get_text(" ", strip=True))
            for box in fieldset.select("input[type=checkbox]")]
    expected = {name: [(v, f"{label} ({n})") for v, label, n in opts]
                for name, opts in filter_options(REVIEWS, TOPICS).items()}
    assert shown == expected
    cards = page.select(".app-review-card")
    assert [c.select_one("a")["href"] for c in cards] == [f"{r.id}/" for r in REVIEWS]
    # Every value a card carries is one of the filter's values.
    for name in ("kind", "wing", "status", "year", "theme"):
        values = {v for v, _ in shown[name]}
        assert {v for c in cards for v in c[f"data-{name}"].split()} == values
    count = page.select_one(".app-reviews__count[role=status]").get_text(strip=True)
    assert count == f"Showing all {len(REVIEWS)} reviews."


def test_the_list_is_complete_without_javascript(built_site):
    page = soup(built_site / "reviews" / "index.html")
    assert page.select_one("form.app-reviews__filters").has_attr("hidden")
    assert not any(c.has_attr("hidden") for c in page.select(".app-review-card"))


def test_reviews_json_lists_every_review_as_in_the_data(built_site):
    data = json.loads((built_site / "reviews" / "reviews.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data["reviews"]] == [r.id for r in REVIEWS]
    by_id = {r["id"]: r for r in data["reviews"]}
    assert by_id["sar-b"]["publication"] == "full-report" and by_id["sar-b"]["report_url_unknown"] is True
    assert by_id["child-f"]["publication"] == "not-published" and "report_url" not in by_id["child-f"]
    assert len(by_id["sar-a"]["briefing"]["actions"]) == 11


def test_atom_feed_lists_published_reviews_newest_first(built_site):
    feed = feedparser.parse((built_site / "reviews" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    expected = sorted((r for r in REVIEWS if r.is_published and r.feed_date),
                      key=lambda r: (r.feed_date, r.id), reverse=True)
    assert [e.title for e in feed.entries] == [r.title for r in expected]
    assert all(e.title_detail.type == "text/plain" for e in feed.entries)
    assert {e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries} == {r.id for r in expected}
    assert "child-f" not in (built_site / "reviews" / "feed.xml").read_text(encoding="utf-8")


def test_review_pages_are_not_in_the_nav_but_the_explanation_is(built_site):
    page = soup(built_site / "reviews" / "index.html")
    nav = " ".join(a.get("href", "") for a in page.select("nav.md-nav a"))
    assert "about-reviews/" in nav and "sar-b/" not in nav


# --- in Chromium -------------------------------------------------------------------------------


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".app-review-card:not([hidden]) .app-review-card__title", "els => els.map(e => e.textContent)")


@pytest.mark.browser
def test_filters_and_search_narrow_the_list(page, site_server):
    page.goto(site_server + "/reviews/")
    status = page.locator(".app-reviews__count")
    assert len(visible_titles(page)) == len(REVIEWS)
    page.get_by_role("checkbox", name=re.compile(r"^Children \(")).check()
    children = [r.title for r in REVIEWS if r.wing == "children"]
    assert visible_titles(page) == children
    assert status.text_content() == f"{len(children)} of {len(REVIEWS)} reviews shown."
    page.wait_for_url(re.compile(r"\?.*wing=children"))
    page.get_by_role("checkbox", name=re.compile(r"^In progress \(")).check()
    assert visible_titles(page) == [r.title for r in REVIEWS
                                    if r.wing == "children" and r.status == "in-progress"]
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(
        "() => document.querySelector('.app-reviews__count').textContent.startsWith('Showing all')")
    page.get_by_label("Search the reviews").fill("care home")
    assert visible_titles(page) == [r.title for r in REVIEWS if "care home" in r.summary.lower()]
    page.get_by_label("Search the reviews").fill("zzzz nothing")
    assert visible_titles(page) == [] and page.locator(".app-reviews__none").is_visible()


@pytest.mark.browser
def test_a_shared_link_restores_the_search_without_opening_site_search(page, site_server):
    page.goto(site_server + "/reviews/")
    page.get_by_label("Search the reviews").fill("care home")
    page.wait_for_url(re.compile(r"/reviews/\?search=care\+home$"))  # the address follows
    page.goto(page.url)
    assert page.get_by_label("Search the reviews").input_value() == "care home"
    assert visible_titles(page) == [r.title for r in REVIEWS if "care home" in r.summary.lower()]
    assert not page.locator("#__search").is_checked()  # Material's search dialog stays shut


@pytest.mark.browser
def test_a_theme_link_opens_the_filtered_library(page, site_server):
    page.goto(site_server + "/reviews/sar-b/")
    page.locator(".app-review__themes a", has_text="Housing").click()
    page.wait_for_url(re.compile(r"/reviews/\?theme=housing$"))
    page.wait_for_function("() => !document.querySelector('.app-reviews__filters').hidden")
    assert page.get_by_role("checkbox", name=re.compile(r"^Housing")).is_checked()
    assert visible_titles(page) == [r.title for r in REVIEWS if "housing" in r.themes]


@pytest.mark.browser
@pytest.mark.parametrize("review_id", [r.id for r in REVIEWS if r.briefing])
def test_a_briefing_prints_on_at_most_two_a4_pages_without_chrome(page, site_server, review_id):
    page.goto(site_server + f"/reviews/{review_id}/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".app-safety-bar"):
        if page.locator(chrome).count():
            assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".app-briefing").is_visible()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"{review_id} prints on {pages} pages"
