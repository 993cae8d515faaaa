"""The forums' newsletters (content/forums/<forum>/newsletters/*.md): the lists on the forum
and home pages, each newsletter's page (its header, and its HTML sanitised: forum members
write newsletters, and nothing they write may run in a reader's browser) and the Atom feeds."""

from __future__ import annotations

from markupsafe import Markup, escape

from macros.core.problems import DataError, Problem, guarded
from macros.data import newsletters as data
from macros.render import newsletters as pages


class NewslettersSection:
    def __init__(self, build):
        self.build = build
        self.items: list[data.Newsletter] = []

    def load(self) -> list[Problem]:
        try:
            self.items = guarded("the newsletters data", data.load_newsletters)
        except DataError as exc:
            return list(exc.problems)
        return []

    def macros(self) -> list:
        build, items = self.build, self.items

        def newsletters(forum: str) -> Markup:
            """A forum's newsletters ("education" or "community"), newest first, each with its
            month and summary and a link to its page, then the link to the forum's Atom feed;
            "No newsletters yet." when there are none."""
            return pages.render_list(items, forum, build.to_root(), build.directory_urls)

        def latest_newsletters() -> Markup:
            """The latest newsletter of each forum (home page); nothing when there are none."""
            return pages.render_latest(items, build.to_root(), build.directory_urls)

        return [newsletters, latest_newsletters]

    def variables(self) -> dict:
        return {}

    def files(self) -> dict[str, bytes | str]:
        """Each forum's Atom feed: forums/<forum>/feed.xml."""
        return {f"forums/{forum}/feed.xml": data.atom(self.items, forum, self.build.site_url,
                                                      self.build.directory_urls)
                for forum in data.FORUMS}

    def page_markdown(self, src_uri: str, markdown: str) -> tuple[str, dict]:
        """A newsletter's page starts with its title, the month it was sent and a link back to
        its forum. Returns the Markdown and the page's title and description, escaped (the
        theme writes them into <title> and <meta content="..."> as they are)."""
        item = next((n for n in self.items if n.src_uri == src_uri), None)
        if item is None:
            return markdown, {}
        if item.to_confirm:
            self.build.placeholder(item.file, item.to_confirm)
        meta = {"title": str(escape(item.title)), "description": str(escape(item.summary))}
        return pages.page_header(item) + markdown + pages.page_footer(item), meta

    def page_html(self, src_uri: str, html: str) -> str:
        """A newsletter's page, made HTML, sanitised to an allow-list (pages.sanitise)."""
        return pages.sanitise(html) if data.is_newsletter_page(src_uri) else html
