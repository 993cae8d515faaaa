"""What the YAML reader says about a file it cannot read, in plain words.

Every error PyYAML can raise while reading a file (its scanner, parser and composer, in
libyaml's wording through CSafeLoader and in PyYAML's own through SafeLoader, and the reader's
refusal of a character) is matched here to one kind of mistake. Each kind has one message: what
is wrong on the line, and what to write instead. Nothing of the reader's own words ("mapping",
"scalar", "<block end>", "token") reaches the person who edited the file: a mistake no rule
matches gets the general message `_UNREADABLE`, never the reader's text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from macros.core.problems import Problem
from macros.core.yamlsafety import MAX_DEPTH, bad_char_problem


class _Where(NamedTuple):
    """What a message may name: the line of the mistake, the line where what it belongs to
    started (a quote, a list), the character there and the file's lines."""

    line: int  # 1-based; 0 when the reader gave none
    start: int  # the line where the quote, list or field began (the error's context), or `line`
    char: str  # the character the reader stopped at
    opened: str  # the character that opened what was not closed (a quote, '[' or '{')
    lines: list[str]
    column: int
    record: str  # what an item of the file's list is called: "course"


def _indents(where: _Where) -> str:
    """' (it starts after 3 spaces, the line above after 4)', or '' when that does not help."""
    if not 0 < where.line <= len(where.lines):
        return ""
    here = where.lines[where.line - 1]
    above = next((t for t in reversed(where.lines[:where.line - 1])
                  if t.strip() and not t.lstrip().startswith("#")), None)
    if above is None or here.lstrip(" ").startswith("- "):  # a list item: the numbers would mislead
        return ""
    n, m = _field_column(here), _field_column(above)  # "  - id:" counts as 4: where id starts
    return "" if n == m else f" (it is indented by {_spaces(n)}, the field above by {m})"


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _indentation(where: _Where) -> str:
    here = where.lines[where.line - 1] if 0 < where.line <= len(where.lines) else ""
    if here.strip() and where.column > len(here) - len(here.lstrip(" ")):
        # The reader stopped inside the line, not at its start: text after a closing quote?
        if here[:where.column].rstrip().endswith(("'", '"')):
            return ("more text follows the closing quote on this line: put the whole value in "
                    "quotes, or remove what follows the quote")
        return _UNREADABLE
    new = f"; a new {where.record} starts with '- '" if where.record != "record" else ""
    return (f"this line is not lined up with the lines above it{_indents(where)}: give it the same "
            f"number of spaces as the other fields it belongs with{new}")


def _colon(where: _Where) -> str:
    """A ': ' where no field can start: most often a field indented more than the one above
    it (so read as going on with that field's value), or a colon in unquoted text."""
    here = where.lines[where.line - 1] if 0 < where.line <= len(where.lines) else ""
    above = next((t for t in reversed(where.lines[:max(where.line - 1, 0)])
                  if t.strip() and not t.lstrip().startswith("#")), "")
    first_colon = here.find(":") == where.column  # not a colon later in the line's text
    if first_colon and _field_column(here) > _field_column(above) and \
            not above.rstrip().endswith((":", "|", ">", "-")):
        return (f"this line is indented more than the line above it{_indents(where)}: give it the "
                "same number of spaces as the other fields it belongs with (or, if the line above "
                "holds text with ': ' in it, put that text in quotes)")
    return _COLON


def _field_column(line: str) -> int:
    """Where a line's field starts: after its indentation and any '- ' before it."""
    column = len(line) - len(line.lstrip(" "))
    while line[column:column + 2] == "- ":
        column += 2 + len(line[column + 2:]) - len(line[column + 2:].lstrip(" "))
    return column


def _quote(where: _Where) -> str:
    quote = where.opened if where.opened in "'\"" else "quote"
    opened = "this line" if where.start == where.line else f"line {where.start}"
    return (f"the quote ({quote}) opened on {opened} is not closed: add the closing {quote} at the "
            "end of the value")


def _brackets(where: _Where, close: str) -> str:
    opened = "this line" if where.start == where.line else f"line {where.start}"
    if close == "]":
        return (f"the list opened with '[' on {opened} is not closed properly: write its items on "
                "one line, separated by commas, and end it with ']' (e.g. topics: [neglect, self-neglect])")
    return (f"the group of fields opened with '{{' on {opened} is not closed properly: end it with "
            "'}' on the same line, or write each field on a line of its own")


def _character(where: _Where) -> str:
    if where.char == "\t":
        return _TAB
    char = where.char if where.char.strip() else "this character"
    return f"a value cannot start with '{char}': put the whole value in quotes (e.g. \"{char}...\")"


def _anchor(where: _Where) -> str:
    char = where.opened if where.opened in "&*" else "&"
    return (f"a value starting with '{char}' names or repeats another value (an anchor or an alias), "
            "which data files do not use: put the whole value in quotes")


_TAB = "a tab character is used for indentation; use spaces instead"
_UNREADABLE = ("this line cannot be read: check that it is indented like the lines around it, and "
               "that every quote and bracket on it is closed")
_COLON = ("this line holds ': ' (a colon and a space) where no new field can start: if the colon is "
          "part of the text, put the whole value in quotes (e.g. title: \"Safeguarding: the basics\"); "
          "if it starts a field, put that field on a line of its own, lined up with the fields above it")
_DASH = ("a '- ' (a new item of a list) cannot start here: line it up with the other items of the "
         "list, or, if the '-' is part of the text, put the whole value in quotes")
