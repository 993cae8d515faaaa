"""The mkdocs-macros module (mkdocs.yml `macros: module_name: macros`): what pages are given.

Under MkDocs the site's plugin (macros/engine/mkdocs.py) has made this build's `Build`
already; under Zensical, which runs no MkDocs plugin, `define_env` makes it. Either way the
build is kept on the macros environment of this build, not in this module.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs_macros.plugin import MacrosPlugin

from macros.build import Build, BuildError
from macros.core import sandbox
from macros.data.newsletters import is_newsletter_page


def page_file(page) -> str | None:
    """The page's file inside docs_dir (MkDocs: page.file.src_uri; Zensical: page.path)."""
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else getattr(page, "path", None)


def define_env(env) -> None:
    """Register the macros and variables pages use, from this build's data."""
    plugins = env.conf.get("plugins")
    build = getattr(plugins.get("ssp-site") if hasattr(plugins, "get") else None, "build", None)
    if build is None:  # Zensical: no plugin ran; it calls define_env for every page
        conf = dict(env.conf)
        conf["docs_dir"] = str(Path(conf.get("root_dir") or ".") / conf["docs_dir"])
        conf["staged"] = True  # build/zensical-docs/, staged by macros/engine/zensical.py
        try:
            build = Build(conf)
        except BuildError as exc:
            raise PluginError(str(exc)) from None
        on_pre_page_macros(env)  # which Zensical never calls
    env.ssp_build = build
    build.page_url = lambda: (getattr(env.page, "url", "") or "") if env.page else ""
    build.page_file = lambda: page_file(env.page)
    env.variables.update(build.variables())
    for fn in build.macros():
        env.macro(fn, fn.__name__)


def on_pre_page_macros(env) -> None:
    """Before a page renders: in the sandbox (macros/core/sandbox.py); and a newsletter,
    written by forum members, is never rendered as a template at all."""
    mkdocs_macros = isinstance(env, MacrosPlugin)
    if mkdocs_macros:  # (Zensical's own macros environment cannot be swapped for a sandbox)
        sandbox.confine(env)
    src = page_file(env.page)
    if env.page is not None and src and is_newsletter_page(src.lstrip("/")):
        (env.variables["page"] if mkdocs_macros else env.page).meta["render_macros"] = False
