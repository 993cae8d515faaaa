"""The weekly prune step: moves ended courses from data/training.yaml to the archive file of
the financial year of their last session (data/archive/training-YYYY-YY.yaml).

The files are edited as text, guided by the positions ruamel.yaml's round-trip loader gives
each course, so every byte not moved stays as it was: comments, key order, quotes, blank
lines, line endings (CRLF stays CRLF). A moved course takes the comments inside it and those
directly above it (no blank line between); a heading comment followed by a blank line stays.
The result is checked before anything is written: every course there before is there after,
once, unchanged, in the right file, or nothing is written at all.

A kill at any moment loses nothing: each file is replaced in one step (written beside it,
synced, renamed over it), the archives first, data/training.yaml last. A course a stopped
prune left in both, alike in every field, is moved for good by the next run; if the copies
differ, it stops and says which copy to delete (as `make validate` does).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros.core.dates import course_financial_year, has_ended
from macros.core.edit import TEMPORARY, replace_file, round_trip_yaml
from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.schema import plain
from macros.core.yamlfile import load_yaml
from macros.data.course import Course
from macros.data.topics import load_topics
from macros.data.training import load_courses, training_files

HEADER = """\
# yaml-language-server: $schema=../schema/training.schema.json
#
# Training courses whose last session ended in the financial year {year}
# (1 April {start} to 31 March {end}), moved here from data/training.yaml by the
# weekly prune step (`make prune`). The site reads this file too: it feeds the
# "past courses" page and the annual report. Correct an entry here if it is wrong;
# add new courses to data/training.yaml.

courses:
"""


@dataclass(frozen=True)
class Move:
    """A course leaving data/training.yaml for an archive file."""

    id: str
    title: str
    ended: dt.date | None  # the last day of its last session, or available_until
    year: str | None  # financial year, e.g. 2022-23
    archive: str  # repository-relative path of the archive file
    finished: bool = False  # a stopped prune had copied it there: only its removal was left


def prune(now: dt.datetime, dry_run: bool = False, root: Path = ROOT) -> list[Move]:
    """Move every ended course of data/training.yaml to its archive file, finishing the moves
    a stopped prune left undone; return the moves in the file's order (`dry_run`: only that).
    Raises DataError, changing nothing, when any training file (or data/topics.yaml) has a
    problem, or when the result would not hold exactly the courses there were before."""
    files = training_files(root)
    live = files[0]
    courses, copied = _load(files, load_topics(root / "data" / "topics.yaml"))
    # Only what is over moves: a course without dates that nobody has confirmed for 12 months
    # (`no_longer_confirmed`) stays, so that checking it again is one edit in this file.
    ended = [(c, None) for c in courses if c.file == relpath(live) and has_ended(c, now)
             and course_financial_year(c)]
    # A course a stopped prune had copied to an archive goes to that copy's file.
    moves = [Move(c.id, c.title, _ended(c), course_financial_year(c),
                  copy.file if copy else relpath(_archive(root, course_financial_year(c))), bool(copy))
             for c, copy in sorted(ended + copied, key=lambda pair: pair[0].line)]
    if not dry_run:
        _remove_temporary_files(files)
    if not moves:
        return []
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    new = _moved_texts(texts, live, [c for c, _ in ended], {c.id for c, _ in copied}, root)
    _check_nothing_lost(texts, new, live, moves)
    if not dry_run:
        for path in sorted(new, key=lambda p: p == live):  # archives first: never lose a course
            if new[path] != texts.get(path):  # a new archive takes data/training.yaml's newlines
                replace_file(path, new[path], path if path in texts else live)
    return moves


def _load(files: list[Path], topics: dict[str, str]) -> tuple[list[Course], list[tuple[Course, Course]]]:
    """Every course once, and (copy in data/training.yaml, copy in an archive) of each course a
    stopped prune left in both; DataError if a file has a problem or a course's copies differ."""
    try:
        return load_courses(files, topics), []
    except DataError as exc:
        error = exc
    try:  # each file alone is sound: the only problems are courses in both
        live, archived = load_courses(files[:1], topics), load_courses(files[1:], topics)
    except DataError:
        raise error from None
    archive_copy = {c.id: c for c in archived}
    pairs = [(c, archive_copy[c.id]) for c in live if c.id in archive_copy]
    same = [(c, a) for c, a in pairs if _content(c) == _content(a)]
    if not pairs or len(same) < len(pairs):  # finishable ones are finished once the rest are fixed
        finishable = {(c.file, c.line) for c, _ in same}
        raise DataError([p for p in error.problems if (p.file, p.line) not in finishable]) from None
    return archived + [c for c in live if c.id not in archive_copy], same


def _content(course: Course) -> Course:
    """The course without where it is written (file and lines), to compare two copies."""
    return dataclasses.replace(course, file="", line=0,
                               sessions=tuple(dataclasses.replace(s, line=0) for s in course.sessions))


def _ended(course: Course) -> dt.date | None:
    if course.on_demand:
        return course.available_until
    last = max(course.sessions, key=lambda s: s.end_at)
    return last.end_date or last.date


def _archive(root: Path, year: str) -> Path:
    return root / "data" / "archive" / f"training-{year}.yaml"


def _remove_temporary_files(files: list[Path]) -> None:
    """Remove the half-written files a prune killed while writing left behind."""
    for folder in {files[0].parent, files[0].parent / "archive"}:
        for leftover in folder.glob(TEMPORARY.format("training*.yaml")):
            leftover.unlink()


# --- text surgery ---------------------------------------------------------------------------


