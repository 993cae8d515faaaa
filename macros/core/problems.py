"""Problems found in the site's data files, and how they reach the person who edited them.

Every data file is loaded with line numbers, checked against its JSON Schema and then
against rules a schema cannot express. Problems are collected (never just the first)
and reported one per line, in the form the business unit reads on a pull request:

    data/contacts.yaml:12: contact 'childline': phone: expected text, found the number 8001111
        (put the number in quotes)

A `DataError` carries the problems; the build turns it into a PluginError, the scripts
into exit code 1. No user mistake ever produces a Python traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, with where it is and how to fix it."""

    file: str
    line: int
    message: str
    record: str = ""  # e.g. "contact 'childline'"
    field: str = ""  # e.g. "phone"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:" if self.line else f"{self.file}:"
        parts = [where]
        if self.record:
            parts.append(f" {self.record}:")
        if self.field:
            parts.append(f" {self.field}:")
        parts.append(f" {self.message}")
        return " ".join("".join(parts).split("\n")).replace("\r", " ")  # always one line

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown on the PR's line)."""
        text = str(self).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={self.file}{line}::{text}"


class DataError(Exception):
    """Bad data: one or more problems, each a clear line for the person who edited the file."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def relpath(path: Path) -> str:
    """The path as the editor sees it in the repository (data/contacts.yaml)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- reporting ------------------------------------------------------------------------------


def report(problems: Iterable[Problem], stream=None) -> int:
    """Print every problem (and GitHub annotations under Actions); return how many."""
    stream = stream or sys.stderr
    problems = list(problems)
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem, file=stream)
        if in_actions:
            print(problem.annotation(), file=sys.stdout)
    return len(problems)


def guarded(what: str, load: Callable[[], Any]) -> Any:
    """load(), with anything but a DataError it raises (a library's RecursionError,
    OverflowError, ValueError, ...: data the site did not foresee) made a DataError naming
    `what` (the file or files read), so that no traceback reaches the person who edited it."""
    try:
        return load()
    except DataError:
        raise
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        raise DataError([Problem(what, 0, f"could not be read ({type(exc).__name__}: {reason}); "
                                 "undo the last change to it, and report this if it looks right")]
                        ) from None


def run_tool(tool: str, work: Callable[[], Any], if_bad_data: str) -> tuple[Any, int]:
    """(work(), 0) for a command-line tool; bad data reported with `if_bad_data` after it
    (exit code 1); anything else (a bug, a file that cannot be written) as one line, never
    a traceback (exit code 2)."""
    try:
        return work(), 0
    except DataError as exc:
        report(exc.problems)
        print(f"{tool}: {if_bad_data}", file=sys.stderr)
        return None, 1
    except Exception as exc:  # a bug of ours or a file that cannot be written: still one clear line
        print(f"{tool}: internal error ({type(exc).__name__}: {exc}); please report it",
              file=sys.stderr)
        return None, 2
