"""What a course from a repeating calendar event says about the dates it does not list.

The harvester lists the sessions of a repeating event for the next 12 months only (`ical`).
When the event goes on after them, the course's `notes` (internal, never shown on the site)
say so in plain words, and where the later dates are: the course's link. Once the listed
dates have passed (and `make prune` has moved the course to the archive), a later harvest
proposes the series again with its next 12 months; that course's notes name the one it
follows. The pull-request summary says the same (`summary`).
"""

from __future__ import annotations

import datetime as dt

from macros.core.dates import long_date


def _where(url: str | None, page: str | None) -> str:
    if not url:
        return "the provider did not give a link: ask them"
    if url == page:
        return f"the page the provider lists its events on: {url}"
    return f"the provider's page for it: {url}"


def goes_on(state: str, last: dt.date, url: str | None, page: str | None) -> str:
    """The note of a course whose repeating event goes on ("yes") or may go on ("unknown")
    after `last`, its last date listed; "" for one that ends there."""
    if state == "yes":
        return (f"This is a repeating event that goes on after {long_date(last)}, the last date "
                "listed here: the harvester lists the next 12 months only. The later dates are on "
                f"{_where(url, page)}. Once the dates listed here have passed, a later harvest "
                "proposes the next ones.")
    if state == "unknown":
        return (f"This is a repeating event that may go on after {long_date(last)}, the last date "
                "listed here: the harvester lists the next 12 months only, and the provider's "
                "calendar had too many repeating events for it to check the later dates. Look on "
                f"{_where(url, page)}.")
    return ""


def follows(earlier: str, ended: dt.date) -> str:
    """The note of a course that is the next dates of an earlier course `earlier`."""
    return (f"These are the next dates of the repeating event listed before as '{earlier}', whose "
            f"listed dates ended on {long_date(ended)}.")
