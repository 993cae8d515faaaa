"""Dates and times from feeds: a date stays a date (all day); a time becomes an aware
datetime in Europe/London. Arithmetic on a date near year 1 or 9999 raises OverflowError,
which `parse` turns into a skipped, counted item."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from macros.core.dates import LONDON

When = dt.datetime | dt.date | None


def london(value: Any) -> When:
    """A date stays a date; a datetime becomes aware in Europe/London (naive: taken as London)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)
    if isinstance(value, dt.date):
        return value
    return None


_FORMS = ("%d %B %Y", "%d %b %Y", "%A %d %B %Y", "%a %d %b %Y", "%d/%m/%Y", "%B %d, %Y", "%b %d, %Y",
          "%d %B %Y %H:%M", "%d %B %Y %I:%M%p", "%d/%m/%Y %H:%M", "%a, %d %b %Y %H:%M:%S %z")


def parse_when(text: Any) -> When:
    """An ISO 8601 date or date-time (or a few written forms); None when it is not one."""
    if isinstance(text, dt.date):
        return london(text)
    if not isinstance(text, str):
        return None
    raw = " ".join(text.split())[:60]
    if not raw:
        return None
    iso = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
    try:
        if len(iso) == 10:
            return dt.date.fromisoformat(iso)
        return london(dt.datetime.fromisoformat(iso))
    except ValueError:
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw)
    for form in _FORMS:
        try:
            value = dt.datetime.strptime(cleaned, form)
        except ValueError:
            continue
        return value.date() if "%H" not in form and "%I" not in form else london(value)
    return None
