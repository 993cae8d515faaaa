"""The training calendar's data: loads and validates data/training.yaml, the archive files
and data/topics.yaml into frozen records.

The schema (data/schema/training.schema.json) checks the shape; this module checks what a
schema cannot: dates that exist, times in quotes, end after start, topics from
data/topics.yaml, ids unique across every training file, and the rules that depend on the
format (sessions, location, available_until) or on other fields (url, contact,
link_unknown). Every problem of every file is collected before anything fails.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macros.core.dates import parse_time, session_bounds
from macros.core.validation import (
    ROOT,
    DataError,
    Problem,
    describe,
    did_you_mean,
    http_url_problem,
    line_of,
    load_schema,
    load_yaml,
    relpath,
    schema_problems,
)

TRAINING_FILE = ROOT / "data" / "training.yaml"
ARCHIVE_DIR = ROOT / "data" / "archive"
TOPICS_FILE = ROOT / "data" / "topics.yaml"
AUDIENCES = ("children", "adults")
FORMATS = ("online", "in-person", "hybrid", "on-demand")

def how_to_book(course) -> str | None:
    """One plain-text line on booking: "Book: <url>" or "How to book: <contact>" (feeds, emails)."""
    if course.url and http_url_problem(course.url) == "":
        return f"Book: {course.url.strip()}"
    if course.contact:
        return f"How to book: {course.contact}"
    return None


_SCHEMA = "training.schema.json"
_DATE_FORM = "expected a date written YYYY-MM-DD"
_TIME_FORMS = '"HH:MM-HH:MM" or "HH:MM"'


@dataclass(frozen=True)
class Session:
    date: dt.date
    end_date: dt.date | None
    time: str | None  # as written
    start: dt.datetime  # aware, Europe/London
    end: dt.datetime
    all_day: bool
    line: int
    # start and end as instants (seconds since 1970, UTC), worked out once: comparing aware
    # datetimes, or calling their timestamp(), consults the time zone every time.
    start_at: float = field(init=False, repr=False, compare=False)
    end_at: float = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "start_at", self.start.timestamp())
        object.__setattr__(self, "end_at", self.end.timestamp())


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    provider: str
    url: str | None
    contact: str | None
    description: str | None
    audience: tuple[str, ...]
    topics: tuple[str, ...]
    format: str
    cost: str
    location: str | None
    sessions: tuple[Session, ...]
    available_until: dt.date | None
    added: dt.date
    source: str | None
    link_unknown: bool
    notes: str | None
    file: str  # repository-relative path
    line: int

    @property
    def on_demand(self) -> bool:
        return self.format == "on-demand"

    @property
    def first_start(self) -> dt.datetime | None:
        return self.sessions[0].start if self.sessions else None

    @property
    def last_end(self) -> dt.datetime | None:
        return max(self.sessions, key=lambda s: s.end_at).end if self.sessions else None


def training_files(root: Path = ROOT) -> list[Path]:
    """data/training.yaml, then every data/archive/training-*.yaml in name order."""
    return [root / "data" / "training.yaml",
            *sorted((root / "data" / "archive").glob("training-*.yaml"))]


# --- topics ---------------------------------------------------------------------------------


def _top_level(doc: Any, key: str, name: str, what: str) -> list[Problem]:
    """An empty file, or a file that is not `key:` followed by a list."""
    if doc is None:
        return [Problem(name, 0, f"the file is empty (it must start with {key}: followed by the "
                        f"list of {what})")]
    if not isinstance(doc, dict):
        return [Problem(name, 1, f"the file must start with {key}: followed by the list of "
                        f"{what} (found {describe(doc)})")]
    return []


def load_topics(path: Path = TOPICS_FILE) -> dict[str, str]:
    """The topics, slug -> label, in file order; raise DataError listing every problem."""
    doc = load_yaml(path)
    name = relpath(path)
    problems = _top_level(doc, "topics", name, "topics")
    if problems:
        raise DataError(problems)

    def record_of(p: list) -> str:
        return _record(doc, "topics", "slug", "topic", p)

    problems = list(schema_problems(doc, load_schema("topics.schema.json"), name, record_of))
    if problems:
        raise DataError(problems)
    topics: dict[str, str] = {}
    lines: dict[str, int] = {}
    for i, item in enumerate(doc["topics"]):
        line = line_of(doc, ["topics", i])
        slug = str(item["slug"])
        if slug in topics:
            problems.append(Problem(name, line, f"the slug is also used on line {lines[slug]}; "
                                    "give each topic its own slug", f"topic '{slug}'", "slug"))
            continue
        topics[slug], lines[slug] = str(item["label"]), line
    if problems:
        raise DataError(problems)
    return topics


def _record(doc: Any, key: str, id_key: str, kind: str, path: list) -> str:
    if len(path) >= 2 and path[0] == key and isinstance(path[1], int):
        try:
            ident = doc[key][path[1]][id_key]
        except (KeyError, IndexError, TypeError):
            ident = None
        return f"{kind} '{ident}'" if isinstance(ident, str) and ident else f"{kind} {path[1] + 1}"
    return ""


# --- courses --------------------------------------------------------------------------------


def load_courses(files: list[Path] | None = None, topics: dict[str, str] | None = None) -> list[Course]:
    """Every course of every training file, sorted by first session then title.

    Raises DataError listing every problem of every file (and of data/topics.yaml when
    `topics` is not given).
    """
    files = training_files() if files is None else files
    problems: list[Problem] = []
    if topics is None:
        try:
            topics = load_topics()
        except DataError as exc:
            problems += exc.problems
            topics = {}
    courses: list[Course] = []
    ids: list[tuple[str, str, int]] = []  # (id, file, line) of every course

    for path in files:
        try:
            courses_found, ids_found, problems_found = _load_file(path, topics)
        except DataError as exc:
            courses_found, ids_found, problems_found = [], [], exc.problems
        courses += courses_found
        ids += ids_found
        problems += problems_found
    problems += _duplicate_ids(ids, courses)
    if problems:
        raise DataError(problems)
    return sorted(courses, key=lambda c: (c.sessions[0].start_at if c.sessions else math.inf,
                                          c.title))


def _duplicate_ids(ids: list[tuple[str, str, int]], courses: list[Course]) -> list[Problem]:
    """A repeated id is reported where it is newest: archives are older than training.yaml.

    A course in training.yaml and in an archive, alike in every field, is one a prune was
    stopped while moving; if the two copies differ, the message says which one to delete.
    """
    def archived(file: str) -> bool:
        return Path(file).parent.name == "archive"

    def fields_of(file: str, line: int) -> dict[str, Any] | None:
        """The course's fields, without where it is written; None if it has a problem."""
        course = next((c for c in courses if (c.file, c.line) == (file, line)), None)
        if course is None:
            return None
        found = {k: v for k, v in vars(course).items() if k not in ("file", "line")}
        return found | {"sessions": [(s.date, s.end_date, s.time) for s in course.sessions]}

    order = sorted(ids, key=lambda t: (not archived(t[1]), t[1], t[2]))
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for ident, file, line in order:
        if ident in first:
            other = "{}:{}".format(*first[ident])
            message = f"the id is also used at {other}; give each course its own id"
            old, new = fields_of(*first[ident]), fields_of(file, line)
            if archived(first[ident][0]) and not archived(file) and old and new:
                differ = [k for k in new if new[k] != old[k]]
                message = (f"the same course is also in {other} (a prune was stopped while moving "
                           "it there): run make prune to finish moving it")
                if differ:
                    message = (f"the id is also used at {other}, where the course differs in "
                               f"{', '.join(differ)}: if it is the same course, keep the copy in "
                               f"{first[ident][0]} (bring any correction over to it) and delete this "
                               "one; if it is another course, give this one its own id")
            problems.append(Problem(file, line, message, f"course '{ident}'", "id"))
        first.setdefault(ident, (file, line))
    return problems


