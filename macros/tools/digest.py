"""The weekly email digest: courses added since a date, as HTML and as plain text.

`python scripts/report.py digest --since 2022-11-20 --html digest.html --text digest.txt`
writes both parts of an email (the plain text is the alternative for mail programs that do
not show HTML). Only upcoming courses are listed ("now" is SITE_TODAY or the real clock),
soonest first, on-demand courses last, each with a link to its place in the calendar.

The HTML (overrides/partials/app-digest.html) is made to survive email programs and screen
readers: a `lang`, one `h1`, a list per section, styles inline only, no images, no scripts,
no remote anything; every value from the data is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from macros.core.dates import LONDON, is_upcoming, upcoming_sessions
from macros.data.course import Course, how_to_book
from macros.render.html import safe_href
from macros.render.templates import render
from macros.render.training_page import AUDIENCE_LABELS, FORMAT_LABELS, session_text, where

SITE_NAME = "Southend Safeguarding Partnership"


@dataclass(frozen=True)
class Digest:
    """What the digest lists: upcoming courses added on or after `since`, soonest first."""

    since: dt.date
    now: dt.datetime
    courses: tuple[Course, ...]
    calendar_url: str  # the training calendar's address; "" when the site's is not known

    def course_url(self, course: Course) -> str:
        return f"{self.calendar_url}#course-{course.id}" if self.calendar_url else ""


def _first_start(course: Course, now: dt.datetime) -> float:
    sessions = upcoming_sessions(course, now)
    return min(s.start_at for s in sessions) if sessions else float("inf")


def new_courses(courses: Iterable[Course], since: dt.date, now: dt.datetime) -> list[Course]:
    """Upcoming courses with `added` on or after `since`: dated ones by their next session,
    then on-demand ones by title."""
    chosen = [c for c in courses if c.added >= since and is_upcoming(c, now)]
    return sorted(chosen, key=lambda c: (c.on_demand, _first_start(c, now), c.title.casefold(), c.id))


def calendar_address(site_url: str | None) -> str:
    """The training calendar's address, `<site_url>/training/`; "" without a site_url (an
    email's reader has no page a relative address could start from)."""
    base = (site_url or "").strip()
    return base.rstrip("/") + "/training/" if base else ""


def make_digest(courses: Iterable[Course], since: dt.date, now: dt.datetime,
                site_url: str | None = None) -> Digest:
    """The digest of `courses` added since `since` that are still upcoming at `now`."""
    return Digest(since, now.astimezone(LONDON), tuple(new_courses(courses, since, now)),
                  calendar_address(site_url))


def _when(course: Course, now: dt.datetime) -> list[str]:
    if course.on_demand:
        until = course.available_until
        return [f"Online at any time, until {until.day} {until:%B %Y}" if until else "Online at any time"]
    if course.dates_unknown:
        return ["Dates to be confirmed: ask the provider"]
    return [session_text(s) for s in upcoming_sessions(course, now)]


def _facts(course: Course, topics: dict[str, str]) -> list[tuple[str, str]]:
    facts = [("Provider", course.provider),
             ("Format", FORMAT_LABELS.get(course.format, course.format))]
    if where(course):
        facts.append(("Where", where(course)))
    facts.append(("For", " and ".join(AUDIENCE_LABELS.get(a, a) for a in course.audience)))
    facts.append(("Topics", ", ".join(topics.get(t, t) for t in course.topics)))
    cost = course.cost or "free"
    facts.append(("Cost", cost[:1].upper() + cost[1:]))
    return facts


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _title() -> str:
    return f"New training courses – {SITE_NAME}"


def _intro(digest: Digest) -> str:
    count = len(digest.courses)
    if not count:
        return f"No new courses have been added to the training calendar since {_day(digest.since)}."
    plural = "course has" if count == 1 else "courses have"
    return f"{count} new {plural} been added to the training calendar since {_day(digest.since)}."


def digest_html(digest: Digest, topics: dict[str, str]) -> str:
    """The digest as a complete HTML document for an email body (app-digest.html)."""
    courses = [{"title": c.title, "url": digest.course_url(c), "when": _when(c, digest.now),
                "facts": _facts(c, topics), "description": c.description,
                "href": safe_href(c.url), "contact": c.contact} for c in digest.courses]
    return str(render("app-digest.html", title=_title(), intro=_intro(digest), courses=courses,
                      calendar_url=digest.calendar_url)) + "\n"


def digest_text(digest: Digest, topics: dict[str, str]) -> str:
    """The digest as plain text: the alternative part of the email."""
    title = _title()
    lines = [title, "=" * len(title), "", _intro(digest), ""]
    for number, course in enumerate(digest.courses, 1):
        heading = f"{number}. {course.title}"
        lines += [heading, "-" * len(heading)]
        lines += [f"When: {w}" for w in _when(course, digest.now)]
        lines += [f"{label}: {value}" for label, value in _facts(course, topics)]
        if course.description:
            lines.append(course.description)
        if how_to_book(course):
            lines.append(how_to_book(course))
        lines += [f"In the calendar: {digest.course_url(course)}"] if digest.calendar_url else []
        lines.append("")
    lines += [f"Every course: {digest.calendar_url}", ""] if digest.calendar_url else []
    lines += [
              "The partnership signposts training run by other organisations but cannot "
              "quality-assure it. Check the details with the provider before you book."]
    return "\n".join(lines) + "\n"
