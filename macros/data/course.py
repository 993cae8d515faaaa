"""A course of the training calendar and its sessions: the frozen records the loader makes
(macros/data/training.py) and the pages, feeds and tools read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from macros.core.schema import http_url_problem

AUDIENCES = ("children", "adults")
FORMATS = ("online", "in-person", "hybrid", "on-demand", "to-be-confirmed")


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

    @property
    def start_only(self) -> bool:
        """A start time without an end (`time: "09:30"`): `end` is an hour later only so that
        the calendar knows when to stop showing it; no page, calendar file or feed says it
        (the card reads "from 9:30am", the .ics event has no DTEND, courses.json's end is null)."""
        return bool(self.time) and "-" not in self.time


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
    # The day someone last confirmed that a course without dates (on-demand, or dates_unknown)
    # is still offered: it leaves the calendar 12 months later (core/dates.py).
    checked: dt.date | None = None
    dates_unknown: bool = False  # it runs, but its dates are not known (no sessions)
    # In person (or hybrid), but its venue is not known: no location, and nothing says one.
    location_unknown: bool = False

    @property
    def on_demand(self) -> bool:
        return self.format == "on-demand"

    @property
    def undated(self) -> bool:
        """No sessions: on demand, or on dates not known yet."""
        return self.on_demand or self.dates_unknown

    @property
    def first_start(self) -> dt.datetime | None:
        return self.sessions[0].start if self.sessions else None

    @property
    def last_end(self) -> dt.datetime | None:
        return max(self.sessions, key=lambda s: s.end_at).end if self.sessions else None


def how_to_book(course) -> str | None:
    """One plain-text line on booking: "Book: <url>" or "How to book: <contact>" (feeds, emails)."""
    if course.url and http_url_problem(course.url) == "":
        return f"Book: {course.url.strip()}"
    if course.contact:
        return f"How to book: {course.contact}"
    return None