def _load_file(path: Path, topics: dict[str, str]) -> tuple[list[Course], list, list[Problem]]:
    name = relpath(path)
    doc = load_yaml(path)
    problems = _top_level(doc, "courses", name, "courses")
    if problems:
        return [], [], problems
    schema = load_schema(_SCHEMA)

    def record_of(p: list) -> str:
        return _record(doc, "courses", "id", "course", p)

    problems = list(schema_problems(doc, schema, name, record_of))
    items = doc.get("courses")
    if items is None:
        return [], [], problems
    if not isinstance(items, list):
        problems.append(Problem(name, line_of(doc, ["courses"]), "expected a list of courses, found "
                                f"{describe(items)} (each course starts with '  - id: ...')", "", "courses"))
        return [], [], problems
    hints = {k: v.get("x-hint", "") for k, v in schema["$defs"]["course"]["properties"].items()}
    hints.update({f"sessions.{k}": v.get("x-hint", "")
                  for k, v in schema["$defs"]["session"]["properties"].items()})
    courses, ids = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        check = _Check(doc, i, name, record_of(["courses", i]), hints)
        course = _course(check, item, topics)
        if isinstance(item.get("id"), str):
            ids.append((item["id"], name, check.line()))
        # A course with a schema problem is not built: the build fails anyway.
        schema_bad = any(p.record == check.record for p in problems)
        problems += check.problems
        if course and not schema_bad and not check.problems:
            courses.append(course)
    return courses, ids, problems


class _Check:
    """Collects the problems of one course, each with its line."""

    def __init__(self, doc: Any, index: int, file: str, record: str, hints: dict[str, str]):
        self.doc, self.index, self.file, self.record, self.hints = doc, index, file, record, hints
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


def _course(check: _Check, item: dict, topics: dict[str, str]) -> Course | None:
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
    if fmt in ("in-person", "hybrid") and "location" not in item:
        check.add("location", f"is missing ({_article(fmt)} course needs the address where it "
                  "takes place, e.g. location: Civic Centre, Victoria Avenue, Southend)")
    sessions: list[Session] = []
    if fmt == "on-demand" and "sessions" in item:
        check.add("sessions", "an on-demand course has no sessions (remove sessions:, or change "
                  "format: to online, in-person or hybrid)", "sessions")
    elif fmt in FORMATS and fmt != "on-demand" and "sessions" not in item:
        check.add("sessions", f"is missing ({_article(fmt)} course needs sessions: with at least one "
                  "date: YYYY-MM-DD; only an on-demand course has none)")
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
            file=check.file, line=check.line())
    except (KeyError, TypeError):
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _article(fmt: str) -> str:
    return f"an {fmt}" if fmt[0] in "aeiou" else f"a {fmt}"


def _check_booking(check: _Check, item: dict) -> None:
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


def _check_topics(check: _Check, value: Any, topics: dict[str, str]) -> None:
    if not topics or not isinstance(value, list):
        return
    for j, topic in enumerate(value):
        if isinstance(topic, str) and topic not in topics:
            check.add("topics", f"'{topic}' is not a known topic{did_you_mean(topic, topics)} "
                      "(known topics are listed in data/topics.yaml)", "topics", j)


def _sessions(check: _Check, items: list) -> Iterator[Session]:
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


def _session(check: _Check, raw: dict, j: int) -> Session | None:
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


def _time(check: _Check, value: Any, *keys: Any) -> tuple[dt.time, dt.time | None] | None:
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
