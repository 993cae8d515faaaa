"""The training calendar's data: loads and validates data/training.yaml and the archive files
into frozen records (macros/data/course.py).

The schema (data/schema/training.schema.json) checks the shape; the rules for each course are
in macros/data/course_checks.py; this module checks that ids are unique across every training
file. Every problem of every file is collected before anything fails.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.records import record_name, top_level_problems
from macros.core.schema import describe, load_schema, schema_problems
from macros.core.yamlfile import load_yaml
from macros.core.yamllines import line_of
from macros.data.course import Course
from macros.data.course_checks import CourseCheck, check_course
from macros.data.topics import load_topics

TRAINING_FILE = ROOT / "data" / "training.yaml"
ARCHIVE_DIR = ROOT / "data" / "archive"
_SCHEMA = "training.schema.json"


def training_files(root: Path = ROOT) -> list[Path]:
    """data/training.yaml, then every data/archive/training-*.yaml in name order."""
    return [root / "data" / "training.yaml",
            *sorted((root / "data" / "archive").glob("training-*.yaml"))]


def load_courses(files: list[Path] | None = None, topics: dict[str, str] | None = None,
                 today: dt.date | None = None) -> list[Course]:
    """Every course of every training file, sorted by first session then title.

    Raises DataError listing every problem of every file (and of data/topics.yaml when
    `topics` is not given). With `today` (`make validate`: SITE_TODAY or the real date), a
    `checked:` after it is refused too; a build does not pass it, so a site built as it was
    on an earlier day (SITE_TODAY=2022-12-01) still reads courses checked since.
    """
    files = training_files() if files is None else files
    problems: list[Problem] = []
    if topics is None:
        try:
            topics = load_topics()
        except DataError as exc:
            problems += exc.problems
            topics = {}
    courses: list[Course] = []
    ids: list[tuple[str, str, int]] = []  # (id, file, line) of every course

    for path in files:
        try:
            courses_found, ids_found, problems_found = _load_file(path, topics, today)
        except DataError as exc:
            courses_found, ids_found, problems_found = [], [], exc.problems
        courses += courses_found
        ids += ids_found
        problems += problems_found
    problems += _duplicate_ids(ids, courses)
    if problems:
        raise DataError(problems)
    return sorted(courses, key=lambda c: (c.sessions[0].start_at if c.sessions else math.inf,
                                          c.title))


def _duplicate_ids(ids: list[tuple[str, str, int]], courses: list[Course]) -> list[Problem]:
    """A repeated id is reported where it is newest: archives are older than training.yaml.

    A course in training.yaml and in an archive, alike in every field, is one a prune was
    stopped while moving; if the two copies differ, the message says which one to delete.
    """
    def archived(file: str) -> bool:
        return Path(file).parent.name == "archive"

    def fields_of(file: str, line: int) -> dict[str, Any] | None:
        """The course's fields, without where it is written; None if it has a problem."""
        course = next((c for c in courses if (c.file, c.line) == (file, line)), None)
        if course is None:
            return None
        found = {k: v for k, v in vars(course).items() if k not in ("file", "line")}
        return found | {"sessions": [(s.date, s.end_date, s.time) for s in course.sessions]}

    order = sorted(ids, key=lambda t: (not archived(t[1]), t[1], t[2]))
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for ident, file, line in order:
        if ident in first:
            other = "{}:{}".format(*first[ident])
            message = f"the id is also used at {other}; give each course its own id"
            old, new = fields_of(*first[ident]), fields_of(file, line)
            if archived(first[ident][0]) and not archived(file) and old and new:
                differ = [k for k in new if new[k] != old[k]]
                message = (f"the same course is also in {other} (a prune was stopped while moving "
                           "it there): run make prune to finish moving it")
                if differ:
                    message = (f"the id is also used at {other}, where the course differs in "
                               f"{', '.join(differ)}: if it is the same course, keep the copy in "
                               f"{first[ident][0]} (bring any correction over to it) and delete this "
                               "one; if it is another course, give this one its own id")
            problems.append(Problem(file, line, message, f"course '{ident}'", "id"))
        first.setdefault(ident, (file, line))
    return problems


def _load_file(path: Path, topics: dict[str, str], today: dt.date | None
               ) -> tuple[list[Course], list, list[Problem]]:
    name = relpath(path)
    doc = load_yaml(path)
    problems = top_level_problems(doc, "courses", name, "courses")
    if problems:
        return [], [], problems
    schema = load_schema(_SCHEMA)

    def record_of(p: list) -> str:
        return record_name(doc, "courses", "id", "course", p)

    problems = list(schema_problems(doc, schema, name, record_of))
    items = doc.get("courses")
    if items is None:
        return [], [], problems
    if not isinstance(items, list):
        problems.append(Problem(name, line_of(doc, ["courses"]), "expected a list of courses, found "
                                f"{describe(items)} (each course starts with '  - id: ...')", "", "courses"))
        return [], [], problems
    hints = {k: v.get("x-hint", "") for k, v in schema["$defs"]["course"]["properties"].items()}
    hints.update({f"sessions.{k}": v.get("x-hint", "")
                  for k, v in schema["$defs"]["session"]["properties"].items()})
    courses, ids = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        check = CourseCheck(doc, i, name, record_of(["courses", i]), hints, today)
        course = check_course(check, item, topics)
        if isinstance(item.get("id"), str):
            ids.append((item["id"], name, check.line()))
        # A course with a schema problem is not built: the build fails anyway.
        schema_bad = any(p.record == check.record for p in problems)
        problems += check.problems
        if course and not schema_bad and not check.problems:
            courses.append(course)
    return courses, ids, problems
