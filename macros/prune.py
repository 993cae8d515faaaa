"""The weekly prune step: moves ended courses from data/training.yaml to the archive file of
the financial year of their last session (data/archive/training-YYYY-YY.yaml).

The files are edited as text, guided by the positions ruamel.yaml's round-trip loader
gives each course, so every byte that is not moved stays as it was: the business unit's
comments, key order, quotes and blank lines. A moved course takes with it the comments
inside it and those directly above it (no blank line between); a heading comment followed
by a blank line stays where it is. Before anything is written the result is loaded again
and compared with what was there: every course present before is present after, once,
unchanged, in the right file, or nothing is written at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dates import course_financial_year, is_upcoming
from .training import Course, load_courses, load_topics, training_files
from .validation import ROOT, DataError, Problem, load_yaml, plain, relpath, round_trip_yaml

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
    ended: dt.date  # the last day of its last session, or available_until
    year: str  # financial year, e.g. 2022-23
    archive: str  # repository-relative path of the archive file


def prune(now: dt.datetime, dry_run: bool = False, root: Path = ROOT) -> list[Move]:
    """Move every ended course of data/training.yaml to its archive file; return the moves.

    Raises DataError, changing nothing, when any training file (or data/topics.yaml) has a
    problem, or when the result would not hold exactly the courses there were before.
    With `dry_run`, only says what it would move.
    """
    files = training_files(root)
    live = files[0]
    courses = load_courses(files, load_topics(root / "data" / "topics.yaml"))
    ended = sorted((c for c in courses if c.file == relpath(live) and not is_upcoming(c, now)
                    and course_financial_year(c)), key=lambda c: c.line)
    moves = [Move(c.id, c.title, _ended(c), course_financial_year(c),
                  relpath(_archive(root, course_financial_year(c)))) for c in ended]
    if not moves:
        return []
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    new = _moved_texts(texts, live, ended, root)
    _check_nothing_lost(texts, new, live, moves)
    if not dry_run:
        for path in sorted(new, key=lambda p: p == live):  # archives first: never lose a course
            if new[path] != texts.get(path):
                _write(path, new[path])
    return moves


def _ended(course: Course) -> dt.date:
    if course.on_demand:
        return course.available_until
    last = max(course.sessions, key=lambda s: s.end_at)
    return last.end_date or last.date


def _archive(root: Path, year: str) -> Path:
    return root / "data" / "archive" / f"training-{year}.yaml"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- text surgery ---------------------------------------------------------------------------


def _spans(text: str, doc: Any) -> dict[str, tuple[int, int]]:
    """Course id -> (first line, line after its last line), 0-based.

    A course runs from the comment lines directly above its `-` (no blank line between, not
    indented deeper than the `-`) to its last line of content or of comment indented deeper
    than the `-`. So a comment about one course moves with it, and a heading comment
    followed by a blank line stays where it is.
    """
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


def _moved_texts(texts: dict[Path, str], live: Path, ended: list[Course], root: Path) -> dict[Path, str]:
    """The new text of data/training.yaml and of each archive file that receives courses."""
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
    new = {live: _without(lines, drop)}
    for year, year_blocks in blocks.items():
        path = _archive(root, year)
        new[path] = _append(texts.get(path), year, year_blocks)
    return new


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
        else:  # `courses:` or `courses: []`: the list starts now
            lines = text.splitlines(keepends=True)
            lines[doc.lc.key("courses")[0]] = "courses:\n"
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


def _records(text: str | None) -> Counter:
    doc = round_trip_yaml().load(text) if text else None
    items = (doc.get("courses") if isinstance(doc, dict) else None) or []
    return Counter(json.dumps(plain(item), ensure_ascii=False) for item in items)


def _check_nothing_lost(before: dict[Path, str], after: dict[Path, str], live: Path,
                        moves: list[Move]) -> None:
    paths = set(before) | set(after)
    old = sum((_records(before.get(p)) for p in paths), Counter())
    new = sum((_records(after.get(p, before.get(p))) for p in paths), Counter())

    def ids(path: Path) -> set[str]:
        return {json.loads(r)["id"] for r in _records(after.get(path, before.get(path)))}

    by_path = {relpath(p): p for p in paths}
    misplaced = [m for m in moves if m.id in ids(live) or m.id not in ids(by_path[m.archive])]
    if old != new or misplaced:
        raise DataError([Problem(relpath(live), 0, "prune could not move the ended courses without "
                                 "changing them, so nothing was changed; please report this")])
