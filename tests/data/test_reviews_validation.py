"""The case review library's validator (data/reviews.yaml): every message names the file,
the line, the review and the field, and says what to write instead; and text from the data
is escaped on the pages made from it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from macros.core.problems import DataError
from macros.data.reviews import load_reviews
from macros.render import reviews_page
from tests.conftest import ROOT

TOPICS = """\
topics:
  - slug: housing
    label: Housing and accommodation
  - slug: escalation
    label: Escalation
  - slug: mental-health
    label: Mental health
"""

# A published SAR (lines 2-12) and an unpublished LCSPR (lines 13-21).
GOOD = """\
reviews:
  - id: sar-b
    title: SAR B
    kind: SAR
    wing: adults
    status: completed
    year: 2022-23
    publication: full-report
    published: 2023-06-01
    report_url: https://example.org/sar-b.pdf
    summary: A review.
    themes: [housing, escalation]
  - id: child-f
    title: Child F
    kind: LCSPR
    wing: children
    status: completed
    year: 2022-23
    publication: not-published
    not_published_reason: To protect the child's recovery.
    summary: Another review.
    themes: [mental-health]
"""
F = "data/reviews.yaml"
BRIEFING = "    themes: [housing, escalation]\n    briefing:\n"


def write(root: Path, text: str) -> Path:
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    path = root / "data" / "reviews.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str) -> list[str]:
    try:
        load_reviews(write(tmp_path, text))
    except DataError as exc:
        return [str(p).replace(str(tmp_path) + "/", "") for p in exc.problems]
    return []


def change(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


CASES = [
    ("status not allowed", change("status: completed", "status: done"),
     f"{F}:6: review 'sar-b': status: 'done' is not allowed (write one of: in-progress, completed)"),
    ("kind in lower case", change("kind: SAR", "kind: sar"),
     f"{F}:4: review 'sar-b': kind: 'sar' is not allowed; did you mean 'SAR'? (write one of: "
     "LCSPR, SAR, DARDR, DHR, rapid-review, action-learning, national)"),
    ("wing misspelt", change("wing: adults", "wing: adult"),
     f"{F}:5: review 'sar-b': wing: 'adult' is not allowed; did you mean 'adults'? "
     "(write one of: children, adults)"),
    ("year not consecutive", change("year: 2022-23", "year: 2022-24"),
     f"{F}:7: review 'sar-b': year: '2022-24' is not a financial year: the second part must be "
     "the year after the first (write 2022-23)"),
    ("year as a number", change("year: 2022-23", "year: 2022"),
     f"{F}:7: review 'sar-b': year: expected a financial year written like 2022-23, found the "
     "number 2022"),
    ("not published without a reason",
     change("    not_published_reason: To protect the child's recovery.\n", ""),
     f"{F}:13: review 'child-f': not_published_reason: is missing: this review was not published, "
     "so say why (why the full report was not published, one or two plain sentences)"),
    ("briefing only without a reason", change("publication: full-report", "publication: briefing-only"),
     f"{F}:2: review 'sar-b': not_published_reason: is missing: this review is published only as "
     "a briefing, so say why (why the full report was not published, one or two plain sentences)"),
    ("published date that does not exist", change("published: 2023-06-01", "published: 2023-02-30"),
     f"{F}:9: review 'sar-b': published: '2023-02-30' is not a date that exists"),
    ("published in words", change("published: 2023-06-01", "published: June 2023"),
     f"{F}:9: review 'sar-b': published: expected a date written YYYY-MM-DD, a month written "
     "YYYY-MM, a financial year like \"2022-23\" or unknown, found 'June 2023'"),
    ("published in a month that does not exist", change("published: 2023-06-01", "published: 2023-13"),
     f"{F}:9: review 'sar-b': published: expected a date written YYYY-MM-DD, a month written "
     "YYYY-MM, a financial year like \"2022-23\" or unknown, found '2023-13'"),
    ("published_by empty", change("    summary: A review.", '    published_by: ""\n    summary: A review.'),
     f"{F}:11: review 'sar-b': published_by: is empty (who published the report, when not this "
     "partnership, e.g. the Child Safeguarding Practice Review Panel)"),
    ("published missing", change("    published: 2023-06-01\n", ""),
     f"{F}:2: review 'sar-b': published: is missing: this review was published, so say when (the "
     "date it was published, YYYY-MM-DD; or the month, e.g. \"2022-05\", or the financial year, "
     "e.g. \"2022-23\", when only that is known; or unknown)"),
    ("not published but dated",
     change("    not_published_reason:", "    published: 2023-01-01\n    not_published_reason:"),
     f"{F}:20: review 'child-f': published: a review that was not published has no publication "
     "date; remove this field or change publication"),
    ("report over http", change("report_url: https://", "report_url: http://"),
     f"{F}:10: review 'sar-b': report_url: 'http://example.org/sar-b.pdf' is not in the right form "
     "(the published report, a full web address starting https://)"),
    ("published report without address", change("    report_url: https://example.org/sar-b.pdf\n", ""),
     f"{F}:2: review 'sar-b': report_url: is missing: give the address of the published report, "
     "or write report_url_unknown: true when it is not known"),
    ("unpublished with a report",
     change("    summary: Another", "    report_url_unknown: true\n    summary: Another"),
     f"{F}:21: review 'child-f': report_url_unknown: a review that was not published has no "
     "report; remove this field or change publication"),
    ("theme misspelt", change("themes: [housing, escalation]", "themes: [housing, escalaton]"),
     f"{F}:12: review 'sar-b': themes: 'escalaton' is not a topic in data/topics.yaml; did you "
     "mean 'escalation'? (add it there, or use one of its slugs)"),
    ("no themes", change("themes: [housing, escalation]", "themes: []"),
     f"{F}:12: review 'sar-b': themes: needs at least 1 item(s) (a list of topic slugs from "
     "data/topics.yaml, e.g. [housing, escalation])"),
    ("themes not a list", change("themes: [housing, escalation]", "themes: housing"),
     f"{F}:12: review 'sar-b': themes: expected a list, found 'housing' (a list of topic slugs "
     "from data/topics.yaml, e.g. [housing, escalation])"),
    ("duplicate id", change("  - id: child-f", "  - id: sar-b"),
     f"{F}:13: review 'sar-b': id: the id is also used on line 2; give each review its own id"),
    ("reserved id", change("  - id: child-f", "  - id: about-reviews"),
     f"{F}:13: review 'about-reviews': id: 'about-reviews' is the address of a page of the "
     "library; choose another id"),
    ("id with spaces", change("id: sar-b", "id: SAR B"),
     f"{F}:2: review 'SAR B': id: 'SAR B' is not in the right form (lower-case words and numbers "
     "joined by hyphens, unique, e.g. sar-b; the page is /reviews/<id>/)"),
    ("title missing", change("    title: SAR B\n", ""),
     f"{F}:2: review 'sar-b': title: is missing (the name the review is known by, plain text, "
     "e.g. SAR B)"),
    ("title a number", change("    title: SAR B\n", "    title: 2023\n"),
     f"{F}:3: review 'sar-b': title: expected text, found the number 2023 (put the value in quotes)"),
    ("unknown field", change("    summary: A review.\n", "    summary: A review.\n    sumary: typo\n"),
     f"{F}:12: review 'sar-b': sumary: is not a field we know; did you mean 'summary'? (allowed "
     "fields: briefing, id, kind, method, not_published_reason, note, publication, published, "
     "published_by, report_title, report_url, report_url_unknown, source, status, summary, themes, "
     "title, wing, year)"),
    ("in progress but published", change("status: completed", "status: in-progress"),
     f"{F}:8: review 'sar-b': publication: a review in progress has nothing published yet; write "
     "publication: not-published (with the reason)"),
    ("briefing learning not a list",
     change("    themes: [housing, escalation]\n", BRIEFING + "      learning: one point\n"),
     f"{F}:14: review 'sar-b': briefing.learning: expected a list, found 'one point' (a list of "
     "learning points, each starting '- ')"),
    ("briefing agreed actions not a list",
     change("    themes: [housing, escalation]\n", BRIEFING + "      agreed_actions: an audit\n"),
     f"{F}:14: review 'sar-b': briefing.agreed_actions: expected a list, found 'an audit' (a list of "
     "what the partnership agreed to do after the review, e.g. audits and seeking assurance)"),
    ("briefing resource without url", change("    themes: [housing, escalation]\n",
                                             BRIEFING + "      resources:\n        - title: Guide\n"),
     f"{F}:15: review 'sar-b': briefing.resources.url: is missing (a full web address starting https://)"),
    ("briefing section empty",
     change("    themes: [housing, escalation]\n", BRIEFING + '      background: ""\n'),
     f"{F}:14: review 'sar-b': briefing.background: is empty (what happened, in plain sentences)"),
    ("reviews not a list", "reviews: none\n",
     f"{F}:1: reviews: expected a list of reviews, found 'none' (each review starts with '  - id: ...')"),
    ("tab indentation", change("    wing: adults", "\twing: adults"),
     f"{F}:5: a tab character is used for indentation; use spaces instead"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validator_message(tmp_path, text, expected):
    assert expected in problems_for(tmp_path, text)


def test_there_are_many_cases():
    assert len(CASES) >= 15


def test_good_file_has_no_problems(tmp_path):
    assert problems_for(tmp_path, GOOD) == []


def test_every_problem_is_reported_at_once(tmp_path):
    text = change("status: completed", "status: done").replace(
        "    not_published_reason: To protect the child's recovery.\n", "")
    found = problems_for(tmp_path, text)
    assert [p.split(":")[1] for p in found] == ["6", "13"]


def test_dhr_is_a_synonym_of_dardr(tmp_path):
    reviews = load_reviews(write(tmp_path, change("kind: SAR", "kind: DHR")))
    assert {r.id: r.kind for r in reviews}["sar-b"] == "DARDR"


def test_loaded_records(tmp_path):
    by_id = {r.id: r for r in load_reviews(write(tmp_path, GOOD))}
    assert by_id["sar-b"].published.isoformat() == "2023-06-01"
    assert by_id["sar-b"].themes == ("housing", "escalation")
    assert by_id["child-f"].is_published is False
    assert by_id["child-f"].not_published_reason == "To protect the child's recovery."


def test_a_national_review_published_by_another_body_in_a_known_month(tmp_path):
    """published: YYYY-MM, published_by, report_title and note: the page names the publisher and
    the month, and offers no copy from the business unit; the feed dates it the month's last day."""
    text = change("    published: 2023-06-01\n    report_url: https://example.org/sar-b.pdf\n",
                  "    published: 2022-05\n    published_by: the National Panel\n"
                  "    report_title: A National Review\n    report_url_unknown: true\n"
                  "    note: The annual report calls it an LCSPR.\n").replace("kind: SAR", "kind: national")
    review = {r.id: r for r in load_reviews(write(tmp_path, text))}["sar-b"]
    assert (review.published_month, review.published_text, review.feed_date.isoformat()) == (
        "2022-05", "May 2022", "2022-05-31")
    page = reviews_page.review_markdown(review, {})
    assert ("The report, <cite>A National Review</cite>, was published by the National Panel, but we "
            "do not have its web address.</p>") in page
    assert "business unit" not in page and "The annual report calls it an LCSPR." in page
    assert '<dt class="app-summary-list__key">Published by</dt> <dd class="app-summary-list__value">' \
           "The National Panel</dd>" in page
    own = {r.id: r for r in load_reviews(write(tmp_path, change("    report_url: https://example.org/sar-b.pdf\n",
                                                                "    report_url_unknown: true\n")))}
    assert "Ask the partnership's business unit for a copy." in reviews_page.review_markdown(own["sar-b"], {})


