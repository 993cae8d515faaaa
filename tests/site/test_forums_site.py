"""The forums, their newsletters and feeds, the feedback page and the home page, as built."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from macros.data.newsletters import load_newsletters
from tests.conftest import run_build
from tests.site.test_site_build import FEEDBACK_URL


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def main(path: Path):
    return soup(path).select_one(".md-content")


# --- the repository's site -------------------------------------------------------------------


def test_each_newsletter_has_its_page_with_date_and_way_back(built_site):
    items = load_newsletters()
    assert items
    for item in items:
        page = built_site / item.url() / "index.html"
        assert page.is_file(), f"{item.file}: no page"
        content = main(page)
        assert [h.get_text(strip=True).rstrip("¶") for h in content.select("h1")] == [item.title]
        meta = content.select_one(".app-newsletter-meta")
        assert meta.select_one("time")["datetime"] == item.date.isoformat()
        assert meta.select_one("a")["href"] == "../../#newsletters"
        assert soup(page).select_one('meta[name="description"]')["content"] == item.summary


def test_forum_pages_list_their_newsletters_and_link_their_feed(built_site):
    items = load_newsletters()
    for forum in ("education", "community"):
        content = main(built_site / "forums" / forum / "index.html")
        listed = [a["href"] for a in content.select(".app-newsletters a")]
        assert listed == [f"../../{n.url()}" for n in items if n.forum == forum]
        assert content.select_one(f'.app-feed-link a[href="../../forums/{forum}/feed.xml"]')
    education = main(built_site / "forums" / "education" / "index.html")
    assert education.select_one(".app-newsletters-none").get_text(strip=True) == "No newsletters yet."


def test_the_education_forum_has_its_newsletters_folder_with_a_note_not_published(built_site):
    """The README sends editors to content/forums/education/newsletters/: it exists, with a
    note for editors (README.md) that the strict build leaves out of the site."""
    folder = Path(__file__).resolve().parents[2] / "content" / "forums" / "education" / "newsletters"
    note = folder / "README.md"
    assert note.is_file() and "does not publish it" in note.read_text(encoding="utf-8")
    built = built_site / "forums" / "education" / "newsletters"
    assert not (built / "index.html").exists() and not (built / "README" / "index.html").exists()
    assert not [p for p in built_site.rglob("*") if "README" in p.name]


def test_forum_pages_cover_purpose_audience_meetings_and_joining(built_site):
    for forum, meets in (("education", "four times a year"), ("community", "twice a year")):
        content = main(built_site / "forums" / forum / "index.html")
        headings = [h.get_text(strip=True).rstrip("¶") for h in content.select("h2")]
        for wanted in ("Who it is for", "What it does", "How often it meets", "How to join",
                       "Newsletters"):
            assert wanted in headings, f"{forum}: no '{wanted}' section"
        assert meets in content.get_text(" ", strip=True)
    assert "Microsoft Teams" in main(built_site / "forums" / "education" / "index.html").get_text()
    assert "two newsletters" in main(built_site / "forums" / "community" / "index.html").get_text()


def test_feeds_parse_and_list_every_newsletter(built_site):
    items = load_newsletters()
    for forum in ("education", "community"):
        feed = feedparser.parse((built_site / "forums" / forum / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        mine = [n for n in items if n.forum == forum]
        assert [e.title for e in feed.entries] == [n.title for n in mine]
        assert [e.link for e in feed.entries] == [f"newsletters/{n.name}/" for n in mine]


def test_home_page_shows_the_latest_newsletters(built_site):
    content = main(built_site / "index.html")
    latest = content.select_one(".app-newsletters--latest")
    assert latest is not None
    assert latest.select_one('a[href="forums/community/newsletters/2023-02-introduction/"]')


def test_home_page_has_no_training_block_when_no_course_is_upcoming(built_site):
    # The repository's calendar holds on-demand courses only.
    content = main(built_site / "index.html")
    assert content.select_one("#upcoming-free-training") is None
    assert content.select_one(".app-upcoming") is None


def test_feedback_page_warns_before_the_form_link(built_site):
    content = main(built_site / "feedback" / "index.html")
    text = content.get_text(" ", strip=True)
    for words in ("Professionals", "People who use services", "independent", "How we use it"):
        assert words in text
    assert content.find("a", href=FEEDBACK_URL) is None  # a placeholder: not linked (#13 point 11)
    form = content.select_one(".app-feedback-tbc")
    assert form.get_text() == "Feedback form address to be confirmed"
    warning = content.select_one(".app-emergency")
    assert "not the way to report a concern" in warning.get_text(" ", strip=True)
    assert warning.select_one('a[href="tel:999"]')
    assert warning.select_one('a[href="../report-a-concern/"]')
    html = str(content)
    assert html.index("app-emergency") < html.index("app-feedback-tbc")


# --- builds of a changed copy ----------------------------------------------------------------

NEW = """---
title: {title}
date: {date}
forum: {forum}
summary: {summary}
source: Test newsletter
---

