"""Editing a data file in place, for the two tools that do (prune and harvest).

ruamel.yaml gives prune the positions of the text it changes; `replace_file` writes a file's
new text in one step. Everything else reads data files with `load_yaml` (core/yamlfile.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor


class _Constructor(RoundTripConstructor):
    """Round-trip loading that keeps a date which does not exist (2023-02-30) as the text
    written, so the validator can say what is wrong instead of crashing."""


def _timestamp(constructor: RoundTripConstructor, node: Any) -> Any:
    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    # YAML 1.1, as GitHub's editor, PyYAML and most tools read it: `time: 12:30` becomes the
    # number 750 there, and the validator must catch that rather than let it pass here.
    yaml.version = (1, 1)
    yaml.allow_duplicate_keys = False
    return yaml


def round_trip_yaml() -> YAML:
    """ruamel's round-trip loader (YAML 1.1, as `load_yaml` reads), only for the tools that
    edit a file in place and need the positions of the text they change (the prune step).
    Everything else reads with `load_yaml`."""
    return _yaml()


# Where a data file's new text is written first (prune, harvest): not a data file's name, so
# never loaded; a leftover is removed by the next prune.
TEMPORARY = ".{}.prune-tmp"


def replace_file(path: Path, text: str, like: Path) -> None:
    """Replace `path` by `text` in one step, with the line endings of `like`'s first line: a
    kill leaves the old file or the new, never half (at worst a temporary file)."""
    with open(like, encoding="utf-8", newline="") as file:
        newline = "\r\n" if file.readline().endswith("\r\n") else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(TEMPORARY.format(path.name))
    with open(tmp, "w", encoding="utf-8", newline=newline) as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(tmp, path)
    if os.name == "posix":  # the rename itself survives a crash of the machine
        folder = os.open(path.parent, os.O_RDONLY)
        os.fsync(folder)
        os.close(folder)

