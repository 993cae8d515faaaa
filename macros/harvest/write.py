"""Appending harvested courses to data/training.yaml without touching anything else.

New courses are written as YAML text after the last line of the file, in the layout of the
hand-written entries (text in double quotes, so nothing in a feed can change the YAML's
structure). Every byte already in the file stays as it was. Before writing, the new courses
are loaded with the same validation as hand-written ones (`invalid`: the courses already in
the files were validated when the harvest began, and ids are kept unique by `dedupe`), and
the whole new text is read back and compared with the old (`verify`): the courses that were
there are unchanged and in the same order, and the new ones follow, exactly as meant. A file
may not grow past the 2 MB every data file is held to (`fitting`).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import yaml

from macros.core.edit import replace_file
from macros.core.problems import DataError, Problem, relpath
from macros.core.schema import plain
from macros.core.yamlfile import load_yaml_text
from macros.core.yamlsafety import MAX_FILE_BYTES
from macros.data.course import Course
from macros.data.training import load_courses

ORDER = ("id", "title", "provider", "url", "link_unknown", "description", "audience", "topics",
         "format", "location", "dates_unknown", "sessions", "added", "checked", "source", "notes")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def render(course: dict, indent: int = 2) -> str:
    """One course as YAML text, starting with `- id:` at `indent` spaces."""
    pad, inner = " " * indent, " " * (indent + 2)
    lines = []
    for key in ORDER:
        if key not in course:
            continue
        value = course[key]
        lead = f"{pad}- " if not lines else inner
        if key in ("audience", "topics"):
            lines.append(f"{lead}{key}: [{', '.join(value)}]")
        elif key == "sessions":
            lines.append(f"{lead}sessions:")
            for session in value:
                first = True
                for skey in ("date", "end_date", "time"):
                    if skey in session:
                        mark = "- " if first else "  "
                        lines.append(f"{inner}  {mark}{skey}: {_scalar(session[skey])}")
                        first = False
        elif key in ("id", "format", "source"):  # slugs and keywords: nothing to quote
            lines.append(f"{lead}{key}: {value}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _layout(text: str) -> tuple[str, int, bool]:
    """`text` (data/training.yaml) ready for courses to follow its last line, the indent of its
    courses, and whether it has any."""
    doc = load_yaml_text(text, "data/training.yaml") if text.strip() else None
    items = doc.get("courses") if isinstance(doc, dict) else None
    indent = 2
    if items:
        first = items.lc.item(0)[0]
        line = text.splitlines()[first]
        indent = len(line) - len(line.lstrip(" "))
        if not line.lstrip().startswith("-"):  # `-` on a line of its own above
            prev = text.splitlines()[first - 1]
            indent = len(prev) - len(prev.lstrip(" "))
    elif isinstance(doc, dict) and "courses" in doc:  # `courses:` or `courses: []`
        lines = text.splitlines(keepends=True)
        lines[doc.lc.key("courses")[0]] = "courses:\n"
        text = "".join(lines)
    elif doc is None:
        text += "courses:\n"
    if text and not text.endswith("\n"):
        text += "\n"
    return text, indent, bool(items)


def appended(text: str, courses: list[dict]) -> str:
    """`text` (data/training.yaml) with `courses` added after its last line."""
    text, indent, items = _layout(text)
    blocks = [render(c, indent) for c in courses]
    sep = "\n" if items else ""
    return text + sep + "\n".join(blocks)


def fitting(text: str, courses: list[dict], limit: int | None = None) -> int:
    """How many of `courses`, from the first, can follow `text` with the file still at most
    `limit` bytes (default MAX_FILE_BYTES, the size every data file is held to)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    head, indent, items = _layout(text)
    size = len(head.encode("utf-8")) + (1 if items else 0)
    for n, course in enumerate(courses):
        size += len(render(course, indent).encode("utf-8")) + (1 if n else 0)
        if size > limit:
            return n
    return len(courses)


def load_new(old: str, courses: list[dict], topics: dict[str, str]) -> list[Course]:
    """`courses` loaded back with the training validation, from exactly the text they will
    have in data/training.yaml (`old`) but in a file of their own; DataError lists every
    problem. (The courses already in the files were validated when the harvest began, and
    `dedupe` keeps ids unique.)"""
    _, indent, _ = _layout(old)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "training.yaml"
        path.write_text("courses:\n" + "\n".join(render(c, indent) for c in courses), encoding="utf-8")
        return load_courses([path], topics)


def _records(text: str, name: str) -> list[str]:
    """Each course of `text` as canonical JSON, read with libyaml (YAML 1.1, as the validator
    reads it)."""
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if text.strip() else None
    except (yaml.YAMLError, ValueError) as exc:
        reason = f"({type(exc).__name__}), so nothing was written; please report this"
        raise DataError([Problem(name, 0, f"the harvester made text it cannot read back {reason}")]) from None
    items = (doc.get("courses") if isinstance(doc, dict) else None) or []
    return [_json(item) for item in items]


def _json(record: dict) -> str:
    return json.dumps(plain(record), ensure_ascii=False, sort_keys=True)


def _as_written(course: Course) -> str:
    """A loaded course as the record `render` wrote for it (canonical JSON): its fields of
    ORDER, each as written (lists, sessions as mappings; false and absent left out)."""
    found = {}
    for key in ORDER:
        value = getattr(course, key, None)
        if key == "sessions":
            value = [{k: v for k, v in (("date", s.date), ("end_date", s.end_date), ("time", s.time))
                      if v is not None} for s in value or ()] or None
        elif isinstance(value, tuple):
            value = list(value)
        found[key] = None if value is False else value
    return _json({k: v for k, v in found.items() if v is not None})


def verify(old: str, new: str, added: list[dict], loaded: list[Course], live: Path) -> None:
    """Raise DataError unless `new` is `old` (every byte) followed by exactly `added`:
    the old text is kept; with the first new course after it, it reads as its own courses
    and that one (so the new text starts where the old ends); and every new course read
    back (`loaded`, by `load_new`, from the same text) is exactly the record meant."""
    head, indent, items = _layout(old)
    first = head + ("\n" if items else "") + render(added[0], indent)
    name = relpath(live)
    lines_kept = new.startswith(old) or new.startswith(old + "\n") or (
        new.startswith(old.rstrip("\n")) and "courses:" in old)
    boundary = new.startswith(first) and _records(first, name) == _records(old, name) + [_json(added[0])]
    by_id = {c.id: c for c in loaded}
    same = len(by_id) == len(added) and all(
        c["id"] in by_id and _as_written(by_id[c["id"]]) == _json(c) for c in added)
    if not (lines_kept and boundary and same):
        raise DataError([Problem(name, 0, "the harvester could not add courses without "
                                 "changing the file's other entries, so nothing was written; "
                                 "please report this")])


def write(path: Path, text: str) -> None:
    """Replace the training file in one step, keeping its line endings (as prune does)."""
    replace_file(path, text, path)
