"""Every error the YAML reader can raise, in plain words (issue #13, point 15).

Each kind of mistake is read twice, by libyaml (CSafeLoader, what the site uses) and by PyYAML's
own Python reader (SafeLoader, what it falls back to without libyaml), whose words for the same
mistake differ ("did not find expected key" as against "expected <block end>, but found '?'"):
both give the same exact message, naming the line and what to write. Then a corpus of broken
files, made by breaking the lines of a good one in the ways editors do, shows that no message
holds the reader's jargon.
"""

from __future__ import annotations

import re

import pytest
import yaml

import macros.core.yamlfile as yamlfile
from macros.core.problems import DataError
from macros.core.yamlerrors import syntax_problem

TRAINING = "data/training.yaml"
INDENT = ("this line is not lined up with the lines above it{}: give it the same number of spaces "
          "as the other fields it belongs with{}")

# (kind, file name, text, the exact message)
KINDS = [
    ("a field indented too little", TRAINING,
     "courses:\n  - id: a\n    title: x\n   provider: y\n",
     "data/training.yaml:4: " + INDENT.format(" (it is indented by 3 spaces, the field above by 4)",
                                              "; a new course starts with '- '")),
    ("a field indented too little, in a group of fields", "f.yaml", "a:\n  b: 1\n c: 2\n",
     "f.yaml:3: " + INDENT.format(" (it is indented by 1 space, the field above by 2)", "")),
    ("a list item among fields", "f.yaml", "a: b\n- c\n", "f.yaml:2: " + INDENT.format("", "")),
    ("text after a closing quote", "f.yaml", 'a: "x" y\n',
     "f.yaml:1: more text follows the closing quote on this line: put the whole value in quotes, or "
     "remove what follows the quote"),
    ("a colon in unquoted text", "f.yaml", "title: Safeguarding: the basics\n",
     "f.yaml:1: this line holds ': ' (a colon and a space) where no new field can start: if the colon "
     "is part of the text, put the whole value in quotes (e.g. title: \"Safeguarding: the basics\"); "
     "if it starts a field, put that field on a line of its own, lined up with the fields above it"),
    ("a field indented too much", TRAINING, "courses:\n  - id: a\n    title: x\n      provider: y\n",
     "data/training.yaml:4: this line is indented more than the line above it (it is indented by 6 "
     "spaces, the field above by 4): give it the same number of spaces as the other fields "
     "it belongs with (or, if the line above holds text with ': ' in it, put that text in quotes)"),
    ("a list item after a field's colon", "f.yaml", "a: - b\n",
     "f.yaml:1: a '- ' (a new item of a list) cannot start here: line it up with the other items of "
     "the list, or, if the '-' is part of the text, put the whole value in quotes"),
    ("a question mark starting a value", "f.yaml", "a: b\ne: ? f\n",
     "f.yaml:2: a '? ' cannot start here: remove the '?', or, if it is part of the text, put the "
     "whole value in quotes"),
    ("an unclosed double quote", "f.yaml", 'a: "abc\nb: 1\n',
     'f.yaml:3: the quote (") opened on line 1 is not closed: add the closing " at the end of the value'),
    ("an unclosed single quote", "f.yaml", "a: 'it''s\n",
     "f.yaml:2: the quote (') opened on line 1 is not closed: add the closing ' at the end of the value"),
    ("an unclosed list", "f.yaml", "topics: [a, b\nformat: x\n",
     "f.yaml:2: the list opened with '[' on line 1 is not closed properly: write its items on one "
     "line, separated by commas, and end it with ']' (e.g. topics: [neglect, self-neglect])"),
    ("a list closed with the wrong bracket", "f.yaml", "a: [1, 2}\n",
     "f.yaml:1: the list opened with '[' on this line is not closed properly: write its items on one "
     "line, separated by commas, and end it with ']' (e.g. topics: [neglect, self-neglect])"),
    ("an unclosed group of fields", "f.yaml", "a: {b: 1\nc: 2\n",
     "f.yaml:2: the group of fields opened with '{' on line 1 is not closed properly: end it with '}' "
     "on the same line, or write each field on a line of its own"),
    ("a character that cannot start a value", "f.yaml", "a: @home\n",
     "f.yaml:1: a value cannot start with '@': put the whole value in quotes (e.g. \"@...\")"),
    ("an unknown backslash code", "f.yaml", 'a: "back\\slash"\n',
     "f.yaml:1: a backslash (\\) in text inside double quotes starts a special code, and this one "
     "cannot be read: write two backslashes (\\\\) for one, or put the text in single quotes ('...')"),
    ("a short backslash code", "f.yaml", 'a: "\\x4"\n',
     "f.yaml:1: a backslash (\\) in text inside double quotes starts a special code, and this one "
     "cannot be read: write two backslashes (\\\\) for one, or put the text in single quotes ('...')"),
    ("text after | or >", "f.yaml", "a: |x\n  text\n",
     "f.yaml:1: after '|' or '>' (text on the lines below) only a comment may follow on the same "
     "line: end the line with '|' or '>' and write the text on the lines below, indented"),
    ("a tag that cannot be read", "f.yaml", "a: !! 5\n",
     "f.yaml:1: a '!' at the start of a value marks a YAML tag, and tags are not allowed in data "
     "files: remove the '!', or put the whole value in quotes"),
    ("an unknown tag", "f.yaml", "a: !e!foo 5\n",
     "f.yaml:1: a '!' at the start of a value marks a YAML tag, and tags are not allowed in data "
     "files: remove the '!', or put the whole value in quotes"),
    ("an & with no name", "f.yaml", "a: & b\n",
     "f.yaml:1: a value starting with '&' names or repeats another value (an anchor or an alias), "
     "which data files do not use: put the whole value in quotes"),
    ("a % instruction", "f.yaml", "%YAML 2.0\n---\na: 1\n",
     "f.yaml:1: a line starting with '%' is an instruction to the YAML reader, which data files do "
     "not use: delete the line, or, if it is text, put it in quotes"),
    ("a twice given % instruction", "f.yaml", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
     "f.yaml:2: a line starting with '%' is an instruction to the YAML reader, which data files do "
     "not use: delete the line, or, if it is text, put it in quotes"),
    ("text after '...'", "f.yaml", "a: 1\n...\nb: 2\n",
     "f.yaml:3: a line '---' or '...' ended the data above it, and more follows: remove that line"),
    ("a second part after '---'", "f.yaml", "a: 1\n---\nb: 2\n",
     "f.yaml:2: a line '---' or '...' here starts a second part of the file, and a data file holds "
     "only one: remove the line, or move what follows it into a file of its own"),
    ("a missing value in a list", "f.yaml", "a: [b, , c]\n",
     "f.yaml:1: a value is missing here, or a comma, bracket or '-' is out of place: check the "
     "punctuation on this line (a list is written [a, b], or as lines starting with '- ')"),
    ("a field's name over two lines", "f.yaml", "a: 1\n'b\n c': 2\n",
     "f.yaml:3: a field's name is not followed by ':' on the same line: write the field's name, ':' "
     "and its value on one line (a name may be at most 1,024 characters)"),
    ("a tab indenting a line", "f.yaml", "a:\n\t- b\n",
     "f.yaml:2: a tab character is used for indentation; use spaces instead"),
    ("punctuation that cannot be read", "f.yaml", "- - :\n",
     "f.yaml:1: this line cannot be read: check that it is indented like the lines around it, and "
     "that every quote and bracket on it is closed"),
    ("an escape of a hidden character", "f.yaml", 'a: "Smile \\ud83d\\ude00"\n',
     "f.yaml:1: contains the invisible control character U+D83D; delete it (retype the text around it)"),
    ("a field written twice", TRAINING, "courses:\n  - id: a\n    provider: X\n    provider: Y\n",
     "data/training.yaml:4: 'provider' is written twice in the same group of fields (also on line 3): "
     "keep one and delete the other"),
    ("a value its tag cannot make", "f.yaml", "a: !!timestamp soon\n",
     "f.yaml:1: 'soon' cannot be read as '!!timestamp': remove '!!timestamp' before it"),
]

