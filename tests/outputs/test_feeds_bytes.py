"""The training calendars (feeds.calendar) as icalendar alone makes them: the Europe/London
VTIMEZONE made once is the one `add_missing_timezones` adds, and only to calendars with a
timed session; events shared between files give the same bytes. Checked on every course of
the repository's data and on long, non-ASCII and escaped text that must be folded."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

from macros.data import training
from macros.data.topics import load_topics
from macros.outputs import feeds
from tests.factories import make_course

NOW = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
AWKWARD = [
    "a" * 73, "a" * 74, "a" * 75, "a" * 200,
    "é" * 40, "Safeguarding – “quotes” and £ signs " * 4,
    "a" * 72 + "\\", "commas, semicolons; and\nnew lines\\ " * 5,
    "emoji 🙂 " * 20, "<script>alert(1)</script>" * 4,
    *("a" * k + ",;\\^" * 3 + "b" * k for k in range(55, 80)),
]


def test_a_whole_calendar_parses_back():
    courses = training.load_courses()
    shown = feeds.calendar(courses, NOW, "All", "https://example.org/training/")
    parsed = icalendar.Calendar.from_ical(shown)
    assert len(parsed.walk("VEVENT")) == sum(len(c.sessions) for c in courses)
    assert shown.endswith(b"END:VCALENDAR\r\n")


def courses():
    yield from training.load_courses()
    for i, text in enumerate(AWKWARD[:12]):
        yield make_course(id=f"many-{i}", title=text, description=text, format="in-person", location=text,
                          sessions=[("2022-12-01", "09:30-12:30"), ("2022-12-02", None),
                                    ("2022-12-03", "23:00-01:00", "2022-12-04"),
                                    ("2023-03-26", "00:30-03:30"), ("2023-10-29", "01:30-02:30")])


def whole_calendar(courses, name: str) -> bytes:
    """The calendar made by icalendar alone, every event and the time zone as components."""
    cal = icalendar.Calendar()
    for key, value in [("prodid", feeds.PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"), ("x-wr-calname", name), ("x-wr-timezone", "Europe/London")]:
        cal.add(key, value)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for course in courses:
        for session in course.sessions:
            cal.add_component(feeds._event(course, session, "https://example.org/training/"))
    cal.add_missing_timezones()
    return cal.to_ical()


ALL_DAY = make_course(id="all-day", sessions=[("2022-12-02", None), ("2022-12-05", None, "2022-12-07")])


@pytest.mark.parametrize("name", ["All", "Domestic Abuse – An Overview, “quoted”; with; escapes\\ " * 3])
@pytest.mark.parametrize("which", ["every course", "all-day only", "none"])
def test_calendar_is_the_calendar_icalendar_makes(name, which):
    shown = {"every course": [*training.load_courses(), *list(courses())[-3:]],
             "all-day only": [ALL_DAY], "none": []}[which]
    made = feeds.calendar(shown, NOW, name, "https://example.org/training/")
    assert made == whole_calendar(shown, name)


def test_events_shared_between_files_give_the_same_bytes():
    """training_files passes one `events` dict to every course's .ics and to calendar.ics."""
    shown = [*training.load_courses(), *list(courses())[-3:], ALL_DAY]
    page = "https://example.org/training/"
    events: dict = {}
    each = [feeds.course_ics(c, NOW, page, events) for c in shown]
    assert each == [feeds.course_ics(c, NOW, page) for c in shown]
    assert feeds.all_sessions_ics(shown, NOW, page, events) == feeds.all_sessions_ics(shown, NOW, page)


def test_search_index_is_the_one_lunr_makes_from_the_text():
    """search.words splits as lunr's own tokenizer does: the index is the same."""
    from lunr import lunr
    from lunr.builder import Builder
    from lunr.stop_word_filter import stop_word_filter
    from lunr.trimmer import trimmer

    from macros.outputs import search

    shown = [*training.load_courses(), *list(courses())]
    topics = load_topics()
    builder = Builder()
    builder.pipeline.add(trimmer, stop_word_filter)
    documents = [{"id": c.id, "title": c.title, "provider": c.provider,
                  "topics": " ".join(topics.get(t, t) for t in c.topics),
                  "description": " ".join((c.description or "").split()[:search.DESCRIPTION_WORDS])}
                 for c in shown]
    index = lunr(builder=builder, ref="id", documents=documents, fields=[
        {"field_name": "title", "boost": 10}, {"field_name": "provider", "boost": 5},
        {"field_name": "topics", "boost": 5}, "description"])
    assert search.training_index(shown, topics) == json.dumps(index.serialize(), separators=(",", ":"))
