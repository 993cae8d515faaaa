"""Builders of training records for the tests: `make_course(**overrides)`, `make_session`."""

from __future__ import annotations

import datetime as dt

from macros.core.dates import parse_time, session_bounds
from macros.data.course import Course, Session


def make_session(date: str, time: str | None = None, end_date: str | None = None) -> Session:
    """A session as the loader builds it from `date: ...`, `time: "..."`, `end_date: ...`."""
    day = dt.date.fromisoformat(date)
    last = dt.date.fromisoformat(end_date) if end_date else None
    start, end = parse_time(time) if time else (None, None)
    begin, finish = session_bounds(day, last, start, end)
    return Session(date=day, end_date=last, time=time, start=begin, end=finish,
                   all_day=time is None, line=0)


def make_course(**overrides) -> Course:
    """A valid online course with one session on 1 December 2022, 09:30-12:30.

    `sessions` may be given as Session records or as (date, time) / (date, time, end_date)
    tuples; `available_until` and `added` as ISO strings.
    """
    fields = dict(
        id="safe-steps-da-2022-12", title="Domestic Abuse – An Overview", provider="Safe Steps",
        url="https://www.example.org/book", contact=None, description=None,
        audience=("adults",), topics=("domestic-abuse",), format="online", cost="free",
        location=None, sessions=(("2022-12-01", "09:30-12:30"),), available_until=None,
        added="2022-11-20", source=None, link_unknown=False, notes=None,
        file="data/training.yaml", line=2,
    )
    fields.update(overrides)
    if fields["format"] == "on-demand" and "sessions" not in overrides:
        fields["sessions"] = ()
    fields["sessions"] = tuple(sorted(
        (s if isinstance(s, Session) else make_session(*s) for s in fields["sessions"]),
        key=lambda s: s.start.timestamp()))
    for key in ("available_until", "added"):
        if isinstance(fields[key], str):
            fields[key] = dt.date.fromisoformat(fields[key])
    return Course(**fields)
