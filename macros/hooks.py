"""MkDocs hooks (mkdocs.yml `hooks:`): thin seams between MkDocs and the library."""

from __future__ import annotations

import re

from markupsafe import escape
from mkdocs.structure.files import File

_BODY = re.compile(r"(<body[^>]*>)", re.IGNORECASE)


def on_post_page(output: str, page, config) -> str:
    """Make "Exit this page" the very first focusable element of every page.

    Material's template opens <body> with its own skip link and offers no block before it,
    so the GOV.UK pattern's secondary exit link is inserted here rather than by copying
    Material's base template.
    """
    url = escape(config["extra"]["exit"]["url"])
    link = (f'<a class="app-skip-link" href="{url}" data-app-exit-link rel="nofollow noreferrer">'
            "Exit this page</a>")
    import macros

    return macros.fill_slots(_BODY.sub(lambda m: m.group(1) + link, output, count=1))


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same for pages built from templates alone (404.html)."""
    if template_name.endswith(".html"):
        return on_post_page(output_content, None, config)
    return output_content


def on_files(files, config):
    """Add the files built from the data (feeds, search index, review pages) to the site."""
    import macros  # the mkdocs-macros module, loaded (and its data validated) in on_config

    for path, content in macros.generated_files().items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """A newsletter page starts with its title, the month it was sent and a link back to its
    forum (runs after mkdocs-macros: hooks come after the plugins)."""
    from macros.data import newsletters

    item = newsletters.newsletter_for(page.file.src_uri)
    if item is None:
        return markdown
    # The theme writes these into <title> and <meta content="..."> without escaping them.
    page.title = str(escape(item.title))
    page.meta["description"] = str(escape(item.summary))
    if item.to_confirm:
        import macros

        macros.placeholder(item.file, item.to_confirm)
    return newsletters.page_header(item) + markdown + newsletters.page_footer(item)


def on_page_content(html: str, page, config, files) -> str:
    """A newsletter's page, made HTML, is sanitised to an allow-list (macros.newsletters.sanitise):
    forum members write newsletters, and nothing they write may run in a reader's browser."""
    from macros.data import newsletters

    if newsletters.is_newsletter_page(page.file.src_uri):
        return newsletters.sanitise(html)
    return html
