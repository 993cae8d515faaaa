"""feeds.ical_lines must write exactly what icalendar's own to_ical writes: it only skips
folding lines that need none. Checked on every course of the repository's data and on
long, non-ASCII and escaped text that must be folded."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

from macros import feeds, training

from .factories import make_course

NOW = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
AWKWARD = [
    "a" * 73, "a" * 74, "a" * 75, "a" * 200,
    "é" * 40, "Safeguarding – “quotes” and £ signs " * 4,
    "a" * 72 + "\\", "commas, semicolons; and\nnew lines\\ " * 5,
    "emoji 🙂 " * 20, "<script>alert(1)</script>" * 4,
    *("a" * k + ",;\\^" * 3 + "b" * k for k in range(55, 80)),
]


def events():
    for course in training.load_courses():
        for session in course.sessions:
            yield feeds._event(course, session, "https://example.org/training/")
    for i, text in enumerate(AWKWARD):
        course = make_course(id=f"awkward-{i}", title=text, description=text, provider=text[:60],
                             location=text, format="in-person")
        yield feeds._event(course, course.sessions[0], "https://example.org/training/" + "x" * i)


@pytest.mark.parametrize("event", list(events()), ids=lambda e: str(e.get("uid"))[:50])
def test_to_ical_writes_what_icalendar_writes(event):
    assert feeds.ical_lines(line for line in event.content_lines() if line) == event.to_ical()


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


@pytest.mark.parametrize("course", list(courses()), ids=lambda c: c.id[:50])
def test_course_events_are_each_event_made_in_full(course):
    whole = b"".join(feeds._event(course, s, "https://example.org/training/").to_ical()
                     for s in course.sessions)
    assert feeds.course_events(course, NOW, "https://example.org/training/") == whole


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


def test_search_index_is_the_one_lunr_makes_from_the_text():
    """search.words splits as lunr's own tokenizer does: the index is the same."""
    from lunr import lunr
    from lunr.builder import Builder
    from lunr.stop_word_filter import stop_word_filter
    from lunr.trimmer import trimmer

    from macros import search

    shown = [*training.load_courses(), *list(courses())]
    topics = training.load_topics()
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
