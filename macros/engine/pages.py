"""The mkdocs-macros module (mkdocs.yml `macros: module_name: macros`): what pages are given.

Under MkDocs the site's plugin (macros/engine/mkdocs.py) has made this build's `Build`
already; under Zensical, which runs no MkDocs plugin, `define_env` makes it. Either way the
build is kept on the macros environment of this build, not in this module.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from macros.build import Build, BuildError
from macros.core import sandbox
from macros.data.newsletters import is_newsletter_page


def page_file(page) -> str | None:
    """The page's file inside docs_dir (Zensical's pages have no `file`: their URL then)."""
    file = getattr(page, "file", None)
    if file is not None:
        return file.src_uri
    return getattr(page, "url", None) if page is not None else None


def define_env(env) -> None:
    """Register the macros and variables pages use, from this build's data."""
    plugin = (env.conf.get("plugins") or {}).get("ssp-site")
    build = getattr(plugin, "build", None)
    if build is None:
        try:
            build = Build(env.conf)
        except BuildError as exc:
            raise PluginError(str(exc)) from None
    env.ssp_build = build
    build.page_url = lambda: (getattr(env.page, "url", "") or "") if env.page else ""
    build.page_file = lambda: page_file(env.page)
    env.variables.update(build.variables())
    for fn in build.macros():
        env.macro(fn, fn.__name__)


def on_pre_page_macros(env) -> None:
    """Before a page renders: in the sandbox (macros/core/sandbox.py); and a newsletter,
    written by forum members, is never rendered as a template at all."""
    sandbox.confine(env)
    src = page_file(env.page)
    if env.page is not None and src and is_newsletter_page(src.lstrip("/")):
        env.variables["page"].meta["render_macros"] = False
