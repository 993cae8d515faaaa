"""The site's Python library, as an mkdocs-macros module.

This file only wires the library into MkDocs: `define_env` registers the macros and
variables that pages use; the work lives in the sibling modules.
"""

from __future__ import annotations

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from . import contacts as contacts_mod
from .html import esc
from .settings import check_extra, is_production, site_now
from .validation import DataError, Problem

# Placeholders (`tbc` calls) met while rendering, checked after the build.
_PLACEHOLDERS: list[Problem] = []


def _fail(problems: list[Problem], why: str) -> PluginError:
    lines = "\n".join(f"  {p}" for p in problems)
    return PluginError(f"{why}:\n{lines}")


def define_env(env) -> None:
    """Load and validate the data, then register the macros pages use."""
    _PLACEHOLDERS.clear()
    extra = env.conf.get("extra") or {}
    errors, production = check_extra(extra)
    try:
        all_contacts = contacts_mod.load_contacts()
        now = site_now()
    except DataError as exc:
        raise _fail(exc.problems, "The data files have problems; nothing was published") from None
    if is_production():
        errors += production + contacts_mod.production_problems(all_contacts)
    if errors:
        raise _fail(errors, "The site settings have problems; nothing was published")

    env.variables["site_now"] = now
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
    def tbc(what: str) -> Markup:
        """A fact still to be confirmed: shown as a marked placeholder; a production
        build fails while any remains."""
        page = env.page.file.src_uri if env.page else "?"
        _PLACEHOLDERS.append(Problem(f"content/{page}", 0, f"to be confirmed: {what}"))
        return Markup('<span class="app-tbc"><strong>To be confirmed:</strong> ') + esc(what) + \
            Markup("</span>")


def on_post_build(env) -> None:
    """In production, any placeholder left in a page fails the build."""
    if is_production() and _PLACEHOLDERS:
        raise _fail(_PLACEHOLDERS, "Pages still hold facts to be confirmed; fix them before "
                    "publishing (SITE_ENV=production)")
