"""Appending harvested courses to data/training.yaml without touching anything else.

New courses are written as YAML text after the last line of the file, in the layout of the
hand-written entries (text in double quotes, so nothing in a feed can change the YAML's
structure). Every byte already in the file stays as it was. Before writing, the new text is
loaded again with the same validation as hand-written courses and compared with the old:
the courses that were there are unchanged and in the same order, and the new ones follow.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from macros.core.edit import replace_file
from macros.core.problems import DataError, Problem, relpath
from macros.core.schema import plain
from macros.core.yamlfile import load_yaml_text
from macros.data.training import load_courses

ORDER = ("id", "title", "provider", "url", "link_unknown", "description", "audience", "topics",
         "format", "location", "sessions", "added", "checked", "source")


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


def appended(text: str, courses: list[dict]) -> str:
    """`text` (data/training.yaml) with `courses` added after its last line."""
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
    blocks = [render(c, indent) for c in courses]
    sep = "\n" if items else ""
    return text + sep + "\n".join(blocks)


def invalid(live: Path, others: list[Path], text: str, topics: dict[str, str]) -> list[Problem]:
    """The problems of `text` as data/training.yaml (with `others`, the archive files)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / live.name
        path.write_text(text, encoding="utf-8")
        try:
            load_courses([path, *others], topics)
        except DataError as exc:
            return exc.problems
    return []


def verify(old: str, new: str, added: list[dict], live: Path) -> None:
    """Raise DataError unless `new` is `old` (every byte) followed by exactly `added`."""
    def records(text: str) -> list[str]:
        doc = load_yaml_text(text, relpath(live)) if text.strip() else None
        items = (doc.get("courses") if isinstance(doc, dict) else None) or []
        return [json.dumps(plain(item), ensure_ascii=False, sort_keys=True) for item in items]

    before, after = records(old), records(new)
    expected = before + [json.dumps(plain(c), ensure_ascii=False, sort_keys=True) for c in added]
    head = old.rstrip("\n")
    lines_kept = new.startswith(old) or new.startswith(old + "\n") or (
        new.startswith(head) and "courses:" in old)
    if after != expected or not lines_kept:
        raise DataError([Problem(relpath(live), 0, "the harvester could not add courses without "
                                 "changing the file's other entries, so nothing was written; "
                                 "please report this")])


def write(path: Path, text: str) -> None:
    """Replace the training file in one step, keeping its line endings (as prune does)."""
    replace_file(path, text, path)
