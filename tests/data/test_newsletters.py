"""macros/data/newsletters.py and macros/render/newsletters.py: checking newsletter files,
ordering, lists, page headers and feeds (no build)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from macros.core.problems import DataError
from macros.data import newsletters as nl
from macros.render import newsletters as pages

GOOD = """---
title: Spring newsletter
date: 2023-02-01
forum: community
summary: What the forum is for.
source: The newsletter as sent
---

Text.
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / "content" / "forums" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        nl.load_newsletters(root / "content" / "forums")
    return [str(p) for p in caught.value.problems]


def good(**changes: str | None) -> str:
    """GOOD with fields changed (a value) or removed (None)."""
    lines = GOOD.splitlines()
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                out.append(f"{key}: {changes[key]}")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


F = "content/forums/community/newsletters/2023-02-spring.md"
R = "newsletter '2023-02-spring'"

# (what is wrong, file text, exact lines expected)
CASES = [
    ("missing date", good(date=None),
     [f"{F}:1: {R}: date: is missing (the date it was sent, written YYYY-MM-DD, e.g. date: 2023-02-01)"]),
    ("date not a date", good(date="February 2023"),
     [f"{F}:3: {R}: date: expected a date written YYYY-MM-DD, found 'February 2023' "
      "(e.g. date: 2023-02-01)"]),
    ("date that does not exist", good(date="2023-02-30"),
     [f"{F}:3: {R}: date: '2023-02-30' is not a real date (check the day and the month)"]),
    ("date not in the file name's month", good(date="2023-03-01"),
     [f"{F}:3: {R}: date: 2023-03-01 does not match the file name, which starts 2023-02 "
      "(rename the file or correct the date)"]),
    ("unknown forum", good(forum="comunity"),
     [f"{F}:4: {R}: forum: 'comunity' is not a forum we know; did you mean 'community'? "
      "(write one of: community, education)"]),
    ("forum not matching its folder", good(forum="education"),
     [f"{F}:4: {R}: forum: is 'education' but the file is in the 'community' folder "
      "(write forum: community, or move the file to content/forums/education/newsletters/)"]),
    ("summary missing", good(summary=None),
     [f"{F}:1: {R}: summary: is missing (one plain sentence saying what the newsletter is about)"]),
    ("summary with HTML", good(summary="'<b>Hi</b>'"),
     [f"{F}:5: {R}: summary: must be plain text: '<b>Hi</b>' contains < > or {{{{ "
      "(write it without HTML or macros)"]),
    ("title a number", good(title="2023"),
     [f"{F}:2: {R}: title: expected text, found the number 2023 (put the value in quotes)"]),
    ("unknown field, misspelt", good(summary=None) + "",
     None),  # replaced below: a misspelt field is reported once, not also as missing
    ("unknown field", GOOD.replace("source:", "author: Hayley\nsource:"),
     [f"{F}:6: {R}: author: is not a field we know (allowed fields: date, forum, source, "
      "summary, title, to_confirm)"]),
    ("second h1", GOOD + "\n# Spring newsletter\n",
     [f"{F}:11: {R}: the page's heading comes from title: in the front matter; "
      "remove this '# ' heading (or make it '## ')"]),
    ("no front matter", "# Spring\n\nText.\n",
     [f"{F}:1: {R}: has no front matter: start the file with a line ---, then title:, date:, "
      "forum:, summary: and source:, then a line ---"]),
    ("a colon in unquoted text", good(title="Spring: the newsletter"),
     [f"{F}:2: this line holds ': ' (a colon and a space) where no new field can start: if the "
      "colon is part of the text, put the whole value in quotes (e.g. title: \"Safeguarding: the "
      "basics\"); if it starts a field, put that field on a line of its own, lined up with the "
      "fields above it"]),
]
CASES[9] = ("unknown field, misspelt", good(summary=None).replace(
    "source:", "sumary: What it is for.\nsource:"),
    [f"{F}:5: {R}: sumary: is not a field we know; did you mean 'summary'? (allowed fields: "
     "date, forum, source, summary, title, to_confirm)"])


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_newsletter_problem_messages(tmp_path, text, expected):
    write(tmp_path, "community/newsletters/2023-02-spring.md", text)
    assert problems_of(tmp_path) == expected