def _spans(text: str, doc: Any) -> dict[str, tuple[int, int]]:
    """Course id -> (first line, line after its last line), 0-based: from the comment lines
    directly above its `-` (no blank line between, not indented deeper than the `-`) to its
    last line of content or of comment indented deeper than the `-`. So a comment about a
    course moves with it; a heading comment followed by a blank line stays where it is."""
    lines = text.splitlines(keepends=True)
    items = doc["courses"] or []
    dashes = []
    for i in range(len(items)):
        line = items.lc.item(i)[0]
        while not lines[line].lstrip().startswith("-"):  # "-" alone, the fields below it
            line -= 1
        dashes.append(line)
    begins = []
    for dash in dashes:
        begin = dash
        while begin > 0 and _comment(lines[begin - 1]) and _indent(lines[begin - 1]) <= _indent(lines[dash]):
            begin -= 1
        begins.append(begin)
    spans = {}
    for i, item in enumerate(items):
        end = begins[i + 1] if i + 1 < len(begins) else len(lines)
        deeper = _indent(lines[dashes[i]])
        while end > dashes[i] + 1 and (not lines[end - 1].strip() or (
                _comment(lines[end - 1]) and _indent(lines[end - 1]) <= deeper)):
            end -= 1
        spans[item["id"]] = (begins[i], end)
    return spans


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _without(lines: list[str], drop: set[int]) -> str:
    """`lines` less the dropped ones; where a removed course sat between two blank lines, one
    of them goes too, and so do blank lines left at the end of the file."""
    kept: list[str] = []
    n = 0
    while n < len(lines):
        if n not in drop:
            kept.append(lines[n])
            n += 1
            continue
        while n in drop:
            n += 1
        if n == len(lines):  # the file ended with removed courses: no blank line at its end
            while kept and not kept[-1].strip():
                kept.pop()
        elif kept and not kept[-1].strip() and not lines[n].strip():
            n += 1
    return "".join(kept)


def _moved_texts(texts: dict[Path, str], live: Path, ended: list[Course], copied: set[str],
                 root: Path) -> dict[Path, str]:
    """The new text of data/training.yaml (without the ended courses and the `copied` ones,
    already in an archive) and of each archive file that receives courses."""
    lines = texts[live].splitlines(keepends=True)
    spans = _spans(texts[live], load_yaml(live))
    blocks: dict[str, list[list[str]]] = {}
    drop: set[int] = set()
    for course in sorted(ended, key=lambda c: spans[c.id]):
        begin, end = spans[course.id]
        block = lines[begin:end]
        block[-1] = block[-1] if block[-1].endswith("\n") else block[-1] + "\n"
        blocks.setdefault(course_financial_year(course), []).append(block)
        drop.update(range(begin, end))
    for ident in copied:
        drop.update(range(*spans[ident]))
    new = {live: _without(lines, drop)}
    for year, year_blocks in blocks.items():
        path = _archive(root, year)
        new[path] = _append(texts.get(path), year, year_blocks)
    return new


_EMPTY_LIST = re.compile(r"^(courses:)(?:[ \t]*(?:\[[ \t]*\]|~|null))?([ \t]*(?:#.*)?)$")


def _append(text: str | None, year: str, blocks: list[list[str]]) -> str:
    """An archive file's text with `blocks` (courses as lines) added after its last course."""
    dash = None
    if text is None:
        start = int(year[:4])
        text, has_items = HEADER.format(year=year, start=start, end=start + 1), False
    else:
        doc = round_trip_yaml().load(text)
        items = doc.get("courses") if isinstance(doc, dict) else None
        has_items = bool(items)
        if has_items:
            dash = _indent(text.splitlines()[items.lc.item(0)[0]])
        else:  # `courses:` or `courses: []`: the list starts now; a comment there stays
            lines = text.splitlines(keepends=True)
            at = doc.lc.key("courses")[0]
            lines[at] = _EMPTY_LIST.sub(r"\1\2", lines[at].rstrip("\n")) + "\n"
            text = "".join(lines)
        text = text if text.endswith("\n") else text + "\n"
    for block in blocks:
        first = next(line for line in block if not _comment(line))
        shift = 0 if dash is None else dash - _indent(first)
        text += ("\n" if has_items else "") + "".join(_shift(line, shift) for line in block)
        has_items = True
    return text


def _shift(line: str, by: int) -> str:
    if by > 0 and line.strip():
        return " " * by + line
    if by < 0 and _indent(line) >= -by:
        return line[-by:]
    return line


# --- the safety check ----------------------------------------------------------------------


def _records(text: str | None, leave_out: frozenset[str] = frozenset()) -> Counter:
    doc = round_trip_yaml().load(text) if text else None
    items = (doc.get("courses") if isinstance(doc, dict) else None) or []
    return Counter(json.dumps(plain(item), ensure_ascii=False) for item in items
                   if item.get("id") not in leave_out)


def _check_nothing_lost(before: dict[Path, str], after: dict[Path, str], live: Path,
                        moves: list[Move]) -> None:
    """Raise DataError unless every course is in `after` once, unchanged, where it belongs
    (a finished move's copy in data/training.yaml is the one that goes)."""
    paths = set(before) | set(after)
    copied = frozenset(m.id for m in moves if m.finished)
    old = sum((_records(before.get(p), copied if p == live else frozenset()) for p in paths), Counter())
    new = sum((_records(after.get(p, before.get(p))) for p in paths), Counter())

    def ids(path: Path) -> set[str]:
        return {json.loads(r)["id"] for r in _records(after.get(path, before.get(path)))}

    by_path = {relpath(p): p for p in paths}
    misplaced = [m for m in moves if m.id in ids(live) or m.id not in ids(by_path[m.archive])]
    if old != new or misplaced:
        raise DataError([Problem(relpath(live), 0, "prune could not move the ended courses without "
                                 "changing them, so nothing was changed; please report this")])
