"""How a data file is read (`load_yaml_text`: libyaml's nodes, built as PyYAML's SafeLoader
builds them, YAML 1.1): the values, the line of every key and item, and what is refused,
on YAML chosen to be awkward; and every file of the repository's data loads."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from macros.core.problems import ROOT, DataError
from macros.core.yamlfile import load_yaml, load_yaml_text
from macros.core.yamllines import LineMap, LineSeq, line_of

UTC = dt.UTC

VALUES = [
    ("", None),
    ("# only a comment\n", None),
    ("courses:\n", {"courses": None}),
    ("courses: []\n", {"courses": []}),
    ("a: 1\nb: 1.5\nc: yes\nd: No\ne: ~\nf: null\ng: 2023-05-18\nh: '2023-05-18'\ni: 2023-02-30\n",
     {"a": 1, "b": 1.5, "c": True, "d": False, "e": None, "f": None, "g": dt.date(2023, 5, 18),
      "h": "2023-05-18", "i": "2023-02-30"}),  # a date that does not exist stays its text
    ("time: 12:30\nt2: '12:30'\nt3: 09:30-11:00\n", {"time": 750, "t2": "12:30", "t3": "09:30-11:00"}),
    ("octal: 017\nhex: 0x1F\nunderscore: 1_000\nsign: -3\nplus: +4\nexp: 1.0e+3\ninf: .inf\n",
     {"octal": 15, "hex": 31, "underscore": 1000, "sign": -3, "plus": 4, "exp": 1000.0,
      "inf": math.inf}),
    # YAML 1.1 as PyYAML reads it: yes/no/on/off are true/false; a single y or n is text.
    ("a: on\nb: off\nc: y\nd: N\ne: YES\nf: False\nempty:\nquoted_empty: ''\n",
     {"a": True, "b": False, "c": "y", "d": "N", "e": True, "f": False, "empty": None,
      "quoted_empty": ""}),
    ("stamp: 2023-05-18 10:30:00\nzoned: 2023-05-18T10:30:00Z\nshort: 2023-5-1\n",
     {"stamp": dt.datetime(2023, 5, 18, 10, 30), "zoned": dt.datetime(2023, 5, 18, 10, 30, tzinfo=UTC),
      "short": "2023-5-1"}),
    ("text: |\n  two\n  lines\nfolded: >\n  one\n  line\nafter: x\n",
     {"text": "two\nlines\n", "folded": "one line\n", "after": "x"}),
    ("flow: {a: 1, b: [x, y]}\nlist: [1, 2, {c: d}]\n",
     {"flow": {"a": 1, "b": ["x", "y"]}, "list": [1, 2, {"c": "d"}]}),
    ("- a\n- - b\n  - c\n- d: e\n  f: g\n-\n", ["a", ["b", "c"], {"d": "e", "f": "g"}, None]),
    ("title: <script>alert(1)</script>\nurl: https://example.org/a?b=c#d\n",
     {"title": "<script>alert(1)</script>", "url": "https://example.org/a?b=c#d"}),
    ("title: \"a \\\"quote\\\"\"\nsingle: 'it''s'\nunicode: caf\u00e9 \u2013 \u00a3\n",
     {"title": 'a "quote"', "single": "it's", "unicode": "caf\u00e9 \u2013 \u00a3"}),
    ("key with spaces: v\n'quoted key': w\n\"dq\": x\n1: one\n2023-01-01: date key\n",
     {"key with spaces": "v", "quoted key": "w", "dq": "x", 1: "one", dt.date(2023, 1, 1): "date key"}),
    ("list:\n- a\n  - b\n", {"list": ["a - b"]}),
    ("a: '<<'\nb: <<\n", {"a": "<<", "b": "<<"}),
    ("a: !!str 1\nb: ! 2\n", {"a": "1", "b": 2}),
]


def exactly(found, expected, where="") -> None:
    """Equal, and of the same kind (True is not 1, a date is not a datetime)."""
    if isinstance(expected, dict):
        assert isinstance(found, LineMap) and list(found) == list(expected), where
        for key in expected:
            exactly(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, LineSeq) and len(found) == len(expected), where
        for i, item in enumerate(expected):
            exactly(found[i], item, f"{where}[{i}]")
    else:
        assert type(found) is type(expected) and found == expected, (where, found, expected)


@pytest.mark.parametrize("text,expected", VALUES)
def test_values(text, expected):
    exactly(load_yaml_text(text, "f.yaml"), expected)


def test_not_a_number():
    assert math.isnan(load_yaml_text("nan: .NaN\n", "f.yaml")["nan"])


def test_lines_of_keys_and_items():
    text = ("courses:\n"                 # 1
            "  - id: a\n"                # 2
            "    sessions:\n"            # 3
            "      - date: 2023-05-18\n"  # 4
            "        time: '10:00'\n"    # 5
            "\n"                         # 6
            "      - {date: 2023-05-25}\n"  # 7
            "  # a comment\n"            # 8
            "  - id: b\n"                # 9
            "    topics: [x,\n"          # 10
            "      y]\n")                # 11
    doc = load_yaml_text(text, "f.yaml")
    assert doc.lc.key("courses") == (0, 0)
    assert doc["courses"].lc.item(0) == (1, 4) and doc["courses"].lc.item(1) == (8, 4)
    assert line_of(doc, ["courses", 0, "sessions"]) == 3
    assert line_of(doc, ["courses", 0, "sessions", 0, "time"]) == 5
    assert line_of(doc, ["courses", 0, "sessions", 1]) == 7
    assert line_of(doc, ["courses", 1, "topics", 1]) == 11
    assert line_of(doc, ["courses", 1, "missing"]) == 9  # the record's line
    assert doc["courses"][0].lc.line == 1
    # Front matter starts on line 2: lines are the file's.
    assert line_of(load_yaml_text("title: x\ndate: y\n", "f.md", first_line=2), ["date"]) == 3


@pytest.mark.parametrize("text,expected", [
    ("a: 1\na: 2\n", "f.yaml:2: 'a' is written twice in the same group of fields (also on line 1): "
     "keep one and delete the other"),
    ("true: a\n1: b\n", "f.yaml:2: '1' is written twice in the same group of fields (also on line 1): "
     "keep one and delete the other"),  # YAML 1.1 reads true as 1
    ("a: 1\nb:\n  c: 1\n  c: [x]\n", "f.yaml:4: 'c' is written twice in the same group of fields "
     "(also on line 3): keep one and delete the other"),
    ("a: &x 1\nb: 2\n", "f.yaml:1: '&x' names a value to repeat elsewhere (an anchor); anchors "
     "are not allowed in data files: delete '&x' and write the value out in full where it is needed"),
    ("a: !!str 1\nb: !custom x\n", "f.yaml:2: '!custom' is a YAML tag, and tags are not allowed in "
     "data files: delete '!custom' and write the value as plain text, a list or fields"),
    ("x: !!set {a, b}\n", "f.yaml:1: '!!set' is a YAML tag, and tags are not allowed in data files: "
     "delete '!!set' and write the value as plain text, a list or fields"),
    ("x: !!binary aGVsbG8=\n", "f.yaml:1: '!!binary' is a YAML tag, and tags are not allowed in data "
     "files: delete '!!binary' and write the value as plain text, a list or fields"),
    ("a: !!int x\n", "f.yaml:1: 'x' cannot be read as '!!int': remove '!!int' before it"),
    ("? [complex, key]\n: value\n", "f.yaml:1: a field's name here is a list or a group of fields "
     "(a complex key); a field's name must be plain text"),
    ("a: 1\nb:\n  [1, 2]: x\n", "f.yaml:3: a field's name here is a list or a group of fields "
     "(a complex key); a field's name must be plain text"),
    ("<<: {x: 1}\n", "f.yaml:1: '<<' merges fields from elsewhere (a merge key); merge keys are not "
     "allowed in data files: write the fields out in full"),
    ("--- a\n--- b\n", "f.yaml:2: a line '---' or '...' here starts a second part of the file, and a "
     "data file holds only one: remove the line, or move what follows it into a file of its own"),
    # Every other mistake the reader can meet: tests/core/test_yaml_errors.py.
    ('a: "Smile \\ud83d\\ude00"\n', "f.yaml:1: contains the invisible control character U+D83D; "
     "delete it (retype the text around it)"),
])
def test_refused_in_one_plain_line(text, expected):
    with pytest.raises(DataError) as caught:
        load_yaml_text(text, "f.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_the_repository_data_loads():
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        assert isinstance(load_yaml(path), LineMap), path
