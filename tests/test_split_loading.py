"""A large training file is loaded in two halves (macros/training.py `_split_points`): the
courses must be those of the file loaded whole, and any problem must be reported exactly as
for the file loaded whole. Checked by halving every fixture the validator tests use, and
files built to be awkward to halve."""

from __future__ import annotations

import pytest

from macros import training
from macros.validation import DataError

from . import test_training_validation as tv


def outcome(tmp_path, text: str, split: bool, monkeypatch) -> tuple[list, list[str]]:
    monkeypatch.setattr(training, "_SPLIT_BYTES", 0 if split else 10**12)
    monkeypatch.setattr(training, "_PARALLEL_BYTES", 0)
    tv.write(tmp_path, text)
    try:
        courses = training.load_courses(training.training_files(tmp_path),
                                        training.load_topics(tmp_path / "data" / "topics.yaml"))
        return courses, []
    except DataError as exc:
        return [], [str(p) for p in exc.problems]


COURSE = """\
  - id: course-{i}
    title: Course {i}
    provider: Safe Steps
    url: https://www.example.org/book/{i}
    audience: [adults]
    topics: [domestic-abuse]
    format: online
    sessions:
      - date: 2022-12-{day:02d}
        time: "09:30-12:30"
    added: 2022-11-20
"""


def many(n: int, extra: str = "") -> str:
    return "courses:\n" + "".join(COURSE.format(i=i, day=i % 28 + 1) + extra for i in range(n))


AWKWARD = {
    "a block scalar holding a list": many(4, "    notes: |\n      - not a course\n      - nor this\n"),
    "comments that look like courses": many(4, "# - id: commented-out\n  # - id: also\n"),
    "a quoted text over two lines": many(4, '    description: "two\n      lines"\n'),
    "a flow list over two lines": many(4).replace("audience: [adults]",
                                                  "audience: [adults,\n      children]"),
    "courses at column 0": "courses:\n" + "".join(
        "\n".join(line[2:] if line.startswith("  ") else line for line in COURSE.format(i=i, day=i + 1)
                  .splitlines()) + "\n" for i in range(4)),
    "a comment after courses:": many(4).replace("courses:\n", "courses:  # the list\n"),
    "one course": many(1),
    "no courses": "courses: []\n",
    "a key after the list": many(4) + "extra: true\n",
    "an anchor and its alias in different halves": many(4).replace(
        "audience: [adults]", "audience: &who [adults]", 1).replace(
        "    audience: [adults]\n    topics: [domestic-abuse]\n    format: online\n    sessions:\n"
        "      - date: 2022-12-04", "    audience: *who\n    topics: [domestic-abuse]\n    format: online\n"
        "    sessions:\n      - date: 2022-12-04"),
    "a duplicate id in the second half": many(4).replace("course-3", "course-0"),
}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_awkward_files_load_the_same_halved(tmp_path, monkeypatch, name):
    whole = outcome(tmp_path, AWKWARD[name], split=False, monkeypatch=monkeypatch)
    halved = outcome(tmp_path, AWKWARD[name], split=True, monkeypatch=monkeypatch)
    assert halved == whole


def test_a_large_file_is_really_halved(tmp_path, monkeypatch):
    text = many(40)
    at, line = training._split_points(text)
    assert text[at:].startswith("  - id: course-2")
    assert text.count("\n", 0, at) == line
    second = training._halves(_write(tmp_path, text))[1]
    assert second.splitlines()[line] == text.splitlines()[line]
    assert outcome(tmp_path, text, True, monkeypatch) == outcome(tmp_path, text, False, monkeypatch)


def _write(tmp_path, text):
    tv.write(tmp_path, text)
    return tmp_path / "data" / "training.yaml"


@pytest.mark.parametrize("case", tv.CASES, ids=[c[0] for c in tv.CASES])
def test_every_malformed_fixture_gives_the_same_messages_halved(tmp_path, monkeypatch, case):
    whole = outcome(tmp_path, case[1], split=False, monkeypatch=monkeypatch)
    assert whole[1], "a malformed fixture has problems"
    assert outcome(tmp_path, case[1], split=True, monkeypatch=monkeypatch) == whole
