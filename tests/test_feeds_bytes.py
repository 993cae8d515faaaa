"""feeds.to_ical must write exactly what icalendar's own to_ical writes: it only skips
folding lines that need none. Checked on every course of the repository's data and on
long, non-ASCII and escaped text that must be folded."""

from __future__ import annotations

import datetime as dt

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
    assert feeds.to_ical(event) == event.to_ical()


def test_a_whole_calendar_parses_back():
    courses = training.load_courses()
    shown = feeds.calendar(courses, NOW, "All", "https://example.org/training/")
    parsed = icalendar.Calendar.from_ical(shown)
    assert len(parsed.walk("VEVENT")) == sum(len(c.sessions) for c in courses)
    assert shown.endswith(b"END:VCALENDAR\r\n")
