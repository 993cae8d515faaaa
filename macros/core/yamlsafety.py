"""What a data file may not hold, whatever its schema: limits on size and nesting, anchors
and aliases, and characters no text may hold.

`load_yaml_text` (core/yamlfile.py) applies these before and after building a document, so
that no file can take the build's time or memory and every output (Atom, iCalendar, JSON)
parses. SECURITY.md, "Bounded resources" and "Clean text".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml as pyyaml
from yaml import events

from macros.core.problems import Problem
from macros.core.yamllines import line_of

# Limits on any data file, so that no file can take the build's time or memory (README,
# "Limits"): a file's size, how deeply its fields may nest, and how many problems are listed.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 10
MAX_PROBLEMS = 50

# Characters no text field may hold: C0 controls (a line break is allowed; whether a field may
# hold one is the schema's x-multiline), DEL and C1 controls, the bidirectional overrides and
# isolates (they make text read differently from what it is), lone surrogates, non-characters.
BAD_CHAR = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")
# Line breaks YAML reads as new lines but editors show as nothing (NEL, the line and paragraph
# separators, pasted from PDFs and web pages): a file's line numbers would no longer be the
# editor's, and a break in the middle of a value a puzzling syntax error.
UNSEEN_BREAK = "\x85\u2028\u2029"

# The characters YAML does not allow written as they are, and the line breaks no editor shows
# (a subset of BAD_CHAR): refused before the file is read, on the line an editor shows.
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                      + UNSEEN_BREAK + "]")


def bad_char_problem(text: str) -> str:
    """'' when `text` holds only characters a text field may hold, else what is wrong."""
    found = BAD_CHAR.search(text)
    if not found:
        return ""
    code = f"U+{ord(found.group()):04X}"
    if "\u202a" <= found.group() <= "\u202e" or "\u2066" <= found.group() <= "\u2069":
        return (f"contains the hidden text-direction character {code}, which can make text read "
                "differently from what it is; delete it (retype the text around it)")
    if found.group() == "\t":
        return "contains a tab character; use spaces instead"
    if found.group() in UNSEEN_BREAK:
        return (f"contains the invisible line break {code} (often pasted from a PDF or a web page); "
                "delete it (retype the text around it)")
    return f"contains the invisible control character {code}; delete it (retype the text around it)"


def too_big(name: str, size: int) -> Problem:
    """The problem of a file over MAX_FILE_BYTES (`size` bytes)."""
    return Problem(name, 0, f"the file is {size / 1_000_000:.1f} MB; a data file may be at most "
                   f"{MAX_FILE_BYTES // 1_000_000} MB (split it, or remove what does not belong in it)")


def unsafe_parts(text: str, name: str) -> list[Problem]:
    """What YAML may hold but a data file may not, found from libyaml's events before anything
    is built: anchors and aliases (a few bytes of them can expand to gigabytes), nesting
    deeper than MAX_DEPTH.

    A syntax error stops the search: the loader then reports it with its line.
    """
    loader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)(text)
    problems: list[Problem] = []
    depth = 0
    try:
        while len(problems) < MAX_PROBLEMS:
            event = loader.get_event()
            if isinstance(event, events.StreamEndEvent):
                break
            line = event.start_mark.line + 1
            if isinstance(event, events.AliasEvent):
                problems.append(Problem(name, line, f"'*{event.anchor}' repeats a value written "
                                        "elsewhere (an alias); aliases are not allowed in data "
                                        "files: write the value out in full here"))
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                problems.append(Problem(name, line, f"'&{anchor}' names a value to repeat elsewhere "
                                        "(an anchor); anchors are not allowed in data files: delete "
                                        f"'&{anchor}' and write the value out in full where it is needed"))
            if isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(name, line, f"fields are nested more than {MAX_DEPTH} "
                                            "levels deep here; check the indentation"))
                    break
            elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
                depth -= 1
    except pyyaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, met while reading ahead
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(name, mark.line + 1 if mark else 0, f"fields are nested more than "
                                    f"{MAX_DEPTH} levels deep here; check the indentation"))
    finally:
        loader.dispose()
    return problems


def unclean_text(doc: Any, node: Any, path: list, name: str) -> Iterator[Problem]:
    """Every key and text value that holds a character no text may hold (`bad_char_problem`)."""
    if isinstance(node, dict):
        for key, value in node.items():
            for text in (key, value) if isinstance(key, str) else (value,):
                if isinstance(text, str) and bad_char_problem(text):
                    yield Problem(name, line_of(doc, [*path, key]), bad_char_problem(text))
            if not isinstance(value, str):
                yield from unclean_text(doc, value, [*path, key], name)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str) and bad_char_problem(value):
                yield Problem(name, line_of(doc, [*path, index]), bad_char_problem(value))
            elif not isinstance(value, str):
                yield from unclean_text(doc, value, [*path, index], name)
