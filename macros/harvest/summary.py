"""What a harvest did, per provider: printed, and as Markdown for the pull-request body.

Per provider: the courses added, the items skipped as duplicates, the items filtered out by
kind (paid, past, excluded words, impossible dates, other), each reason with its count, the
paid items named with what says they are not free, and why the provider failed, if it did.
Each course added says its first date, "dates not known" (an item listed with no date) or
"at any time" (its provider's `undated: on-demand`); one from a repeating event says when it
"goes on after" its last date listed, and which earlier course's "next dates" it is (`series`).
Lists are cut (the first LIST_MAX courses, PAID_MAX paid items) and say how many more there
are, so a harvest of 10,000 courses still makes a pull-request description GitHub accepts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

ZWSP = "\u200b"  # zero-width space
LIST_MAX = 100  # courses listed in the summary; the rest are counted
PAID_MAX = 20  # paid items named per provider
REASONS_MAX = 20  # reasons listed per provider and kind
KIND_LABELS = {"paid": "paid", "past": "past", "excluded": "excluded words",
               "impossible": "impossible dates", "other": "other"}


@dataclass
class Outcome:
    """One provider's result."""

    id: str
    name: str
    added: list[dict] = field(default_factory=list)
    duplicate: int = 0
    rejected: Counter = field(default_factory=Counter)  # (kind, reason) -> count; kinds: KIND_LABELS
    paid: list[tuple[str, str]] = field(default_factory=list)  # (title, what says so), the first PAID_MAX
    no_room: int = 0  # new courses not added: data/training.yaml would be over 2 MB
    failed: str = ""  # why the whole provider failed (fetch or parse); "" if it did not
    not_modified: bool = False
    page: str = ""  # the link given to its items that had none of their own
    # Courses from repeating events (`series`), by id: going on after their listed dates
    # ("yes" or "unknown"), and following an earlier course (its id and last date).
    continues: dict[str, str] = field(default_factory=dict)
    follows: dict[str, tuple[str, dt.date]] = field(default_factory=dict)
    dated_later: bool = False  # its listing has a repeating event with dates after the 12 months

    def reject(self, kind: str, reason: str, title: str = "", detail: str = "") -> None:
        self.rejected[(kind, reason)] += 1
        if kind == "paid" and len(self.paid) < PAID_MAX:
            self.paid.append((title, detail))

    def count(self, kind: str) -> int:
        return sum(n for (k, _), n in self.rejected.items() if k == kind)

    @property
    def filtered(self) -> int:
        return sum(self.rejected.values())

    @property
    def status(self) -> str:
        if self.failed:
            return f"failed: {self.failed}"
        if self.not_modified:
            return "not changed since the last run"
        return "ok"


_KEYWORD = re.compile(r"(?i)\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b")
_UNSEEN = {"C", "Z"}  # control, format, line and paragraph characters: folded to a space


