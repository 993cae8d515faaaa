"""Checks the booking links of upcoming courses, and lists the courses without dates due for a
check: `make check-links` (scripts/check_links.py).

Each upcoming course's `url` is asked for with HEAD (then GET when a server refuses HEAD),
with a timeout, following redirects. A link is dead when the server answers 404 or 410 or
any 5xx, or cannot be reached at all; other answers (401, 403, 429: the page exists but
turns robots away) count as alive, so the weekly issue lists only what a person should fix.
Uses httpx when installed, else the standard library.

A course without dates (on-demand, or dates not known) is shown for 12 months after the day
someone last confirmed it is still offered (`checked`, core/dates.py). `due_checks` lists those
whose 12 months end within the next four weeks or have ended, so the weekly report asks a
person to look before they leave the calendar.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from macros.core.dates import LONDON, confirmed_until, has_ended, is_upcoming
from macros.data.course import Course
from macros.render.html import safe_href

USER_AGENT = "ssp-site link check (Southend Safeguarding Partnership website)"
TIMEOUT = 15.0
DEAD_STATUS = frozenset({404, 410})
RETRY_WITH_GET = frozenset({400, 403, 405, 406, 429, 501})
DUE_WITHIN = dt.timedelta(weeks=4)  # a course leaving the calendar this soon is due for a check


@dataclass(frozen=True)
class LinkResult:
    """The answer to one course's booking link: a status code, or why there was none."""

    course_id: str
    title: str
    url: str
    file: str
    line: int
    status: int | None  # None: no answer (see `error`)
    error: str | None = None

    @property
    def dead(self) -> bool:
        return self.status is None or self.status in DEAD_STATUS or self.status >= 500

    @property
    def reason(self) -> str:
        return f"HTTP {self.status}" if self.status is not None else (self.error or "no answer")


Fetch = Callable[[str, str, float], int]  # (method, url, timeout) -> status; raises on no answer


def _fetch_httpx(method: str, url: str, timeout: float) -> int:
    import httpx

    with httpx.Client(follow_redirects=True, timeout=timeout,
                      headers={"User-Agent": USER_AGENT}) as client:
        if method == "GET":
            with client.stream("GET", url) as response:  # the status is enough: no body read
                return response.status_code
        return client.request(method, url).status_code


def _fetch_urllib(method: str, url: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def default_fetch() -> Fetch:
    """httpx when it is installed, else urllib."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        return _fetch_urllib
    return _fetch_httpx


def check_url(url: str, fetch: Fetch | None = None,
              timeout: float = TIMEOUT) -> tuple[int | None, str | None]:
    """(status, None) for an answer, (None, why) for none. HEAD first, GET if HEAD is refused."""
    fetch = fetch or default_fetch()
    try:
        status = fetch("HEAD", url, timeout)
        if status in RETRY_WITH_GET or status >= 500:
            status = fetch("GET", url, timeout)
        return status, None
    except Exception as exc:  # timeouts, refused connections, bad certificates: all "no answer"
        message = str(exc).strip() or "no answer"
        return None, f"{type(exc).__name__}: {message}"


def upcoming_links(courses: Iterable[Course], now: dt.datetime) -> list[Course]:
    """Upcoming courses with an http(s) booking link, in the order of the files."""
    return [c for c in courses if is_upcoming(c, now) and safe_href(c.url)]


def check_links(courses: Iterable[Course], now: dt.datetime, fetch: Fetch | None = None,
                timeout: float = TIMEOUT) -> list[LinkResult]:
    """Check the booking link of every upcoming course (each distinct address once)."""
    fetch = fetch or default_fetch()
    seen: dict[str, tuple[int | None, str | None]] = {}
    results = []
    for course in upcoming_links(courses, now):
        url = safe_href(course.url)
        if url not in seen:
            seen[url] = check_url(url, fetch, timeout)
        status, error = seen[url]
        results.append(LinkResult(course.id, course.title, url, course.file, course.line, status, error))
    return results


def due_checks(courses: Iterable[Course], now: dt.datetime,
               within: dt.timedelta = DUE_WITHIN) -> list[Course]:
    """Courses without dates, not over, whose 12 months since `checked` end within `within` of
    today or have ended (no longer on the calendar), the soonest first."""
    today = now.astimezone(LONDON).date()
    due = [c for c in courses if confirmed_until(c) and confirmed_until(c) <= today + within
           and not has_ended(c, now)]
    return sorted(due, key=lambda c: (confirmed_until(c), c.title.casefold(), c.id))


def due_text(course: Course, now: dt.datetime) -> str:
    """'left the calendar on 1 April 2024' or 'leaves the calendar after 31 March 2025'."""
    until = confirmed_until(course)
    if until < now.astimezone(LONDON).date():
        return f"left the calendar on {_day(until + dt.timedelta(days=1))}"
    return f"leaves the calendar after {_day(until)}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def dead_links_markdown(results: Iterable[LinkResult], now: dt.datetime,
                        due: Iterable[Course] = ()) -> str:
    """The weekly issue's body: a table of the dead links, with where each course is, then the
    courses without dates due for a check."""
    dead = [r for r in results if r.dead]
    lines = [f"Booking links of upcoming courses that did not work on {now:%Y-%m-%d %H:%M} "
             "(Europe/London), found by `make check-links`.", ""]
    if not dead:
        lines.append("Every booking link answered.")
    else:
        lines += ["Check each one: fix the `url:` of the course, or write `contact:` (how to book) "
                  "or `link_unknown: true` instead.", "",
                  "| Course | Where | Link | Problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(r.title)} (`{r.course_id}`) | `{r.file}:{r.line}` | <{_cell(r.url)}> | "
                  f"{_cell(r.reason)} |" for r in dead]
    due = list(due)
    if due:
        lines += ["", "## Courses without dates due for a check", "",
                  "Nobody has confirmed for almost 12 months (or more) that these are still offered. "
                  "Check each on its provider's website: if it is still offered, write today's date "
                  "in its `checked:`; if not, give it `available_until:` (the last day it was offered) "
                  "so that the weekly prune moves it to the archive.", "",
                  "| Course | Where | Last checked | Calendar |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(c.title)} (`{c.id}`) | `{c.file}:{c.line}` | {c.checked.isoformat()} | "
                  f"{due_text(c, now)} |" for c in due]
    return "\n".join(lines) + "\n"