def test_the_printed_header_names_the_site_the_address_and_the_day_built(tmp_path):
    """The page's address: absolute from site_url, else its path (never an invented host)."""
    review = {r.id: r for r in load_reviews(write(tmp_path, GOOD))}["sar-b"]
    local = reviews_page.review_markdown(review, {}, "", "Southend Safeguarding Partnership",
                                         dt.date(2022, 12, 1))
    assert ('<p class="app-print-header__site">Southend Safeguarding Partnership</p><p>Printed from '
            "/reviews/sar-b/ · the website as published on 1 December 2022</p>") in local
    live = reviews_page.review_markdown(review, {}, "https://example.org/reviews/", "SSP",
                                        dt.date(2023, 1, 2))
    assert ("Printed from https://example.org/reviews/sar-b/ · the website as published on "
            "2 January 2023") in live


def test_raw_html_in_a_summary_is_escaped_in_the_page(tmp_path):
    text = change("summary: A review.", 'summary: "<script>alert(1)</script> <b>bold</b> {{ x }}"')
    review = {r.id: r for r in load_reviews(write(tmp_path, text))}["sar-b"]
    page = reviews_page.review_markdown(review, {"housing": "Housing"})
    library = str(reviews_page.library_html([review], {"housing": "Housing"}))
    for html in (page, library):
        assert "<script>alert" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "render_macros: false" in page


