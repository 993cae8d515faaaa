"""What a harvest did, per provider: printed, and as Markdown for the pull-request body."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reasons(counter: Counter) -> str:
    return "; ".join(f"{reason} ({n})" for reason, n in sorted(counter.items()))


def markdown(outcomes: list[Outcome], dry_run: bool, when: str) -> str:
    """The summary as Markdown: a table of counts per provider, then the courses added."""
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
        out.append(f"| {_cell(o.name)} (`{o.id}`) | {len(o.added)} | {o.duplicate} | "
                   f"{sum(o.filtered.values())} | {o.past} | {failed} | {_cell(o.status)} |")
    notes = [(o, "filtered out", o.filtered) for o in outcomes if o.filtered]
    notes += [(o, "invalid", o.invalid) for o in outcomes if o.invalid]
    if notes:
        out += ["", "### Reasons", ""]
        out += [f"- `{o.id}` {what}: {_cell(_reasons(counter))}" for o, what, counter in notes]
    out += ["", "### Courses that would be added" if dry_run else "### Courses added", ""]
    if not added:
        out.append("None.")
    for course in added:
        first = course["sessions"][0]["date"].isoformat() if course.get("sessions") else "on demand"
        link = course.get("url", "no booking link")
        out.append(f"- `{course['id']}`: {_cell(course['title'])} ({_cell(course['provider'])}, "
                   f"{first}, {course['format']}) <{link}>" if "url" in course else
                   f"- `{course['id']}`: {_cell(course['title'])} ({_cell(course['provider'])}, "
                   f"{first}, {course['format']}), {link}")
    return "\n".join(out) + "\n"


def text(outcomes: list[Outcome], dry_run: bool) -> str:
    """One line per provider, then the courses, for the terminal."""
    lines = []
    for o in outcomes:
        lines.append(f"{o.id}: {len(o.added)} added, {o.duplicate} duplicate, "
                     f"{sum(o.filtered.values())} filtered out, {o.past} past, "
                     f"{sum(o.invalid.values())} invalid; {o.status}")
    verb = "would add" if dry_run else "added"
    for o in outcomes:
        for course in o.added:
            lines.append(f"{verb} {course['id']} ({course['title']})")
    return "\n".join(lines)
