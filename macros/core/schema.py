"""Checking a loaded document against its JSON Schema (data/schema/), in plain words.

Each jsonschema error becomes a Problem naming the record and field, expected versus found
(`describe` names a found value for a non-programmer). The schemas' own keywords: `x-hint`
(how to write a value), `x-multiline`, `x-url` and `x-checked-in-code`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from macros.core.problems import ROOT, Problem
from macros.core.yamllines import line_of
from macros.core.yamlsafety import BAD_CHAR

SCHEMA_DIR = ROOT / "data" / "schema"
MAX_URL = 2000  # as in the schemas' maxLength for web addresses
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")  # whitespace and control characters


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
    return "'" + re.sub(r"[\n\r]|" + BAD_CHAR.pattern, lambda m: f"<U+{ord(m.group()):04X}>", text) + "'"


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


def http_url_problem(value: Any) -> str:
    """'' when `value` is an absolute http(s) URL, else what is wrong with it."""
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
