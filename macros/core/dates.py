"""Dates and times of the training calendar: wall-clock times in Europe/London, expiry and
financial years.

Every datetime here is aware and in Europe/London. Python compares two datetimes of the
same zone by their wall-clock reading (ignoring which side of a clock change they are on),
so instants are always compared as timestamps (a Session carries its own, `start_at` and
`end_at`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # only for type hints: core/ does not import the data step at run time
    from macros.data.course import Course, Session

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
# A course without dates leaves the calendar this long after someone last confirmed it.
CONFIRMED_FOR_YEARS = 1

def long_date(day: dt.date) -> str:
    """A day as the site writes it in full: '4 December 2026'."""
    return f"{day.day} {day:%B %Y}"


_TIME = re.compile(r"^(\d\d):(\d\d)(?:-(\d\d):(\d\d))?$")


def parse_time(text: str) -> tuple[dt.time, dt.time | None]:
    """'09:30-12:30' -> (09:30, 12:30); '18:30' -> (18:30, None).

    Raises ValueError with a message for the editor when the text is not such a time.
    """
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError("form")
    numbers = [int(n) for n in match.groups() if n is not None]
    times = []
    for hour, minute in zip(numbers[::2], numbers[1::2], strict=True):
        if hour > 23 or minute > 59:
            raise ValueError(f"{hour:02d}:{minute:02d} is not a time of day "
                             "(hours go from 00 to 23, minutes from 00 to 59)")
        times.append(dt.time(hour, minute))
    return times[0], (times[1] if len(times) > 1 else None)


def zoned(day: dt.date, time: dt.time = dt.time(0, 0)) -> dt.datetime:
    """The London wall-clock time on `day`, with the UTC offset in force then.

    An ambiguous time (01:30 on the last Sunday of October) is the first one, in summer
    time; a time that does not exist (01:30 on the last Sunday of March) moves forward an
    hour, as a clock would.
    """
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def session_bounds(day: dt.date, end_day: dt.date | None,
                   start: dt.time | None, end: dt.time | None) -> tuple[dt.datetime, dt.datetime]:
    """Start and end instants of a session as written.

    No time: all day, from 00:00 on `day` to 00:00 after the last day. A start time only:
    one hour (elapsed, so across a clock change too), only as how long the calendar shows it
    (`Session.start_only`: nothing says that end). Start and end: the end time on
    `end_day` when given, else on `day`.
    """
    last = end_day or day
    if start is None:
        return zoned(day), zoned(last + dt.timedelta(days=1))
    begin = zoned(day, start)
    if end is None:
        return begin, (begin.astimezone(UTC) + dt.timedelta(hours=1)).astimezone(LONDON)
    return begin, zoned(last, end)


def _aware(now: dt.datetime) -> dt.datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=LONDON)


def session_ended(session: Session, now: dt.datetime) -> bool:
    """True when the session's end is at or before `now`."""
    return session.end_at <= _instant(now)


def _instant(now: dt.datetime) -> float:
    """`now` as a timestamp (sessions keep their end as one: Session.end_at)."""
    return _aware(now).timestamp()


def _today(now: dt.datetime) -> dt.date:
    return _aware(now).astimezone(LONDON).date()


def has_ended(course: Course, now: dt.datetime) -> bool:
    """Whether the course is over at `now` (what prune moves to the archive).

    Dated: every session has ended. Without dates (on-demand, or dates not known): its
    `available_until` is before today (London); without one it never ends.
    """
    if course.undated:
        until = course.available_until
        return until is not None and until < _today(now)
    return all(session_ended(s, now) for s in course.sessions)


def confirmed_until(course: Course) -> dt.date | None:
    """The last day a course without dates counts as still offered: 12 months after the day
    someone last confirmed it (`checked`); None for a dated course (its dates say it)."""
    if not course.undated or course.checked is None:
        return None
    checked = course.checked
    try:
        return checked.replace(year=checked.year + CONFIRMED_FOR_YEARS)
    except ValueError:  # 29 February: the 28th, a year on
        return checked.replace(year=checked.year + CONFIRMED_FOR_YEARS, day=28)


def no_longer_confirmed(course: Course, now: dt.datetime) -> bool:
    """Not over, but nobody has confirmed it is still offered in the last 12 months."""
    until = confirmed_until(course)
    return until is not None and until < _today(now) and not has_ended(course, now)


def is_upcoming(course: Course, now: dt.datetime) -> bool:
    """Whether the course is shown on the calendar at `now`.

    Dated: at least one session has not ended. Without dates: unless `available_until` is
    before today (London), and only while it was confirmed (`checked`) within 12 months.
    """
    if has_ended(course, now):
        return False
    until = confirmed_until(course)
    return until is None or until >= _today(now)


def upcoming_sessions(course: Course, now: dt.datetime) -> tuple[Session, ...]:
    """The sessions that have not ended at `now`, in order (none for on-demand)."""
    return tuple(s for s in course.sessions if not session_ended(s, now))


def financial_year(day: dt.date) -> str:
    """'2022-23' for any day from 1 April 2022 to 31 March 2023."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def course_financial_year(course: Course) -> str | None:
    """The financial year a course belongs to (its archive file).

    The last day of its last session (as written: an all-day session on 31 March ends at
    midnight but belongs to that March), or `available_until` for on-demand; None for an
    on-demand course without it.
    """
    if course.undated or not course.sessions:
        return financial_year(course.available_until) if course.available_until else None
    last = max(course.sessions, key=lambda s: s.end_at)
    return financial_year(last.end_date or last.date)
