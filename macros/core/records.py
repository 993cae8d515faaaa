"""What every dataset's loader says about a file's top level and names its records by.

A data file is one key (`courses:`, `topics:`, ...) followed by a list of records; a problem
inside a record names it by its id ("course 'x'") or, without one, by its position.
"""

from __future__ import annotations

from typing import Any

from macros.core.problems import Problem
from macros.core.schema import describe


def top_level_problems(doc: Any, key: str, name: str, what: str) -> list[Problem]:
    """An empty file, or a file that is not `key:` followed by a list."""
    if doc is None:
        return [Problem(name, 0, f"the file is empty (it must start with {key}: followed by the "
                        f"list of {what})")]
    if not isinstance(doc, dict):
        return [Problem(name, 1, f"the file must start with {key}: followed by the list of "
                        f"{what} (found {describe(doc)})")]
    return []


def record_name(doc: Any, key: str, id_key: str, kind: str, path: list) -> str:
    """The record a problem at `path` is in, as a message names it: by its `id_key` ("course
    'x'"), or by its position in the list under `key` ("course 3"); '' outside any record."""
    if len(path) >= 2 and path[0] == key and isinstance(path[1], int):
        try:
            ident = doc[key][path[1]][id_key]
        except (KeyError, IndexError, TypeError):
            ident = None
        return f"{kind} '{ident}'" if isinstance(ident, str) and ident else f"{kind} {path[1] + 1}"
    return ""
