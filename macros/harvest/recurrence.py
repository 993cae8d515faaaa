"""Whether a recurring calendar event is expanded, and what expanding it costs.

recurring-ical-events (through dateutil) steps through a rule from its first occurrence, one
day at a time, until past the end asked for; a rule that never matches (the 30th of
February, every day) is stepped through to the year 9999, which takes seconds. So before a
series is expanded its rule is checked:
- a rule that could make thousands of sessions is refused: SECONDLY, MINUTELY or HOURLY,
  more than 4 sessions a day, more than 1,000 RDATEs;
- a rule that might never (or hardly ever) match is refused: BYYEARDAY, BYWEEKNO,
  BYSETPOS, a day of the month after the 28th, the 5th or later weekday of a month (the
  "2nd Tuesday" and "last Friday" of every month are fine), BYMONTH with a MONTHLY or
  WEEKLY INTERVAL (the months it falls in may never be the ones named);
- the steps it costs (days from its first occurrence to the end asked for, times its
  sessions a day, divided by its INTERVAL, plus a fixed cost per series) may not pass
  MAX_STEPS, and all the series of one calendar may not pass CALENDAR_STEPS (`Budget`):
  the rest of a calendar that lists more is not expanded in that run.
Refused series are counted in the summary (impossible dates, or other for the budget), so
a person can add one by hand. Nothing here expands a rule: the library does.

`last_day` bounds a series without expanding it: an RRULE without COUNT or UNTIL never ends;
otherwise its UNTIL, its COUNT times the longest a simple rule can go between two sessions,
its RDATEs and its moved occurrences give the last day it could have a session on (`ical`
expands only the days between the 12 months listed and that day, to say whether it goes on).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

MAX_STEPS = 40_000  # one series (about 0.3 s at worst)
CALENDAR_STEPS = 1_000_000  # all the series of one calendar (a few seconds)
SERIES_STEPS = 500  # the fixed cost of a series, in steps
_FAST = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
_WEEKDAY = re.compile(r"^([+-]?\d+)?[A-Z]{2}$")
# The most days a rule of each FREQ can go between two sessions, per INTERVAL, when it has no
# BY part that leaves periods out (a monthly rule from the 31st skips two months at most; a
# yearly one from 29 February skips eight years at most).
_GAP = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 62, "YEARLY": 366 * 8}
_EXPANDING = {"DAILY": set(), "WEEKLY": {"BYDAY"}, "MONTHLY": {"BYDAY", "BYMONTHDAY"}, "YEARLY": set()}
_TIMES = {"BYHOUR", "BYMINUTE", "BYSECOND", "WKST"}


@dataclass
class Budget:
    """The steps left for one calendar's series."""

    left: int = field(default_factory=lambda: CALENDAR_STEPS)

    def take(self, steps: int) -> bool:
        if steps > self.left:
            return False
        self.left -= steps
        return True


def _rules(master) -> list:
    rules = master.get("RRULE")
    return rules if isinstance(rules, list) else [rules] if rules is not None else []


def first_day(master) -> dt.date | None:
    start = master.decoded("DTSTART") if "DTSTART" in master else None
    return start.date() if isinstance(start, dt.datetime) else start


def _day(value) -> dt.date | None:
    value = value[0] if isinstance(value, tuple) else value  # an RDATE period: (start, end)
    return value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None


def _count_days(rule, freq: str) -> int | None:
    """The most days from the first session to the last of a rule with COUNT; None when its
    BY parts may leave periods out (then it is not bounded here)."""
    parts = {str(k).upper() for k, v in rule.items() if v} - {"FREQ", "COUNT", "INTERVAL"} - _TIMES
    expanding = _EXPANDING.get(freq)
    if expanding is None or not parts <= expanding or len(parts) > 1:
        return None
    interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
    return int(rule["COUNT"][0]) * interval * _GAP[freq]


def last_day(parts: list) -> dt.date | None:
    """The last day the series of `parts` (its master and moved occurrences) could have a
    session on, or None when it never ends; dt.date.max when that cannot be told without
    expanding it. Only a bound: that day itself may have none."""
    master = next(p for p in parts if "RECURRENCE-ID" not in p)
    first = first_day(master)
    days = [first] + [first_day(p) for p in parts if p is not master]
    dates = master.get("RDATE")
    for group in dates if isinstance(dates, list) else [dates] if dates else []:
        days += [_day(d.dt) for d in group.dts]
    for rule in _rules(master):
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if rule.get("UNTIL"):
            days.append(_day(rule["UNTIL"][0]))
        elif not rule.get("COUNT"):
            return None
        else:
            span = _count_days(rule, freq)
            days.append(dt.date.max if span is None or not isinstance(first, dt.date)
                        or span > (dt.date.max - first).days else first + dt.timedelta(days=span))
    found = [d for d in days if isinstance(d, dt.date)]
    return max(found) if found else dt.date.max


def _unusual(rule, freq: str) -> str:
    """What in `rule` might never match, or ''."""
    for part in ("BYYEARDAY", "BYWEEKNO", "BYSETPOS"):
        if rule.get(part):
            return part
    if any(abs(int(day)) > 28 for day in rule.get("BYMONTHDAY") or []):
        return "a day of the month after the 28th"
    interval = int((rule.get("INTERVAL") or [1])[0])
    if rule.get("BYMONTH") and freq in ("MONTHLY", "WEEKLY") and interval > 1:
        return "BYMONTH with an INTERVAL"
    for day in rule.get("BYDAY") or []:
        found = _WEEKDAY.match(str(day).upper())
        ordinal = abs(int(found.group(1))) if found and found.group(1) else 0
        monthly = freq == "MONTHLY" or bool(rule.get("BYMONTH"))
        if not found or ordinal > (4 if monthly else 52) or (ordinal and freq in ("DAILY", "WEEKLY")):
            return f"the weekday '{str(day)[:10]}'"
    return ""


def refusal(master) -> str:
    """Why the recurrence of `master` is not expanded, whatever it costs; '' if it may be."""
    for rule in _rules(master):
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq in _FAST:
            return f"a session every {_FAST[freq]}"
        if _per_day(rule) > 4:
            return "more than 4 sessions a day"
        unusual = _unusual(rule, freq)
        if unusual:
            return f"{unusual} may never match"
    dates = master.get("RDATE")
    if sum(len(d.dts) for d in (dates if isinstance(dates, list) else [dates] if dates else [])) > 1000:
        return "more than 1,000 dates (RDATE)"
    return ""


def _per_day(rule) -> int:
    return math.prod(len(rule.get(k) or [0]) for k in ("BYHOUR", "BYMINUTE", "BYSECOND"))


def steps(master, end: dt.date) -> int:
    """The steps expanding `master` up to `end` costs (an estimate, in days stepped through)."""
    first = first_day(master)
    total = SERIES_STEPS
    for rule in _rules(master):
        interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
        days = max(0, (end - first).days) if isinstance(first, dt.date) else 0
        total += days * _per_day(rule) // interval
    return total
