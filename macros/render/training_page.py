"""The training calendar and past-courses pages: pure functions, courses in, escaped HTML out.

The templates write the markup (app-training-calendar.html with app-training-filters.html and
app-course-card.html; app-past-courses.html; app-upcoming-courses.html); this module
prepares what they show: which courses, in which order, their dates and labels as text.
The full list is in the HTML, so the page works without JavaScript. training.js then
hides what has ended by the reader's clock and adds search and filters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import NamedTuple

from markupsafe import Markup

from macros.core.dates import (
    LONDON,
    confirmed_until,
    course_financial_year,
    has_ended,
    is_upcoming,
    long_date,
    no_longer_confirmed,
    upcoming_sessions,
)
from macros.data.course import Course
from macros.render.html import safe_href
from macros.render.templates import render

FORMAT_LABELS = {"online": "Online", "in-person": "In person", "hybrid": "In person and online",
                 "on-demand": "Online, at any time", "to-be-confirmed": "To be confirmed"}
# schema.org courseMode of each format; none for a format not known (nothing is guessed).
COURSE_MODES = {"online": "online", "on-demand": "online", "in-person": "onsite", "hybrid": "blended"}
AUDIENCE_LABELS = {"children": "Children and young people", "adults": "Adults"}
VENUE_UNKNOWN = "Venue to be confirmed: ask the provider"  # in person, at a venue not known


# --- dates as people read them ---------------------------------------------------------------


def clock(t: dt.datetime) -> str:
    """9:30am, 12pm, 1:30pm."""
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def _day(d: dt.date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def session_text(session) -> str:
    """'Thursday 1 December 2022, 9:30am to 12:30pm' and the like."""
    start, end = session.start.astimezone(LONDON), session.end.astimezone(LONDON)
    if session.all_day:
        last = (end - dt.timedelta(days=1)).date()
        if last == start.date():
            return f"{_day(start.date())}, all day"
        return f"{_day(start.date())} to {_day(last)}"
    if session.start_only:
        return f"{_day(start.date())}, from {clock(start)}"
    if start.date() == end.date():
        return f"{_day(start.date())}, {clock(start)} to {clock(end)}"
    return f"{_day(start.date())} {clock(start)} to {_day(end.date())} {clock(end)}"


def where(course) -> str | None:
    """Where a course takes place, as people read it: its location, "Venue to be confirmed"
    when it is in person at a venue not known, else nothing."""
    return course.location or (VENUE_UNKNOWN if course.location_unknown else None)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(LONDON).isoformat(timespec="minutes")


# --- the calendar ----------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


class _Card(NamedTuple):
    """What app-course-card.html shows of one course. A tuple with names, not a dict: made
    and read a thousand times a page, and each key of a dict costs Jinja a failed attribute
    lookup first."""

    course: Course
    heading: str  # "h4" in a month, "h3" among the on-demand courses
    provider: str  # the provider's slug, as the filter knows it
    href: str | None  # the booking address, when it is http(s)
    available_until: str | None  # ISO date
    confirmed_until: str | None  # ISO date: the last day a course without dates is shown
    sessions: list[tuple[str, str, str]]  # each upcoming session: start, end (ISO), as text
    anytime: str | None  # "At any time, until ..." for an on-demand course, or "Dates to be
    # confirmed" for one whose dates are not known
    format: str
    where: str | None  # the location, or that the venue is to be confirmed
    audience: str
    topics: str
    cost: str | None  # None when free: the calendar is of free courses, so only a price is said


def _card(course: Course, sessions: list, topics: dict[str, str], provider: str, heading: str) -> _Card:
    until = course.available_until
    confirmed = confirmed_until(course)
    cost = (course.cost or "free").strip()
    anytime = None
    if course.on_demand:
        anytime = f"At any time, until {_day(until)}" if until else "At any time"
    elif course.dates_unknown:
        anytime = "Dates to be confirmed: ask the provider"
    return _Card(
        course=course, heading=heading, provider=provider, href=safe_href(course.url),
        available_until=until.isoformat() if until else None,
        confirmed_until=confirmed.isoformat() if confirmed else None,
        sessions=[(_iso(s.start), _iso(s.end), session_text(s)) for s in sessions],
        anytime=anytime,
        format=FORMAT_LABELS.get(course.format, course.format), where=where(course),
        audience=" and ".join(AUDIENCE_LABELS.get(a, a) for a in course.audience),
        topics=", ".join(topics.get(t, t) for t in course.topics),
        cost=None if cost.lower() == "free" else cost[:1].upper() + cost[1:])


def _facets(courses: list, topics: dict[str, str], providers: dict[str, str]) -> list[dict]:
    """The filters: who it is for, format, topic and provider, each option with its count."""
    audience = Counter(a for c in courses for a in c.audience)
    formats = Counter(c.format for c in courses)
    topic_counts = Counter(t for c in courses for t in c.topics)
    provider_counts = Counter(providers[c.provider] for c in courses)
    provider_names = {v: k for k, v in providers.items()}

    def facet(name: str, legend: str, options: list) -> dict:
        return {"name": name, "legend": legend, "options": options}

    return [
        facet("audience", "Who it is for",
              [(a, AUDIENCE_LABELS[a], audience[a]) for a in AUDIENCE_LABELS if audience[a]]),
        facet("format", "Format",
              [(f, FORMAT_LABELS[f], formats[f]) for f in FORMAT_LABELS if formats[f]]),
        facet("topics", "Topic",
              [(t, topics.get(t, t), n) for t, n in sorted(
                  topic_counts.items(), key=lambda kv: topics.get(kv[0], kv[0]).lower())]),
        facet("provider", "Provider",
              [(p, provider_names[p], n) for p, n in sorted(
                  provider_counts.items(), key=lambda kv: provider_names[kv[0]].lower())]),
    ]


def calendar_html(courses: list, topics: dict[str, str], now: dt.datetime,
                  fixed_now: bool, index_url: str = "search-index.json") -> Markup:
    """The calendar: upcoming dated courses by month (soonest first), then those whose dates
    are to be confirmed, then on-demand ones."""
    shown = [c for c in courses if is_upcoming(c, now)]
    with_sessions = [(c, upcoming_sessions(c, now)) for c in shown]
    dated = sorted(((c, s) for c, s in with_sessions if not c.undated),
                   key=lambda cs: (cs[1][0].start, cs[0].title.lower()))
    anytime = sorted(((c, s) for c, s in with_sessions if c.on_demand), key=lambda cs: cs[0].title.lower())
    to_confirm = sorted(((c, s) for c, s in with_sessions if c.dates_unknown),
                        key=lambda cs: cs[0].title.lower())
    providers = {c.provider: _slug(c.provider) for c in courses}
    months: dict[str, dict] = {}
    for course, sessions in dated:
        first = sessions[0].start.astimezone(LONDON)
        key = f"{first:%Y-%m}"
        month = months.setdefault(key, {"key": key, "label": f"{first:%B %Y}", "cards": []})
        month["cards"].append(_card(course, sessions, topics, providers[course.provider], "h4"))
    return render(
        "app-training-calendar.html", index_url=index_url, now=_iso(now), fixed_now=fixed_now,
        facets=_facets(shown, topics, providers), count=len(shown), months=list(months.values()),
        anytime=[_card(c, s, topics, providers[c.provider], "h3") for c, s in anytime],
        to_confirm=[_card(c, s, topics, providers[c.provider], "h3") for c, s in to_confirm],
        # JSON, not HTML: escaping it would break it; json_ld writes every "<" as \u003c.
        json_ld=Markup(json_ld(shown, now)))


def upcoming_html(courses: list, now: dt.datetime, to_root: str, limit: int = 3) -> Markup:
    """The next `limit` upcoming dated courses as a short list; empty when there are none."""
    soon = sorted((c for c in courses if not c.undated and is_upcoming(c, now)),
                  key=lambda c: upcoming_sessions(c, now)[0].start)[:limit]
    return render("app-upcoming-courses.html", to_root=to_root, courses=[
        {"id": c.id, "title": c.title, "when": session_text(upcoming_sessions(c, now)[0])}
        for c in soon])


# --- past courses ------------------------------------------------------------------------------


def past_html(courses: list, topics: dict[str, str], now: dt.datetime) -> Markup:
    """Courses that have ended, by financial year (newest first), each year newest first.

    A table a year, like the annual report's appendix (when, course, provider, topics): a
    record to scan, not a list to book from, and a fraction of the weight of the calendar's
    cards when the years add up to thousands of courses.
    """
    ended = [c for c in courses if has_ended(c, now) and course_financial_year(c)]
    years: dict[str, list] = {}
    for course in ended:
        years.setdefault(course_financial_year(course), []).append(course)
    shown = []
    for year in sorted(years, reverse=True):
        start, end = year.split("-")
        items = sorted(years[year], key=lambda c: (c.last_end or dt.datetime.min.replace(
            tzinfo=LONDON)), reverse=True)
        shown.append({"id": year, "heading": f"April {start} to March 20{end}",
                      "rows": [_past_row(c, topics) for c in items]})
    # Not over, but nobody has confirmed for 12 months that they are still offered.
    lapsed = sorted((c for c in courses if no_longer_confirmed(c, now)),
                    key=lambda c: (c.checked, c.title.lower()), reverse=True)
    return render("app-past-courses.html", years=shown,
                  unconfirmed=[_past_row(c, topics, unconfirmed=True) for c in lapsed])


class _Row(NamedTuple):
    """A row of app-past-courses.html: the sessions' dates (ISO, as text), or `when`."""

    id: str
    title: str
    href: str | None
    provider: str
    topics: str
    sessions: list[tuple[str, str]]
    when: str


