"""iCalendar feeds to items (the icalendar library; recurring-ical-events for recurrences).

A one-off VEVENT is one item with one session. A recurring one (RRULE and/or RDATE, with
EXDATE and moved or cancelled occurrences, RECURRENCE-ID) is ONE item whose sessions are its
occurrences that have not ended by now and start within the next 12 months: a weekly
course is one course with all its dates, as its provider lists it and as a person books it,
not 52 copies of one title. Times are read in the event's own time zone, so a 10:00 class
stays 10:00 on both sides of a clock change; `mapping` writes them in Europe/London.

A rule that could make thousands of sessions (SECONDLY, MINUTELY or HOURLY, more than
4 sessions a day, more than 1,000 RDATEs), or that would have to be stepped through from
long ago (a daily rule from the year 1: the library walks every occurrence since its start),
is not expanded: the item is skipped as an impossible date, so a hostile calendar cannot
keep the harvester busy.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from .item import SEP, Item, Listing, ParseError, each
from .when import london

MAX_SESSIONS = 750  # in 12 months: two a day, every day, is the most a course can have
MAX_STEPS = 40_000  # days from the first occurrence to the end of the window x sessions a day
YEARS_LATER = 3  # how far after the 12 months to look for a next session (`mapping.YEARS_AHEAD`)
_FAST = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
_NOT_TEXT = frozenset({"uid", "url", "begin", "end", "rrule", "rdate", "exdate", "recurrence-id",
                       "dtstart", "dtend", "dtstamp", "duration", "created", "last-modified",
                       "sequence", "status", "transp"})


def parse_ics(body: bytes, now: dt.datetime) -> Listing:
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(body, multiple=True)
    except Exception as exc:
        raise ParseError(f"not a valid calendar ({type(exc).__name__})") from None
    items: list[Item] = []
    home = None
    for calendar in calendars:
        home = home or (str(calendar["URL"]) if "URL" in calendar else None)
        events = calendar.walk("VEVENT")
        series = defaultdict(list)  # UID -> master and moved occurrences of a recurring event
        masters = {str(e.get("UID")) for e in events
                   if ("RRULE" in e or "RDATE" in e) and "RECURRENCE-ID" not in e and "UID" in e}
        single = []
        for event in events:
            uid = str(event.get("UID")) if "UID" in event else None
            (series[uid] if uid in masters else single).append(event)
        items += each(_event, single)
        items += each(lambda parts: [_series(parts, now)], series.values())
    return Listing(items, home)


def _bounds(event) -> tuple:
    """(start, end) of a VEVENT or an occurrence, as written (DTEND, else DTSTART + DURATION;
    the exclusive DTEND of an all-day event made inclusive)."""
    start = event.decoded("DTSTART") if "DTSTART" in event else None
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event and start is not None:
        end = start + event.decoded("DURATION")
    else:
        end = None
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime) and isinstance(end, dt.date):
        end = end - dt.timedelta(days=1)  # DTEND of an all-day event is exclusive
    return start, end


def _cancelled(event) -> bool:
    return str(event.get("STATUS", "")).upper() == "CANCELLED"


def _common(event) -> dict:
    """The fields of an item that a VEVENT gives, other than its dates."""
    text = SEP.join(str(v) for k, v in event.property_items(recursive=False)
                    if isinstance(v, str) and k.lower() not in _NOT_TEXT)
    return {"title": str(event.get("SUMMARY") or ""), "description": str(event.get("DESCRIPTION") or ""),
            "link": str(event.get("URL")) if event.get("URL") else None,
            "location": str(event.get("LOCATION") or ""), "text": text[:100_000]}


def _event(event) -> list[Item]:
    start, end = _bounds(event)
    return [Item(start=london(start), end=london(end), cancelled=_cancelled(event), **_common(event))]


def _dense(master, until: dt.datetime) -> str:
    """Why the recurrence of `master` is not expanded, or ''."""
    rules = master.get("RRULE")
    start = master.decoded("DTSTART") if "DTSTART" in master else None
    first = start.date() if isinstance(start, dt.datetime) else start
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq in _FAST:
            return f"a session every {_FAST[freq]}"
        per_day = math.prod(len(rule.get(k) or [0]) for k in ("BYHOUR", "BYMINUTE", "BYSECOND"))
        if per_day > 4:
            return "more than 4 sessions a day"
        if isinstance(first, dt.date) and (until.date() - first).days * per_day > MAX_STEPS:
            return f"repeating since {first.isoformat()}"
    dates = master.get("RDATE")
    count = sum(len(d.dts) for d in (dates if isinstance(dates, list) else [dates] if dates else []))
    if count > 1000:
        return "more than 1,000 dates (RDATE)"
    return ""


def _series(parts: list, now: dt.datetime) -> Item:
    """One recurring event (its master and moved occurrences) as one item with its sessions."""
    import icalendar
    import recurring_ical_events

    master = next(p for p in parts if "RECURRENCE-ID" not in p)
    common = _common(master)
    until = year_later(now)
    dense = _dense(master, until)
    if dense:
        return Item("", problem=f"a recurrence that cannot be right ({dense})")
    calendar = icalendar.Calendar()
    for part in parts:
        calendar.add_component(part)
    query = recurring_ical_events.of(calendar)
    found = [o for o in query.between(now, until) if not _cancelled(o)]
    if len(found) > MAX_SESSIONS:
        return Item("", problem=f"more than {MAX_SESSIONS} sessions in 12 months")
    sessions = tuple((london(s), london(e)) for s, e in map(_bounds, found))
    later = None
    if not sessions:  # none in the next 12 months: has it ended, or is the next one later?
        beyond = until.replace(year=until.year + YEARS_LATER)
        later = next((london(_bounds(o)[0]) for o in query.between(until, beyond) if not _cancelled(o)),
                     None)
        first = london(_bounds(master)[0])
        if later is None and first is not None and _day(first) > _day(now):
            later = first  # starts beyond even that: `mapping` finds it too far ahead
    return Item(sessions=sessions, recurring=True, start=later, cancelled=_cancelled(master), **common)


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def year_later(now: dt.datetime) -> dt.datetime:
    """The same day and time 12 months after `now` (29 February: 1 March)."""
    try:
        return now.replace(year=now.year + 1)
    except ValueError:
        return now.replace(year=now.year + 1, month=3, day=1)
