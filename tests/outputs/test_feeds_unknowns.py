"""What the calendar files and feeds say when the data leaves a fact out: nothing invented.

A session with a start time only (`time: "09:30"`): its VEVENT has no DTEND (a DATE-TIME
DTSTART without DTEND or DURATION ends when it starts, RFC 5545 3.6.1), its DESCRIPTION says
the finish time is not given, and courses.json's `end` is null. The hour after the start is
only how long the calendar page shows it. (A venue not known, `location_unknown`: its
LOCATION, schema.org Place and card are checked on the repository's own courses in
tests/data/test_training_validation.py, and in the golden files.)
"""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import recurring_ical_events

from macros.core.dates import LONDON
from macros.harvest.ical import parse_ics
from macros.outputs import feeds
from tests.factories import make_course

NOW = dt.datetime(2022, 11, 30, 12, 0, tzinfo=LONDON)
PAGE = "https://example.org/training/"
START_ONLY = make_course(sessions=(("2022-12-01", "09:30"), ("2022-12-02", "09:30-12:30")))


def events(course) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(feeds.course_ics(course, NOW, PAGE))
    return {e.decoded("DTSTART").date().isoformat(): e for e in cal.walk("VEVENT")}


def test_a_start_time_only_gives_an_event_with_no_end():
    found = events(START_ONLY)
    first, second = found["2022-12-01"], found["2022-12-02"]
    assert "DTEND" not in first and "DURATION" not in first
    assert first.decoded("DTSTART") == dt.datetime(2022, 12, 1, 9, 30, tzinfo=LONDON)
    assert str(first["DESCRIPTION"]).split("\n\n")[:2] == [
        "Provider: Safe Steps", "From 9:30am (the finish time is not given)"]
    # A session with its end keeps DTEND and says nothing of a finish time.
    assert second.decoded("DTEND") == dt.datetime(2022, 12, 2, 12, 30, tzinfo=LONDON)
    assert "finish time" not in str(second["DESCRIPTION"])


def test_the_libraries_read_such_an_event_as_ending_when_it_starts():
    """icalendar's `end` and `duration`, recurring-ical-events' occurrence, and the site's own
    harvester reading the calendar back: a start only, never an hour the data did not give."""
    body = feeds.course_ics(START_ONLY, NOW, PAGE)
    first = events(START_ONLY)["2022-12-01"]
    assert first.end == first.start and first.duration == dt.timedelta(0)
    query = recurring_ical_events.of(icalendar.Calendar.from_ical(body))
    [occurrence] = query.between(dt.datetime(2022, 12, 1, 9, 0, tzinfo=LONDON),
                                 dt.datetime(2022, 12, 1, 10, 0, tzinfo=LONDON))
    assert occurrence.decoded("DTEND") == occurrence.decoded("DTSTART")
    items = sorted(parse_ics(body, NOW).items, key=lambda i: i.start)
    assert [(i.start.isoformat(), i.end and i.end.isoformat()) for i in items] == [
        ("2022-12-01T09:30:00+00:00", None), ("2022-12-02T09:30:00+00:00", "2022-12-02T12:30:00+00:00")]


def test_courses_json_gives_no_end_for_a_start_time_only():
    [course] = json.loads(feeds.courses_json([START_ONLY], NOW, {}))["courses"]
    assert [(s["time"], s["start"], s["end"]) for s in course["sessions"]] == [
        ("09:30", "2022-12-01T09:30:00+00:00", None),
        ("09:30-12:30", "2022-12-02T09:30:00+00:00", "2022-12-02T12:30:00+00:00")]
