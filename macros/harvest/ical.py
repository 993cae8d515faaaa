"""iCalendar feeds to items (the icalendar library; recurring-ical-events for recurrences).

A one-off VEVENT is one item with one session. A recurring one (RRULE and/or RDATE, with
EXDATE and moved or cancelled occurrences, RECURRENCE-ID) is ONE item whose sessions are its
occurrences that have not ended by now and start within the next 12 months: a weekly
course is one course with all its dates, as its provider lists it and as a person books it,
not 52 copies of one title. Times are read in the event's own time zone, so a 10:00 class
stays 10:00 on both sides of a clock change; `mapping` writes them in Europe/London.

Whether a series goes on after those 12 months is found out too (`Item.continues`): an
RRULE without COUNT or UNTIL always does; another is expanded from the end of the 12 months
to the last day it could have a session on (`recurrence.last_day`, at most 3 more years),
within the calendar's budget ("unknown" when that is spent). The course then says so, and
where the later dates are; a later harvest proposes them once the listed dates have passed.

A rule that could make thousands of sessions, that might never match, or that would cost
too much to step through (`recurrence`) is not expanded: the item is skipped as an
impossible date, so a hostile calendar cannot keep the harvester busy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from . import recurrence
from .item import SEP, Item, Listing, ParseError, each
from .when import london

MAX_SESSIONS = 750  # in 12 months: two a day, every day, is the most a course can have
YEARS_LATER = 3  # how far after the 12 months to look for a next session (`mapping.YEARS_AHEAD`)
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
    budget = recurrence.Budget()  # for all the repeating events of the response
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
        items += each(lambda parts: [_series(parts, now, budget)], series.values())
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


def _series(parts: list, now: dt.datetime, budget: recurrence.Budget) -> Item:
    """One recurring event (its master and moved occurrences) as one item with its sessions."""
    import icalendar
    import recurring_ical_events

    master = next(p for p in parts if "RECURRENCE-ID" not in p)
    common = _common(master)
    until = year_later(now)
    refused = recurrence.refusal(master)
    cost = recurrence.steps(master, until.date())
    if not refused and cost > recurrence.MAX_STEPS:
        refused = f"repeating since {recurrence.first_day(master)}"
    if refused:
        return Item(common["title"], problem=f"a recurrence that cannot be right ({refused})")
    if not budget.take(cost):
        return Item(common["title"], problem="not expanded: the calendar has more repeating events "
                    "than one run expands", problem_kind="other")
    calendar = icalendar.Calendar()
    for part in parts:
        calendar.add_component(part)
    query = recurring_ical_events.of(calendar)
    found = [o for o in query.between(now, until) if not _cancelled(o)]
    if len(found) > MAX_SESSIONS:
        return Item(common["title"], problem=f"more than {MAX_SESSIONS} sessions in 12 months")
    sessions = tuple((london(s), london(e)) for s, e in map(_bounds, found))
    later, continues = None, ""
    if sessions:
        continues = _goes_on(parts, query, until, budget, cost)
    else:  # none in the next 12 months: has it ended, or is the next one later?
        beyond = until.replace(year=until.year + YEARS_LATER)
        if not budget.take(recurrence.steps(master, beyond.date()) - cost):
            return Item(common["title"], problem="no session in the next 12 months", problem_kind="other")
        later = next((london(_bounds(o)[0]) for o in query.between(until, beyond) if not _cancelled(o)),
                     None)
        first = london(_bounds(master)[0])
        if later is None and first is not None and _day(first) > _day(now):
            later = first  # starts beyond even that: `mapping` finds it too far ahead
    return Item(sessions=sessions, recurring=True, start=later, continues=continues,
                cancelled=_cancelled(master), **common)


def _goes_on(parts: list, query, until: dt.datetime, budget: recurrence.Budget, cost: int) -> str:
    """"yes" when the series has a session after `until` (the end of the 12 months listed),
    "unknown" when finding out would pass the calendar's budget, "" when it has none."""
    last = recurrence.last_day(parts)
    if last is None:  # an RRULE with neither COUNT nor UNTIL goes on for ever
        return "yes"
    if last <= until.date():
        return ""
    beyond = until.replace(year=until.year + YEARS_LATER)
    end = beyond if last >= beyond.date() else dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(), until.tzinfo)
    master = next(p for p in parts if "RECURRENCE-ID" not in p)
    if not budget.take(recurrence.steps(master, end.date()) - cost):
        return "unknown"
    starts = (london(_bounds(o)[0]) for o in query.between(until, end) if not _cancelled(o))
    return "yes" if any(_later(start, until) for start in starts) else ""


def _later(start, until: dt.datetime) -> bool:
    """Whether a session starting at `start` is not one of those listed (before `until`)."""
    return start >= until if isinstance(start, dt.datetime) else start is not None and start > until.date()


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def year_later(now: dt.datetime) -> dt.datetime:
    """The same day and time 12 months after `now` (29 February: 1 March)."""
    try:
        return now.replace(year=now.year + 1)
    except ValueError:
        return now.replace(year=now.year + 1, month=3, day=1)
