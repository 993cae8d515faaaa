"""The build's settings: SITE_ENV, SITE_TODAY and checks on mkdocs.yml `extra`."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from macros.core.problems import DataError, Problem

LONDON = ZoneInfo("Europe/London")
PLACEHOLDER_HOSTS = (".invalid", ".example", "example.com", "example.org", "example.net")


def is_production() -> bool:
    return os.environ.get("SITE_ENV", "").strip().lower() == "production"


def site_now() -> dt.datetime:
    """The build's "now" in Europe/London: SITE_TODAY (YYYY-MM-DD[THH:MM]) or the real clock."""
    raw = os.environ.get("SITE_TODAY", "").strip()
    if not raw:
        return dt.datetime.now(LONDON)
    try:
        if "T" in raw or " " in raw:
            value = dt.datetime.fromisoformat(raw.replace(" ", "T"))
        else:
            value = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(0, 0))
    except ValueError:
        raise DataError([Problem("SITE_TODAY", 0, f"'{raw}' is not a date: write YYYY-MM-DD "
                                 "or YYYY-MM-DDTHH:MM, e.g. SITE_TODAY=2022-12-01")]) from None
    return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)


def is_placeholder_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h.lstrip(".") or host.endswith(h) for h in PLACEHOLDER_HOSTS)


def site_url_problems(site_url: str) -> list[Problem]:
    """Problems with mkdocs.yml `site_url` for a production build: calendars and feeds are
    read outside the site (a calendar app, a feed reader), so their links must be absolute."""
    url = (site_url or "").strip()
    how = ("write the address the site is published at, starting https://, e.g. site_url: "
           "https://www.example.org/ (calendars and feeds link to the site with it)")
    if not url:
        return [Problem("mkdocs.yml", 0, f"is empty; {how}", "", "site_url")]
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return [Problem("mkdocs.yml", 0, f"'{url}' must be a full https:// address; {how}", "", "site_url")]
    if is_placeholder_url(url):
        return [Problem("mkdocs.yml", 0, f"'{url}' is a placeholder; {how}", "", "site_url")]
    return []


def check_extra(extra: dict) -> tuple[list[Problem], list[Problem]]:
    """Problems with mkdocs.yml `extra`: (always errors, errors only in production)."""
    errors: list[Problem] = []
    production: list[Problem] = []
    feedback = (extra.get("feedback") or {}).get("url") if isinstance(extra.get("feedback"), dict) else None
    if not feedback:
        errors.append(Problem("mkdocs.yml", 0, "is missing: add the feedback form's address under "
                              "extra: feedback: url: https://...", "extra.feedback", "url"))
    elif urlsplit(str(feedback)).scheme != "https" or not urlsplit(str(feedback)).netloc:
        errors.append(Problem("mkdocs.yml", 0, f"'{feedback}' must be a full https:// address",
                              "extra.feedback", "url"))
    elif is_placeholder_url(str(feedback)):
        production.append(Problem("mkdocs.yml", 0, f"'{feedback}' is a placeholder: write the real "
                                  "feedback form's address", "extra.feedback", "url"))
    exit_url = (extra.get("exit") or {}).get("url") if isinstance(extra.get("exit"), dict) else None
    if not exit_url or urlsplit(str(exit_url)).scheme != "https":
        errors.append(Problem("mkdocs.yml", 0, "must be the https:// address of a neutral site "
                              "(e.g. https://www.bbc.co.uk/weather)", "extra.exit", "url"))
    policy = " ".join(str(extra.get("content_security_policy") or "").split())
    needed = ("default-src 'self'", "object-src 'none'", "base-uri 'self'")
    script = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
    if not all(n in policy for n in needed) or "unsafe" in script or "script-src 'self'" not in policy:
        errors.append(Problem("mkdocs.yml", 0, "must keep default-src 'self', script-src 'self' (with "
                              "no 'unsafe-...'), object-src 'none' and base-uri 'self' (SECURITY.md)",
                              "extra.content_security_policy"))
    return errors, production
