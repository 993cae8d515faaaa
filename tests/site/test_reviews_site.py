"""The case review library in the built site: a page per review, filters that match the
data, the JSON and Atom feeds, and (in Chromium) filtering, search and printing."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from macros.data.reviews import load_reviews
from macros.data.topics import load_topics
from macros.render.reviews_page import filter_options
from tests.conftest import SITE_TODAY

REVIEWS = load_reviews()
TOPICS = load_topics()
BY_ID = {r.id: r for r in REVIEWS}


def actions_heading(review) -> str:
    """Section 6 of a briefing, named for what the data says it holds."""
    agreed, yours = "What the partnership agreed", "What you can do"
    if review.briefing.agreed_actions and review.briefing.actions:
        return f"{agreed}, and what you can do"
    return agreed if review.briefing.agreed_actions else yours


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
    # "About this review" is a summary list (GOV.UK Frontend's): a heading, then key/value rows.
    assert not page.select(".app-review table")
    about = page.select_one("h2#about")
    assert about.get_text(strip=True) == "About this review"
    facts = about.find_next_sibling("dl")
    assert "app-summary-list" in facts["class"]
    rows = facts.find_all("div", recursive=False)
    assert rows and all([c.name for c in row.find_all(recursive=False)] == ["dt", "dd"] for row in rows)
    assert rows[0].dt.get_text(strip=True) == "Kind"
    if review.briefing:
        sections = page.select(".app-briefing__section h3")
        assert [s.get_text(" ", strip=True) for s in sections] == [
            "1. Background", "2. Why it matters", "3. Information", "4. Learning",
            "5. Questions to reflect on", f"6. {actions_heading(review)}", "7. Further resources"]


def test_sar_a_briefing_names_the_partnerships_actions_as_agreed_not_yours(built_site):
    """SAR A's actions are the board's (audits, seeking assurance): the data says so and the
    page heads them "What the partnership agreed"; SAR B has both kinds, each under its own."""
    sar_a, sar_b = BY_ID["sar-a"].briefing, BY_ID["sar-b"].briefing
    assert len(sar_a.agreed_actions) == 11 and not sar_a.actions
    assert any("Director of Public Health" in a for a in sar_a.agreed_actions)
    assert sar_b.agreed_actions and sar_b.actions
    page = soup(built_site / "reviews" / "sar-a" / "index.html")
    six = page.select(".app-briefing__section")[5]
    assert six.h3.get_text(" ", strip=True) == "6. What the partnership agreed"
    assert "Director of Public Health" in six.get_text()
    page = soup(built_site / "reviews" / "sar-b" / "index.html")
    six = page.select(".app-briefing__section")[5]
    assert [h.get_text(strip=True) for h in six.select("h4")] == [
        "What the partnership agreed", "What you can do"]
    assert "What you should do" not in page.get_text()


def test_sar_b_says_what_the_report_says_of_the_set_guidance(built_site):
    """The report: SET "has brought forward guidance on 'professionals meetings' informed by
    this work in Southend, and similar reviews in both Essex and Thurrock"; it does not tell
    anyone to use it."""
    text = soup(built_site / "reviews" / "sar-b" / "index.html").select_one(".app-briefing").get_text(" ")
    text = re.sub(r"\s+", " ", text)
    assert "Use the Southend, Essex and Thurrock guidance" not in text
    assert ("Southend, Essex and Thurrock (SET) has brought forward guidance on professionals' "
            "meetings, informed by this work in Southend and by similar reviews in Essex and "
            "Thurrock.") in text


@pytest.mark.parametrize("review_id,other", [("arthur", "Star"), ("star", "Arthur")])
def test_arthur_and_star_were_one_national_review_by_the_panel(built_site, review_id, other):
    """Both children were the subject of one national review, Child Protection in England
    (May 2022), by the Child Safeguarding Practice Review Panel; the annual report calls them
    LCSPRs, and the page says so; no copy is offered from the business unit."""
    review = BY_ID[review_id]
    assert (review.kind, review.published_by, review.report_title, review.published_text) == (
        "national", "the Child Safeguarding Practice Review Panel", "Child Protection in England",
        "May 2022")
    assert "LCSPR" in review.note
    page = soup(built_site / "reviews" / review_id / "index.html")
    facts = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
             for row in page.select(".app-review__facts > div")}
    assert facts["Kind"] == "National review"
    assert facts["Published by"] == "The Child Safeguarding Practice Review Panel"
    assert facts["Report"] == "Child Protection in England" and facts["Published"] == "May 2022"
    assert "LCSPR" in facts["Note"]
    text = re.sub(r"\s+", " ", page.select_one(".app-review").get_text(" "))
    assert "local child safeguarding practice review by the" not in text
    assert other in text and "business unit" not in text
    assert ("The report, Child Protection in England , was published by the Child Safeguarding "
            "Practice Review Panel, but we do not have its web address.") in text
    ld = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    report = next(b for b in ld if b.get("@type") == "Report")
    assert report["publisher"]["name"] == "the Child Safeguarding Practice Review Panel"
    assert report["datePublished"] == "2022-05"


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
    assert len(by_id["sar-a"]["briefing"]["agreed_actions"]) == 11
    assert "actions" not in by_id["sar-a"]["briefing"]
    assert by_id["arthur"]["published"] == "2022-05"
    assert by_id["arthur"]["published_by"] == "the Child Safeguarding Practice Review Panel"


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


ROW_BOXES = """() => [...document.querySelectorAll('.app-review__facts > div')].map(row => {
  const [dt, dd] = [row.querySelector('dt'), row.querySelector('dd')].map(e => e.getBoundingClientRect());
  return {keyTop: dt.top, keyBottom: dt.bottom, keyRight: dt.right, valueTop: dd.top,
          valueLeft: dd.left, valueRight: dd.right,
          rule: getComputedStyle(row).borderBottomWidth,
          weight: getComputedStyle(row.querySelector('dt')).fontWeight};
})"""


@pytest.mark.browser
def test_about_this_review_is_a_summary_list_at_every_width(page, site_server):
    """As GOV.UK's summary list: bold keys, a rule under each row; key beside value on a wide
    screen, key above value on a phone (320 px), nothing wider than the screen."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site_server + "/reviews/sar-a/")
    assert page.get_by_role("heading", name="About this review", level=2).is_visible()
    wide = page.evaluate(ROW_BOXES)
    assert len(wide) == 7
    for row in wide:
        assert row["rule"] == "1px" and int(row["weight"]) >= 700, row
        assert abs(row["keyTop"] - row["valueTop"]) < 2 and row["keyRight"] <= row["valueLeft"], row
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_function("() => document.documentElement.clientWidth === 320")
    for row in page.evaluate(ROW_BOXES):
        assert row["valueTop"] >= row["keyBottom"] and row["valueRight"] <= 320, row
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.browser
@pytest.mark.parametrize("review_id", [r.id for r in REVIEWS if r.briefing])
def test_a_briefing_prints_on_at_most_two_a4_pages_without_chrome(page, site_server, review_id):
    """On paper: the partnership's name, the page's address (its path: the test site has no
    site_url) and the day the site was built; no navigation, safety bar or footer; two A4
    pages at most."""
    page.goto(site_server + f"/reviews/{review_id}/")
    header = page.locator(".app-print-header")
    assert not header.is_visible()  # on screen it is not there
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".app-safety-bar", ".app-footer"):
        if page.locator(chrome).count():
            assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".app-briefing").is_visible() and header.is_visible()
    pages, text = pdf_text(page.pdf(format="A4"))
    assert 1 <= pages <= 2, f"{review_id} prints on {pages} pages"
    built = dt.date.fromisoformat(SITE_TODAY)
    assert (f"Southend Safeguarding Partnership Printed from /reviews/{review_id}/ · the website as "
            f"published on {built.day} {built:%B %Y}") in text
    assert f"Page 1 of {pages}" in text  # and the name and page number at the foot of each page
    for chrome in ("Exit this page", "Report a concern", "All case reviews", "Tell us what you think",
                   "Accessibility statement", "For professionals"):
        assert chrome not in text, chrome
