"""Machine-readable training feeds, written with libraries (icalendar, ElementTree, json).

- calendar.ics: every upcoming session, one VEVENT each, stable UIDs, Europe/London VTIMEZONE
- <course id>.ics: one course's upcoming sessions ("Add to calendar")
- courses.json: every upcoming course as in the data, with start/end in ISO 8601 with offset
  (end null for a session with a start time only: its end is not given)
- feed.xml: Atom feed of courses by `added`, newest first
Output is reproducible: the same data and "now" give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import xml.etree.ElementTree as ET

import icalendar

from macros.core.dates import LONDON, is_upcoming, upcoming_sessions
from macros.data.course import how_to_book
from macros.outputs import search
from macros.render.html import safe_href
from macros.render.training_page import clock

PRODID = "-//Southend Safeguarding Partnership//Training calendar//EN"
UID_DOMAIN = "training.southend-safeguarding-partnership"
ATOM = "http://www.w3.org/2005/Atom"


def session_uid(course, session) -> str:
    """Stable across builds: the course id and the session's start as written in the data."""
    stamp = session.start.astimezone(LONDON).strftime("%Y%m%dT%H%M")
    return f"{course.id}-{stamp}@{UID_DOMAIN}"


def _event(course, session, calendar_page: str) -> icalendar.Event:
    description = [f"Provider: {course.provider}"]
    if session.start_only:  # as the card says it: no DTEND, so the event ends when it starts
        description.append(f"From {clock(session.start.astimezone(LONDON))} "
                           "(the finish time is not given)")
    if course.description:
        description.append(course.description)
    url = safe_href(course.url)
    if how_to_book(course):
        description.append(how_to_book(course))
    # Without the site's address (a preview build) no link: a calendar app has no address to
    # read a relative one from. A production build always has it (core/settings.py).
    description.append(f"Listed by the Southend Safeguarding Partnership: {calendar_page}" if calendar_page
                       else "Listed by the Southend Safeguarding Partnership")
    start, end = _when(session)
    event = icalendar.Event.new(uid=session_uid(course, session), summary=course.title,
                                start=start, end=end, stamp=_stamp(course),
                                description="\n\n".join(description))
    if url:
        event.add("url", url)
    if course.location:
        event.add("location", course.location)
    elif course.format in ("online", "on-demand"):
        event.add("location", "Online")
    return event


def _when(session) -> tuple[dt.date, dt.date] | tuple[dt.datetime, dt.datetime | None]:
    """DTSTART and DTEND. A start time only has no DTEND: a VEVENT whose DTSTART is a
    DATE-TIME ends when it starts (RFC 5545, 3.6.1), as icalendar and recurring-ical-events
    read it; the hour after it (`Session.end`) is only how long the calendar page keeps it."""
    if session.all_day:
        return session.start.date(), session.end.date()
    start = session.start.astimezone(LONDON)
    return start, None if session.start_only else session.end.astimezone(LONDON)


def _stamp(course) -> dt.datetime:
    return dt.datetime.combine(course.added, dt.time(0, 0), tzinfo=dt.UTC)


@functools.cache
def _london() -> icalendar.Timezone:
    """The Europe/London VTIMEZONE, as `add_missing_timezones` would add it, made once."""
    return icalendar.Timezone.from_tzid("Europe/London")


@functools.cache
def _london_ical() -> bytes:
    return _london().to_ical()


def course_events(course, now: dt.datetime, calendar_page: str) -> list[icalendar.Event]:
    """One VEVENT for each of a course's upcoming sessions."""
    return [_event(course, session, calendar_page) for session in upcoming_sessions(course, now)]


def calendar(courses, now: dt.datetime, name: str, calendar_page: str,
             events: dict[str, tuple[bytes, bool]] | None = None) -> bytes:
    """A VCALENDAR of the courses' upcoming sessions, with the Europe/London VTIMEZONE first
    when any is timed: the bytes icalendar makes of that calendar.

    The VTIMEZONE and each course's VEVENTs are serialised once and put into every file they
    belong to (`events` keeps each course's, by id): serialising them again for each of a
    large calendar's files costs seconds (make bench); tests/outputs/test_feeds_bytes.py compares
    with icalendar's own serialisation of the whole calendar.
    """
    events = {} if events is None else events
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    parts, timed = [], False
    for course in courses:
        if course.id not in events:
            made = course_events(course, now, calendar_page)
            events[course.id] = (b"".join(e.to_ical() for e in made),
                                 any(isinstance(e.start, dt.datetime) for e in made))
        parts.append(events[course.id][0])
        timed = timed or events[course.id][1]
    body = cal.to_ical()
    end = body.rindex(b"END:VCALENDAR")
    return body[:end] + (_london_ical() if timed else b"") + b"".join(parts) + body[end:]


def all_sessions_ics(courses, now, calendar_page: str, events: dict | None = None) -> bytes:
    shown = [c for c in courses if is_upcoming(c, now) and not c.undated]
    return calendar(shown, now, "Southend Safeguarding Partnership: free training", calendar_page,
                    events)


def course_ics(course, now, calendar_page: str, events: dict | None = None) -> bytes:
    return calendar([course], now, course.title, calendar_page, events)


