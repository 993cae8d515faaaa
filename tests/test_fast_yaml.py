"""The fast loader (libyaml events) must give what the round-trip loader (ruamel) gives: the
same values and the same line for every key and item, or say it cannot and leave the file
to the round-trip loader. Checked on the repository's data, every fixture the validator
tests use, and YAML chosen to be awkward."""

from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from macros.validation import ROOT, LineMap, LineSeq, _fast_load, _FastLoadUnavailable, _yaml

AWKWARD = [
    "",
    "# only a comment\n",
    "courses:\n",
    "courses: []\n",
    "a: 1\nb: 1.5\nc: yes\nd: No\ne: ~\nf: null\ng: 2023-05-18\nh: '2023-05-18'\ni: 2023-02-30\n",
    "time: 12:30\nt2: '12:30'\nt3: 09:30-11:00\n",
    "octal: 017\nhex: 0x1F\nunderscore: 1_000\nsign: -3\nplus: +4\nexp: 1.0e+3\ninf: .inf\nnan: .NaN\n",
    "a: on\nb: off\nc: y\nd: N\nempty:\nquoted_empty: ''\n",
    "stamp: 2023-05-18 10:30:00\nzoned: 2023-05-18T10:30:00Z\nshort: 2023-5-1\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\nafter: x\n",
    "flow: {a: 1, b: [x, y]}\nlist: [1, 2, {c: d}]\n",
    "- a\n- - b\n  - c\n- d: e\n  f: g\n-\n",
    "title: <script>alert(1)</script>\nurl: https://example.org/a?b=c#d\n",
    "title: \"tab\\there\"\nsingle: 'it''s'\nunicode: caf\u00e9 \u2013 \u00a3\n",
    "key with spaces: v\n'quoted key': w\n\"dq\": x\n1: one\n2023-01-01: date key\n",
    # Each of these must fall back (or give the same result).
    "a: &x 1\nb: *x\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "a: 1\na: 2\n",
    "a: !!str 1\nb: !custom x\n",
    "? [complex, key]\n: value\n",
    "--- a\n--- b\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "list:\n- a\n  - b\n",
    "a: '<<'\nb: <<\n",
    "x: !!set {a, b}\n",
    "true: a\n1: b\n",
]


def texts():
    from . import test_contacts, test_reviews_validation, test_training_validation

    for path in sorted((ROOT / "data").rglob("*.yaml")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for module in (test_contacts, test_training_validation, test_reviews_validation):
        yield f"{module.__name__}.GOOD", module.GOOD
        for case in module.CASES:
            yield f"{module.__name__}: {case[0]}", case[1]
    for i, text in enumerate(AWKWARD):
        yield f"awkward {i}", text


def same(fast, slow, where: str) -> None:
    """Values equal, of the same kind, and every key and item on the same line."""
    if isinstance(slow, CommentedMap):
        assert isinstance(fast, LineMap), where
        assert list(fast) == list(slow), where
        for key in slow:
            assert fast.lc.key(key)[0] == slow.lc.key(key)[0], (where, key)
            same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, CommentedSeq):
        assert isinstance(fast, LineSeq) and len(fast) == len(slow), where
        for i, item in enumerate(slow):
            assert fast.lc.item(i)[0] == slow.lc.item(i)[0], (where, i)
            same(fast[i], item, f"{where}[{i}]")
    elif isinstance(slow, float) and slow != slow:
        assert fast != fast, where  # NaN
    else:
        assert fast == slow, where
        for kind in (bool, int, float, dt.datetime, dt.date, str, type(None)):
            if isinstance(slow, kind):
                assert isinstance(fast, kind), (where, fast, slow)
                break


@pytest.mark.parametrize("where,text", list(texts()), ids=lambda v: v if len(v) < 60 else None)
def test_fast_loader_agrees_with_round_trip(where, text):
    try:
        fast = _fast_load(text)
    except _FastLoadUnavailable:
        return  # the round-trip loader reads it, and words any error
    slow = _yaml().load(text)
    same(fast, slow, where)


def test_most_data_takes_the_fast_path():
    fallbacks = []
    for path in (ROOT / "data").rglob("*.yaml"):
        try:
            _fast_load(path.read_text(encoding="utf-8"))
        except _FastLoadUnavailable:
            fallbacks.append(path.name)
    assert fallbacks == []


@pytest.mark.parametrize("text", [AWKWARD[i] for i in (7, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26)])
def test_unusual_yaml_falls_back(text):
    with pytest.raises(_FastLoadUnavailable):
        _fast_load(text)
