"""The site's components as Jinja templates: overrides/partials/app-<component>.html.

Python prepares each template's context (records, sorted and grouped, labels, checked web
addresses, dates as text); the template writes the markup. Autoescaping is on, so every value
from the data is escaped; only a `Markup` made here in Python (an already rendered component,
the limited Markdown of a review) goes in as it is. Undefined names are errors.

The templates sit in the theme's custom_dir but only this module renders them. Zensical, the
second engine, reads custom_dir with MiniJinja: the templates stay plain Jinja (attribute
access, builtin filters), no Python method calls.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

PARTIALS = Path(__file__).resolve().parents[2] / "overrides" / "partials"


@functools.cache
def environment() -> jinja2.Environment:
    """The library's one Jinja environment (made once per process)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PARTIALS), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=False)


def render(name: str, **context) -> Markup:
    """The template `name` (e.g. "app-contact-card.html") rendered with `context`."""
    return Markup(environment().get_template(name).render(**context))
