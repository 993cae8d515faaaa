"""data/contacts.yaml: the validator's messages, and what the build does with contacts."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from macros.core.problems import DataError
from macros.data.contacts import load_contacts, production_problems
from tests.conftest import ROOT, run_build

GOOD = """\
contacts:
  - id: emergency
    name: Emergency
    for: [children, adults]
    group: emergency
    when: Someone is in danger now.
    phone: "999"
    verified: true
    source: UK emergency number.
"""


def problems_for(tmp_path, text: str) -> list[str]:
    path = tmp_path / "contacts.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    try:
        load_contacts(path)
    except DataError as exc:
        return [str(p).replace(str(tmp_path) + "/", "") for p in exc.problems]
    return []


def test_the_repository_contacts_are_valid():
    contacts = load_contacts()
    assert contacts[0].id == "emergency", "emergency must come first"
    assert [c.group for c in contacts] == sorted(
        (c.group for c in contacts), key=("emergency", "local", "national").index)


def test_good_file_has_no_problems(tmp_path):
    assert problems_for(tmp_path, GOOD) == []


CASES = [
    ("unquoted number",
     GOOD.replace('phone: "999"', "phone: 999"),
     "contacts.yaml:7: contact 'emergency': phone: expected text, found the number 999 "
     "(put the value in quotes)"),
    ("unknown audience",
     GOOD.replace("for: [children, adults]", "for: [kids]"),
     "contacts.yaml:4: contact 'emergency': for: 'kids' is not allowed "
     "(write one of: children, adults)"),
    ("misspelt field",
     GOOD.replace("group: emergency", "grop: emergency"),
     "contacts.yaml:5: contact 'emergency': grop: is not a field we know; did you mean 'group'? "
     "(allowed fields: for, group, hours, id, name, notes, phone, source, text, url, verified, when)"),
    ("missing source",
     GOOD.replace("    source: UK emergency number.\n", ""),
     "contacts.yaml:2: contact 'emergency': source: is missing (where the number comes from, "
     "e.g. annual report section 12.1, or the helpline's own website)"),
    ("bad group",
     GOOD.replace("group: emergency", "group: Emergancy"),
     "contacts.yaml:5: contact 'emergency': group: 'Emergancy' is not allowed; did you mean "
     "'emergency'? (write one of: emergency, local, national)"),
    ("javascript url",
     GOOD.replace("    verified: true", "    url: javascript:alert(1)\n    verified: true"),
     "contacts.yaml:8: contact 'emergency': url: 'javascript:alert(1)' is not in the right form "
     "(a full web address starting https://)"),
    ("verified without a number",
     GOOD.replace('    phone: "999"\n', ""),
     "contacts.yaml:2: contact 'emergency': verified: a verified contact needs a phone number "
     "(add phone: \"...\" or set verified: false)"),
    ("verified as text",
     GOOD.replace("verified: true", "verified: yes please"),
     "contacts.yaml:8: contact 'emergency': verified: expected true or false, found 'yes please' "
     "(true once the business unit has checked the number with the service; false until then)"),
    ("tab indentation",
     GOOD.replace("    name: Emergency", "\tname: Emergency"),
     "contacts.yaml:3: a tab character is used for indentation; use spaces instead"),
    ("bad indentation",
     GOOD.replace("    name: Emergency", "      name: Emergency"),
     "contacts.yaml:3: this line is indented more than the line above it (it is indented by 6 spaces, "
     "the field above by 4): give it the same number of spaces as the other fields it belongs "
     "with (or, if the line above holds text with ': ' in it, put that text in quotes)"),
    ("unclosed quote",
     GOOD.replace('phone: "999"', 'phone: "999'),
     "contacts.yaml:10: the quote (\") opened on line 7 is not closed: add the closing \" at the end "
     "of the value"),
    ("duplicate id",
     GOOD + GOOD.split("contacts:\n", 1)[1],
     "contacts.yaml:10: contact 'emergency': id: the id is also used on line 2; "
     "give each contact its own id"),
    ("not a list",
     "contacts: none\n",
     "contacts.yaml:1: expected a list, found 'none'"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validator_message(tmp_path, text, expected):
    assert expected in problems_for(tmp_path, text)


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace('phone: "999"', "phone: 999").replace("for: [children, adults]", "for: []")
    assert len(problems_for(tmp_path, text)) == 2


def test_unverified_contacts_fail_production_only(tmp_path):
    text = GOOD + (
        "  - id: local-team\n    name: Local team\n    for: [adults]\n    group: local\n"
        "    when: You are worried.\n    verified: false\n"
        "    source: Named in the annual report, no number given.\n")
    path = tmp_path / "contacts.yaml"
    path.write_text(text)
    contacts = load_contacts(path)  # fine in a preview
    problems = [str(p) for p in production_problems(contacts, path)]
    assert len(problems) == 1 and "contact 'local-team': verified: is not verified" in problems[0]


def test_validate_script_prints_one_line_per_problem_and_annotations(project_copy):
    contacts = project_copy / "data" / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace('phone: "101"', "phone: 101"))
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project_copy,
                            capture_output=True, text=True,
                            env={"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = next(ln for ln in result.stderr.splitlines() if "police-non-emergency" in ln)
    assert line.startswith("data/contacts.yaml:")
    assert "phone: expected text, found the number 101 (put the value in quotes)" in line
    assert result.stdout.startswith("::error file=data/contacts.yaml,line=")


def test_validate_script_passes_on_the_repository():
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_production_build_fails_while_contacts_are_unverified(project_copy, tmp_path):
    result = run_build(tmp_path / "out", {"SITE_ENV": "production"}, cwd=project_copy)
    assert result.returncode != 0
    assert "contact 'southend-childrens-mash': verified: is not verified" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_contacts_fail_the_build_with_the_line(project_copy, tmp_path):
    contacts = project_copy / "data" / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace('phone: "101"', "phone: 101"))
    result = run_build(tmp_path / "out", cwd=project_copy)
    assert result.returncode != 0
    assert "data/contacts.yaml:" in result.stderr and "put the value in quotes" in result.stderr
    assert "Traceback" not in result.stderr
