"""The weekly steps: the link check (macros/links.py, scripts/check_links.py) and `make
weekly` on a throw-away copy of the project with the prune fixture's training data.

No test reaches the internet: links point at a local HTTP server (pytest-httpserver).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug import Response

from macros.core.dates import LONDON
from macros.tools.links import (
    _fetch_httpx,
    _fetch_urllib,
    check_links,
    check_url,
    dead_links_markdown,
    due_checks,
)
from tests.factories import make_course

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "training" / "data"
NOW = dt.datetime(2022, 11, 28, 8, 0, tzinfo=LONDON)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def pages(httpserver):
    """/ok 200, /gone 404, /removed 410, /broken 500, /no-head 405 to HEAD but 200 to GET,
    /private 403, /slow does not answer while the test runs."""
    httpserver.expect_request("/ok").respond_with_data("ok")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/removed").respond_with_data("removed", status=410)
    httpserver.expect_request("/broken").respond_with_data("broken", status=500)
    httpserver.expect_request("/no-head", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/no-head", method="GET").respond_with_data("ok")
    httpserver.expect_request("/private").respond_with_data("no robots", status=403)

    answer = threading.Event()  # set when the test is over: /slow never answers in time

    def slow(request):
        answer.wait(30)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    yield httpserver
    answer.set()


@pytest.mark.parametrize("fetch", [_fetch_httpx, _fetch_urllib], ids=["httpx", "urllib"])
@pytest.mark.parametrize("path, status", [
    ("/ok", 200), ("/gone", 404), ("/removed", 410), ("/broken", 500), ("/no-head", 200),
    ("/private", 403),
])
def test_check_url_answers(pages, fetch, path, status):
    assert check_url(pages.url_for(path), fetch, timeout=5) == (status, None)


@pytest.mark.parametrize("fetch", [_fetch_httpx, _fetch_urllib], ids=["httpx", "urllib"])
def test_no_answer_is_reported_not_raised(pages, fetch):
    status, error = check_url(pages.url_for("/slow"), fetch, timeout=0.5)
    assert status is None and "timed out" in error.lower()
    status, error = check_url(f"http://127.0.0.1:{free_port()}/", fetch, timeout=2)
    assert status is None and error


def test_check_links_of_upcoming_courses_only(pages):
    courses = [
        make_course(id="alive", url=pages.url_for("/ok"), sessions=(("2022-12-01", None),)),
        make_course(id="dead", title="Gone | away", url=pages.url_for("/gone"),
                    sessions=(("2022-12-01", None),), line=40),
        make_course(id="same-dead", url=pages.url_for("/gone"), sessions=(("2022-12-02", None),)),
        make_course(id="robots", url=pages.url_for("/private"), sessions=(("2022-12-01", None),)),
        make_course(id="ended", url=pages.url_for("/broken"), sessions=(("2022-11-01", None),)),
        make_course(id="by-email", url=None, contact="book@example.org", sessions=(("2022-12-01", None),)),
    ]
    results = check_links(courses, NOW, timeout=5)
    assert {r.course_id: r.dead for r in results} == {
        "alive": False, "dead": True, "same-dead": True, "robots": False}
    gone = [entry for entry in pages.log if entry[0].path == "/gone"]
    assert len(gone) == 1, "each address is asked for once"
    body = dead_links_markdown(results, NOW)
    gone_url = pages.url_for("/gone")
    assert f"| Gone \\| away (`dead`) | `data/training.yaml:40` | <{gone_url}> | HTTP 404 |" in body
    assert "`same-dead`" in body and "`alive`" not in body
    assert "Every booking link answered." in dead_links_markdown(results[:1], NOW)


def test_courses_without_dates_due_for_a_check_are_listed():
    """The weekly report lists each on-demand course (or one whose dates are not known) whose
    12 months since `checked` end within four weeks, or have ended; not one that is over."""
    courses = [
        make_course(id="lapsed", title="Lapsed", format="on-demand", checked=dt.date(2021, 11, 1), line=7),
        make_course(id="soon", title="Soon", dates_unknown=True, sessions=(),
                    checked=dt.date(2021, 12, 20), line=20),
        make_course(id="fresh", title="Fresh", format="on-demand", checked=dt.date(2022, 6, 1)),
        make_course(id="withdrawn", format="on-demand", available_until="2022-10-01",
                    checked=dt.date(2021, 1, 1)),
        make_course(id="dated"),
    ]
    due = due_checks(courses, NOW)
    assert [c.id for c in due] == ["lapsed", "soon"]
    body = dead_links_markdown([], NOW, due)
    assert "| Lapsed (`lapsed`) | `data/training.yaml:7` | 2021-11-01 | left the calendar on " \
           "2 November 2022 |" in body
    assert "| Soon (`soon`) | `data/training.yaml:20` | 2021-12-20 | leaves the calendar after " \
           "20 December 2022 |" in body
    assert "write today's date in its `checked:`" in body


# --- make weekly on a copy of the project --------------------------------------------------

TODAY = "2023-04-15T12:00"
MOVED = {  # as tests/tools/test_prune.py: what the prune fixture moves at 2023-04-15 12:00
    "safe-steps-da-overview-2022-12": "training-2022-23.yaml",
    "nwg-cse-2023-03": "training-2022-23.yaml",
    "scie-advocacy-e-learning": "training-2022-23.yaml",
    "mecc-2023-03": "training-2023-24.yaml",
}


@pytest.fixture
def weekly_project(project_copy, httpserver) -> Path:
    """The project with the prune fixture's training files, their links on a local server
    (/aba works, /mind is gone), no harvest sources, and the repository's venv."""
    data = project_copy / "data"
    shutil.rmtree(data / "archive")
    shutil.copytree(FIXTURE / "archive", data / "archive")
    text = (FIXTURE / "training.yaml").read_text(encoding="utf-8")
    (data / "training.yaml").write_text(text.replace("https://www.example.org/", httpserver.url_for("/")),
                                        encoding="utf-8")
    if (data / "providers.yaml").exists():
        (data / "providers.yaml").write_text("providers: []\n", encoding="utf-8")  # never the internet
    httpserver.expect_request("/aba").respond_with_data("ok")
    httpserver.expect_request("/mind").respond_with_data("gone", status=404)
    (project_copy / ".venv").symlink_to(ROOT / ".venv")  # `make` must not install anything
    return project_copy