def one_line(value: object, limit: int = 200) -> str:
    """`value` as one line: every control or separator character a space, whitespace folded,
    cut at `limit` characters (with "…")."""
    text = "".join(" " if unicodedata.category(c)[0] in _UNSEEN else c for c in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code(value: object, limit: int = 200) -> str:
    """`value` (text from a feed or a provider) as a Markdown inline code span that cannot
    mention anyone, refer to or close an issue, link or load anything, or end the span or a
    table cell: one line, at most `limit` characters, backticks made ' and pipes ¦, a
    zero-width space after each `@` and `#` and after the first letter of each GitHub
    closing keyword (close, fixes, resolved...)."""
    text = one_line(value, limit).replace("`", "'").replace("|", "¦")
    text = text.replace("@", "@" + ZWSP).replace("#", "#" + ZWSP)
    text = _KEYWORD.sub(lambda m: m.group(1)[0] + ZWSP + m.group(1)[1:], text)
    return f"`{text or ' '}`"


def _reasons(o: Outcome, kind: str) -> str:
    found = sorted((reason, n) for (k, reason), n in o.rejected.items() if k == kind)
    text = "; ".join(f"{code(reason)} ({n})" for reason, n in found[:REASONS_MAX])
    return text + (f"; and {len(found) - REASONS_MAX} more reasons" if len(found) > REASONS_MAX else "")


def _status(o: Outcome) -> str:
    return f"failed: {code(o.failed)}" if o.failed else o.status


def _more(shown: int, total: int) -> list[str]:
    return [f"- and {total - shown:,} more."] if total > shown else []


def markdown(outcomes: list[Outcome], dry_run: bool, when: str) -> str:
    """The summary as Markdown (the pull request's description): a table of counts per
    provider, the reasons, the paid items, then the courses added. Every text that comes
    from a feed or a provider is an inline code span made by `code`; addresses are shown as
    code, never as links."""
    added = [(o, c) for o in outcomes for c in o.added]
    verb = "would add" if dry_run else "added"
    out = [f"## Training harvest, {when}", "",
           f"The harvester {verb} {len(added):,} course(s) from {len(outcomes)} provider(s). "
           "The partnership signposts but cannot quality-assure third-party training: check each "
           "course below before merging.", ""]
    no_room = sum(o.no_room for o in outcomes)
    if no_room:
        out += [f"{no_room:,} more new course(s) were found but not added, because data/training.yaml "
                "may be at most 2 MB: a later run proposes them once there is room (`make prune` moves "
                "ended courses to the archive). " + ", ".join(
                    f"{code(o.id)}: {o.no_room:,}" for o in outcomes if o.no_room) + ".", ""]
    out += ["| provider | added | duplicate | " + " | ".join(KIND_LABELS.values()) + " | status |",
            "|---|---:|---:|" + "---:|" * len(KIND_LABELS) + "---|"]
    for o in outcomes:
        counts = " | ".join(str(o.count(kind)) for kind in KIND_LABELS)
        out.append(f"| {code(o.name)} ({code(o.id)}) | {len(o.added)} | {o.duplicate} | {counts} | "
                   f"{_status(o)} |")
    notes = [f"- {code(o.id)} {label}: {_reasons(o, kind)}"
             for o in outcomes for kind, label in KIND_LABELS.items() if o.count(kind)]
    if notes:
        out += ["", "### Filtered out, by reason", "", *notes]
    paid = [o for o in outcomes if o.paid]
    if paid:
        out += ["", "### Not free (filtered out): add one by hand if it is free after all", ""]
        for o in paid:
            out += [f"- {code(o.id)}: {code(title)}: {code(why)}" for title, why in o.paid]
            out += _more(len(o.paid), o.count("paid"))
    out += ["", "### Courses that would be added" if dry_run else "### Courses added", ""]
    undated = [o.id for o in outcomes if any(c.get("dates_unknown") for c in o.added)]
    if undated:
        out += ["A course marked \"dates not known\" was listed with no date: ask the provider and "
                "add its sessions. If it is e-learning that can be taken at any time, make it "
                "`format: on-demand` (without `dates_unknown:`), and if the provider's whole feed is, "
                "write `undated: on-demand` for the provider in data/providers.yaml (" +
                ", ".join(code(i) for i in undated) + ").", ""]
    out += _series_help(outcomes)
    if not added:
        out.append("None.")
    for o, course in added[:LIST_MAX]:
        first = course["sessions"][0]["date"].isoformat() if course.get("sessions") else \
            "dates not known" if course.get("dates_unknown") else "at any time"
        count = len(course.get("sessions", ()))
        many = f" and {count - 1} more session(s)" if count > 1 else ""
        link = code(course["url"], 2000) if "url" in course else "no booking link"
        if course.get("url") and course["url"] == o.page:
            link += " (the page it was listed on: the item had no usable link of its own)"
        out.append(f"- {code(course['id'])}: {code(course['title'])} ({code(course['provider'])}, "
                   f"{first}{many}, {course['format']}{_series(o, course)}), {link}")
    out += _more(min(len(added), LIST_MAX), len(added))
    return "\n".join(out) + "\n"


_SERIES_HELP = {
    "yes": "A course marked \"goes on after\" a date is a repeating event with more dates after the "
           "12 months listed: they are on the provider's page (the course's link), its notes say so, "
           "and a later harvest proposes the next dates once the listed ones have passed.",
    "unknown": "\"May go on after\": the calendar had too many repeating events for the harvester to "
               "check the later dates; look on the provider's page (the course's link).",
    "follows": "\"The next dates of\" an earlier course: the same repeating event, proposed again now "
               "that the dates listed before have passed; not a duplicate (its notes name the earlier "
               "course, now in the archive or about to be).",
}


def _series_help(outcomes: list[Outcome]) -> list[str]:
    """What the marks of courses from repeating events mean, for those the list has."""
    found = {state for o in outcomes for state in o.continues.values()}
    found |= {"follows"} if any(o.follows for o in outcomes) else set()
    text = " ".join(words for key, words in _SERIES_HELP.items() if key in found)
    return [text, ""] if text else []


def _series(o: Outcome, course: dict) -> str:
    """The marks of a course from a repeating event: which course it follows, and whether it
    goes on after its last date listed."""
    marks = []
    if course["id"] in o.follows:
        earlier, ended = o.follows[course["id"]]
        marks.append(f"the next dates of {code(earlier)} (ended {ended.isoformat()})")
    state = o.continues.get(course["id"])
    if state and course.get("sessions"):
        may = "may go on" if state == "unknown" else "goes on"
        marks.append(f"{may} after {course['sessions'][-1]['date'].isoformat()}")
    return "".join(f"; {mark}" for mark in marks)


def text(outcomes: list[Outcome], dry_run: bool) -> str:
    """One line per provider, then the first LIST_MAX courses, for the terminal (feed text on
    one line)."""
    lines = []
    for o in outcomes:
        kinds = ", ".join(f"{o.count(kind)} {label}" for kind, label in KIND_LABELS.items())
        room = f", {o.no_room:,} not added (data/training.yaml is full)" if o.no_room else ""
        lines.append(f"{o.id}: {len(o.added)} added, {o.duplicate} duplicate, {o.filtered} filtered out "
                     f"({kinds}){room}; {one_line(o.status, 300)}")
    verb = "would add" if dry_run else "added"
    added = [course for o in outcomes for course in o.added]
    for course in added[:LIST_MAX]:
        lines.append(f"{verb} {course['id']} ({one_line(course['title'])})")
    if len(added) > LIST_MAX:
        lines.append(f"and {len(added) - LIST_MAX:,} more.")
    return "\n".join(lines)