READERS = {"libyaml": yaml.CSafeLoader, "pyyaml": yaml.SafeLoader}


def problems(text: str, name: str) -> list[str]:
    try:
        yamlfile.load_yaml_text(text, name)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("kind, name, text, expected", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_of_mistake_in_plain_words(monkeypatch, reader, kind, name, text, expected):
    monkeypatch.setattr(yamlfile, "_loader_class", lambda: READERS[reader])
    assert problems(text, name) == [expected]


def test_a_character_the_reader_refuses_is_named():
    """The reader's own refusal of a character (text from elsewhere than a file: `load_yaml`
    refuses these characters first, with the same message)."""
    text = "a: 1\nb: x\x07y\n"
    refused = yaml.reader.ReaderError("f.yaml", 9, 7, "unicode", "special characters are not allowed")
    assert str(syntax_problem(refused, "f.yaml", text)) == (
        "f.yaml:2: contains the invisible control character U+0007; delete it (retype the text "
        "around it)")


def test_a_code_beyond_unicode_is_refused_by_either_reader(monkeypatch):
    expected = ("a backslash (\\) in text inside double quotes starts a special code, and this one "
                "cannot be read: write two backslashes (\\\\) for one, or put the text in single "
                "quotes ('...')")
    assert problems('a: "\\U00110000"\n', "f.yaml") == [f"f.yaml:1: {expected}"]
    monkeypatch.setattr(yamlfile, "_loader_class", lambda: yaml.SafeLoader)
    assert problems('a: "\\U00110000"\n', "f.yaml") == [f"f.yaml: {expected}"]  # no line known


# --- no jargon, ever --------------------------------------------------------------------------

JARGON = re.compile(r"<|\bblock\b|mapping|scalar|token|\bnode\b|stream|indicator|directive|"
                    r"simple key|\bflow\b|octet|\bURI\b|hexdecimal|while (scanning|parsing)|"
                    r"composer|parser|scanner|construct|syntax error|YAMLError|Traceback")

GOOD = """\
courses:
  - id: safe-steps-da-2022-12
    title: "Domestic Abuse: An Overview"
    provider: Safe Steps
    url: https://www.example.org/book
    audience: [adults, children]
    topics: [domestic-abuse]
    format: in-person
    location: Civic Centre, Victoria Avenue
    sessions:
      - date: 2022-12-01
        time: "09:30-12:30"
    description: >-
      Half a day, for anyone
      working with families.
    added: 2022-11-20
"""

# What editors do to a line: indent it wrongly, lose or add punctuation, paste odd text.
BREAKS = [
    lambda s: " " + s, lambda s: s[1:], lambda s: s[2:], lambda s: "  " + s, lambda s: "\t" + s,
    lambda s: s.replace(": ", ":", 1), lambda s: s.replace(": ", " ", 1), lambda s: s.replace("- ", "", 1),
    lambda s: s.replace("- ", "-", 1), lambda s: s.replace('"', "", 1), lambda s: s.replace("]", "", 1),
    lambda s: s.replace("[", "", 1), lambda s: s + ": x", lambda s: s + ' "', lambda s: s + " '",
    lambda s: s + " [", lambda s: s + " {", lambda s: s.replace(": ", ": @", 1),
    lambda s: s.replace(": ", ": `", 1), lambda s: s.replace(": ", ": %", 1),
    lambda s: s.replace(": ", ": !", 1), lambda s: s.replace(": ", ": &", 1),
    lambda s: s.replace(": ", ": *", 1), lambda s: s.replace(": ", ": ? ", 1),
    lambda s: s.replace(": ", ": - ", 1), lambda s: s.replace(": ", ': "\\q', 1),
    lambda s: s.replace(": ", ": |x ", 1), lambda s: "---\n" + s, lambda s: "...\n" + s,
    lambda s: "%YAML 1.1\n" + s, lambda s: s + " # note: here", lambda s: s.replace(":", "", 1),
    lambda s: s + "}", lambda s: s + "]", lambda s: s + ", x",
]


def broken_files() -> list[str]:
    lines = GOOD.splitlines(keepends=True)
    return ["".join(lines[:i] + [brk(line.rstrip("\n")) + "\n"] + lines[i + 1:])
            for i, line in enumerate(lines) for brk in BREAKS]


@pytest.mark.parametrize("reader", READERS)
def test_no_message_from_a_corpus_of_broken_files_holds_jargon(monkeypatch, reader):
    monkeypatch.setattr(yamlfile, "_loader_class", lambda: READERS[reader])
    corpus = broken_files()
    assert len(corpus) > 500
    refused = 0
    for text in corpus:
        for message in problems(text, TRAINING):
            refused += 1
            assert not JARGON.search(message), f"{message}\nin:\n{text}"
            assert re.match(r"data/training\.yaml:\d+: ", message), message
    assert refused > 200  # most breaks are mistakes the reader refuses


@pytest.mark.parametrize(("text", "line", "code"), [
    ("a: 1\nb: x\x85y\nc: 2\n", 2, "U+0085"), ("a: 1\nb: 'x\u2028y'\nc: [\n", 2, "U+2028"),
    ('a: 1\nb: "x\\Py"\n', 2, "U+2029"), ("a: 1\nb: |\n  x\u2029y\n", 3, "U+2029")])
def test_an_invisible_line_break_is_named_on_the_line_an_editor_shows(text, line, code):
    """NEL and the line and paragraph separators (pasted from PDFs and web pages) are new lines
    to YAML but nothing to an editor: refused where they are, not as a puzzling syntax error
    lines further on, and never kept in a text field (also when written as YAML's escape)."""
    assert problems(text, "f.yaml") == [
        f"f.yaml:{line}: contains the invisible line break {code} (often pasted from a PDF or a web "
        "page); delete it (retype the text around it)"]
