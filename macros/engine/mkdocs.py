"""The MkDocs seam: the site's plugin (`ssp-site`, an entry point in pyproject.toml).

It owns this build's `Build` (macros/build.py), made in `on_config` before mkdocs-macros
registers the macros (macros/engine/pages.py), and hands MkDocs what the library makes:
generated files as `File.generated`, newsletter pages' header and sanitised HTML, and every
page finished as it is written ("Exit this page" first; the deferred HTML put in).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from macros.build import Build, BuildError


class SitePlugin(BasePlugin):
    """One `Build` per build, on `self`; nothing kept between builds (`mkdocs serve`)."""

    def __init__(self):
        super().__init__()
        self.build: Build | None = None

    @event_priority(100)  # before mkdocs-macros' on_config, which calls define_env
    def on_config(self, config):
        try:
            self.build = Build(config, defer_html=True)
        except BuildError as exc:
            raise PluginError(str(exc)) from None
        # The theme's footer (overrides/partials/app-footer.html) reads it from the config.
        config.extra["feedback"]["to_confirm"] = self.build.feedback_to_confirm
        return config

    def on_files(self, files, config):
        """Add the files made from the data (feeds, calendars, review pages) to the site, so
        links to them are checked and `mkdocs serve` serves them."""
        try:
            made = self.build.files()
        except Exception as exc:  # data the library did not foresee: one line, not a traceback
            reason = " ".join(str(exc).strip().splitlines()[-1:])[:300]
            raise PluginError("The files made from the data (calendars, feeds, review pages) "
                              f"could not be made ({reason}); nothing was published") from None
        for path, content in made.items():
            files.append(File.generated(config, path, content=content))
        return files

    @event_priority(-100)  # after mkdocs-macros has rendered the page
    def on_page_markdown(self, markdown, page, config, files):
        markdown, meta = self.build.page_markdown(page.file.src_uri, markdown)
        if "title" in meta:
            page.title = meta["title"]
        if "description" in meta:
            page.meta["description"] = meta["description"]
        return markdown

    def on_page_content(self, html, page, config, files):
        return self.build.page_html(page.file.src_uri, html)

    def on_post_page(self, output, page, config):
        return self.build.finish_page(output)

    def on_post_template(self, output_content, template_name, config):
        """Pages made from a template alone (404.html) get "Exit this page" too."""
        if template_name.endswith(".html"):
            return self.build.finish_page(output_content)
        return output_content

    def on_post_build(self, config):
        try:
            self.build.finish()
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, error):
        self.build = None

    def on_shutdown(self):
        self.build = None
