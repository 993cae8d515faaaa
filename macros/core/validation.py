"""Shared validation for the site's data files.

Every data file is loaded with line numbers, checked against its JSON Schema and then
against rules a schema cannot express. Problems are collected (never just the first)
and reported one per line, in the form the business unit reads on a pull request:

    data/contacts.yaml:12: contact 'childline': phone: expected text, found the number 8001111
        (put the number in quotes)

A `DataError` carries the problems; the build turns it into a PluginError, the scripts
into exit code 1. No user mistake ever produces a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "data" / "schema"


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


# --- loading -------------------------------------------------------------------------------


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


# Limits on any data file, so that no file can take the build's time or memory (README,
# "Limits"): a file's size, how deeply its fields may nest, and how many problems are listed.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 10
MAX_PROBLEMS = 50
MAX_URL = 2000  # as in the schemas' maxLength for web addresses
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")  # whitespace and control characters

# Characters no text field may hold: C0 controls (a line break is allowed; whether a field may
# hold one is the schema's x-multiline), DEL and C1 controls, the bidirectional overrides and
# isolates (they make text read differently from what it is), lone surrogates, non-characters.
_BAD_CHAR = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff\ufffe\uffff]")

# The characters YAML does not allow written as they are (a subset of _BAD_CHAR).
_NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_char_problem(text: str) -> str:
    """'' when `text` holds only characters a text field may hold, else what is wrong."""
    found = _BAD_CHAR.search(text)
    if not found:
        return ""
    code = f"U+{ord(found.group()):04X}"
    if "\u202a" <= found.group() <= "\u202e" or "\u2066" <= found.group() <= "\u2069":
        return (f"contains the hidden text-direction character {code}, which can make text read "
                "differently from what it is; delete it (retype the text around it)")
    if found.group() == "\t":
        return "contains a tab character; use spaces instead"
    return f"contains the invisible control character {code}; delete it (retype the text around it)"


def load_yaml(path: Path) -> Any:
    """Load a YAML file keeping line numbers; a syntax error becomes a DataError with its line."""
    name = relpath(path)
    try:
        size = Path(path).stat().st_size
    except FileNotFoundError:
        raise DataError([Problem(name, 0, "file not found")]) from None
    if size > MAX_FILE_BYTES:
        raise DataError([_too_big(name, size)])
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(name, 0, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(name, 0, f"not valid UTF-8 text ({exc.reason}); save the file as UTF-8")]
        ) from None
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        raise DataError(
            [Problem(name, line, "a tab character is used for indentation; use spaces instead")]
        )
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str, first_line: int = 1) -> Any:
    """Load YAML text read from `name` (with line numbers), like `load_yaml`.

    `first_line` is the file line the text starts on (front matter starts on line 2):
    syntax errors name the line of the file, not of the text.
    """
    if len(text) > MAX_FILE_BYTES:
        raise DataError([_too_big(name, len(text.encode("utf-8", "replace")))])
    text = "\n" * (first_line - 1) + text
    raw = _NOT_YAML.search(text)
    if raw:  # YAML itself refuses these, in words no editor should have to read
        raise DataError([Problem(name, text.count("\n", 0, raw.start()) + 1,
                                 bad_char_problem(raw.group()))])
    unsafe = _unsafe_parts(text, name)
    if unsafe:
        raise DataError(unsafe)
    doc = _load(text, name)
    unclean = list(_unclean_text(doc, doc, [], name))
    if unclean:
        raise DataError(unclean[:MAX_PROBLEMS])
    return doc


def _unclean_text(doc: Any, node: Any, path: list, name: str) -> Iterator[Problem]:
    """Every key and text value that holds a character no text may hold (`bad_char_problem`)."""
    if isinstance(node, dict):
        for key, value in node.items():
            for text in (key, value) if isinstance(key, str) else (value,):
                if isinstance(text, str) and bad_char_problem(text):
                    yield Problem(name, line_of(doc, [*path, key]), bad_char_problem(text))
            if not isinstance(value, str):
                yield from _unclean_text(doc, value, [*path, key], name)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str) and bad_char_problem(value):
                yield Problem(name, line_of(doc, [*path, index]), bad_char_problem(value))
            elif not isinstance(value, str):
                yield from _unclean_text(doc, value, [*path, index], name)


def _load(text: str, name: str) -> Any:
    """The document in `text`, or a DataError naming the line of what is wrong.

    libyaml (PyYAML's CSafeLoader) composes the document into nodes, which carry their
    lines; `_Builder` turns the nodes into values as PyYAML's SafeLoader would (YAML 1.1).
    """
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except RecursionError:
        raise DataError([Problem(name, 0, f"fields are nested more than {MAX_DEPTH} levels deep; "
                                 "check the indentation")]) from None
    except pyyaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(exc, name, text)]) from None
    except pyyaml.YAMLError as exc:  # errors without a position
        raise DataError([Problem(name, 0, f"YAML syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        return None  # nothing but comments (or nothing at all)
    try:
        return _Builder().value(node)
    except _Refused as exc:
        raise DataError([Problem(name, exc.line, exc.message)]) from None
    except RecursionError:  # pragma: no cover - _unsafe_parts refuses deep nesting first
        raise DataError([Problem(name, 0, f"fields are nested more than {MAX_DEPTH} levels deep; "
                                 "check the indentation")]) from None


def _loader_class() -> type:
    return getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


# libyaml's words for a mistake, where PyYAML's Python parser (and ruamel) word it better.
_LIBYAML_WORDS = {"mapping values are not allowed in this context": "mapping values are not allowed here"}


def _syntax_problem(exc: Any, name: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    if exc.problem == "found invalid Unicode character escape code" and mark:
        # libyaml refuses an escape (\ud83d) of a character no text may hold: say which.
        lines = text.split("\n")
        written = lines[mark.line] if mark.line < len(lines) else ""
        for code in re.findall(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})", written):
            number = int(code[0] or code[1], 16)
            if number <= sys.maxunicode and bad_char_problem(chr(number)):
                return Problem(name, line, bad_char_problem(chr(number)))
    if (exc.context or "").startswith("expected a single document"):
        return Problem(name, line, "a second YAML document starts here (after a line '---' or "
                       "'...'); a data file holds one document: remove the line, or move what "
                       "follows it into its own file")
    what = (exc.problem or exc.context or "not valid YAML").strip()
    what = _LIBYAML_WORDS.get(what, what)
    return Problem(name, line, f"YAML syntax error: {what}{_syntax_hint(what)}")


class _Refused(Exception):
    """What a data file may not hold, found while building the document: a plain message."""

    def __init__(self, node: Any, message: str):
        super().__init__(message)
        self.line, self.message = node.start_mark.line + 1, message


_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Builder:
    """Python values from composed nodes, as PyYAML's SafeLoader constructs them (YAML 1.1:
    `yes`/`no`/`on`/`off` are true/false, `12:30` is the number 750, `017` is 15), into
    LineMap and LineSeq with the line of every key and item. Differences, for data files:
    a date that does not exist (2023-02-30) stays the text written (the validator says what
    is wrong); a duplicate key, a complex key (a list or group of fields as a key), a merge
    key and any tag but the standard ones are refused with a plain message."""

    def __init__(self):
        self._constructor = pyyaml.constructor.SafeConstructor()
        safe = pyyaml.constructor.SafeConstructor
        self._scalars = {
            _TAG + "null": lambda node: None,
            _TAG + "bool": lambda node: safe.bool_values[node.value.lower()],
            _TAG + "int": functools.partial(safe.construct_yaml_int, self._constructor),
            _TAG + "float": functools.partial(safe.construct_yaml_float, self._constructor),
            _TAG + "timestamp": self._timestamp,
        }

    def _timestamp(self, node: Any) -> Any:
        text = node.value
        try:
            if len(text) == 10:  # the usual date, YYYY-MM-DD
                return dt.date.fromisoformat(text)
            return pyyaml.constructor.SafeConstructor.construct_yaml_timestamp(self._constructor, node)
        except ValueError:
            return text  # a date that does not exist: the validator says so

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        make = self._scalars.get(tag)
        if make is None:
            if tag == _TAG + "merge":  # `<<` written as a value: text, as ruamel read it
                return node.value
            raise _Refused(node, _tag_message(tag))
        try:
            return make(node)
        except (ValueError, KeyError):  # only an explicit tag can name a value it does not fit
            raise _Refused(node, f"'{node.value}' cannot be read as '{_short_tag(tag)}': remove "
                           f"'{_short_tag(tag)}' before it") from None

    def value(self, node: Any) -> Any:
        kind = node.__class__
        if kind is _ScalarNode:
            return node.value if node.tag == _STR else self.scalar(node)
        mark = node.start_mark
        if kind is _SequenceNode:
            if node.tag != _SEQ:
                raise _Refused(node, _tag_message(node.tag))
            seq = LineSeq(self.value(item) for item in node.value)
            seq.lc = _Lines(mark.line, mark.column)
            seq.lc._at = {i: (item.start_mark.line, item.start_mark.column)
                          for i, item in enumerate(node.value)}
            return seq
        if node.tag != _MAP:
            raise _Refused(node, _tag_message(node.tag))
        mapping = LineMap()
        mapping.lc = lines = _Lines(mark.line, mark.column)
        at = lines._at
        for key_node, value_node in node.value:
            if key_node.__class__ is not _ScalarNode:
                raise _Refused(key_node, "a field's name here is a list or a group of fields (a "
                               "complex key); a field's name must be plain text")
            if key_node.tag == _STR:
                key = key_node.value
            elif key_node.tag == _TAG + "merge":
                raise _Refused(key_node, "'<<' merges fields from elsewhere (a merge key); merge "
                               "keys are not allowed in data files: write the fields out in full")
            else:
                key = self.scalar(key_node)
            if key in mapping:
                raise _Refused(key_node, "YAML syntax error: " + _duplicate(node, key, key_node, value_node)
                               + _syntax_hint("duplicate key"))
            key_mark = key_node.start_mark
            at[key] = (key_mark.line, key_mark.column)
            mapping[key] = self.value(value_node)
        return mapping


def _duplicate(node: Any, key: Any, key_node: Any, value_node: Any) -> str:
    """found duplicate key "k" with value "v" (original value: "w"), as ruamel words it."""
    first = next(v for k, v in node.value if k.__class__ is _ScalarNode and k is not key_node
                 and (k.value if k.tag == _STR else _Builder().scalar(k)) == key)
    if value_node.__class__ is _ScalarNode and first.__class__ is _ScalarNode:
        return (f'found duplicate key "{key_node.value}" with value "{value_node.value}" '
                f'(original value: "{first.value}")')
    return f'found duplicate key "{key_node.value}"'


def _tag_message(tag: str) -> str:
    return (f"'{_short_tag(tag)}' is a YAML tag, and tags are not allowed in data files: delete "
            f"'{_short_tag(tag)}' and write the value as plain text, a list or fields")


_ScalarNode, _SequenceNode = pyyaml.ScalarNode, pyyaml.SequenceNode


def _too_big(name: str, size: int) -> Problem:
    return Problem(name, 0, f"the file is {size / 1_000_000:.1f} MB; a data file may be at most "
                   f"{MAX_FILE_BYTES // 1_000_000} MB (split it, or remove what does not belong in it)")


def _unsafe_parts(text: str, name: str) -> list[Problem]:
    """What YAML may hold but a data file may not, found from libyaml's events before anything
    is built: anchors and aliases (a few bytes of them can expand to gigabytes), nesting
    deeper than MAX_DEPTH.

    A syntax error stops the search: the loader then reports it with its line.
    """
    import yaml as pyyaml
    from yaml import events

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


class _Lines:
    """The `.lc` of a loaded mapping or list: where each key or item starts (0-based)."""

    __slots__ = ("line", "col", "_at")

    def __init__(self, line: int, col: int):
        self.line, self.col, self._at = line, col, {}

    def key(self, key) -> tuple[int, int]:
        return self._at[key]

    item = key


class LineMap(dict):
    """A mapping loaded from YAML, with the line of each key in `.lc` (like ruamel's)."""

    lc: _Lines


class LineSeq(list):
    """A list loaded from YAML, with the line of each item in `.lc`."""

    lc: _Lines


def _syntax_hint(what: str) -> str:
    if "duplicate key" in what:
        return " (each field may appear only once in a record)"
    if "mapping values are not allowed" in what:
        return " (check the indentation, or put text containing ': ' in quotes)"
    if "expected <block end>" in what or "did not find expected" in what:
        return " (check that this line is indented like the ones around it, and that quotes are closed)"
    if "found unexpected end of stream" in what or "while scanning a quoted scalar" in what:
        return " (a quote is not closed)"
    if "tab character" in what:
        return " (indent with spaces, not tab characters)"
    return " (check the indentation and quotes on this line and the one before)"


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


# --- schema ---------------------------------------------------------------------------------


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def plain(value: Any) -> Any:
    """Loaded YAML as plain JSON-like Python (dates as ISO strings) for schema checking."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def describe(value: Any) -> str:
    """How a found value is named in a message: a non-programmer reads it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{'yes' if value else 'no'}' (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    text = f"{text[:60]}…" if len(text) > 60 else text
    # A message is one line: line breaks and invisible characters are shown as codes.
    return "'" + re.sub(r"[\n\r]|" + _BAD_CHAR.pattern, lambda m: f"<U+{ord(m.group()):04X}>", text) + "'"


def did_you_mean(value: Any, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' when a close choice exists, else ''."""
    choices = list(choices)
    if not isinstance(value, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    key = value.strip().lower().replace(" ", "-").replace("_", "-")
    if key in lowered:
        return f"; did you mean '{lowered[key]}'?"
    close = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    return f"; did you mean '{lowered[close[0]]}'?" if close else ""


def schema_problems(
    doc: Any, schema: dict, file: str, record_of: callable
) -> Iterator[Problem]:
    """Check `doc` against `schema`; each error becomes a plain-English Problem.

    `record_of(path)` names the record a path belongs to ("contact 'x'") or "".
    Properties may carry `x-hint` (how to write the value) used in the message. A subschema
    marked `"x-checked-in-code": true` is there for editors only: its errors are left to the
    loader, which explains them better (e.g. `time: 12:30` read as the number 750).
    """
    data = plain(doc)
    yield from _text_problems(doc, data, schema, file, record_of)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for error in _leaf_errors(errors):
        if isinstance(error.schema, dict) and error.schema.get("x-checked-in-code"):
            continue
        path = list(error.absolute_path)
        field, message = _explain(error, path)
        key_path = path + [field.rsplit(".", 1)[-1]] if error.validator == "additionalProperties" else path
        problems.append(Problem(file, line_of(doc, key_path), message, record_of(path), field))
    # A misspelt field is reported once ("grop ... did you mean 'group'?"), not also as missing.
    meant = {(p.record, p.message.split("did you mean '")[1].split("'")[0])
             for p in problems if "is not a field we know; did you mean" in p.message}
    yield from (p for p in problems
                if not (p.message.startswith("is missing") and (p.record, p.field) in meant))


def _text_problems(doc: Any, data: Any, schema: dict, file: str, record_of: callable
                   ) -> Iterator[Problem]:
    """Line breaks where the schema does not allow them, and web addresses holding spaces or
    control characters (what a pattern cannot say plainly).

    A text field may hold a line break only if its schema says `"x-multiline": true`; a field
    marked `"x-url": true` holds a web address: nothing in it may be a space or a control
    character, since feeds and calendars break on them.
    """
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> dict:
        while isinstance(node, dict) and node.get("$ref", "").startswith("#/$defs/"):
            node = defs.get(node["$ref"].rsplit("/", 1)[1], {})
        return node if isinstance(node, dict) else {}

    def marked(node: dict, key: str) -> bool:
        branches = [node, *(resolve(b) for b in node.get("anyOf", []) + node.get("oneOf", []))]
        return any(b.get(key) is True for b in branches)

    def walk(value: Any, node: Any, path: list) -> Iterator[Problem]:
        node = resolve(node)
        if isinstance(value, dict):
            props = node.get("properties", {})
            for key, sub in value.items():
                if key in props:
                    yield from walk(sub, props[key], [*path, key])
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                yield from walk(sub, node.get("items", {}), [*path, index])
        elif isinstance(value, str):
            message = ""
            if node.get("x-checked-in-code"):
                return  # the loader checks it, and says so better
            if marked(node, "x-url") and _NOT_IN_URL.search(value):
                message = (f"{describe(value)} is not a web address: it holds a space, a line break "
                           "or an invisible character (write the address on one line, without spaces)")
            elif not marked(node, "x-multiline") and "\n" in value.strip():
                message = "must be on one line: it holds a line break (join the lines)"
            if message:
                field = ".".join(str(p) for p in path[2:] if not isinstance(p, int))
                yield Problem(file, line_of(doc, path), message, record_of(path), field)

    yield from walk(data, schema, [])


def _leaf_errors(errors: list) -> Iterator:
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            # Report the branch that got furthest: it is the one the editor meant.
            best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.message)))
            yield from _leaf_errors([best])
        else:
            yield error


