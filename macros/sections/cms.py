"""The editor at /admin/ (Decap CMS): its page and its configuration, made from the schemas.

The editor's own files (Decap CMS and js-yaml, vendored from npm; the site's format and
widgets) are static files in overrides/admin/. This section adds the two made at each build:
`admin/index.html`, with the editor's own Content-Security-Policy, and `admin/config.yml`
(macros/outputs/cms.py). Neither is a page: not in the menu, the search or the sitemap.
In production the sign-in settings (mkdocs.yml `extra.cms`) must not be placeholders.
"""

from __future__ import annotations

import os

from macros.core.problems import Problem
from macros.core.settings import is_production
from macros.outputs import cms
from macros.render.templates import render

# What the editor may do beyond the public pages' policy (still no inline script, no other
# site's, and no code made from text: the site's build of Decap leaves out AJV), Decap CMS
# styles itself with inline <style> (emotion), talks to GitHub's API and shows the signed-in
# user's picture.
GITHUB = "https://api.github.com"
AVATARS = "https://avatars.githubusercontent.com"


def policy(production: bool, local_url: str = cms.PROXY_URL) -> str:
    """The editor's Content-Security-Policy: scripts from this site only, as on every page."""
    connect = ["'self'", GITHUB] + ([] if production else [local_url.split("/api/")[0]])
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {AVATARS}", "font-src 'self' data:",
        "connect-src " + " ".join(connect), "worker-src 'self' blob:", "frame-src 'self' blob:",
        "manifest-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"])


class CmsSection:
    def __init__(self, build):
        self.build = build

    @property
    def settings(self) -> dict:
        return dict(self.build.extra.get("cms") or {})

    def load(self) -> list[Problem]:
        return []

    def production_problems(self) -> list[Problem]:
        """The sign-in settings a published editor needs, while they are placeholders."""
        out = []
        for key, what in (("repo", "the repository on GitHub, written owner/name as in its address"),
                          ("auth_url", "the https:// address of the sign-in (OAuth) service")):
            value = str(self.settings.get(key, ""))
            if cms.placeholder(value):
                out.append(Problem("mkdocs.yml", 0, f"'{value}' is a placeholder: write {what} "
                                   "(README, \"Editing through forms\")", "extra.cms", key))
        return out

    def macros(self) -> list:
        return []

    def variables(self) -> dict:
        return {}

    def files(self) -> dict[str, bytes | str]:
        production = is_production()
        settings = self.settings
        settings["local_url"] = local_url(settings)
        page = render("app-admin.html", policy=policy(production, settings["local_url"]))
        return {"admin/index.html": str(page) + "\n",
                "admin/config.yml": cms.config_yaml(settings, production)}


def local_url(settings: dict) -> str:
    """decap-server's address for `make edit`: SITE_CMS_PROXY (set by scripts/edit.py), else
    mkdocs.yml's `extra.cms.local_url`, else 127.0.0.1:8081; only ever this computer's."""
    url = os.environ.get("SITE_CMS_PROXY", "").strip() or str(settings.get("local_url") or "")
    return url if url.startswith("http://127.0.0.1:") else cms.PROXY_URL