def courses_json(courses, now: dt.datetime, topics: dict[str, str]) -> str:
    items = []
    for c in courses:
        if not is_upcoming(c, now):
            continue
        item = {
            "id": c.id, "title": c.title, "provider": c.provider, "url": safe_href(c.url),
            "contact": c.contact, "description": c.description, "audience": list(c.audience),
            "topics": list(c.topics), "topic_labels": [topics.get(t, t) for t in c.topics],
            "format": c.format, "cost": c.cost or "free", "location": c.location,
            "location_unknown": True if c.location_unknown else None,
            "added": c.added.isoformat(),
            "available_until": c.available_until.isoformat() if c.available_until else None,
            "checked": c.checked.isoformat() if c.checked else None,
            "dates_unknown": True if c.dates_unknown else None,
            "sessions": [
                {"date": s.date.isoformat(),
                 "end_date": s.end_date.isoformat() if s.end_date else None,
                 "time": s.time, "all_day": s.all_day,
                 "start": s.start.astimezone(LONDON).isoformat(),
                 "end": None if s.start_only else s.end.astimezone(LONDON).isoformat()}
                for s in upcoming_sessions(c, now)],
        }
        items.append({k: v for k, v in item.items() if v is not None})
    return json.dumps({"generated": now.isoformat(timespec="seconds"), "courses": items},
                      ensure_ascii=False, indent=1) + "\n"


def atom(courses, now: dt.datetime, calendar_page: str, feed_url: str, limit: int = 200) -> bytes:
    """Atom 1.0 feed of upcoming courses, newest `added` first."""
    shown = sorted((c for c in courses if is_upcoming(c, now)),
                   key=lambda c: (c.added, c.id), reverse=True)[:limit]
    entries = []
    for c in shown:
        when = ", ".join(s.start.astimezone(LONDON).strftime("%d %B %Y") for s in
                         upcoming_sessions(c, now)[:3]) or (
            "dates to be confirmed" if c.dates_unknown else "at any time")
        summary = f"{c.provider}. {when}."
        if c.description:
            summary += f" {c.description}"
        entries.append({"title": c.title, "id": f"tag:{UID_DOMAIN},{c.added.isoformat()}:{c.id}",
                        "updated": c.added, "link": f"{calendar_page}#course-{c.id}",
                        "related": safe_href(c.url), "summary": summary, "categories": c.topics})
    return atom_feed("Southend Safeguarding Partnership: new free training",
                     f"tag:{UID_DOMAIN},2022:training-feed", feed_url, calendar_page, entries,
                     shown[0].added if shown else now.date())


# --- shared Atom writing (newsletters; any section with dated entries) ---------------------


def atom_feed(title: str, feed_id: str, self_url: str, page_url: str,
              entries: list[dict], updated: dt.date) -> bytes:
    """An Atom 1.0 feed, written with ElementTree (which escapes every text and attribute).

    Each entry is a dict with `title`, `id`, `updated` (a date), `link` and optionally
    `related` (another link, e.g. the booking page), `summary` and `categories`; entries are
    written in the order given (pass them newest first). Titles and summaries are
    `type="text"`: never markup. Reproducible: the same input, the same bytes.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "title", title, type="text")
    sub(feed, "id", feed_id)
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=page_url, type="text/html")
    sub(feed, "updated", f"{updated.isoformat()}T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", "Southend Safeguarding Partnership")
    for item in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", item["title"], type="text")
        sub(entry, "id", item["id"])
        sub(entry, "updated", f"{item['updated'].isoformat()}T00:00:00Z")
        sub(entry, "link", rel="alternate", href=item["link"], type="text/html")
        if item.get("related"):
            sub(entry, "link", rel="related", href=item["related"])
        if item.get("summary"):
            sub(entry, "summary", item["summary"], type="text")
        for term in item.get("categories", ()):
            sub(entry, "category", term=term)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def training_outputs(courses, topics: dict[str, str], now: dt.datetime,
                     site_url: str) -> dict[str, bytes | str]:
    """The training calendar's files, by path in the site: a .ics file per upcoming dated
    course, then calendar.ics, courses.json, feed.xml and search-index.json.

    Every link in them is absolute when the site's address (`site_url`) is known, as it always
    is in production. In a preview without it, the calendars carry no link to the page (a
    calendar app could not resolve one) and the Atom feed links relative to its own address,
    which a feed reader resolves (RFC 4287, section 2; RFC 3986, section 5.1.3)."""
    page = f"{site_url}/training/" if site_url else ""
    out: dict[str, bytes | str] = {}
    events: dict[str, bytes] = {}
    for course in courses:
        if is_upcoming(course, now) and not course.undated:
            out[f"training/{course.id}.ics"] = course_ics(course, now, page, events)
    out["training/calendar.ics"] = all_sessions_ics(courses, now, page, events)
    out["training/courses.json"] = courses_json(courses, now, topics)
    out["training/feed.xml"] = atom(courses, now, page if site_url else "./",
                                    f"{site_url}/training/feed.xml" if site_url else "feed.xml")
    out["training/search-index.json"] = search.training_index(
        [c for c in courses if is_upcoming(c, now)], topics)
    return out