def _explain(error: jsonschema.ValidationError, path: list) -> tuple[str, str]:
    field = ".".join(str(p) for p in path[2:] if not isinstance(p, int)) if len(path) > 2 else ""
    hint = error.schema.get("x-hint", "") if isinstance(error.schema, dict) else ""
    hint_text = f" ({hint})" if hint else ""
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = error.message.split("'")[1]
        sub = error.schema.get("properties", {}).get(missing, {})
        how = sub.get("x-hint", "")
        field = ".".join([*(str(p) for p in path[2:] if not isinstance(p, int)), missing])
        return field, "is missing" + (f" ({how})" if how else "")
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        name = extra[0] if extra else "?"
        field = ".".join([*(str(p) for p in path[2:] if not isinstance(p, int)), name])
        return field, (
            f"is not a field we know{did_you_mean(name, allowed)} "
            f"(allowed fields: {', '.join(allowed)})"
        )
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        return field, (
            f"{describe(value)} is not allowed{did_you_mean(value, options)} "
            f"(write one of: {', '.join(options)})"
        )
    if kind == "type":
        expected = error.validator_value
        names = {"string": "text", "array": "a list", "object": "a group of fields",
                 "boolean": "true or false", "integer": "a whole number", "number": "a number"}
        want = names.get(expected, expected) if isinstance(expected, str) else " or ".join(
            names.get(e, e) for e in expected)
        quote = " (put the value in quotes)" if expected == "string" and isinstance(
            value, int | float) else hint_text
        return field, f"expected {want}, found {describe(value)}{quote}"
    if kind == "pattern" or kind == "format":
        return field, f"{describe(value)} is not in the right form{hint_text}"
    if kind == "minItems":
        return field, f"needs at least {error.validator_value} item(s){hint_text}"
    if kind == "uniqueItems":
        return field, f"lists the same value twice{hint_text}"
    if kind in ("minLength",):
        return field, f"is empty{hint_text}"
    if kind in ("maxLength",):
        return field, f"is too long: at most {error.validator_value} characters{hint_text}"
    return field, f"{error.message}{hint_text}"


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


def http_url_problem(value: Any) -> str:
    """'' when `value` is an absolute http(s) URL, else what is wrong with it."""
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        return f"expected a web address, found {describe(value)}"
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        return f"{describe(value)} must start with https:// (or http://)"
    if _NOT_IN_URL.search(value):
        return (f"{describe(value)} is not a web address: it holds a space, a line break or an "
                "invisible character (write the address on one line, without spaces)")
    if not parts.netloc:
        return f"{describe(value)} is not a complete web address"
    if len(value) > MAX_URL:
        return f"is too long: at most {MAX_URL} characters"
    return ""
