"""The site's Python library, as an mkdocs-macros module.

This file only wires the library into MkDocs: `define_env` registers the macros and
variables that pages use; the work lives in the sibling modules.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from macros.core import sandbox
from macros.core.dates import is_upcoming, upcoming_sessions
from macros.core.settings import check_extra, is_production, site_now
from macros.core.validation import DataError, Problem, guarded
from macros.data import contacts as contacts_mod
from macros.data import training
from macros.outputs import feeds, search
from macros.render import training_page
from macros.render.html import esc
from macros.sections import SECTIONS

# Placeholders (`tbc` calls) met while rendering, checked after the build.
_PLACEHOLDERS: list[Problem] = []
# What the training files (feeds, search index) are made from, set by define_env.
_STATE: dict = {}
# Large blocks of HTML made by macros, put into the page after Markdown (see `deferred`).
_DEFERRED: dict[str, Markup] = {}


def deferred(html: Markup) -> Markup:
    """A placeholder for `html`, swapped in by the `on_post_page` hook.

    Macro output is Markdown input: a large calendar's finished HTML would be parsed again
    by Python-Markdown and then read by every plugin that reads a page's content (9 s of a
    12 s build at 5,000 courses, `make bench`).
    """
    key = f"app-slot-{len(_DEFERRED)}"
    _DEFERRED[key] = html
    return Markup(f'<div data-app-slot="{key}"></div>')


def fill_slots(html: str) -> str:
    """Put the deferred HTML where its placeholders are (called by the on_post_page hook)."""
    for key in [k for k in _DEFERRED if f'data-app-slot="{k}"' in html]:
        html = html.replace(f'<div data-app-slot="{key}"></div>', str(_DEFERRED.pop(key)), 1)
    return html


def placeholder(file: str, what: str, line: int = 0) -> None:
    """Note a fact still to be confirmed (a production build fails while any remains)."""
    _PLACEHOLDERS.append(Problem(file, line, f"to be confirmed: {what}"))


def on_pre_page_macros(env) -> None:
    """Before mkdocs-macros renders a page: it renders in the sandbox (macros/sandbox.py), and
    a newsletter, written by forum members, is never rendered as a template at all."""
    from macros.data.newsletters import is_newsletter_page

    sandbox.confine(env)
    if env.page is not None and is_newsletter_page(env.page.file.src_uri):
        env.variables["page"].meta["render_macros"] = False


def _fail(problems: list[Problem], why: str) -> PluginError:
    lines = "\n".join(f"  {p}" for p in problems)
    return PluginError(f"{why}:\n{lines}")


def define_env(env) -> None:
    """Load and validate the data, then register the macros pages use."""
    _PLACEHOLDERS.clear()
    _DEFERRED.clear()
    _STATE.clear()
    extra = env.conf.get("extra") or {}
    errors, production = check_extra(extra)
    problems: list[Problem] = []
    all_contacts, topics, courses, now = [], {}, [], None
    for load, what in ((contacts_mod.load_contacts, "data/contacts.yaml"),
                       (training.load_topics, "data/topics.yaml"), (site_now, "SITE_TODAY")):
        try:
            value = guarded(what, load)
        except DataError as exc:
            problems += exc.problems
            continue
        if load is contacts_mod.load_contacts:
            all_contacts = value
        elif load is training.load_topics:
            topics = value
        else:
            now = value
    if topics:
        try:
            courses = guarded("data/training.yaml and data/archive/",
                              lambda: training.load_courses(topics=topics))
        except DataError as exc:
            problems += exc.problems
    for section in SECTIONS:
        try:
            problems += guarded(f"the {section.__name__.rsplit('.', 1)[1]} data",
                                lambda: section.register(env, now))  # noqa: B023 (called at once)
        except DataError as exc:
            problems += exc.problems
    problems += sandbox.front_matter_problems(Path(env.conf["docs_dir"]))
    if problems:
        raise _fail(problems, "The data files have problems; nothing was published")
    if is_production():
        errors += production + contacts_mod.production_problems(all_contacts)
    if errors:
        raise _fail(errors, "The site settings have problems; nothing was published")

    env.variables["site_now"] = now
    site_url = (env.conf.get("site_url") or "").rstrip("/")
    _STATE.update(courses=courses, topics=topics, now=now, site_url=site_url)

    def to_root() -> str:
        """Relative path from the current page to the site root ('../../')."""
        depth = env.page.url.strip("/").count("/") + 1 if env.page and env.page.url.strip("/") else 0
        return "../" * depth
    env.variables["feedback_url"] = extra["feedback"]["url"]
    env.variables["contact_list"] = all_contacts

    @env.macro
    def contacts(audience: str | None = None, group: str | None = None,
                 heading_level: int = 3) -> Markup:
        """Contact cards from data/contacts.yaml, emergency first.

        `audience`: "children" or "adults" (default both); `group`: "emergency", "local"
        or "national" (default all).
        """
        return contacts_mod.render_contacts(
            contacts_mod.select(all_contacts, audience, group), heading_level)

    @env.macro
    def training_calendar() -> Markup:
        """The training calendar: upcoming courses by month, then on-demand, with search,
        filters and the calendar feeds. Its scripts are loaded by this page only."""
        root = to_root()
        fixed = bool(os.environ.get("SITE_TODAY", "").strip())
        html = training_page.calendar_html(courses, topics, now, fixed)
        scripts = Markup(f'<script src="{root}assets/js/vendor/lunr.min.js"></script>'
                         f'<script src="{root}assets/js/training.js"></script>')
        return deferred(Markup(html) + scripts)

    @env.macro
    def training_past() -> Markup:
        """Courses that have ended, by financial year, newest first."""
        return deferred(training_page.past_html(courses, topics, now))

    @env.macro
    def upcoming_courses(limit: int = 3) -> Markup:
        """The next few upcoming dated courses, as a short list (home page)."""
        soon = sorted((c for c in courses if not c.on_demand and is_upcoming(c, now)),
                      key=lambda c: upcoming_sessions(c, now)[0].start)[:limit]
        if not soon:
            return Markup("")
        items = [Markup('<li><a href="{}training/#course-{}">{}</a>: {}</li>').format(
            to_root(), c.id, c.title,
            training_page.session_text(upcoming_sessions(c, now)[0])) for c in soon]
        return Markup('<ul class="app-upcoming">') + Markup("").join(items) + Markup("</ul>")

    @env.macro
    def tbc(what: str) -> Markup:
        """A fact still to be confirmed: shown as a marked placeholder; a production
        build fails while any remains."""
        page = env.page.file.src_uri if env.page else "?"
        placeholder(f"content/{page}", what)
        return Markup('<span class="app-tbc"><strong>To be confirmed:</strong> ') + esc(what) + \
            Markup("</span>")


def on_post_build(env) -> None:
    """In production, fail on any placeholder left in a page."""
    if is_production() and _PLACEHOLDERS:
        raise _fail(_PLACEHOLDERS, "Pages still hold facts to be confirmed; fix them before "
                    "publishing (SITE_ENV=production)")


def generated_files() -> dict[str, bytes | str]:
    """Files built from the data beside the pages (path in the site -> content): the
    training calendar's feeds and search index, and the sections' files. The `on_files`
    hook adds them as MkDocs generated files, so links to them are checked and `mkdocs
    serve` serves them."""
    out: dict[str, bytes | str] = {}
    for section in SECTIONS:
        out.update(section.generated_files())
    if _STATE:
        try:
            out.update(training_files(**_STATE))
        except Exception as exc:  # data the site did not foresee: one line, not a traceback
            reason = " ".join(str(exc).strip().splitlines()[-1:])[:300]
            raise PluginError("The training calendar's feeds could not be made from "
                              f"data/training.yaml and data/archive/ ({reason}); nothing was "
                              "published") from None
    return out


def _dated_upcoming(courses, now) -> list:
    """The courses that get their own .ics file: upcoming, with sessions."""
    return [c for c in courses if is_upcoming(c, now) and not c.on_demand]


def _ics_path(course) -> str:
    return f"training/{course.id}.ics"


def training_files(courses, topics, now, site_url: str) -> Iterator[tuple[str, bytes | str]]:
    """The training calendar's feeds and search index (see macros/feeds.py, search.py), as
    (path in the site, content): a .ics file per upcoming dated course, then calendar.ics,
    courses.json, feed.xml and search-index.json."""
    page = f"{site_url}/training/" if site_url else "/training/"
    events: dict[str, bytes] = {}
    for course in _dated_upcoming(courses, now):
        yield _ics_path(course), feeds.course_ics(course, now, page, events)
    yield "training/calendar.ics", feeds.all_sessions_ics(courses, now, page, events)
    yield "training/courses.json", feeds.courses_json(courses, now, topics)
    yield "training/feed.xml", feeds.atom(courses, now, page if site_url else "./",
                                          f"{site_url}/training/feed.xml" if site_url else "feed.xml")
    yield "training/search-index.json", search.training_index(
        [c for c in courses if is_upcoming(c, now)], topics)