Text of {title}.
"""

COURSE = """
  - id: test-dated-course
    title: A dated test course
    provider: Test provider
    url: https://www.example.org/book
    audience: [children]
    topics: [safeguarding-basics]
    format: online
    sessions:
      - date: 2026-12-10
        time: "09:30-12:30"
    added: 2026-11-01
"""


def test_adding_newsletters_is_adding_files(project_copy, tmp_path):
    """Two new education newsletters, no other edit: pages, list, feed and home page follow.
    A dated course makes the home page's training block appear."""
    folder = project_copy / "content" / "forums" / "education" / "newsletters"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2023-05-summer.md").write_text(NEW.format(
        title="Summer update & news", date="2023-05-04", forum="education", summary="Summer."))
    (folder / "2023-10-autumn.md").write_text(NEW.format(
        title="Autumn update", date="2023-10-02", forum="education", summary="Autumn."))
    training = project_copy / "data" / "training.yaml"
    training.write_text(training.read_text().replace("courses:\n", "courses:\n" + COURSE, 1))
    site = tmp_path / "out"
    result = run_build(site, cwd=project_copy)
    assert result.returncode == 0, result.stderr[-3000:]

    for name in ("2023-05-summer", "2023-10-autumn"):
        assert (site / "forums" / "education" / "newsletters" / name / "index.html").is_file()
    summer = main(site / "forums/education/newsletters/2023-05-summer/index.html")
    assert summer.select_one("h1").get_text(strip=True).rstrip("¶") == "Summer update & news"
    forum = main(site / "forums" / "education" / "index.html")
    assert [a.get_text() for a in forum.select(".app-newsletters a")] == [
        "Autumn update", "Summer update & news"]
    feed = feedparser.parse((site / "forums" / "education" / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Autumn update", "Summer update & news"]
    assert b"Summer update &amp; news" in (site / "forums/education/feed.xml").read_bytes()
    home = main(site / "index.html")
    latest = [a.get_text() for a in home.select(".app-newsletters--latest a")]
    assert latest == ["Safeguarding Community Forum introductory newsletter", "Autumn update"]
    assert home.select_one("#upcoming-free-training") is not None
    assert "A dated test course" in home.select_one(".app-upcoming").get_text()


def test_a_broken_newsletter_fails_the_build_and_the_check_with_its_line(project_copy, tmp_path):
    page = project_copy / "content/forums/community/newsletters/2023-02-introduction.md"
    page.write_text(page.read_text().replace("forum: community", "forum: comunity"))
    expected = ("content/forums/community/newsletters/2023-02-introduction.md:4: newsletter "
                "'2023-02-introduction': forum: 'comunity' is not a forum we know; did you mean "
                "'community'? (write one of: community, education)")
    result = run_build(tmp_path / "out", cwd=project_copy)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    check = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project_copy,
                           capture_output=True, text=True)
    assert check.returncode == 1
    assert expected in check.stderr.splitlines()


def test_a_strict_build_without_the_feedback_address_fails_clearly(project_copy, tmp_path):
    config = project_copy / "mkdocs.yml"
    text = config.read_text()
    text = re.sub(r"  feedback:\n(    #.*\n)*    url: \S+\n", "", text)
    assert "feedback.invalid" not in text
    config.write_text(text)
    result = run_build(tmp_path / "out", cwd=project_copy)
    assert result.returncode != 0
    assert ("mkdocs.yml: extra.feedback: url: is missing: add the feedback form's address under "
            "extra: feedback: url: https://...") in result.stderr
    assert "Traceback" not in result.stderr
