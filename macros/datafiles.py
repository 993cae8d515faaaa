"""Every data file of the site and its validator, for `make validate` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import contacts
from .validation import DataError, Problem

# (file, loader) pairs; each loader raises DataError with every problem in its file.
VALIDATORS: list[tuple[Path, Callable]] = [
    (contacts.CONTACTS_FILE, contacts.load_contacts),
]


def validate_all(production: bool = False) -> list[Problem]:
    """Run every validator; return every problem (empty when all is well)."""
    problems: list[Problem] = []
    for path, loader in VALIDATORS:
        try:
            records = loader(path)
        except DataError as exc:
            problems += exc.problems
            continue
        if production and loader is contacts.load_contacts:
            problems += contacts.production_problems(records, path)
    return problems
