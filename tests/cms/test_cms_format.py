"""Issue #14, point 5: a save through the forms changes only the entry it touches.

The editor's formats (overrides/admin/ssp-format.js) run here in Node, as the browser runs
them, on the repository's own files: reading a file and saving it unchanged gives it back byte
for byte (comments, layout, folded text and all); changing, adding or removing one entry
changes only that entry's lines; and whatever is written reads back, in Python as the
validator reads it (YAML 1.1), as exactly the data the form held.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess

import pytest

from macros.core.schema import plain
from macros.core.yamlfile import load_yaml_text
from macros.data.newsletters import newsletter_files
from macros.outputs import cms
from tests.conftest import ROOT

NODE = shutil.which("node")
TOOLS = ROOT / "tools" / "node_modules"
pytestmark = pytest.mark.skipif(not NODE, reason="make test installs Node.js (scripts/ensure-node.sh)")

# Reads {config, text, edits: [[path, value]], kind} on stdin, prints the saved text.
DRIVER = r"""
const F = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const trees = F.trees(input.config);
const format = input.kind === 'md' ? F.frontMatterFormat(trees.front) : F.yamlFormat(trees.data);
let data = format.fromFile(input.text);
for (const [path, value] of input.edits) {
  let at = data;
  for (const k of path.slice(0, -1)) at = at[k];
  const last = path[path.length - 1];
  if (value === '__delete__') Array.isArray(at) ? at.splice(last, 1) : delete at[last];
  else if (last === '__push__') at.push(value);
  else at[last] = value;
}
process.stdout.write(JSON.stringify(format.toFile(JSON.parse(JSON.stringify(data)))));
"""


def save(text: str, edits=(), kind: str = "yaml") -> str:
    """`text` read by the editor's format, edited, and saved: the text it writes."""
    config = cms.config({}, production=False)
    done = subprocess.run([NODE, "-e", DRIVER, str(ROOT / "overrides" / "admin" / "ssp-format.js")],
                          input=json.dumps({"config": config, "text": text, "edits": list(edits),
                                            "kind": kind}),
                          capture_output=True, text=True, timeout=60, env={"NODE_PATH": str(TOOLS)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


DATA = sorted((ROOT / "data").glob("*.yaml"))
NEWSLETTERS = newsletter_files()


@pytest.mark.parametrize("path", DATA + NEWSLETTERS, ids=lambda p: p.name)
def test_saving_unchanged_gives_the_file_back_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert save(text, kind=path.suffix.lstrip(".")) == text


def test_saving_keeps_windows_line_endings():
    text = (ROOT / "data" / "topics.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert save(text) == text


TRAINING = (ROOT / "data" / "training.yaml").read_text(encoding="utf-8")


def test_changing_one_field_changes_one_line():
    new = save(TRAINING, [[["courses", 1, "title"], "Anti-Bullying: an introduction"]])
    assert changed_lines(TRAINING, new) == ["-    title: Anti-Bullying",
                                            '+    title: "Anti-Bullying: an introduction"']


def test_a_field_added_to_an_entry_goes_where_the_form_has_it():
    new = save(TRAINING, [[["courses", 0, "cost"], "£25"]])
    assert changed_lines(TRAINING, new) == ['+    cost: "£25"']
    lines = new.splitlines()
    assert lines[lines.index('    cost: "£25"') - 1] == "    format: on-demand"  # as in the schema


def test_removing_an_entry_removes_its_lines_only():
    new = save(TRAINING, [[["courses", 1], "__delete__"]])
    removed = changed_lines(TRAINING, new)
    assert all(line.startswith("-") for line in removed)
    assert "-  - id: anti-bullying-alliance-anti-bullying" in removed
    assert len(load_yaml_text(new, "data/training.yaml")["courses"]) == \
        len(load_yaml_text(TRAINING, "data/training.yaml")["courses"]) - 1


def test_a_topic_is_added_in_the_files_own_layout():
    text = (ROOT / "data" / "topics.yaml").read_text(encoding="utf-8")
    new = save(text, [[["topics", "__push__"], {"slug": "online-safety-2", "label": "Online safety (2)"}]])
    assert changed_lines(text, new) == ["+  - slug: online-safety-2", '+    label: "Online safety (2)"']


AWKWARD = {
    "id": "awkward-course-2023-05", "title": "yes", "provider": "Safe Steps: #1 – “quoted” \\ slash",
    "url": "https://www.example.org/book?a=1&b=2#x", "audience": ["adults"], "topics": ["domestic-abuse"],
    "format": "in-person", "location": "12:30", "cost": "0800",
    "description": " ".join(["A long description that the editor folds over several lines."] * 6),
    "notes": "First line: with a colon\nSecond line - with a dash\n\nA paragraph after a blank line",
    "sessions": [{"date": "2023-05-18", "time": "09:30"}, {"date": "2023-05-19", "end_date": "2023-05-20",
                                                           "time": "18:00-09:00"}],
    "added": "2023-05-02", "link_unknown": False,
}


def test_whatever_is_written_reads_back_as_the_form_held_it_in_python():
    """YAML 1.1, as the validator reads: "yes", "12:30" and "0800" stay text."""
    new = save(TRAINING, [[["courses", "__push__"], AWKWARD]])
    assert new.startswith(TRAINING)
    course = plain(load_yaml_text(new, "data/training.yaml")["courses"][-1])
    assert course == AWKWARD
    assert "    description: >-" in new and "    notes: |-" in new  # long text stays readable


def test_an_invisible_line_break_pasted_into_a_form_is_saved_as_a_space():
    pasted = "Safeguarding\u2028adults\u0085in\u2029practice"
    new = save(TRAINING, [[["courses", 1, "title"], pasted]])
    assert changed_lines(TRAINING, new) == ["-    title: Anti-Bullying",
                                            '+    title: "Safeguarding adults in practice"']


def test_a_newsletter_keeps_its_text_when_its_summary_changes():
    path = NEWSLETTERS[0]
    text = path.read_text(encoding="utf-8")
    new = save(text, [[["summary"], "A new summary."]], kind="md")
    assert changed_lines(text, new)[1] == '+summary: "A new summary."'
    assert len(changed_lines(text, new)) == 2