def make_weekly(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("SITE_ENV", "SITE_URL", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    # -o: the venv is the repository's, already set up; never reinstall it from the copy.
    return subprocess.run(["make", "-o", ".venv/.site", "weekly", f"PYTHON={sys.executable}"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


def data_files(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes()
            for p in sorted((project / "data").rglob("*")) if p.is_file()}


def ids_in(path: Path) -> set[str]:
    import yaml

    return {c["id"] for c in (yaml.safe_load(path.read_text(encoding="utf-8"))["courses"] or [])}


def test_make_weekly_prunes_builds_writes_the_digest_and_checks_links(weekly_project):
    assert shutil.which("make"), "make is missing: install it (Debian: apt-get install make)"
    first = make_weekly(weekly_project)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    archive = weekly_project / "data" / "archive"
    for course_id, name in MOVED.items():
        assert course_id in ids_in(archive / name)
        assert course_id not in ids_in(weekly_project / "data" / "training.yaml")
    assert ids_in(weekly_project / "data" / "training.yaml") == {
        "anti-bullying-e-learning", "dfe-prevent-gaming-2023-04", "hate-crime-2023-04-15"}
    assert "4 ended course(s) moved on 2023-04-15 12:00." in first.stdout
    assert (weekly_project / "site" / "training" / "index.html").exists()
    if (ROOT / "scripts" / "harvest.py").exists():
        assert (weekly_project / ".weekly" / "harvest-summary.md").exists()
    else:
        assert "harvest skipped" in first.stdout
    weekly = weekly_project / ".weekly"
    soup = BeautifulSoup((weekly / "digest.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "en-GB" and (weekly / "digest.txt").exists()
    dead = (weekly / "dead-links.md").read_text(encoding="utf-8")
    assert "/mind" in dead and "/aba" not in dead
    # The on-demand course last checked on 2022-05-04 leaves the calendar within four weeks.
    assert ("| Anti-Bullying \\| e-learning (`anti-bullying-e-learning`) | `data/training.yaml:33` | "
            "2022-05-04 | leaves the calendar after 4 May 2023 |") in dead

    before = data_files(weekly_project)
    second = make_weekly(weekly_project)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "Nothing to prune on 2023-04-15 12:00" in second.stdout
    assert data_files(weekly_project) == before, "a second run changes nothing"


def test_check_links_script_removes_the_report_when_every_link_works(weekly_project, httpserver):
    report = weekly_project / ".weekly" / "dead-links.md"
    report.parent.mkdir()
    report.write_text("stale")
    text = (weekly_project / "data" / "training.yaml").read_text(encoding="utf-8")
    text = text.replace("/mind", "/aba").replace("checked: 2022-05-04", "checked: 2023-04-01")
    (weekly_project / "data" / "training.yaml").write_text(text, encoding="utf-8")
    env = {**os.environ, "SITE_TODAY": TODAY}
    result = subprocess.run([sys.executable, "scripts/check_links.py", "--report", str(report), "--strict"],
                            cwd=weekly_project, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 dead" in result.stdout and "0 course(s) without dates due" in result.stdout
    assert not report.exists()
