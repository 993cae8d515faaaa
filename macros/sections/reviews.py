"""The case review library (data/reviews.yaml): the `review_library()` macro, a generated
page per review with its 7-minute briefing, reviews.json and the Atom feed."""

from __future__ import annotations

from markupsafe import Markup

from macros.core.problems import DataError, Problem, guarded
from macros.data import reviews as data
from macros.outputs import reviews as outputs
from macros.render import reviews_page
from macros.render.templates import render


class ReviewsSection:
    def __init__(self, build):
        self.build = build
        self.items: list[data.Review] = []

    def load(self) -> list[Problem]:
        """The reviews; a broken data/topics.yaml (reported on its own) only turns the theme
        check off."""
        try:
            self.items = guarded("the reviews data", lambda: data.load_reviews(topics=self.build.topics))
        except DataError as exc:
            return list(exc.problems)
        return []

    def macros(self) -> list:
        build, items = self.build, self.items

        def review_library() -> Markup:
            """The case review library: every review, with filters by kind, wing, status, theme
            and year, counts and a text search (the list works without JavaScript)."""
            html = reviews_page.library_html(items, build.topics)
            return build.defer(html + render("app-page-scripts.html", to_root=build.to_root(),
                                             scripts=["reviews.js"]))

        return [review_library]

    def variables(self) -> dict:
        return {}

    def files(self) -> dict[str, bytes | str]:
        """A Markdown page per review (reviews/<id>/index.md: its folder is its address, so relative
        links read the same in every engine), reviews/reviews.json and reviews/feed.xml."""
        topics, now = self.build.topics, self.build.now
        base = f"{self.build.site_url}/reviews/" if self.build.site_url else ""
        out: dict[str, bytes | str] = {
            f"reviews/{r.id}/index.md": reviews_page.review_markdown(
                r, topics, base, self.build.site_name, now.date() if now else None)
            for r in self.items}
        out["reviews/reviews.json"] = outputs.reviews_json(self.items, topics, now)
        out["reviews/feed.xml"] = outputs.atom(self.items, now, base or "./",
                                               f"{base}feed.xml" if base else "feed.xml")
        return out
