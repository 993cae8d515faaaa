"""Loaded YAML with line numbers: the dicts and lists `load_yaml` builds, and `line_of`.

Each loaded mapping and list has an `.lc` (as ruamel's have) saying where it and each of its
keys or items start, so that every problem can name its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Lines:
    """The `.lc` of a loaded mapping or list: where it starts and, in `at`, where each of its
    keys or items starts (line and column, 0-based)."""

    __slots__ = ("line", "col", "at")

    def __init__(self, line: int, col: int):
        self.line, self.col, self.at = line, col, {}

    def key(self, key) -> tuple[int, int]:
        return self.at[key]

    item = key


class LineMap(dict):
    """A mapping loaded from YAML, with the line of each key in `.lc` (like ruamel's)."""

    lc: Lines


class LineSeq(list):
    """A list loaded from YAML, with the line of each item in `.lc`."""

    lc: Lines


def line_of(node: Any, path: Iterable[Any]) -> int:
    """The 1-based line of the value at `path` inside a loaded document (0 if unknown).

    Falls back to the nearest enclosing line when the exact one is not known (a missing
    field is reported on the line of its record).
    """
    line = 0
    for key in path:
        try:
            if isinstance(node, dict) and key in node:
                line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if line == 0 and hasattr(node, "lc"):
        line = node.lc.line + 1
    return line
