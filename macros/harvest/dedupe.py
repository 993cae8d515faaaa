"""Is a harvested course already listed?

Two keys, checked against every training file (data/training.yaml and the archive) and the
courses accepted earlier in the same run:
1. the same canonical URL and the same first session date (on-demand: no date);
2. the same provider (its `source:` id or its name), a near-identical title (rapidfuzz
   ratio of the lower-cased, whitespace-folded titles >= 90) and the same session dates.
"""

from __future__ import annotations

import datetime as dt

from rapidfuzz import fuzz

from .text import canonical_url

SIMILAR = 90


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


class Seen:
    """The courses known so far, with lookups for both keys."""

    def __init__(self):
        self._links: set[tuple[str, dt.date | None]] = set()
        self._titles: dict[tuple[str, tuple], list[str]] = {}
        self.ids: set[str] = set()

    def add(self, ident: str, url: str | None, title: str, owners: tuple[str, ...],
            dates: tuple[dt.date, ...]) -> None:
        self.ids.add(ident)
        link = canonical_url(url) if url else None
        if link:
            self._links.add((link, dates[0] if dates else None))
        for owner in owners:
            self._titles.setdefault((owner, dates), []).append(_norm(title))

    def add_course(self, course) -> None:
        """A loaded training.Course."""
        owners = tuple(o for o in (course.source, course.provider.lower()) if o)
        self.add(course.id, course.url, course.title, owners, tuple(s.date for s in course.sessions))

    def add_new(self, course: dict) -> None:
        """A harvested course (a dict as written)."""
        self.add(course["id"], course.get("url"), course["title"], _owners(course), _dates(course))

    def is_duplicate(self, course: dict) -> bool:
        dates = _dates(course)
        url = course.get("url")
        if url and (url, dates[0] if dates else None) in self._links:
            return True
        title = _norm(course["title"])
        return any(fuzz.ratio(title, known) >= SIMILAR
                   for owner in _owners(course) for known in self._titles.get((owner, dates), ()))

    def free_id(self, ident: str) -> str:
        """`ident`, or `ident-2`, `ident-3`... when another course has it."""
        if ident not in self.ids:
            return ident
        n = 2
        while f"{ident}-{n}" in self.ids:
            n += 1
        return f"{ident}-{n}"


def _owners(course: dict) -> tuple[str, ...]:
    return (course["source"], course["provider"].lower())


def _dates(course: dict) -> tuple[dt.date, ...]:
    return tuple(s["date"] for s in course.get("sessions", ()))
