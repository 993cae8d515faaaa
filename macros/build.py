"""One build of the site: its data, what its pages are given and the files made from it.

The flow: data files → `macros/data/` loads and checks them into frozen records → each
section (`macros/sections/`) gives the pages their macros and variables (`macros/render/`
makes the HTML) and makes its files (`macros/outputs/`) → the engine writes the site.

A `Build` is made once per build by the engine's seam (`macros/engine/`), and owns everything
that build knows: nothing in the library keeps state between builds. Nothing here knows
MkDocs: `conf` is any mapping with the keys of mkdocs.yml that matter (docs_dir, site_url,
site_name, use_directory_urls, extra).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from markupsafe import Markup

from macros.core import sandbox
from macros.core.contentfiles import content_file_problems
from macros.core.problems import DataError, Problem, guarded
from macros.core.settings import check_extra, is_placeholder_url, is_production, site_now, site_url_problems
from macros.data.topics import load_topics
from macros.render.templates import render
from macros.sections.cms import CmsSection
from macros.sections.contacts import ContactsSection
from macros.sections.newsletters import NewslettersSection
from macros.sections.reviews import ReviewsSection
from macros.sections.training import TrainingSection


class BuildError(Exception):
    """The build cannot go on: `str()` is the plain message, every problem on its own line."""

    def __init__(self, why: str, problems: list[Problem]):
        self.problems = problems
        super().__init__(why + ":\n" + "\n".join(f"  {p}" for p in problems))


class Build:
    """Everything one build of the site knows. Raises BuildError, with every problem found in
    every data file and setting, when the site cannot be built from them."""

    def __init__(self, conf: Mapping, *, defer_html: bool = False):
        self.extra: dict = dict(conf.get("extra") or {})
        self.docs_dir = Path(conf["docs_dir"])
        # A staged copy of content/ (the Zensical seam's), which also holds the files made from
        # the data: content/ itself was checked by the Build that staged it.
        self.staged = bool(conf.get("staged"))
        self.site_url: str = (conf.get("site_url") or "").rstrip("/")
        self.site_name: str = conf.get("site_name") or ""
        self.directory_urls = bool(conf.get("use_directory_urls", True))
        self.fixed_today = bool(os.environ.get("SITE_TODAY", "").strip())
        self.now: dt.datetime | None = None
        self.topics: dict[str, str] = {}
        # Set by the engine: the page being rendered (its URL, and its file inside docs_dir).
        self.page_url: Callable[[], str] = lambda: ""
        self.page_file: Callable[[], str | None] = lambda: None
        # Whether the engine puts deferred HTML into pages after Markdown (see `defer`).
        self.defer_html = defer_html
        self._slots: dict[str, Markup] = {}
        self.placeholders: list[Problem] = []
        self.contacts = ContactsSection(self)
        self.training = TrainingSection(self)
        self.newsletters = NewslettersSection(self)
        self.reviews = ReviewsSection(self)
        self.cms = CmsSection(self)
        self.sections = [self.contacts, self.training, self.newsletters, self.reviews, self.cms]
        self._load()

    def _load(self) -> None:
        errors, production = check_extra(self.extra)
        production += site_url_problems(self.site_url)
        problems = self.contacts.load()
        for what, load in (("data/topics.yaml", load_topics), ("SITE_TODAY", site_now)):
            try:
                value = guarded(what, load)
            except DataError as exc:
                problems += exc.problems
                continue
            if what == "SITE_TODAY":
                self.now = value
            else:
                self.topics = value
        for section in self.sections[1:]:
            problems += section.load()
        problems += sandbox.front_matter_problems(self.docs_dir)
        if not self.staged:
            problems += content_file_problems(self.docs_dir)
        if problems:
            raise BuildError("The data files have problems; nothing was published", problems)
        if errors:
            raise BuildError("The site settings have problems; nothing was published", errors)
        # In production, placeholders in the settings and contacts are reported with those
        # left in the pages, all in one run, once every page has been made (`finish`).
        self.held: list[Problem] = production + self.contacts.production_problems() + \
            self.cms.production_problems() if is_production() else []
        # Until the feedback form's address is known, pages say so instead of linking to the
        # placeholder (a production build refuses the placeholder: `held`).
        self.feedback_to_confirm = is_placeholder_url(str(self.extra["feedback"]["url"]))

    # --- what pages are given ---------------------------------------------------------------

    def macros(self) -> list[Callable]:
        """Every section's macros, and `tbc`."""
        return [fn for section in self.sections for fn in section.macros()] + [self.tbc]

    def variables(self) -> dict:
        out = {"site_now": self.now, "feedback_url": self.extra["feedback"]["url"],
               "feedback_to_confirm": self.feedback_to_confirm}
        for section in self.sections:
            out.update(section.variables())
        return out

    def to_root(self) -> str:
        """The relative path from the page being rendered to the site root ('../../')."""
        url = self.page_url().strip("/")
        if not url:
            return ""
        return "../" * (url.count("/") + (1 if self.directory_urls else 0))

    def defer(self, html: Markup) -> Markup:
        """`html`, or a placeholder for it that `finish_page` swaps back after Markdown.

        Macro output is Markdown input: a large calendar's finished HTML would be parsed again
        by Python-Markdown and then read by every plugin that reads a page's content (1.3 s
        at 5,000 courses, which would take that build past its budget: README, "How a large
        build stays fast").
        """
        if not self.defer_html:
            return html
        key = f"app-slot-{len(self._slots)}"
        self._slots[key] = html
        return Markup(f'<div data-app-slot="{key}"></div>')

    def tbc(self, what: str) -> Markup:
        """A fact still to be confirmed: shown as a marked placeholder; a production
        build fails while any remains."""
        self.placeholder(f"content/{self.page_file() or '?'}", what)
        return render("app-tbc.html", what=what)

    def placeholder(self, file: str, what: str, line: int = 0) -> None:
        """Note a fact still to be confirmed (a production build fails while any remains)."""
        self.placeholders.append(Problem(file, line, f"to be confirmed: {what}"))

    # --- what the engine is given -----------------------------------------------------------

    def files(self) -> dict[str, bytes | str]:
        """Files made from the data (path in the site -> content): feeds, calendars, JSON,
        search indexes, and the generated Markdown pages (reviews/<id>.md)."""
        out: dict[str, bytes | str] = {}
        for section in self.sections:
            out.update(section.files())
        return out

    def page_markdown(self, src_uri: str, markdown: str) -> tuple[str, dict]:
        """A page's Markdown after macros, and what to change in its metadata."""
        return self.newsletters.page_markdown(src_uri, markdown)

    def page_html(self, src_uri: str, html: str) -> str:
        """A page's HTML from Markdown (before the theme)."""
        return self.newsletters.page_html(src_uri, html)

    def finish_page(self, output: str) -> str:
        """A whole page as written: "Exit this page" first in <body>; the search dialog named;
        deferred HTML put in."""
        output = named_search_dialog(exit_link_first(output, self.extra["exit"]["url"]))
        for key in [k for k in self._slots if f'data-app-slot="{k}"' in output]:
            output = output.replace(f'<div data-app-slot="{key}"></div>', str(self._slots.pop(key)), 1)
        return output

    def finish(self, pages: list[Problem] | None = None) -> None:
        """After every page: in production, fail on any placeholder left in the settings, the
        contacts or a page (`pages`: those an engine found itself), every one listed."""
        held = self.held + (self.placeholders if pages is None else pages)
        if is_production() and held:
            raise BuildError("Pages still hold facts to be confirmed, or the settings and contacts "
                             "placeholders; fix every one before publishing (SITE_ENV=production)",
                             held)


def exit_link_first(output: str, url: str) -> str:
    """Make "Exit this page" the very first focusable element of the page.

    Material's template opens <body> with its own skip link and offers no block before it,
    so the GOV.UK pattern's secondary exit link is put in here rather than by copying
    Material's base template.
    """
    start = output.lower().find("<body")
    end = output.find(">", start) + 1 if start >= 0 else 0
    if not end:
        return output
    link = str(render("app-exit-link.html", url=url))
    return output[:end] + link + output[end:]


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def named_search_dialog(output: str) -> str:
    """Material's site search dialog given an accessible name (axe's aria-dialog-name, which
    Lighthouse's accessibility score counts): its partial gives it none, and copying the
    partial to add one would fork it."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search this site">', 1)
