"""What a harvest did, per provider: printed, and as Markdown for the pull-request body."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

ZWSP = "\u200b"  # zero-width space


@dataclass
class Outcome:
    """One provider's result."""

    id: str
    name: str
    added: list[dict] = field(default_factory=list)
    duplicate: int = 0
    filtered: Counter = field(default_factory=Counter)  # reason -> count
    past: int = 0
    invalid: Counter = field(default_factory=Counter)  # reason -> count (items that failed validation)
    failed: str = ""  # why the whole provider failed (fetch or parse); "" if it did not
    not_modified: bool = False

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


def _reasons(counter: Counter) -> str:
    return "; ".join(f"{code(reason)} ({n})" for reason, n in sorted(counter.items()))


def _status(o: Outcome) -> str:
    return f"failed: {code(o.failed)}" if o.failed else o.status


def markdown(outcomes: list[Outcome], dry_run: bool, when: str) -> str:
    """The summary as Markdown (the pull request's description): a table of counts per
    provider, then the courses added. Every text that comes from a feed or a provider is an
    inline code span made by `code`; addresses are shown as code, never as links."""
    added = [c for o in outcomes for c in o.added]
    verb = "would add" if dry_run else "added"
    out = [f"## Training harvest, {when}", "",
           f"The harvester {verb} {len(added)} course(s) from {len(outcomes)} provider(s). "
           "The partnership signposts but cannot quality-assure third-party training: check each "
           "course below before merging.", "",
           "| provider | added | duplicate | filtered out | past | failed | status |",
           "|---|---:|---:|---:|---:|---:|---|"]
    for o in outcomes:
        failed = (1 if o.failed else 0) + sum(o.invalid.values())
        out.append(f"| {code(o.name)} ({code(o.id)}) | {len(o.added)} | {o.duplicate} | "
                   f"{sum(o.filtered.values())} | {o.past} | {failed} | {_status(o)} |")
    notes = [(o, "filtered out", o.filtered) for o in outcomes if o.filtered]
    notes += [(o, "invalid", o.invalid) for o in outcomes if o.invalid]
    if notes:
        out += ["", "### Reasons", ""]
        out += [f"- {code(o.id)} {what}: {_reasons(counter)}" for o, what, counter in notes]
    out += ["", "### Courses that would be added" if dry_run else "### Courses added", ""]
    if not added:
        out.append("None.")
    for course in added:
        first = course["sessions"][0]["date"].isoformat() if course.get("sessions") else "on demand"
        link = code(course["url"], 2000) if "url" in course else "no booking link"
        out.append(f"- {code(course['id'])}: {code(course['title'])} ({code(course['provider'])}, "
                   f"{first}, {course['format']}), {link}")
    return "\n".join(out) + "\n"


def text(outcomes: list[Outcome], dry_run: bool) -> str:
    """One line per provider, then the courses, for the terminal (feed text on one line)."""
    lines = []
    for o in outcomes:
        lines.append(f"{o.id}: {len(o.added)} added, {o.duplicate} duplicate, "
                     f"{sum(o.filtered.values())} filtered out, {o.past} past, "
                     f"{sum(o.invalid.values())} invalid; {one_line(o.status, 300)}")
    verb = "would add" if dry_run else "added"
    for o in outcomes:
        for course in o.added:
            lines.append(f"{verb} {course['id']} ({one_line(course['title'])})")
    return "\n".join(lines)
