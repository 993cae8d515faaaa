"""The rules for one course that its schema cannot express, and the course they build.

Dates that exist, times in quotes, end after start, topics from data/topics.yaml, and the
rules that depend on the format (sessions, location or location_unknown, available_until,
checked) or on other fields (url, contact, link_unknown, dates_unknown). Each problem names
its line; `check_course` builds the Course when its fields have the right types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from macros.core.dates import parse_time, session_bounds
from macros.core.problems import Problem
from macros.core.schema import describe, did_you_mean, http_url_problem
from macros.core.yamllines import line_of
from macros.data.course import FORMATS, Course, Session

_DATE_FORM = "expected a date written YYYY-MM-DD"
_TIME_FORMS = '"HH:MM-HH:MM" or "HH:MM"'


class CourseCheck:
    """Collects the problems of one course, each with its line."""

    def __init__(self, doc: Any, index: int, file: str, record: str, hints: dict[str, str],
                 today: dt.date | None = None):
        self.doc, self.index, self.file, self.record, self.hints = doc, index, file, record, hints
        self.today = today  # `make validate`'s today (SITE_TODAY): refuses a checked: after it
        self.problems: list[Problem] = []

    def line(self, *keys: Any) -> int:
        return line_of(self.doc, ["courses", self.index, *keys])

    def add(self, field: str, message: str, *keys: Any) -> None:
        self.problems.append(Problem(self.file, self.line(*keys), message, self.record, field))

    def hint(self, field: str) -> str:
        return f" ({self.hints[field]})" if self.hints.get(field) else ""

    def date(self, value: Any, field: str, *keys: Any) -> dt.date | None:
        """A date field: a real date, or a problem (and None)."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _looks_like_date(value):
            try:  # a date written in quotes, "2023-05-18": what it says is clear
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
            self.add(field, f"'{value}' is not a date that exists, so it is read as text "
                     "(check the day and the month)", *keys)
        else:
            self.add(field, f"{_DATE_FORM}, found {describe(value)}{self.hint(field)}", *keys)
        return None


def _looks_like_date(text: str) -> bool:
    parts = text.strip().split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts) and list(map(len, parts)) == [4, 2, 2]


def check_course(check: CourseCheck, item: dict, topics: dict[str, str]) -> Course | None:
    """Check what the schema cannot; the course when its fields have the right types."""
    fmt = item.get("format")
    _check_booking(check, item)
    _check_topics(check, item.get("topics"), topics)
    added = check.date(item["added"], "added", "added") if "added" in item else None
    until = None
    if "available_until" in item:
        until = check.date(item["available_until"], "available_until", "available_until")
        if fmt in FORMATS and fmt != "on-demand":
            check.add("available_until", "only an on-demand course has available_until (a course "
                      "with sessions is shown until its last session ends; remove available_until:)",
                      "available_until")
    venue_unknown = _check_location(check, item, fmt)
    unknown = item.get("dates_unknown") is True
    checked = _check_undated(check, item, fmt, unknown)
    sessions: list[Session] = []
    if fmt == "on-demand" and "sessions" in item:
        check.add("sessions", "an on-demand course has no sessions (remove sessions:, or change "
                  "format: to online, in-person, hybrid or to-be-confirmed)", "sessions")
    elif unknown and "sessions" in item:
        check.add("dates_unknown", "is true but the course has sessions (remove dates_unknown: now "
                  "that the dates are known)", "dates_unknown")
    elif fmt in FORMATS and fmt != "on-demand" and "sessions" not in item and not unknown:
        check.add("sessions", f"is missing ({_a_course(fmt)} needs sessions: with at least one "
                  "date: YYYY-MM-DD; only an on-demand course has none, and one whose dates are not "
                  "known yet has dates_unknown: true instead)")
    elif isinstance(item.get("sessions"), list):
        sessions = list(_sessions(check, item["sessions"]))
    try:
        return Course(
            id=str(item["id"]), title=str(item["title"]), provider=str(item["provider"]),
            url=_text(item.get("url")), contact=_text(item.get("contact")),
            description=_text(item.get("description")), audience=tuple(item["audience"]),
            topics=tuple(str(t) for t in item["topics"]), format=str(fmt),
            cost=str(item.get("cost", "free")), location=_text(item.get("location")),
            sessions=tuple(sorted(sessions, key=lambda s: s.start_at)),
            available_until=until, added=added, source=_text(item.get("source")),
            link_unknown=item.get("link_unknown") is True, notes=_text(item.get("notes")),
            file=check.file, line=check.line(), checked=checked, dates_unknown=unknown,
            location_unknown=venue_unknown)
    except (KeyError, TypeError):
        return None


def _check_location(check: CourseCheck, item: dict, fmt: Any) -> bool:
    """location, or location_unknown: true, for a course in person; whether the venue is
    not known."""
    unknown = item.get("location_unknown") is True
    in_person = fmt in ("in-person", "hybrid")
    if in_person and "location" not in item and not unknown:
        check.add("location", f"is missing ({_a_course(fmt)} needs the address where it takes "
                  "place, e.g. location: Civic Centre, Victoria Avenue, Southend; if its venue is "
                  "not known, write location_unknown: true)")
    elif unknown and "location" in item:
        check.add("location_unknown", "is true but the course has a location (remove "
                  "location_unknown: now that the venue is known)", "location_unknown")
    elif unknown and fmt in FORMATS and not in_person:
        check.add("location_unknown", "only an in-person or hybrid course has a venue to be "
                  "confirmed (remove location_unknown:, or change format: to in-person or hybrid)",
                  "location_unknown")
    return unknown


_CHECKED = ("checked: YYYY-MM-DD, the day someone last confirmed the course is still offered (it "
            "leaves the calendar 12 months later unless it is checked again)")


