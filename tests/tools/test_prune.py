"""The weekly prune step on a copy of tests/fixtures/training (never the repository's data).

The fixture's header says what moves where at 2023-04-15 12:00. The expected files after the
prune are in tests/fixtures/training/expected/; after a deliberate change, regenerate them
with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/tools/test_prune.py` and review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from macros.core.dates import LONDON
from macros.core.problems import DataError
from macros.data.datafiles import load_training
from macros.data.topics import load_topics
from macros.data.training import load_courses, training_files
from macros.tools import prune as prune_mod
from macros.tools.prune import prune

FIXTURE = Path(__file__).parents[1] / "fixtures" / "training"
NOW = dt.datetime(2023, 4, 15, 12, 0, tzinfo=LONDON)
MOVED = {
    "safe-steps-da-overview-2022-12": "2022-23",
    "nwg-cse-2023-03": "2022-23",
    "scie-advocacy-e-learning": "2022-23",
    "mecc-2023-03": "2023-24",
}


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "site"
    shutil.copytree(FIXTURE / "data", dest / "data")
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def records(root: Path) -> dict[str, object]:
    """Every course by id, without where it sits (file and lines)."""
    courses = load_courses(training_files(root), load_topics(root / "data" / "topics.yaml"))
    assert len({c.id for c in courses}) == len(courses)
    return {c.id: dataclasses.replace(
        c, file="", line=0, sessions=tuple(dataclasses.replace(s, line=0) for s in c.sessions))
        for c in courses}


def test_moves_ended_courses_to_the_archive_of_their_financial_year(root):
    moves = prune(NOW, root=root)
    assert {m.id: m.year for m in moves} == MOVED
    assert [m.id for m in moves] == ["safe-steps-da-overview-2022-12", "nwg-cse-2023-03", "mecc-2023-03",
                                     "scie-advocacy-e-learning"]  # in the order of the file
    assert {m.id: m.ended.isoformat() for m in moves} == {
        "safe-steps-da-overview-2022-12": "2022-12-06", "nwg-cse-2023-03": "2023-03-31",
        "mecc-2023-03": "2023-04-14", "scie-advocacy-e-learning": "2023-03-31"}
    archive = root / "data" / "archive"
    assert all(m.archive == str(archive / f"training-{m.year}.yaml") for m in moves)
    left = load_courses([root / "data" / "training.yaml"], load_topics(root / "data" / "topics.yaml"))
    assert sorted(c.id for c in left) == ["anti-bullying-e-learning", "dfe-prevent-gaming-2023-04",
                                          "hate-crime-2023-04-15"]
    topics = load_topics(root / "data" / "topics.yaml")
    assert {c.id for c in load_courses([archive / "training-2022-23.yaml"], topics)} == {
        "free-4-mh-suicide-awareness-2022-09", "safe-steps-da-overview-2022-12", "nwg-cse-2023-03",
        "scie-advocacy-e-learning"}
    assert [c.id for c in load_courses([archive / "training-2023-24.yaml"], topics)] == ["mecc-2023-03"]


def test_loses_nothing_and_changes_no_course(root):
    before = records(root)
    prune(NOW, root=root)
    assert records(root) == before


def test_keeps_comments_and_formatting(root):
    old = snapshot(root)
    prune(NOW, root=root)
    new = snapshot(root)
    # data/training.yaml only lost lines: what is left is byte for byte what was there.
    old_lines = old["data/training.yaml"].decode().splitlines(keepends=True)
    new_lines = new["data/training.yaml"].decode().splitlines(keepends=True)
    it = iter(old_lines)
    assert all(line in it for line in new_lines), "training.yaml changed beyond removing courses"
    assert b"# Added by hand from the weekly email." in new["data/training.yaml"]
    assert b"# Add new courses above this line." in new["data/training.yaml"]
    assert b"# NWG run this one every year." not in new["data/training.yaml"]
    # The archive that existed is only appended to; the moved course keeps its comments.
    archive = "data/archive/training-2022-23.yaml"
    assert new[archive].startswith(old[archive])
    assert b"title: Domestic Abuse \xe2\x80\x93 An Overview   # as Safe Steps spells it" in new[archive]
    assert b"# NWG run this one every year." in new[archive]
    # The new archive starts with its header.
    assert new["data/archive/training-2023-24.yaml"].startswith(
        b"# yaml-language-server: $schema=../schema/training.schema.json\n")
    # And the whole result is as reviewed.
    for name in ("data/training.yaml", archive, "data/archive/training-2023-24.yaml"):
        golden = FIXTURE / "expected" / Path(name).relative_to("data")
        if os.environ.get("UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(new[name])
        assert new[name] == golden.read_bytes(), f"{name} differs from {golden}"


def test_a_second_run_changes_nothing(root):
    prune(NOW, root=root)
    after_first = snapshot(root)
    assert prune(NOW, root=root) == []
    assert snapshot(root) == after_first


def test_dry_run_changes_nothing(root):
    before = snapshot(root)
    moves = prune(NOW, dry_run=True, root=root)
    assert {m.id: m.year for m in moves} == MOVED
    assert snapshot(root) == before


def test_a_course_no_longer_confirmed_stays_in_the_calendar_file(root):
    """A course without dates nobody has confirmed for 12 months leaves the calendar but is not
    over: prune leaves it in data/training.yaml, where checking it again is one edit."""
    later = NOW.replace(year=2023, month=6, day=1)  # anti-bullying-e-learning: checked 2022-05-04
    moved = {m.id for m in prune(later, root=root)}
    assert "anti-bullying-e-learning" not in moved
    left = load_courses([root / "data" / "training.yaml"], load_topics(root / "data" / "topics.yaml"))
    assert "anti-bullying-e-learning" in {c.id for c in left}


def test_nothing_to_prune_before_anything_ends(root):
    before = snapshot(root)
    assert prune(NOW.replace(year=2022, month=11, day=1), root=root) == []
    assert snapshot(root) == before


@pytest.mark.parametrize("file,old,new", [
    ("training.yaml", 'time: "09:30-12:30"', "time: 09:30-12:30:00"),
    ("training.yaml", "topics: [prevent]", "topics: [radicalisation]"),
    ("archive/training-2022-23.yaml", "format: in-person", "format: face to face"),
    ("topics.yaml", "label: Exploitation", "lable: Exploitation"),
])
def test_refuses_and_changes_nothing_when_a_file_is_invalid(root, file, old, new):
    path = root / "data" / file
    path.write_text(path.read_text().replace(old, new))
    before = snapshot(root)
    with pytest.raises(DataError) as caught:
        prune(NOW, root=root)
    assert caught.value.problems
    assert snapshot(root) == before


def test_refuses_when_the_result_would_lose_a_course(root, monkeypatch):
    real = prune_mod._moved_texts

    def losing(*args):
        texts = real(*args)
        live = next(p for p in texts if p.name == "training.yaml")
        texts[live] = texts[live].replace("  - id: hate-crime-2023-04-15", "  - id: hate-crime-x")
        return texts

    monkeypatch.setattr(prune_mod, "_moved_texts", losing)
    before = snapshot(root)
    with pytest.raises(DataError, match="nothing was changed"):
        prune(NOW, root=root)
    assert snapshot(root) == before


def test_a_course_added_at_the_end_then_pruned_leaves_the_file_as_it_was(root):
    prune(NOW, root=root)
    path = root / "data" / "training.yaml"
    before = path.read_bytes()
    path.write_text(before.decode() + (
        "\n  - id: late-entry\n    title: Late\n    provider: NWG\n    link_unknown: true\n"
        "    audience: [children]\n    topics: [exploitation]\n    format: online\n"
        "    sessions:\n      - date: 2023-04-14\n    added: 2023-04-01\n"))
    assert [m.id for m in prune(NOW, root=root)] == ["late-entry"]
    assert path.read_bytes() == before


def test_an_empty_archive_file_receives_courses(root):
    archive = root / "data" / "archive" / "training-2023-24.yaml"
    archive.write_text("# Started by hand.\ncourses: []\n")
    prune(NOW, root=root)
    assert archive.read_text().startswith("# Started by hand.\ncourses:\n  - id: mecc-2023-03\n")
    assert "mecc-2023-03" in records(root)


def test_pruning_every_course_leaves_an_empty_list(root):
    path = root / "data" / "training.yaml"
    path.write_text(path.read_text().replace(
        "    added: 2022-05-04", "    available_until: 2029-01-01\n    added: 2022-05-04"))
    before = records(root)
    later = NOW.replace(year=2030)
    moves = prune(later, root=root)
    assert len(moves) == 7 and {m.year for m in moves} == {"2022-23", "2023-24", "2028-29"}
    assert "  - id:" not in path.read_text()
    assert records(root) == before  # training.yaml is now `courses:` with nothing: still valid
    assert prune(later, root=root) == []


# --- the script ---------------------------------------------------------------------------------


@pytest.fixture
def project(project_copy) -> Path:
    shutil.rmtree(project_copy / "data" / "archive", ignore_errors=True)
    for path in (FIXTURE / "data").rglob("*.yaml"):
        dest = project_copy / "data" / path.relative_to(FIXTURE / "data")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    return project_copy


def run_prune(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "SITE_TODAY": "2023-04-15T12:00"}
    return subprocess.run([sys.executable, "scripts/prune.py", *args], cwd=project,
                          capture_output=True, text=True, env=env)


def test_script_dry_run_then_prune(project):
    before = snapshot(project)
    dry = run_prune(project, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert snapshot(project) == before
    assert dry.stdout.splitlines() == [
        "would move safe-steps-da-overview-2022-12 (Domestic Abuse – An Overview; ended 2022-12-06) "
        "to data/archive/training-2022-23.yaml",
        "would move nwg-cse-2023-03 (Child Sexual Exploitation (CSE) Awareness Raising; ended "
        "2023-03-31) to data/archive/training-2022-23.yaml",
        "would move mecc-2023-03 (MECC - Make Every Contact Count; ended 2023-04-14) to "
        "data/archive/training-2023-24.yaml",
        "would move scie-advocacy-e-learning (Advocacy (Care Act); ended 2023-03-31) to "
        "data/archive/training-2022-23.yaml",
        "4 ended course(s) would be moved (dry run: nothing changed) on 2023-04-15 12:00.",
    ]
    real = run_prune(project)
    assert real.returncode == 0, real.stderr
    assert real.stdout.splitlines()[-1] == "4 ended course(s) moved on 2023-04-15 12:00."
    again = run_prune(project)
    assert again.stdout == ("Nothing to prune on 2023-04-15 12:00: every course in data/training.yaml "
                            "is current or upcoming.\n")


def test_script_refuses_invalid_data_without_a_traceback(project):
    path = project / "data" / "training.yaml"
    path.write_text(path.read_text().replace('time: "09:30-12:30"', "time: 12:30"))
    before = snapshot(project)
    result = run_prune(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/training.yaml:31: course 'safe-steps-da-overview-2022-12': sessions.time: expected "
        '"HH:MM-HH:MM" or "HH:MM", found the number 750 (YAML reads 12:30 without quotes as a number: '
        'put the time in quotes, time: "12:30")',
        "prune: nothing was moved; fix the problems above first.",
    ]
    assert snapshot(project) == before


# --- a prune that is killed ---------------------------------------------------------------------

KILLED_PRUNE = Path(__file__).parents[1] / "fixtures" / "prune" / "killed_prune.py"
REPO = Path(__file__).resolve().parents[2]
WRITES = 3  # the fixture's prune writes training-2022-23.yaml, training-2023-24.yaml, training.yaml
IN_2022_23 = {"safe-steps-da-overview-2022-12", "nwg-cse-2023-03", "scie-advocacy-e-learning"}


def killed_prune(root: Path, write: int, when: str) -> subprocess.CompletedProcess:
    """The prune in another process, killed (SIGKILL) at its `write`th file write."""
    return subprocess.run([sys.executable, str(KILLED_PRUNE), str(REPO), str(root), str(write), when],
                          capture_output=True, text=True)


@pytest.fixture
def clean(tmp_path) -> dict[str, bytes]:
    """The data files after a prune that nothing interrupted."""
    dest = tmp_path / "clean"
    shutil.copytree(FIXTURE / "data", dest / "data")
    prune(NOW, root=dest)
    return snapshot(dest)


def test_the_kill_points_cover_every_write(root, clean):
    result = killed_prune(root, WRITES + 1, "after")  # no such write: the prune ends normally
    assert result.returncode == 0, result.stderr
    assert snapshot(root) == clean


@pytest.mark.parametrize("write", range(1, WRITES + 1))
@pytest.mark.parametrize("when", ["mid-write", "after"])
def test_a_kill_at_any_write_is_repaired_by_the_next_run(root, clean, write, when):
    topics = load_topics(root / "data" / "topics.yaml")
    before = records(root)
    killed = killed_prune(root, write, when)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Each file is the old one or the new one, never half of one.
    for path in training_files(root):
        load_courses([path], topics)
    done = write if when == "after" else write - 1  # files written whole before the kill
    copied = {0: set(), 1: IN_2022_23, 2: set(MOVED)}.get(done, set())  # in two files now
    # make validate says what to do about each course in two files.
    try:
        load_training(root / "data" / "training.yaml")
        problems = []
    except DataError as exc:
        problems = [str(p) for p in exc.problems]
    assert len(problems) == len(copied)
    assert all(p.endswith("(a prune was stopped while moving it there): run make prune to finish "
                          "moving it") for p in problems)
    # The next prune finishes the move: every course in one file, as after a clean run.
    moves = prune(NOW, root=root)
    assert {m.id for m in moves if m.finished} == copied
    assert {m.id for m in moves} == (set() if done == WRITES else set(MOVED))
    assert records(root) == before
    assert snapshot(root) == clean  # the same bytes, and no temporary file left behind


def interrupted(root: Path) -> None:
    """The state a prune killed after writing training-2022-23.yaml leaves: its three
    courses in that archive and still in data/training.yaml."""
    shutil.copy(FIXTURE / "expected" / "archive" / "training-2022-23.yaml",
                root / "data" / "archive" / "training-2022-23.yaml")


def test_validate_says_to_run_prune_to_finish_the_move(root):
    interrupted(root)
    live, archive = root / "data" / "training.yaml", root / "data" / "archive" / "training-2022-23.yaml"
    with pytest.raises(DataError) as caught:
        load_training(live)
    finish = "(a prune was stopped while moving it there): run make prune to finish moving it"
    assert [str(p) for p in caught.value.problems] == [
        f"{live}:18: course 'safe-steps-da-overview-2022-12': id: the same course is also in "
        f"{archive}:21 {finish}",
        f"{live}:52: course 'nwg-cse-2023-03': id: the same course is also in {archive}:40 {finish}",
        f"{live}:79: course 'scie-advocacy-e-learning': id: the same course is also in {archive}:53 "
        f"{finish}",
    ]


def test_dry_run_says_it_would_finish_the_move_and_changes_nothing(root):
    interrupted(root)
    before = snapshot(root)
    moves = prune(NOW, dry_run=True, root=root)
    assert [(m.id, m.finished) for m in moves] == [
        ("safe-steps-da-overview-2022-12", True), ("nwg-cse-2023-03", True), ("mecc-2023-03", False),
        ("scie-advocacy-e-learning", True)]
    assert snapshot(root) == before


def test_copies_that_differ_stop_the_prune_with_what_to_do(root):
    interrupted(root)
    live, archive = root / "data" / "training.yaml", root / "data" / "archive" / "training-2022-23.yaml"
    live.write_text(live.read_text().replace("title: Child Sexual Exploitation (CSE) Awareness Raising",
                                             "title: CSE Awareness"))
    differs = (f"{live}:52: course 'nwg-cse-2023-03': id: the id is also used at {archive}:40, where the "
               f"course differs in title: if it is the same course, keep the copy in {archive} (bring "
               "any correction over to it) and delete this one; if it is another course, give this one "
               "its own id")
    before = snapshot(root)
    with pytest.raises(DataError) as caught:
        prune(NOW, root=root)
    assert [str(p) for p in caught.value.problems] == [differs]
    assert snapshot(root) == before
    with pytest.raises(DataError) as caught:  # make validate: the same line, among the others
        load_training(live)
    assert differs in [str(p) for p in caught.value.problems]
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize("old,new,finished", [
    ("    notes: Booking link to follow.\n", "    notes: Booking link to follow.\n    cost: free\n", True),
    ("    notes: Booking link to follow.\n", "    notes: Booking link to follow.  # a comment\n", True),
    ("      - date: 2023-03-31\n", "      - date: 2023-03-30\n", False),
    ("    notes: Booking link to follow.\n", "", False),
])
def test_validate_and_prune_agree_on_what_is_the_same_course(root, old, new, finished):
    interrupted(root)
    live = root / "data" / "training.yaml"
    live.write_text(live.read_text().replace(old, new))
    with pytest.raises(DataError) as caught:
        load_training(live)
    nwg = next(str(p) for p in caught.value.problems if "nwg-cse-2023-03" in str(p))
    assert nwg.endswith("run make prune to finish moving it") == finished
    if finished:
        assert "nwg-cse-2023-03" in {m.id for m in prune(NOW, root=root) if m.finished}
    else:
        with pytest.raises(DataError):
            prune(NOW, root=root)


def test_script_says_it_finished_the_move(project):
    interrupted(project)
    result = run_prune(project)
    assert result.returncode == 0, result.stderr
    copy = ("(a prune was stopped after copying it there; the copy left in data/training.yaml is "
            "removed)")
    assert result.stdout.splitlines() == [
        "finished moving safe-steps-da-overview-2022-12 (Domestic Abuse – An Overview) to "
        f"data/archive/training-2022-23.yaml {copy}",
        "finished moving nwg-cse-2023-03 (Child Sexual Exploitation (CSE) Awareness Raising) to "
        f"data/archive/training-2022-23.yaml {copy}",
        "moved mecc-2023-03 (MECC - Make Every Contact Count; ended 2023-04-14) to "
        "data/archive/training-2023-24.yaml",
        "finished moving scie-advocacy-e-learning (Advocacy (Care Act)) to "
        f"data/archive/training-2022-23.yaml {copy}",
        "4 ended course(s) moved on 2023-04-15 12:00.",
    ]
    for name in ("training.yaml", "archive/training-2022-23.yaml", "archive/training-2023-24.yaml"):
        assert (project / "data" / name).read_bytes() == (FIXTURE / "expected" / name).read_bytes()


def test_script_copies_that_differ(project):
    interrupted(project)
    live = project / "data" / "training.yaml"
    live.write_text(live.read_text().replace("title: Advocacy (Care Act)", "title: Advocacy"))
    result = run_prune(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/training.yaml:79: course 'scie-advocacy-e-learning': id: the id is also used at "
        "data/archive/training-2022-23.yaml:53, where the course differs in title: if it is the same "
        "course, keep the copy in data/archive/training-2022-23.yaml (bring any correction over to "
        "it) and delete this one; if it is another course, give this one its own id",
        "prune: nothing was moved; fix the problems above first.",
    ]


# --- line endings and comments -----------------------------------------------------------------


def test_keeps_crlf_line_endings(root):
    for name in ("training.yaml", "archive/training-2022-23.yaml"):
        path = root / "data" / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    prune(NOW, root=root)
    # Every file written is as after an LF prune, with CRLF; the new archive takes
    # data/training.yaml's line endings.
    for name in ("training.yaml", "archive/training-2022-23.yaml", "archive/training-2023-24.yaml"):
        expected = (FIXTURE / "expected" / name).read_bytes().replace(b"\n", b"\r\n")
        assert (root / "data" / name).read_bytes() == expected, name


def test_an_lf_archive_stays_lf_beside_a_crlf_calendar(root):
    path = root / "data" / "training.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    prune(NOW, root=root)
    archive = "archive/training-2022-23.yaml"
    assert (root / "data" / archive).read_bytes() == (FIXTURE / "expected" / archive).read_bytes()


@pytest.mark.parametrize("line,kept", [
    ("courses: []   # filled in by make prune", "courses:   # filled in by make prune"),
    ("courses: [ ]  # filled in by make prune", "courses:  # filled in by make prune"),
    ("courses:  # filled in by make prune", "courses:  # filled in by make prune"),
])
def test_an_empty_archive_keeps_the_comment_on_its_list(root, line, kept):
    archive = root / "data" / "archive" / "training-2023-24.yaml"
    archive.write_text(f"# Started by hand.\n{line}\n")
    prune(NOW, root=root)
    assert archive.read_text().startswith(f"# Started by hand.\n{kept}\n  - id: mecc-2023-03\n")
    assert "mecc-2023-03" in records(root)

