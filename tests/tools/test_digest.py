"""The weekly email digest (macros/digest.py, `scripts/report.py digest`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from macros.core.dates import LONDON
from macros.tools.digest import digest_html, digest_text, make_digest, new_courses
from tests.factories import make_course

NOW = dt.datetime(2022, 11, 28, 8, 0, tzinfo=LONDON)
SINCE = dt.date(2022, 11, 21)
TOPICS = {"domestic-abuse": "Domestic abuse", "neglect": "Neglect"}
SITE = "https://ssp.example.org/"


def courses():
    return [
        make_course(id="later", title="Later course", added="2022-11-22", format="to-be-confirmed",
                    sessions=(("2022-12-14", "10:00-12:00"),)),
        make_course(id="sooner", title="Sooner course", added="2022-11-25",
                    sessions=(("2022-11-20", "10:00"), ("2022-12-02", "09:30-12:30"))),
        make_course(id="any-time", title="E-learning", format="on-demand", added="2022-11-23"),
        make_course(id="xss", title="<script>alert(1)</script> & more", added="2022-11-21",
                    description='A "quoted" <b>description</b>', url="https://x.example.org/?a=1&b=2",
                    sessions=(("2022-12-08", None),)),
        make_course(id="old-news", title="Added before the week", added="2022-11-20",
                    sessions=(("2022-12-01", "09:30-12:30"),)),
        make_course(id="ended", title="Added this week but over", added="2022-11-24",
                    sessions=(("2022-11-25", "09:30-12:30"),)),
        make_course(id="closed", title="Closed e-learning", format="on-demand", added="2022-11-24",
                    available_until="2022-11-27"),
    ]


def digest():
    return make_digest(courses(), SINCE, NOW, SITE)


def test_lists_upcoming_courses_added_since_the_date_soonest_first():
    assert [c.id for c in new_courses(courses(), SINCE, NOW)] == ["sooner", "xss", "later", "any-time"]


def test_html_is_an_accessible_self_contained_email():
    html = digest_html(digest(), TOPICS)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert soup.title.string.startswith("New training courses")
    assert len(soup.find_all("h1")) == 1
    assert [h.get_text() for h in soup.select("ol > li > h2")] == [
        "Sooner course", "<script>alert(1)</script> & more", "Later course", "E-learning"]
    assert not soup.find_all(["script", "img", "link", "iframe", "object", "embed", "style"])
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert all(child.name == "div" for dl in soup.find_all("dl") for child in dl.find_all(recursive=False))
    assert soup.select("ol > li dl div > dt + dd")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;b&gt;description&lt;/b&gt;" in html
    assert soup.find("a", href="https://x.example.org/?a=1&b=2")
    links = [a["href"] for a in soup.find_all("a")]
    assert "https://ssp.example.org/training/#course-sooner" in links
    assert links[-1] == "https://ssp.example.org/training/"
    assert all(href.startswith("https://") for href in links)


def test_html_shows_only_sessions_still_to_come():
    soup = BeautifulSoup(digest_html(digest(), TOPICS), "html.parser")
    first = soup.select("ol > li")[0].get_text(" ")
    assert "Friday 2 December 2022, 9:30am to 12:30pm" in first
    assert "20 November" not in first


def test_text_alternative_lists_the_same_courses_in_the_same_order():
    text = digest_text(digest(), TOPICS)
    titles = [line.split(". ", 1)[1] for line in text.splitlines() if line[:1].isdigit() and ". " in line]
    assert titles == ["Sooner course", "<script>alert(1)</script> & more", "Later course", "E-learning"]
    assert "4 new courses have been added to the training calendar since Monday 21 November 2022." in text
    assert "In the calendar: https://ssp.example.org/training/#course-xss" in text
    assert "When: Online at any time" in text
    later = text.split("3. Later course\n", 1)[1].split("\n\n", 1)[0]
    assert "Format: To be confirmed" in later.splitlines() and "Online" not in later


def test_an_empty_week_says_so():
    made = make_digest(courses(), dt.date(2022, 11, 27), NOW, SITE)
    assert "No new courses have been added" in digest_text(made, TOPICS)
    soup = BeautifulSoup(digest_html(made, TOPICS), "html.parser")
    assert not soup.find("ol") and "No new courses" in soup.get_text()


def run_report(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_TODAY": "2022-11-28"}
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "scripts/report.py", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_digest_command_writes_html_and_text(project_copy):
    html, text = project_copy / "out" / "digest.html", project_copy / "out" / "digest.txt"
    result = run_report(project_copy, "digest", "--since", "2022-11-01", "--html", str(html),
                        "--text", str(text), "--site-url", SITE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digest: ")
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    html_titles = [h.get_text() for h in soup.select("ol > li > h2")]
    assert html_titles, "the repository's data has courses added in November 2022"
    assert all(f". {title}\n" in text.read_text(encoding="utf-8") for title in html_titles)
    # mkdocs.yml has no site_url yet: no links to the calendar, and one line says why
    result = run_report(project_copy, "digest", "--since", "2022-11-01", "--text", str(text))
    assert result.stdout.splitlines()[1:] == [
        "digest: mkdocs.yml has no site_url, so the digest has no links to the calendar: write the "
        "site's https:// address there (README, \"Settings in mkdocs.yml\")."]
    assert "In the calendar:" not in text.read_text(encoding="utf-8")


@pytest.mark.parametrize("since", ["21/11/2022", "2022-13-01"])
def test_digest_command_rejects_a_bad_date(project_copy, since):
    result = run_report(project_copy, "digest", "--since", since)
    assert result.returncode == 2
    assert f"'{since}' is not a date: write YYYY-MM-DD, e.g. 2022-11-20" in result.stderr


def test_without_the_sites_address_the_digest_has_no_calendar_links():
    """An email has no page a relative address could start from: without site_url the digest
    links only to the providers (the command then says why: above)."""
    made = make_digest(courses(), SINCE, NOW, "")
    soup = BeautifulSoup(digest_html(made, TOPICS), "html.parser")
    assert [h.get_text() for h in soup.select("ol > li > h2")][0] == "Sooner course"
    assert all(a["href"].startswith("https://") for a in soup.find_all("a"))
    assert "See every course" not in soup.get_text()
    text = digest_text(made, TOPICS)
    assert "In the calendar:" not in text and "Every course:" not in text
    assert "Sooner course" in text