def test_title_is_escaped_in_front_matter_heading_and_json_ld(tmp_path):
    text = change("title: SAR B", 'title: "SAR </script><b>B"')
    review = {r.id: r for r in load_reviews(write(tmp_path, text))}["sar-b"]
    page = reviews_page.review_markdown(review, {})
    assert '<h1 id="review-title">SAR &lt;/script&gt;&lt;b&gt;B</h1>' in page
    assert 'title: "SAR &lt;/script&gt;&lt;b&gt;B"' in page
    ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in ld and "\\u003c/script\\u003e" in ld


def test_limited_markdown_in_text():
    html = str(reviews_page.text_html("One *two* **three** [four](https://example.org)\n\n- a\n- b"))
    assert html == ('<p>One <em>two</em> <strong>three</strong> <a href="https://example.org">four</a>'
                    "</p><ul><li>a</li><li>b</li></ul>")
    assert "<a" not in str(reviews_page.text_html("[x](javascript:alert(1))"))


def test_the_repository_reviews_are_valid():
    reviews = load_reviews()
    assert len(reviews) >= 11 and len({r.id for r in reviews}) == len(reviews)


def test_validate_script_reports_review_problems(project_copy):
    path = project_copy / "data" / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: child-f\n    title: Child F\n    kind: LCSPR",
                                 "  - id: child-f\n    title: Child F\n    kind: LSCPR", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project_copy,
                            capture_output=True, text=True,
                            env={"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("data/reviews.yaml:")]
    assert len(line) == 1
    assert "review 'child-f': kind: 'LSCPR' is not allowed; did you mean 'LCSPR'?" in line[0]
    assert "::error file=data/reviews.yaml,line=" in result.stdout


def test_the_build_fails_with_the_message_and_no_traceback(project_copy):
    from tests.conftest import run_build

    path = project_copy / "data" / "reviews.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: in-progress", "status: ongoing", 1),
                    encoding="utf-8")
    result = run_build(project_copy / "out", cwd=project_copy)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "review 'child-h': status: 'ongoing' is not allowed" in result.stderr


def test_validate_script_passes_on_the_repository_data():
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