def _check_undated(check: CourseCheck, item: dict, fmt: Any, unknown: bool) -> dt.date | None:
    """`checked` (required without dates, refused with them) and `dates_unknown`."""
    if unknown and fmt == "on-demand":
        check.add("dates_unknown", "an on-demand course has no dates to know: remove "
                  "dates_unknown:", "dates_unknown")
    undated = fmt == "on-demand" or unknown
    if "checked" not in item:
        if undated:
            what = "an on-demand course" if fmt == "on-demand" else "a course whose dates are not known"
            check.add("checked", f"is missing ({what} needs {_CHECKED})")
        return None
    checked = check.date(item["checked"], "checked", "checked")
    if checked and check.today and checked > check.today:
        check.add("checked", f"{checked.isoformat()} is in the future, today is "
                  f"{check.today.isoformat()} (write the day someone last confirmed the course is "
                  "still offered: today or an earlier day)", "checked")
    if fmt in FORMATS and not undated:
        check.add("checked", "only an on-demand course, or one with dates_unknown: true, has checked: "
                  "(a course with sessions is shown until its last session ends; remove checked:)",
                  "checked")
    return checked


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _a_course(fmt: str) -> str:
    """'an in-person course', 'a hybrid course', 'a course whose format is to be confirmed'."""
    if fmt == "to-be-confirmed":
        return "a course whose format is to be confirmed"
    return f"an {fmt} course" if fmt[0] in "aeiou" else f"a {fmt} course"


def _check_booking(check: CourseCheck, item: dict) -> None:
    """url, unless contact is given or link_unknown: true."""
    if "url" in item:
        wrong = http_url_problem(item["url"])
        if wrong:
            check.add("url", wrong, "url")
        if item.get("link_unknown") is True:
            check.add("link_unknown", "is true but the course has a url (remove link_unknown: now "
                      "that the booking address is known)", "link_unknown")
    elif "contact" not in item and item.get("link_unknown") is not True:
        check.add("url", "is missing (write the booking page's address starting https://; with no "
                  "booking page, say how to book in contact:; if the course is real but its booking "
                  "address is not known, write link_unknown: true)")


def _check_topics(check: CourseCheck, value: Any, topics: dict[str, str]) -> None:
    if not topics or not isinstance(value, list):
        return
    for j, topic in enumerate(value):
        if isinstance(topic, str) and topic not in topics:
            check.add("topics", f"'{topic}' is not a known topic{did_you_mean(topic, topics)} "
                      "(known topics are listed in data/topics.yaml)", "topics", j)


def _sessions(check: CourseCheck, items: list) -> Iterator[Session]:
    seen: dict[tuple, int] = {}
    for j, raw in enumerate(items):
        if not isinstance(raw, dict):
            continue
        session = _session(check, raw, j)
        if session is None:
            continue
        key = (session.date, session.end_date, (session.time or "").strip())
        if key in seen:
            when = f"at {session.time}" if session.time else "(all day)"
            check.add("sessions", f"the session on {session.date.isoformat()} {when} is listed twice, "
                      f"also on line {seen[key]} (remove one)", "sessions", j)
            continue
        seen[key] = session.line
        yield session


def _session(check: CourseCheck, raw: dict, j: int) -> Session | None:
    keys = ("sessions", j)
    day = check.date(raw["date"], "sessions.date", *keys, "date") if "date" in raw else None
    end_day = None
    if "end_date" in raw:
        end_day = check.date(raw["end_date"], "sessions.end_date", *keys, "end_date")
        if day and end_day and end_day <= day:
            check.add("sessions.end_date", f"{end_day.isoformat()} is not after the session's date "
                      f"{day.isoformat()} (leave end_date out for a session on one day)",
                      *keys, "end_date")
            return None
    start = end = None
    time = raw.get("time")
    if "time" in raw:
        times = _time(check, time, *keys, "time")
        if times is None:
            return None
        start, end = times
        if end_day and end is None:
            check.add("sessions.time", f"'{time}' gives only a start: with end_date, write the start "
                      'and the end, "HH:MM-HH:MM" (the start on date, the end on end_date)',
                      *keys, "time")
            return None
        if end is not None and end_day is None and end <= start:
            how = "when" if end == start else "before"
            check.add("sessions.time", f"'{time}' ends {how} it starts (for a session that runs past "
                      "midnight, give its last day in end_date:)", *keys, "time")
            return None
    if day is None or ("end_date" in raw and end_day is None):
        return None
    begin, finish = session_bounds(day, end_day, start, end)
    return Session(date=day, end_date=end_day, time=None if time is None else str(time),
                   start=begin, end=finish, all_day=start is None, line=check.line(*keys))


def _time(check: CourseCheck, value: Any, *keys: Any) -> tuple[dt.time, dt.time | None] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        example = (f' (YAML reads {hours}:{minutes:02d} without quotes as a number: put the time in '
                   f'quotes, time: "{hours:02d}:{minutes:02d}")') if 0 <= value < 24 * 60 else \
            " (put the time in quotes)"
        check.add("sessions.time", f"expected {_TIME_FORMS}, found the number {value}{example}", *keys)
        return None
    if not isinstance(value, str):
        check.add("sessions.time", f"expected {_TIME_FORMS}, found {describe(value)}"
                  f"{check.hint('sessions.time')}", *keys)
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        if str(exc) == "form":
            check.add("sessions.time", f"{describe(value)} is not written {_TIME_FORMS} "
                      '(two digits each, e.g. "09:30-12:30" or "18:30")', *keys)
        else:
            check.add("sessions.time", f"{describe(value)}: {exc}", *keys)
        return None