def test_bad_file_name_and_folder(tmp_path):
    write(tmp_path, "educaton/newsletters/2023-3-Spring.md", good(forum="education", date="2023-03-01"))
    f = "content/forums/educaton/newsletters/2023-3-Spring.md"
    r = "newsletter '2023-3-Spring'"
    assert problems_of(tmp_path) == [
        f"{f}:1: {r}: the file name must be YYYY-MM-<words-joined-by-hyphens>.md, in lower case, "
        "e.g. 2023-02-introduction.md",
        f"{f}:1: {r}: the folder 'educaton' is not a forum; did you mean 'education'? "
        "(newsletters go in content/forums/education/newsletters/ or "
        "content/forums/community/newsletters/)",
    ]


def test_every_problem_of_every_file_at_once(tmp_path):
    write(tmp_path, "community/newsletters/2023-02-spring.md", good(date=None, forum="educaton"))
    write(tmp_path, "education/newsletters/2023-05-may.md", good(forum="education", date="2023-05-01",
                                                                 summary=None))
    lines = problems_of(tmp_path)
    assert len(lines) == 3
    assert lines[0].startswith("content/forums/community/newsletters/2023-02-spring.md:1: ")
    assert "date: is missing" in lines[0]
    assert "forum: 'educaton' is not a forum we know; did you mean 'education'?" in lines[1]
    assert lines[2].startswith("content/forums/education/newsletters/2023-05-may.md:1: "
                               "newsletter '2023-05-may': summary: is missing")


def test_valid_newsletters_load_newest_first(tmp_path):
    write(tmp_path, "community/newsletters/2023-02-spring.md", GOOD)
    write(tmp_path, "community/newsletters/2023-09-autumn.md",
          good(date="2023-09-14", title="Autumn newsletter"))
    write(tmp_path, "education/newsletters/2023-05-summer.md",
          good(date="2023-05-02", forum="education", title="Summer"))
    items = nl.load_newsletters(tmp_path / "content" / "forums")
    assert [(n.forum, n.name, n.date) for n in items] == [
        ("community", "2023-09-autumn", dt.date(2023, 9, 14)),
        ("education", "2023-05-summer", dt.date(2023, 5, 2)),
        ("community", "2023-02-spring", dt.date(2023, 2, 1)),
    ]
    first = items[-1]
    assert (first.title, first.summary, first.file) == (
        "Spring newsletter", "What the forum is for.",
        "content/forums/community/newsletters/2023-02-spring.md")
    assert first.url() == "forums/community/newsletters/2023-02-spring/"


def make(name: str, date: str, title: str = "T", forum: str = "community") -> nl.Newsletter:
    return nl.Newsletter(forum=forum, name=name, title=title, date=dt.date.fromisoformat(date),
                         summary=f"About {name} & more.", source="s", file="f")


ITEMS = [make("2023-02-a", "2023-02-01", "First <one>"), make("2023-11-c", "2023-11-20", "Third"),
         make("2023-06-b", "2023-06-05", "Second")]


def test_list_is_newest_first_escaped_and_links_each_page():
    html = str(pages.render_list(ITEMS, "community", "../../"))
    assert html.index("Third") < html.index("Second") < html.index("First")
    assert "First &lt;one&gt;" in html and "<one>" not in html
    assert "About 2023-02-a &amp; more." in html
    assert '<a href="../../forums/community/newsletters/2023-06-b/">Second</a>' in html
    assert '<time datetime="2023-06-05">June 2023</time>' in html
    assert 'href="../../forums/community/feed.xml"' in html