def _past_row(course, topics: dict[str, str], unconfirmed: bool = False) -> _Row:
    if unconfirmed:
        kind = "Online" if course.on_demand else "Dates not known"
        when = f"{kind}; no longer confirmed (last confirmed {long_date(course.checked)})"
    elif course.sessions:
        when = ""
    elif course.available_until:
        when = f"Online until {long_date(course.available_until)}"
    else:
        when = "Online"
    return _Row(course.id, course.title, safe_href(course.url), course.provider,
                ", ".join(topics.get(t, t) for t in course.topics),
                [(s.date.isoformat(), _session_days(s)) for s in course.sessions], when)


def _session_days(session) -> str:
    if session.end_date:
        return f"{long_date(session.date)} to {long_date(session.end_date)}"
    return long_date(session.date)


# --- schema.org --------------------------------------------------------------------------------


def json_ld(courses: list, now: dt.datetime) -> str:
    """schema.org Course items (with CourseInstance per upcoming session) as JSON-LD, every
    "<" written as a JSON escape (inside <script>, "</script" would end the element)."""
    graph = []
    for c in courses:
        item = {"@type": "Course", "@id": f"#course-{c.id}", "name": c.title,
                "provider": {"@type": "Organization", "name": c.provider},
                "isAccessibleForFree": (c.cost or "free").lower() == "free"}
        # No description: it is on the page already and would add a third to its weight.
        if safe_href(c.url):
            item["url"] = safe_href(c.url)
        mode = {"courseMode": COURSE_MODES[c.format]} if c.format in COURSE_MODES else {}
        instances = []
        for s in upcoming_sessions(c, now) if not c.on_demand else ():
            inst = {"@type": "CourseInstance", **mode, "startDate": _iso(s.start)}
            if not s.start_only:
                inst["endDate"] = _iso(s.end)
            if c.location:
                inst["location"] = {"@type": "Place", "name": c.location}
            instances.append(inst)
        if instances or c.on_demand:  # none for a course whose dates are not known
            item["hasCourseInstance"] = instances or [{"@type": "CourseInstance", **mode,
                                                      "courseWorkload": "Self-paced"}]
        graph.append(item)
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return data.replace("<", "\\u003c")
