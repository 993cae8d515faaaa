"""The training calendar (data/training.yaml and data/archive/): its macros, and its
calendars, JSON, Atom feed and search index."""

from __future__ import annotations

from markupsafe import Markup

from macros.core.problems import DataError, Problem, guarded
from macros.data import training as data
from macros.data.course import Course
from macros.outputs import feeds
from macros.render import training_page
from macros.render.templates import render


class TrainingSection:
    def __init__(self, build):
        self.build = build
        self.courses: list[Course] = []

    def load(self) -> list[Problem]:
        """The courses; not tried when data/topics.yaml failed (its own problem says why)."""
        if not self.build.topics:
            return []
        try:
            self.courses = guarded("data/training.yaml and data/archive/",
                                   lambda: data.load_courses(topics=self.build.topics))
        except DataError as exc:
            return list(exc.problems)
        return []

    def macros(self) -> list:
        build, courses = self.build, self.courses

        def training_calendar() -> Markup:
            """The training calendar: upcoming courses by month, then on-demand, with search,
            filters and the calendar feeds. Its scripts are loaded by this page only."""
            html = training_page.calendar_html(courses, build.topics, build.now, build.fixed_today)
            return build.defer(html + render("app-page-scripts.html", to_root=build.to_root(),
                                             scripts=["vendor/lunr.min.js", "training.js"]))

        def training_past() -> Markup:
            """Courses that have ended, by financial year, newest first."""
            return build.defer(training_page.past_html(courses, build.topics, build.now))

        def upcoming_courses(limit: int = 3) -> Markup:
            """The next few upcoming dated courses, as a short list (home page)."""
            return training_page.upcoming_html(courses, build.now, build.to_root(), limit)

        return [training_calendar, training_past, upcoming_courses]

    def variables(self) -> dict:
        return {}

    def files(self) -> dict[str, bytes | str]:
        return feeds.training_outputs(self.courses, self.build.topics, self.build.now,
                                      self.build.site_url)
