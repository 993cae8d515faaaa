"""Reading a data file: one loader for every YAML file the site reads (`load_yaml`).

libyaml (PyYAML's CSafeLoader) composes the document; the builder here turns its nodes into
values with line numbers (core/yamllines.py). What a data file may not hold is refused first
(core/yamlsafety.py), and a syntax error becomes a DataError naming its line, in plain words.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import yaml as pyyaml

from macros.core.problems import DataError, Problem, relpath
from macros.core.yamlerrors import ESCAPE_MESSAGE, duplicate_key, syntax_problem
from macros.core.yamllines import LineMap, Lines, LineSeq
from macros.core.yamlsafety import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    NOT_YAML,
    bad_char_problem,
    too_big,
    unclean_text,
    unsafe_parts,
)


def load_yaml(path: Path) -> Any:
    """Load a YAML file keeping line numbers; a syntax error becomes a DataError with its line."""
    name = relpath(path)
    try:
        size = Path(path).stat().st_size
    except FileNotFoundError:
        raise DataError([Problem(name, 0, "file not found")]) from None
    if size > MAX_FILE_BYTES:
        raise DataError([too_big(name, size)])
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(name, 0, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(name, 0, f"not valid UTF-8 text ({exc.reason}); save the file as UTF-8")]
        ) from None
    if "\t" in text:  # every line with a tab, so that pasted lines are fixed in one round
        tabbed = [n for n, line in enumerate(text.splitlines(), 1) if "\t" in line]
        raise DataError([Problem(name, n, "a tab character is used for indentation; use spaces "
                                 "instead") for n in tabbed[:MAX_PROBLEMS]])
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str, first_line: int = 1) -> Any:
    """Load YAML text read from `name` (with line numbers), like `load_yaml`.

    `first_line` is the file line the text starts on (front matter starts on line 2):
    syntax errors name the line of the file, not of the text.
    """
    if len(text) > MAX_FILE_BYTES:
        raise DataError([too_big(name, len(text.encode("utf-8", "replace")))])
    text = "\n" * (first_line - 1) + text
    raw = NOT_YAML.search(text)
    if raw:  # YAML itself refuses these, in words no editor should have to read
        raise DataError([Problem(name, text.count("\n", 0, raw.start()) + 1,
                                 bad_char_problem(raw.group()))])
    unsafe = unsafe_parts(text, name)
    if unsafe:
        raise DataError(unsafe)
    doc = _load(text, name)
    unclean = list(unclean_text(doc, doc, [], name))
    if unclean:
        raise DataError(unclean[:MAX_PROBLEMS])
    return doc


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
    except pyyaml.YAMLError as exc:  # scanner, parser, composer, reader: in plain words
        raise DataError([syntax_problem(exc, name, text, _record_word(name))]) from None
    except ValueError:  # PyYAML's own scanner (without libyaml) on "\U00110000": no line known
        raise DataError([Problem(name, 0, ESCAPE_MESSAGE)]) from None
    finally:
        loader.dispose()
    if node is None:
        return None  # nothing but comments (or nothing at all)
    try:
        return _Builder(_record_word(name)).value(node)
    except _Refused as exc:
        raise DataError([Problem(name, exc.line, exc.message)]) from None
    except RecursionError:  # pragma: no cover - unsafe_parts refuses deep nesting first
        raise DataError([Problem(name, 0, f"fields are nested more than {MAX_DEPTH} levels deep; "
                                 "check the indentation")]) from None


_RECORDS = {"training": "course", "contacts": "contact", "reviews": "review",
            "providers": "provider", "topics": "topic"}


def _record_word(name: str) -> str:
    """What an item of the file's list is called: data/archive/training-2022-23.yaml: course."""
    return _RECORDS.get(Path(name).stem.split("-")[0], "record")


def _loader_class() -> type:
    return getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


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

    def __init__(self, record: str = "record"):
        self.record = record  # what a list item of this file is called: "course", "contact"
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
        except (ValueError, KeyError, AttributeError, TypeError):  # only an explicit tag can name
            # a value it does not fit (PyYAML's constructors raise any of these for `!!timestamp x`)
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
            seq.lc = Lines(mark.line, mark.column)
            seq.lc.at = {i: (item.start_mark.line, item.start_mark.column)
                          for i, item in enumerate(node.value)}
            return seq
        if node.tag != _MAP:
            raise _Refused(node, _tag_message(node.tag))
        mapping = LineMap()
        mapping.lc = lines = Lines(mark.line, mark.column)
        at = lines.at
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
                column = key_node.start_mark.column
                if key == "id" and column >= 2:  # the "- " before a record's first field left out
                    raise _Refused(key_node, f"line {key_node.start_mark.line + 1} starts a new "
                                   f'{self.record}: write "{" " * (column - 2)}- id:" (a dash and '
                                   "a space before id)")
                raise _Refused(key_node, duplicate_key(key_node.value, key_node.start_mark.line + 1,
                                                       _first_line(node, key, key_node)))
            key_mark = key_node.start_mark
            at[key] = (key_mark.line, key_mark.column)
            mapping[key] = self.value(value_node)
        return mapping


def _first_line(node: Any, key: Any, key_node: Any) -> int:
    """The line where the key `key`, repeated at `key_node`, was first written in `node`."""
    first = next(k for k, _ in node.value if k.__class__ is _ScalarNode and k is not key_node
                 and (k.value if k.tag == _STR else _Builder().scalar(k)) == key)
    return first.start_mark.line + 1


def _tag_message(tag: str) -> str:
    return (f"'{_short_tag(tag)}' is a YAML tag, and tags are not allowed in data files: delete "
            f"'{_short_tag(tag)}' and write the value as plain text, a list or fields")


_ScalarNode, _SequenceNode = pyyaml.ScalarNode, pyyaml.SequenceNode
