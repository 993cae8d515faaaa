"""The training calendar and past-courses pages: pure functions, courses in, escaped HTML out.

The full list is in the HTML, so the page works without JavaScript. training.js then
hides what has ended by the reader's clock and adds search and filters.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter
from collections.abc import Iterable

from markupsafe import Markup

from macros.core.dates import LONDON, course_financial_year, is_upcoming, upcoming_sessions
from macros.render.html import esc, safe_href

FORMAT_LABELS = {"online": "Online", "in-person": "In person", "hybrid": "In person and online",
                 "on-demand": "Online, at any time"}
AUDIENCE_LABELS = {"children": "Children and young people", "adults": "Adults"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# --- dates as people read them ---------------------------------------------------------------


def _clock(t: dt.datetime) -> str:
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
    if start.date() == end.date():
        return f"{_day(start.date())}, {_clock(start)} to {_clock(end)}"
    return f"{_day(start.date())} {_clock(start)} to {_day(end.date())} {_clock(end)}"


def _iso(value: dt.datetime) -> str:
    return value.astimezone(LONDON).isoformat(timespec="minutes")


# --- one course ------------------------------------------------------------------------------


def course_html(course, topics: dict[str, str], now: dt.datetime, provider_slug: str,
                heading: str = "h4", show_actions: bool = True) -> Markup:
    """One course as a list item carrying the data the filters and expiry script need."""
    sessions = upcoming_sessions(course, now) if show_actions else course.sessions
    attrs = {
        "class": "app-course",
        "id": f"course-{course.id}",
        "data-id": course.id,
        "data-audience": " ".join(course.audience),
        "data-topics": " ".join(course.topics),
        "data-format": course.format,
        "data-provider": provider_slug,
    }
    if course.available_until:
        attrs["data-available-until"] = course.available_until.isoformat()
    attr_text = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
    out = [f"<li {attr_text}>",
           '<article class="app-course__body">']
    href = safe_href(course.url)
    title = esc(course.title)
    out.append(f'<{heading} class="app-course__title">'
               + (f'<a href="{esc(href)}">{title}</a>' if href else f"{title}") + f"</{heading}>")
    out.append('<dl class="app-course__facts">')
    out.append(f"<dt>Provider</dt><dd>{esc(course.provider)}</dd>")
    if sessions:
        items = "".join(
            f'<li class="app-session" data-end="{esc(_iso(s.end))}">'
            f'<time datetime="{esc(_iso(s.start))}">{esc(session_text(s))}</time></li>'
            for s in sessions)
        out.append(f'<dt>When</dt><dd><ul class="app-course__sessions">{items}</ul></dd>')
    elif course.on_demand:
        until = (f", until {_day(course.available_until)}" if course.available_until else "")
        out.append(f"<dt>When</dt><dd>At any time{esc(until)}</dd>")
    out.append(f"<dt>Format</dt><dd>{esc(FORMAT_LABELS.get(course.format, course.format))}</dd>")
    if course.location:
        out.append(f"<dt>Where</dt><dd>{esc(course.location)}</dd>")
    audience = esc(" and ".join(AUDIENCE_LABELS.get(a, a) for a in course.audience))
    topic_text = esc(", ".join(topics.get(t, t) for t in course.topics))
    out.append(f"<dt>For</dt><dd>{audience}</dd>")
    out.append(f"<dt>Topics</dt><dd>{topic_text}</dd>")
    cost = course.cost or "free"
    out.append(f"<dt>Cost</dt><dd>{esc(cost[:1].upper() + cost[1:])}</dd>")
    out.append("</dl>")
    if course.description:
        out.append(f'<p class="app-course__description">{esc(course.description)}</p>')
    if show_actions:
        actions = []
        if href:
            actions.append(f'<a class="app-course__book" href="{esc(href)}">Book or find out more'
                           f'<span class="app-visually-hidden">: {title}</span></a>')
        elif course.contact:
            actions.append(f"How to book: {esc(course.contact)}")
        else:
            actions.append("Booking link not known: search the provider's website for this course")
        if sessions:
            actions.append(f'<a class="app-course__ics" href="{esc(course.id)}.ics" download>'
                           f'Add to calendar<span class="app-visually-hidden">: {title}</span></a>')
        out.append('<p class="app-course__actions">' + " · ".join(actions) + "</p>")
    out.append("</article></li>")
    return Markup("".join(out))


# --- the calendar ----------------------------------------------------------------------------


def provider_slugs(courses: Iterable) -> dict[str, str]:
    return {c.provider: slug(c.provider) for c in courses}


def _facet(name: str, legend: str, options: list[tuple[str, str, int]], collapsed: bool) -> str:
    boxes = "".join(
        f'<li><input type="checkbox" class="app-filter__input" id="f-{name}-{esc(value)}" '
        f'name="{name}" value="{esc(value)}">'
        f'<label for="f-{name}-{esc(value)}">{esc(label)} '
        f'<span class="app-filter__count" data-count-for="{name}:{esc(value)}">({count})</span>'
        f"</label></li>"
        for value, label, count in options)
    body = (f'<fieldset class="app-filter" data-facet="{name}"><legend>{esc(legend)}</legend>'
            f'<ul class="app-filter__options">{boxes}</ul></fieldset>')
    if collapsed:
        return f'<details class="app-filter__more"><summary>{esc(legend)}</summary>{body}</details>'
    return body


def filters_html(courses: list, topics: dict[str, str], providers: dict[str, str]) -> str:
    audience = Counter(a for c in courses for a in c.audience)
    formats = Counter(c.format for c in courses)
    topic_counts = Counter(t for c in courses for t in c.topics)
    provider_counts = Counter(providers[c.provider] for c in courses)
    provider_names = {v: k for k, v in providers.items()}
    facets = [
        _facet("audience", "Who it is for",
               [(a, AUDIENCE_LABELS[a], audience[a]) for a in AUDIENCE_LABELS if audience[a]], False),
        _facet("format", "Format",
               [(f, FORMAT_LABELS[f], formats[f]) for f in FORMAT_LABELS if formats[f]], False),
        _facet("topics", "Topic",
               [(t, topics.get(t, t), n) for t, n in sorted(
                   topic_counts.items(), key=lambda kv: topics.get(kv[0], kv[0]).lower())], True),
        _facet("provider", "Provider",
               [(p, provider_names[p], n) for p, n in sorted(
                   provider_counts.items(), key=lambda kv: provider_names[kv[0]].lower())], True),
    ]
    return (
        '<form class="app-training__filters" role="search" aria-label="Search and filter courses" hidden>'
        '<div class="app-training__search"><label for="training-search">Search courses</label>'
        '<span class="app-hint" id="training-search-hint">For example: county lines, neglect, '
        "Safe Steps</span>"
        '<input type="search" id="training-search" name="q" autocomplete="off" '
        'aria-describedby="training-search-hint" aria-controls="training-results"></div>'
        + "".join(facets)
        + '<button type="reset" class="app-button app-button--secondary">Clear search and filters'
        "</button></form>"
    )


def calendar_html(courses: list, topics: dict[str, str], now: dt.datetime,
                  fixed_now: bool, index_url: str = "search-index.json") -> Markup:
    """The calendar: upcoming dated courses by month (soonest first), then on-demand ones."""
    shown = [c for c in courses if is_upcoming(c, now)]
    dated = sorted((c for c in shown if not c.on_demand),
                   key=lambda c: (upcoming_sessions(c, now)[0].start, c.title.lower()))
    anytime = sorted((c for c in shown if c.on_demand), key=lambda c: c.title.lower())
    providers = provider_slugs(courses)
    out = [f'<div class="app-training" data-index="{esc(index_url)}" data-now="{esc(_iso(now))}" '
           f'data-now-fixed="{"true" if fixed_now else "false"}">',
           filters_html(shown, topics, providers),
           f'<p class="app-training__count" role="status" aria-live="polite" aria-atomic="true">'
           f"{len(shown)} courses</p>",
           '<div id="training-results">',
           '<h2 id="upcoming">Upcoming courses</h2>']
    if not dated:
        out.append('<p class="app-training__none">There are no dated courses coming up at the '
                   "moment.</p>")
    month = None
    for course in dated:
        first = upcoming_sessions(course, now)[0].start.astimezone(LONDON)
        key = f"{first:%Y-%m}"
        if key != month:
            if month is not None:
                out.append("</ul></section>")
            out.append(f'<section class="app-month" aria-labelledby="month-{key}">'
                       f'<h3 id="month-{key}">{first:%B %Y}</h3><ul class="app-course-list">')
            month = key
        out.append(course_html(course, topics, now, providers[course.provider]))
    if month is not None:
        out.append("</ul></section>")
    out.append('<section class="app-month app-month--anytime" aria-labelledby="anytime">'
               '<h2 id="anytime">Online courses you can take at any time</h2>')
    if anytime:
        out.append('<ul class="app-course-list">')
        out.extend(course_html(c, topics, now, providers[c.provider], heading="h3") for c in anytime)
        out.append("</ul>")
    else:
        out.append("<p>None at the moment.</p>")
    out.append("</section>")
    out.append('<p class="app-training__empty" hidden>No courses match your search. '
               "Try fewer words, or clear the filters.</p>")
    out.append("</div></div>")
    out.append(json_ld(shown, now))
    return Markup("".join(out))


def past_html(courses: list, topics: dict[str, str], now: dt.datetime) -> Markup:
    """Courses that have ended, by financial year (newest first), each year newest first.

    A table a year, like the annual report's appendix (when, course, provider, topics): a
    record to scan, not a list to book from, and a fraction of the weight of the calendar's
    cards when the years add up to thousands of courses.
    """
    ended = [c for c in courses if not is_upcoming(c, now) and course_financial_year(c)]
    years: dict[str, list] = {}
    for course in ended:
        years.setdefault(course_financial_year(course), []).append(course)
    if not years:
        return Markup("<p>No past courses yet.</p>")
    out = []
    for year in sorted(years, reverse=True):
        start, end = year.split("-")
        items = sorted(years[year], key=lambda c: (c.last_end or dt.datetime.min.replace(
            tzinfo=LONDON)), reverse=True)
        heading = f"April {start} to March 20{end}"
        out.append(f'<section aria-labelledby="year-{esc(year)}"><h2 id="year-{esc(year)}">'
                   f"{heading} ({len(items)} courses)</h2>"
                   f"<table><caption class=\"app-visually-hidden\">Courses that ended between "
                   f"{heading}</caption><thead><tr><th scope=\"col\">When</th>"
                   '<th scope="col">Course</th><th scope="col">Provider</th>'
                   '<th scope="col">Topics</th></tr></thead><tbody>')
        out.extend(_past_row(c, topics) for c in items)
        out.append("</tbody></table></section>")
    return Markup("".join(out))


def _past_row(course, topics: dict[str, str]) -> str:
    if course.sessions:
        when = "<br>".join(f'<time datetime="{s.date.isoformat()}">{esc(_session_days(s))}</time>'
                           for s in course.sessions)
    elif course.available_until:
        when = f"Online until {esc(_day_month_year(course.available_until))}"
    else:
        when = "Online"
    href = safe_href(course.url)
    title = esc(course.title)
    link = f'<a href="{esc(href)}">{title}</a>' if href else title
    return (f'<tr class="app-past-course" id="course-{esc(course.id)}" data-id="{esc(course.id)}">'
            f'<td data-label="When">{when}</td><td data-label="Course">{link}</td>'
            f'<td data-label="Provider">{esc(course.provider)}</td>'
            f'<td data-label="Topics">{esc(", ".join(topics.get(t, t) for t in course.topics))}</td></tr>')


def _session_days(session) -> str:
    if session.end_date:
        return f"{_day_month_year(session.date)} to {_day_month_year(session.end_date)}"
    return _day_month_year(session.date)


@functools.lru_cache(maxsize=4096)
def _day_month_year(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- schema.org --------------------------------------------------------------------------------


def json_ld(courses: list, now: dt.datetime) -> str:
    """schema.org Course items (with CourseInstance per upcoming session) as JSON-LD."""
    graph = []
    for c in courses:
        item = {"@type": "Course", "@id": f"#course-{c.id}", "name": c.title,
                "provider": {"@type": "Organization", "name": c.provider},
                "isAccessibleForFree": (c.cost or "free").lower() == "free"}
        # No description: it is on the page already and would add a third to its weight.
        if safe_href(c.url):
            item["url"] = safe_href(c.url)
        mode = {"online": "online", "on-demand": "online", "in-person": "onsite",
                "hybrid": "blended"}[c.format]
        instances = []
        for s in upcoming_sessions(c, now) if not c.on_demand else ():
            inst = {"@type": "CourseInstance", "courseMode": mode,
                    "startDate": _iso(s.start), "endDate": _iso(s.end)}
            if c.location:
                inst["location"] = {"@type": "Place", "name": c.location}
            instances.append(inst)
        item["hasCourseInstance"] = instances or [{"@type": "CourseInstance", "courseMode": mode,
                                                  "courseWorkload": "Self-paced"}]
        graph.append(item)
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    # Inside <script>, "</script" would end the element: write every "<" as a JSON escape.
    data = data.replace("<", "\\u003c")
    return f'<script type="application/ld+json">{data}</script>'