def test_list_of_a_forum_without_newsletters_says_so():
    html = str(pages.render_list(ITEMS, "education", ""))
    assert '<p class="app-newsletters-none">No newsletters yet.</p>' in html
    assert 'href="forums/education/feed.xml"' in html


def test_list_of_an_unknown_forum_is_an_error():
    with pytest.raises(ValueError, match="'educaton' is not a forum; write one of: community, education"):
        pages.render_list(ITEMS, "educaton", "")


def test_latest_shows_the_newest_of_each_forum_and_nothing_when_none():
    items = [*ITEMS, make("2023-03-e", "2023-03-01", "Education one", "education")]
    html = str(pages.render_latest(items, ""))
    assert "Third" in html and "Education one" in html and "Second" not in html
    assert str(pages.render_latest([], "")) == ""


def test_feed_is_newest_first_with_titles_as_text():
    feed = feedparser.parse(nl.atom(ITEMS, "community", "https://ssp.example"))
    assert not feed.bozo
    assert feed.feed.title == "Safeguarding Community Forum: newsletters"
    assert [e.title for e in feed.entries] == ["Third", "Second", "First <one>"]
    assert feed.entries[0].link == "https://ssp.example/forums/community/newsletters/2023-11-c/"
    assert feed.entries[0].summary == "About 2023-11-c & more."
    assert feed.entries[0].updated.startswith("2023-11-20")
    assert b"First &lt;one&gt;" in nl.atom(ITEMS, "community")


def test_feed_of_a_forum_without_newsletters_is_valid_and_empty():
    feed = feedparser.parse(nl.atom(ITEMS, "education"))
    assert not feed.bozo and feed.entries == []


def test_feed_is_reproducible():
    assert nl.atom(ITEMS, "community") == nl.atom(list(reversed(ITEMS)), "community")


def test_page_header_has_the_only_h1_the_month_and_the_way_back():
    head = pages.page_header(make("2023-02-a", "2023-02-01", "Tom & Jerry"))
    assert head.startswith("<h1>Tom &amp; Jerry</h1>\n\n")
    assert head.count("\n# ") == 0
    assert '<time datetime="2023-02-01">February 2023</time>' in head
    assert "[Safeguarding Community Forum](../index.md#newsletters)" in head


def test_the_repository_newsletters_are_valid():
    items = nl.load_newsletters()
    assert any(n.name == "2023-02-introduction" and n.forum == "community" for n in items)
    assert not [n for n in items if n.forum == "education"], (
        "the annual report names no Education Forum newsletter")


def test_the_readme_example_passes_the_check(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Add a newsletter"):]
    example = section[section.index("```markdown\n") + 12:section.index("\n```\n")] + "\n"
    write(tmp_path, "community/newsletters/2023-09-autumn.md", example)
    [item] = nl.load_newsletters(tmp_path / "content" / "forums")
    assert (item.title, item.date, item.forum) == (
        "Safeguarding Community Forum autumn newsletter", dt.date(2023, 9, 14), "community")


def test_a_folders_readme_is_a_note_for_editors_not_a_newsletter(tmp_path):
    """A newsletters folder may hold its README.md (GitHub shows it to editors); anything else
    that is not a newsletter is still refused, with the file named."""
    write(tmp_path, "education/newsletters/README.md", "# Notes for editors\n\nNo front matter.\n")
    write(tmp_path, "community/newsletters/2023-02-spring.md", GOOD)
    assert [n.name for n in nl.load_newsletters(tmp_path / "content" / "forums")] == ["2023-02-spring"]
    write(tmp_path, "education/newsletters/notes.txt", "Notes.\n")
    assert problems_of(tmp_path) == [
        "content/forums/education/newsletters/notes.txt: only newsletters go in a newsletters "
        "folder: one Markdown file each, named YYYY-MM-<words>.md, directly in the folder (move "
        "or delete this file)"]