_QUESTION = ("a '? ' cannot start here: remove the '?', or, if it is part of the text, put the whole "
             "value in quotes")
ESCAPE_MESSAGE = _ESCAPE = ("a backslash (\\) in text inside double quotes starts a special code, "
                            "and this one cannot be read: write two backslashes (\\\\) for one, or "
                            "put the text in single quotes ('...')")
_BLOCK_TEXT = ("after '|' or '>' (text on the lines below) only a comment may follow on the same "
               "line: end the line with '|' or '>' and write the text on the lines below, indented")
_TAG = ("a '!' at the start of a value marks a YAML tag, and tags are not allowed in data files: "
        "remove the '!', or put the whole value in quotes")
_PERCENT = ("a line starting with '%' is an instruction to the YAML reader, which data files do not "
            "use: delete the line, or, if it is text, put it in quotes")
_ENDED = ("a line '---' or '...' ended the data above it, and more follows: remove that line")
_SECOND = ("a line '---' or '...' here starts a second part of the file, and a data file holds only "
           "one: remove the line, or move what follows it into a file of its own")
_MISSING = ("a value is missing here, or a comma, bracket or '-' is out of place: check the "
            "punctuation on this line (a list is written [a, b], or as lines starting with '- ')")
_NAME = ("a field's name is not followed by ':' on the same line: write the field's name, ':' and "
         "its value on one line (a name may be at most 1,024 characters)")
_NESTED = f"fields are nested more than {MAX_DEPTH} levels deep here; check the indentation"

# (what the reader said, as a pattern on "context | problem", what to say). The first that
# matches is used: the reader's words for one mistake differ between libyaml and PyYAML.
_Say = Callable[[_Where], str] | str
_RULES: list[tuple[re.Pattern, _Say]] = [(re.compile(p), say) for p, say in (
    (r"tab character", _TAB),
    (r"[Nn]esting (level|depth)", _NESTED),
    (r"expected a single document", _SECOND),
    (r"directive|incompatible YAML document|duplicate tag handle|version number", _PERCENT),
    (r"quoted scalar.*(end of stream|document (indicator|separator))", _quote),
    (r"escape|hexdecimal number|hexadecimal number", _ESCAPE),
    (r"block scalar|indentation indicator", _BLOCK_TEXT),
    (r"\btag\b|URI|expected '!'|the expected '>'|expected '>'|octet", _TAG),
    (r"anchor|alias", _anchor),
    (r"mapping values are not allowed", _colon),
    (r"sequence entries are not allowed", _DASH),
    (r"mapping keys are not allowed", _QUESTION),
    (r"',' or '\]'", lambda where: _brackets(where, "]")),
    (r"',' or '\}'", lambda where: _brackets(where, "}")),
    (r"simple key|could not find expected ':'", _NAME),
    (r"document (start|indicator|separator)", _ENDED),
    (r"cannot start any token", _character),
    (r"expected key|expected '-' indicator|expected <block end>", _indentation),
    (r"node content|unexpected ':'", _MISSING),
)]


def syntax_problem(exc: Any, name: str, text: str, record: str = "record") -> Problem:
    """The Problem for a YAML error raised while reading `text` (file `name`), in plain words."""
    if not hasattr(exc, "problem_mark"):  # the reader's refusal of a character (ReaderError)
        return _reader_problem(exc, name, text)
    mark, context_mark = exc.problem_mark or exc.context_mark, exc.context_mark or exc.problem_mark
    lines = text.split("\n")
    line = mark.line + 1 if mark else 0
    said = f"{exc.context or ''} | {exc.problem or ''}"
    if "invalid Unicode character escape code" in said and mark:
        hidden = _escaped_character(lines[mark.line] if mark.line < len(lines) else "")
        if hidden:
            return Problem(name, line, hidden)
    where = _Where(line, context_mark.line + 1 if context_mark else line,
                   _char_at(lines, mark), _char_at(lines, context_mark), lines,
                   mark.column if mark else 0, record)
    for pattern, say in _RULES:
        if pattern.search(said):
            return Problem(name, line, say if isinstance(say, str) else say(where))
    return Problem(name, line, _UNREADABLE)


def duplicate_key(key: str, line: int, first: int) -> str:
    """The message for a field written twice in one group of fields (`first`: the first line)."""
    return (f"'{key}' is written twice in the same group of fields (also on line {first}): keep one "
            "and delete the other")


def _char_at(lines: list[str], mark: Any) -> str:
    if mark is None or mark.line >= len(lines):
        return ""
    text = lines[mark.line]
    return text[mark.column] if mark.column < len(text) else ""


def _escaped_character(written: str) -> str:
    """libyaml refuses an escape (\\ud83d) of a character no text may hold: say which."""
    for code in re.findall(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})", written):
        number = int(code[0] or code[1], 16)
        if number <= sys.maxunicode and bad_char_problem(chr(number)):
            return bad_char_problem(chr(number))
    return ""


def _reader_problem(exc: Any, name: str, text: str) -> Problem:
    position = getattr(exc, "position", None)
    line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 0
    character = getattr(exc, "character", None)
    if isinstance(character, int) and 0 <= character <= sys.maxunicode and bad_char_problem(chr(character)):
        return Problem(name, line, bad_char_problem(chr(character)))
    code = f" (U+{character:04X})" if isinstance(character, int) else ""
    return Problem(name, line, f"contains a character that cannot be read here{code}; delete it "
                   "(retype the text around it)")
