"""Issue #11, point 9: no traceback reaches a user for anything reachable from the data.

Hypothesis mutates the repository's own data files (a few hundred times in all, with a fixed
seed so a run is the same every time) and each mutated file is loaded and validated, and when
it is valid every output made from it is made (calendars, feeds, JSON, pages). The assertion:
a clean message (DataError, every problem on one line naming the file) or success, never any
other exception.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.core.problems import DataError
from macros.data import contacts, newsletters, providers, reviews, training
from macros.data.topics import load_topics
from macros.outputs import feeds
from macros.outputs import reviews as review_outputs
from macros.render import contacts as contact_cards
from macros.render import newsletters as newsletter_pages
from macros.render import reviews_page

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2022, 12, 1, tzinfo=ZoneInfo("Europe/London"))

# Pieces an editor, a paste or an attacker may put into a file.
PIECES = ["", " ", "  ", "\n", "- ", ": ", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "<<: ",
          "!!python/object/apply:os.system ['id']", "!!binary", "~", "null", "yes", "no", "1e999",
          "-1", "99999999999999999999", "0x1F", "12:30", "24:00", "23:59-00:00", "2023-02-30",
          "9999-12-31", "0001-01-01", "1970-01-01", "2038-01-19", "\x00", "\x07", "\u202e", "\u2066",
          "\ud800", "\ufeff", "\u2028", "\U0001f600", "{{ 7*7 }}", "{% raw %}", "<script>", "javascript:",
          "https://", "https://x.org/a b", "mailto:", "\\", "\t", "---", "...", "%YAML 1.2\n", "? "]


@st.composite
def mutated(draw, text: str) -> str:
    """`text` with one to four edits: a slice cut out, a piece put in, a line repeated or two
    lines swapped."""
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["cut", "insert", "repeat", "swap", "replace"]))
        if kind == "cut" and text:
            start = draw(st.integers(0, len(text) - 1))
            text = text[:start] + text[start + draw(st.integers(1, 40)):]
        elif kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif kind == "repeat":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "swap":
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:  # a value replaced
            i = draw(st.integers(0, len(lines) - 1))
            if ": " in lines[i]:
                lines[i] = lines[i].split(": ", 1)[0] + ": " + draw(st.sampled_from(PIECES))
            text = "\n".join(lines)
    return text


def outputs_of_training(project: Path) -> None:
    topics = load_topics(project / "data" / "topics.yaml")
    courses = training.load_courses(training.training_files(project), topics=topics)
    for _path, content in feeds.training_outputs(courses, topics, NOW, "https://example.org").items():
        assert content is not None
    from macros.render import training_page

    training_page.calendar_html(courses, topics, NOW, True)
    training_page.past_html(courses, topics, NOW)


def outputs_of_reviews(project: Path) -> None:
    topics = load_topics(project / "data" / "topics.yaml")
    found = reviews.load_reviews(project / "data" / "reviews.yaml", topics=topics)
    reviews_page.library_html(found, topics)
    review_outputs.reviews_json(found, topics, NOW)
    review_outputs.atom(found, NOW, "https://example.org/reviews/", "https://example.org/reviews/feed.xml")
    for review in found:
        reviews_page.review_markdown(review, topics, "https://example.org")


def outputs_of_contacts(project: Path) -> None:
    contact_cards.render_contacts(contacts.load_contacts(project / "data" / "contacts.yaml"))


def outputs_of_topics(project: Path) -> None:
    load_topics(project / "data" / "topics.yaml")


def outputs_of_providers(project: Path) -> None:
    topics = load_topics(project / "data" / "topics.yaml")
    providers.load_providers(project / "data" / "providers.yaml", topics=topics)


def outputs_of_newsletters(project: Path) -> None:
    items = newsletters.load_newsletters(project / "content" / "forums")
    for forum in newsletters.FORUMS:
        newsletters.atom(items, forum, "https://example.org")
        newsletter_pages.render_list(items, forum, "../")
    for item in items:
        newsletter_pages.sanitise(newsletter_pages.page_header(item) + newsletter_pages.page_footer(item))


FILES = [
    ("data/training.yaml", outputs_of_training),
    ("data/archive/training-2022-23.yaml", outputs_of_training),
    ("data/reviews.yaml", outputs_of_reviews),
    ("data/contacts.yaml", outputs_of_contacts),
    ("data/topics.yaml", outputs_of_topics),
    ("data/providers.yaml", outputs_of_providers),
    ("content/forums/community/newsletters/2023-02-introduction.md", outputs_of_newsletters),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the data and the forums, mutated one file at a time."""
    dest = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "content" / "forums", dest / "content" / "forums")
    return dest


@pytest.mark.parametrize("name,outputs", FILES, ids=[f[0] for f in FILES])
def test_a_mutated_data_file_gives_a_clean_message_or_a_good_build(project, name, outputs):
    path = project / name
    original = (ROOT / name).read_text(encoding="utf-8")

    @settings(max_examples=45, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(original))
    def check(text: str) -> None:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            outputs(project)
        except DataError as exc:
            assert exc.problems
            for problem in exc.problems:
                line = str(problem)
                assert "\n" not in line and "\r" not in line, line
                assert "Traceback" not in line
        finally:
            path.write_text(original, encoding="utf-8")

    check()


def test_a_library_error_while_reading_a_file_is_one_line_naming_it(monkeypatch):
    """What no test foresaw still reaches the editor as one line naming the file, exit code 1."""
    from macros.data import datafiles
    from scripts import validate

    def overflow(*args, **kwargs):
        raise OverflowError("date value out of range\n  (and a second line)")

    monkeypatch.setattr(datafiles.training, "load_courses", overflow)
    assert [str(p) for p in datafiles.validate_all()] == [
        "data/training.yaml: could not be read (OverflowError: date value out of range (and a "
        "second line)); undo the last change to it, and report this if it looks right"]
    assert validate.main([]) == 1
