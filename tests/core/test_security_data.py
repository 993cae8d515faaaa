"""Issue #11, points 5 and 6: any data file is read in bounded time and memory, and holds clean
text, so that every feed, calendar and JSON file the site publishes always parses.

Each refusal is one plain line naming the file and the line, as the business unit reads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from macros.core.problems import DataError
from macros.core.yamlsafety import MAX_FILE_BYTES
from macros.data import contacts, reviews
from macros.data.topics import load_topics
from tests.conftest import run_build
from tests.data.test_training_validation import GOOD, problems_for

TITLE = "    title: Domestic Abuse – An Overview\n"
URL = "    url: https://www.example.org/book\n"
C = "data/training.yaml:{}: "
DA = "data/training.yaml:{}: course 'safe-steps-da-2022-12': "


def control(line: int, code: str) -> str:
    return (C.format(line) + f"contains the invisible control character {code}; delete it (retype the "
            "text around it)")


def bidi(line: int, code: str) -> str:
    return (C.format(line) + f"contains the hidden text-direction character {code}, which can make text "
            "read differently from what it is; delete it (retype the text around it)")

CASES = [
    ("an anchor and an alias",
     GOOD.replace("    audience: [adults, children]", "    audience: &both [adults, children]")
     .replace("    audience: [adults]", "    audience: *both"),
     [C.format(6) + "'&both' names a value to repeat elsewhere (an anchor); anchors are not allowed "
      "in data files: delete '&both' and write the value out in full where it is needed",
      C.format(22) + "'*both' repeats a value written elsewhere (an alias); aliases are not allowed "
      "in data files: write the value out in full here"]),
    ("an alias bomb (700 bytes that expand to billions of items)",
     "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
         f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
     + "courses: []\n",
     None),  # checked below: one line per anchor and alias, at most 50
    ("3,000 nested levels", "courses: " + "[" * 3000 + "]" * 3000 + "\n",
     [C.format(1) + "fields are nested more than 10 levels deep here; check the indentation"]),
    ("a control character", GOOD.replace(TITLE, '    title: "Domestic Abuse\\x07 – An Overview"\n'),
     [control(3, "U+0007")]),
    ("a NUL", GOOD.replace(TITLE, '    title: "Domestic Abuse\\0"\n'),
     [control(3, "U+0000")]),
    ("a bidi override", GOOD.replace(TITLE, "    title: Domestic Abuse \u202eweivrevO nA\n"),
     [bidi(3, "U+202E")]),
    ("a bidi isolate in a key", GOOD.replace("    provider: Safe Steps", "    provider\u2066: Safe Steps"),
     [bidi(4, "U+2066")]),
    ("a lone surrogate", GOOD.replace(TITLE, '    title: "Smile \\ud83d\\ude00"\n'),
     [control(3, "U+D83D")]),
    ("a line break in a one-line field", GOOD.replace(TITLE, '    title: "Domestic Abuse\\nAn Overview"\n'),
     [DA.format(3) + "title: must be on one line: it holds a line break (join the lines)"]),
    ("a URL with a line break", GOOD.replace(URL, '    url: "https://www.example.org/book\\nX: 1"\n'),
     [DA.format(5) + "url: 'https://www.example.org/book<U+000A>X: 1' is not a web address: it holds "
      "a space, a line break or an invisible character (write the address on one line, without "
      "spaces)"]),
    ("a URL with a tab escape", GOOD.replace(URL, '    url: "https://www.example.org/\\tbook"\n'),
     [C.format(5) + "contains a tab character; use spaces instead"]),
    ("a title of a million characters", GOOD.replace(TITLE, f"    title: {'x' * 1_000_000}\n"),
     [DA.format(3) + "title: is too long: at most 200 characters (the course's title as the provider "
      "gives it, plain text)"]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unsafe_data_is_refused_in_one_plain_line(tmp_path, text, expected):
    found = problems_for(tmp_path, text)
    if expected is None:  # the alias bomb
        assert 10 <= len(found) <= 50
        assert all("anchors are not allowed" in p or "aliases are not allowed" in p for p in found)
    else:
        assert found == expected


def test_a_multi_line_field_may_hold_line_breaks(tmp_path):
    text = GOOD.replace(TITLE, TITLE + "    description: |\n      Two lines\n      of text.\n")
    assert problems_for(tmp_path, text) == []


def test_every_schema_text_field_has_a_maximum_length():
    def strings(node, path):
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "string" or (isinstance(kind, list) and "string" in kind):
                yield path, node
            for key, sub in node.items():
                yield from strings(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                yield from strings(sub, f"{path}/{i}")

    found = 0
    for schema in sorted((Path(__file__).parents[2] / "data" / "schema").glob("*.json")):
        for path, node in strings(json.loads(schema.read_text()), schema.name):
            found += 1
            assert isinstance(node.get("maxLength"), int) and 0 < node["maxLength"] <= 5000, path
    assert found > 50


def test_other_data_files_refuse_unsafe_text_too(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = Path(__file__).parents[2] / "data"
    reviews_text = (source / "reviews.yaml").read_text()
    first_summary = reviews_text.index("summary:")
    (data / "reviews.yaml").write_text(reviews_text[:first_summary] + "summary: \u202a"
                                       + reviews_text[first_summary + len("summary: "):])
    with pytest.raises(DataError) as caught:
        reviews.load_reviews(data / "reviews.yaml", topics=load_topics())
    assert [p.message for p in caught.value.problems] == [
        "contains the hidden text-direction character U+202A, which can make text read differently "
        "from what it is; delete it (retype the text around it)"]
    contacts_text = (source / "contacts.yaml").read_text()
    url_at = contacts_text.index("url: ") + len("url: ")
    end = contacts_text.index("\n", url_at)
    (data / "contacts.yaml").write_text(contacts_text[:url_at] + json.dumps(
        contacts_text[url_at:end].strip() + "\n") + contacts_text[end:])
    with pytest.raises(DataError) as caught:
        contacts.load_contacts(data / "contacts.yaml")
    [problem] = caught.value.problems
    assert problem.field == "url" and problem.message.endswith(
        "<U+000A>' is not a web address: it holds a space, a line break or an invisible character "
        "(write the address on one line, without spaces)")


# --- bounded time and memory, measured on the real commands ------------------------------------

# Runs a command and prints the peak memory (KiB) of the command alone, then its output.
PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, "
        "text=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); sys.exit(r.returncode)")


def measured(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[int, float, str]:
    """(exit code, peak memory in MB, stderr) of `cmd`."""
    import os

    result = subprocess.run([sys.executable, "-c", PEAK, *cmd], cwd=cwd, capture_output=True,
                            text=True, timeout=600, env={**os.environ, **(env or {})})
    return result.returncode, int(result.stdout.split("\n", 1)[0]) / 1024, result.stderr


def test_a_50_mb_data_file_gets_one_clear_refusal_in_little_memory(project_copy):
    with (project_copy / "data" / "training.yaml").open("a") as out:
        block = "# " + "x" * 998 + "\n"
        for _ in range(50_000):
            out.write(block)
    code, peak, err = measured([sys.executable, "scripts/validate.py"], project_copy)
    assert code == 1
    assert err.splitlines() == [
        "data/training.yaml: the file is 50.1 MB; a data file may be at most "
        f"{MAX_FILE_BYTES // 1_000_000} MB (split it, or remove what does not belong in it)",
        "1 problem(s) found; nothing can be published until they are fixed."]
    assert peak < 500


@pytest.mark.parametrize("attack", ["alias bomb", "million-character title"])
def test_hostile_data_under_1_mb_fails_validate_and_build_quickly_in_little_memory(
        project_copy, tmp_path, attack):
    path = project_copy / "data" / "training.yaml"
    text = path.read_text()
    if attack == "alias bomb":
        text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(9)) + text
    else:
        at = text.index("    title: ") + len("    title: ")
        text = text[:at] + "x" * 1_000_000 + text[text.index("\n", at):]
    path.write_text(text)
    assert path.stat().st_size < 1_100_000
    code, peak, err = measured([sys.executable, "scripts/validate.py"], project_copy)
    assert code == 1 and "Traceback" not in err and peak < 500
    expected = "anchors are not allowed" if attack == "alias bomb" else "is too long: at most 200"
    assert expected in err
    code, peak, err = measured([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                                str(tmp_path / "out")], project_copy,
                               {"SITE_TODAY": "2026-11-26", "NO_MKDOCS_2_WARNING": "1"})
    assert code == 1 and "Traceback" not in err and peak < 500
    assert expected in err


def test_odd_but_valid_text_still_gives_feeds_and_calendars_that_parse(project_copy, tmp_path):
    """Text a provider may well write (quotes, ampersands, angle brackets, emoji, accents)
    reaches every output, and every output parses. (A line or paragraph separator is refused
    in a data file, where YAML counts it as a new line: test_yaml_errors.py; the harvester
    writes it as a space.)"""
    odd = "Ünïcødé & <Co> \"quoted\" 'single' \U0001f600 ; , \\ end"
    quoted = json.dumps(odd, ensure_ascii=False)
    for path in (project_copy / "data" / "training.yaml",  # on-demand, then dated courses
                 project_copy / "data" / "archive" / "training-2022-23.yaml"):
        text = path.read_text()
        for field in ("title", "provider", "location"):
            text = text.replace(f"\n    {field}: ", f"\n    {field}: {quoted} #", 1)
        path.write_text(text)
    result = run_build(tmp_path / "out", {"SITE_TODAY": "2022-09-01"}, cwd=project_copy)
    assert result.returncode == 0, result.stderr[-2000:]
    site = tmp_path / "out" / "training"
    ET.fromstring((site / "feed.xml").read_bytes())
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    words = odd.split()  # the loader may tidy the spaces between words, nothing else
    assert words in [str(e.get("SUMMARY")).split() for e in calendar.walk("VEVENT")]
    for ics in site.glob("*.ics"):
        icalendar.Calendar.from_ical(ics.read_bytes())
    courses = json.loads((site / "courses.json").read_text())
    assert words in [c["title"].split() for c in courses["courses"]]
    json.loads((site / "search-index.json").read_text())
