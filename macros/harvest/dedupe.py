"""Is a harvested course already listed?

Two keys, checked against every training file (data/training.yaml and the archive) and the
courses accepted earlier in the same run:
1. the same canonical URL and a session date in common (on-demand: no date). A listing
   page that stands in for a missing link (`pages`) is shared by many courses: never a key.
2. the same provider (its `source:` id or its name), a session in common (the same date
   and the same start time; on-demand: none) and a near-identical title: the same words
   once lower-cased and stripped of punctuation, or a rapidfuzz ratio >= 90 - but only
   between titles with the same numbers and levels ("Level 1" and "Level 2", "Session 3"
   and "Session 4", "Part A" and "Part B", "introductory" and "advanced" are different
   courses, however alike the rest).
An item with no date (proposed as dates to be confirmed, or on-demand) is also a duplicate
of a course with its link, or of the same provider's course with the same title (the same
words), on any date: once a person has found the dates of a course proposed without them
and written its sessions, the feed's undated item is that course, not a new one.

A course from a repeating event that is proposed again for its next 12 months, once the
dates listed before have passed, is not a duplicate (no date in common): `earlier` names the
course it follows (the same provider and title, its last date before the new first one), so
its notes and the summary can say so.

Both are looked up in indexes, never by comparing each course with every other: links by
(URL, date), titles by (provider, date, start time, numbers and levels), where an exact
title is a set lookup and the fuzzy ratio is computed only against the few titles in the
same slot. `comparisons` counts those ratios (the benchmark and the tests read it).
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz, process

from .text import canonical_url

SIMILAR = 90
_LEVEL_WORDS = ("level", "part", "module", "session", "stage", "unit", "step", "day", "week", "year",
                "phase", "tier", "block", "cohort", "group", "book", "chapter", "volume", "version")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS.update({w: str(i) for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split())})
_ROMAN = {r: str(i) for i, r in enumerate("- i ii iii iv v vi vii viii ix x xi xii".split()) if i}
_GRADES = {"introductory", "introduction", "foundation", "basic", "beginners", "intermediate",
           "advanced", "enhanced", "specialist", "refresher", "higher", "masterclass"}
_AFTER_LEVEL = re.compile(r"\b(?:" + "|".join(_LEVEL_WORDS) + r")s?\s+([a-z]|[ivx]+)\b")

Slot = tuple[dt.date | None, str | None]  # (date, start "HH:MM"); (None, None) for on-demand


def _norm(title: str) -> str:
    """The words of a title, lower case, without punctuation: "Domestic Abuse – An Overview"
    and "domestic abuse - an overview" are the same."""
    return " ".join(re.findall(r"\w+", title.lower().replace("&", " and ")))


def markers(title: str) -> tuple[str, ...]:
    """The numbers and levels of a title (sorted, each once): digits, number words, Roman
    numerals and letters after "level", "part", "module"..., and grade words."""
    words = _norm(title)
    found = {str(int(d)) for d in re.findall(r"\d+", words) if len(d) < 10}
    for word in words.split():
        if word in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[word])
        elif word in _GRADES:
            found.add(word)
    for mark in _AFTER_LEVEL.findall(words):
        found.add(_ROMAN.get(mark, mark))
    return tuple(sorted(found))


def _slots(sessions) -> set[Slot]:
    """(date, start time) of each session (dicts as written, or training.Session)."""
    slots = set()
    for s in sessions:
        date, time = (s["date"], s.get("time")) if isinstance(s, dict) else (s.date, s.time)
        slots.add((date, (time or "").split("-")[0] or None))
    return slots or {(None, None)}


class Seen:
    """The courses known so far, with lookups for both keys."""

    def __init__(self):
        self._links: set[tuple[str, dt.date | None]] = set()
        self._titles: dict[tuple, tuple[set[str], list[str]]] = {}  # (owner, slot, markers) -> titles
        self._any_links: set[str] = set()  # every link, on any date: for an item with no date
        # (owner, title's words) -> (last date, id) of each course with them, on any date
        self._any_titles: dict[tuple[str, str], list[tuple[dt.date | None, str]]] = {}
        self.pages: set[str] = set()  # listing pages standing in for missing links
        self.ids: set[str] = set()
        self._suffix: dict[str, int] = {}  # the last n given by free_id to each id
        self.comparisons = 0

    def add(self, ident: str, url: str | None, title: str, owners: tuple[str, ...], slots: set[Slot],
            canonical: bool = False) -> None:
        """One course; `canonical`: its url is canonical already (a harvested one)."""
        self.ids.add(ident)
        link = url if canonical else canonical_url(url) if url else None
        if link:
            self._links.update((link, date) for date, _ in slots)
            self._any_links.add(link)
        norm, marks = _norm(title), markers(title)
        last = max((date for date, _ in slots if date), default=None)
        for owner in owners:
            self._any_titles.setdefault((owner, norm), []).append((last, ident))
            for slot in slots:
                exact, fuzzy = self._titles.setdefault((owner, slot, marks), (set(), []))
                if norm not in exact:
                    exact.add(norm)
                    fuzzy.append(norm)

    def add_course(self, course) -> None:
        """A loaded training.Course."""
        owners = tuple(dict.fromkeys(o for o in (course.source, course.provider.lower()) if o))
        self.add(course.id, course.url, course.title, owners, _slots(course.sessions))

    def add_new(self, course: dict) -> None:
        """A harvested course (a dict as written)."""
        self.add(course["id"], course.get("url"), course["title"], _owners(course),
                 _slots(course.get("sessions", ())), canonical=True)

    def is_duplicate(self, course: dict) -> bool:
        slots = _slots(course.get("sessions", ()))
        url = course.get("url")
        if url and url not in self.pages and any((url, date) in self._links for date, _ in slots):
            return True
        norm, marks = _norm(course["title"]), markers(course["title"])
        if "sessions" not in course and (
                (url and url not in self.pages and url in self._any_links)
                or any((owner, norm) in self._any_titles for owner in _owners(course))):
            return True
        candidates: set[str] = set()
        for owner in _owners(course):
            for slot in slots:
                exact, fuzzy = self._titles.get((owner, slot, marks), ((), ()))
                if norm in exact:
                    return True
                candidates.update(fuzzy)
        if not candidates:
            return False
        self.comparisons += len(candidates)
        return process.extractOne(norm, candidates, scorer=fuzz.ratio, score_cutoff=SIMILAR) is not None

    def earlier(self, course: dict) -> tuple[str, dt.date] | None:
        """The id and last date of the latest course known from the same provider (its
        `source:` id) with the same title (the same words) whose dates all come before the
        first of `course`, if any."""
        if not course.get("sessions"):
            return None
        first = course["sessions"][0]["date"]
        known = self._any_titles.get((course["source"], _norm(course["title"])), ())
        last, ident = max(((d, i) for d, i in known if d is not None and d < first), default=(None, ""))
        return (ident, last) if last else None

    def free_id(self, ident: str) -> str:
        """`ident`, or `ident-2`, `ident-3`... when another course has it."""
        if ident not in self.ids:
            return ident
        n = self._suffix.get(ident, 1) + 1
        while f"{ident}-{n}" in self.ids:
            n += 1
        self._suffix[ident] = n
        return f"{ident}-{n}"


def _owners(course: dict) -> tuple[str, ...]:
    return tuple(dict.fromkeys((course["source"], course["provider"].lower())))
