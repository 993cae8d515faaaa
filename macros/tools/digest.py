"""The weekly email digest: courses added since a date, as HTML and as plain text.

`python scripts/report.py digest --since 2022-11-20 --html digest.html --text digest.txt`
writes both parts of an email (the plain text is the alternative for mail programs that do
not show HTML). Only upcoming courses are listed ("now" is SITE_TODAY or the real clock),
soonest first, on-demand courses last, each with a link to its place in the calendar.

The HTML is made to survive email programs and screen readers: a `lang`, one `h1`, a list
per section, styles inline only, no images, no scripts, no remote anything; every value
from the data is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from macros.core.dates import LONDON, is_upcoming, upcoming_sessions
from macros.data.training import Course, how_to_book
from macros.render.html import esc, safe_href
from macros.render.training_page import AUDIENCE_LABELS, FORMAT_LABELS, session_text

SITE_NAME = "Southend Safeguarding Partnership"
_BODY = "font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;"
_LINK = "color: #1d4e89; text-decoration: underline;"
_MUTED = "color: #3d3d3d;"


@dataclass(frozen=True)
class Digest:
    """What the digest lists: upcoming courses added on or after `since`, soonest first."""

    since: dt.date
    now: dt.datetime
    courses: tuple[Course, ...]
    calendar_url: str  # the training calendar's address (absolute when the site's is known)

    def course_url(self, course: Course) -> str:
        return f"{self.calendar_url}#course-{course.id}"


def _first_start(course: Course, now: dt.datetime) -> float:
    sessions = upcoming_sessions(course, now)
    return min(s.start_at for s in sessions) if sessions else float("inf")


def new_courses(courses: Iterable[Course], since: dt.date, now: dt.datetime) -> list[Course]:
    """Upcoming courses with `added` on or after `since`: dated ones by their next session,
    then on-demand ones by title."""
    chosen = [c for c in courses if c.added >= since and is_upcoming(c, now)]
    return sorted(chosen, key=lambda c: (c.on_demand, _first_start(c, now), c.title.casefold(), c.id))


def calendar_address(site_url: str | None) -> str:
    """The training calendar's address: `<site_url>/training/`, or relative without one."""
    base = (site_url or "").strip()
    if not base:
        return "training/"
    return base.rstrip("/") + "/training/"


def make_digest(courses: Iterable[Course], since: dt.date, now: dt.datetime,
                site_url: str | None = None) -> Digest:
    """The digest of `courses` added since `since` that are still upcoming at `now`."""
    return Digest(since, now.astimezone(LONDON), tuple(new_courses(courses, since, now)),
                  calendar_address(site_url))


def _when(course: Course, now: dt.datetime) -> list[str]:
    if course.on_demand:
        until = course.available_until
        return [f"Online at any time, until {until.day} {until:%B %Y}" if until else "Online at any time"]
    return [session_text(s) for s in upcoming_sessions(course, now)]


def _facts(course: Course, topics: dict[str, str]) -> list[tuple[str, str]]:
    facts = [("Provider", course.provider),
             ("Format", FORMAT_LABELS.get(course.format, course.format))]
    if course.location:
        facts.append(("Where", course.location))
    facts.append(("For", " and ".join(AUDIENCE_LABELS.get(a, a) for a in course.audience)))
    facts.append(("Topics", ", ".join(topics.get(t, t) for t in course.topics)))
    cost = course.cost or "free"
    facts.append(("Cost", cost[:1].upper() + cost[1:]))
    return facts


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _intro(digest: Digest) -> str:
    count = len(digest.courses)
    if not count:
        return f"No new courses have been added to the training calendar since {_day(digest.since)}."
    plural = "course has" if count == 1 else "courses have"
    return f"{count} new {plural} been added to the training calendar since {_day(digest.since)}."


def digest_html(digest: Digest, topics: dict[str, str]) -> str:
    """The digest as a complete HTML document for an email body (escaped, inline styles)."""
    title = f"New training courses – {SITE_NAME}"
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(title)}</title>", "</head>",
           f'<body style="{_BODY} margin: 0; padding: 16px;">',
           '<div role="article" aria-label="New training courses" style="max-width: 40em;">',
           f'<h1 style="font-size: 24px; margin: 0 0 16px;">{esc(title)}</h1>',
           f"<p>{esc(_intro(digest))}</p>"]
    if digest.courses:
        out.append('<ol style="padding-left: 1.25em;">')
        for course in digest.courses:
            out.append('<li style="margin-bottom: 24px;">')
            out.append(f'<h2 style="font-size: 19px; margin: 0 0 8px;"><a style="{_LINK}" '
                       f'href="{esc(digest.course_url(course))}">{esc(course.title)}</a></h2>')
            when = _when(course, digest.now)
            out.append('<p style="margin: 0 0 4px;"><strong>When:</strong></p>'
                       '<ul style="margin: 0 0 8px; padding-left: 1.25em;">'
                       + "".join(f"<li>{esc(w)}</li>" for w in when) + "</ul>")
            out.append('<dl style="margin: 0;">')
            for label, value in _facts(course, topics):
                out.append(f'<div><dt style="font-weight: bold; display: inline;">{esc(label)}:</dt> '
                           f'<dd style="display: inline; margin: 0;">{esc(value)}</dd></div>')
            out.append("</dl>")
            if course.description:
                out.append(f'<p style="margin: 8px 0 0;">{esc(course.description)}</p>')
            href = safe_href(course.url)
            booking = (f'<a style="{_LINK}" href="{esc(href)}">Book or find out more</a>' if href else
                       esc(f"How to book: {course.contact}") if course.contact else
                       "Booking link not known: search the provider's website for this course")
            out.append(f'<p style="margin: 8px 0 0;">{booking}</p>')
            out.append("</li>")
        out.append("</ol>")
    out.append(f'<p><a style="{_LINK}" href="{esc(digest.calendar_url)}">See every course in the '
               "training calendar</a></p>")
    out.append(f'<p style="{_MUTED} font-size: 14px;">The partnership signposts training run by '
               "other organisations but cannot quality-assure it. Check the details with the "
               "provider before you book.</p>")
    out += ["</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def digest_text(digest: Digest, topics: dict[str, str]) -> str:
    """The digest as plain text: the alternative part of the email."""
    title = f"New training courses – {SITE_NAME}"
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
        lines += [f"In the calendar: {digest.course_url(course)}", ""]
    lines += [f"Every course: {digest.calendar_url}", "",
              "The partnership signposts training run by other organisations but cannot "
              "quality-assure it. Check the details with the provider before you book."]
    return "\n".join(lines) + "\n"
