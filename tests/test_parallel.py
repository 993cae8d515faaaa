"""Work done on a second core (macros/parallel.py) gives what the same work gives inline:
the same value, the same problems with the same lines, the same built site.

The checks run in fresh processes: the test process may hold threads (the test server),
and the library never forks a threaded process."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from . import test_training_validation as tv
from .conftest import ROOT, run_build


def run_python(code: str, serial: bool, cwd: Path = ROOT) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SITE_SERIAL", None)
    if serial:
        env["SITE_SERIAL"] = "1"
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


JOBS = """
    import json
    import os
    from macros import parallel
    from macros.validation import DataError, Problem

    def bad_data():
        raise DataError([Problem("data/x.yaml", 3, "is wrong", "course 'a'", "title")])

    def bug():
        raise ValueError("a bug")

    out = {"forks": parallel.can_fork()}
    out["value"] = parallel.Job(lambda: {"courses": [1, 2, 3]}).result()
    try:
        parallel.Job(bad_data).result()
    except DataError as exc:
        out["problems"] = [str(p) for p in exc.problems]
    try:
        parallel.Job(bug).result()
    except RuntimeError as exc:
        out["bug"] = str(exc)
    gate = parallel.Gate()
    waited = parallel.Job(gate.wait)
    gate.open()
    out["gate"] = waited.result()
    closed = parallel.Gate()
    given_up = parallel.Job(closed.wait)
    closed.close()  # the build stopped: the job is told the gate will not open
    out["closed gate"] = given_up.result()
    out["halves"] = parallel.map_halves(lambda n: n * n, list(range(7)), [1] * 7, threshold=0)

    def dies_in_a_child():
        if os.getpid() != parent:
            os._exit(9)  # killed, say, by the out-of-memory killer: no result left
        return "done here"

    parent = os.getpid()
    out["died"] = parallel.Job(dies_in_a_child).result()
    print(json.dumps(out))
"""


def test_a_job_gives_its_value_problems_and_bugs_forked_or_not():
    forked, serial = run_python(JOBS, serial=False), run_python(JOBS, serial=True)
    assert forked.pop("forks") is ((os.cpu_count() or 1) > 1)
    assert serial.pop("forks") is False
    assert forked == serial
    assert forked["value"] == {"courses": [1, 2, 3]}
    assert forked["problems"] == ["data/x.yaml:3: course 'a': title: is wrong"]
    assert "ValueError: a bug" in forked["bug"]
    assert forked["gate"] is True
    assert forked["closed gate"] is False
    assert forked["halves"] == [n * n for n in range(7)]
    assert forked["died"] == "done here"  # done again in the main process


LOAD = """
    import json
    from pathlib import Path
    from macros import training
    from macros.validation import DataError

    training._PARALLEL_BYTES = 0  # share even these small files between two processes
    root = Path.cwd()
    try:
        courses = training.load_courses(training.training_files(root),
                                        training.load_topics(root / "data" / "topics.yaml"))
        print(json.dumps({"courses": [repr(c) for c in courses]}))
    except DataError as exc:
        print(json.dumps({"problems": [str(p) for p in exc.problems]}))
"""


def test_loading_on_two_cores_gives_the_same_courses_and_problems(tmp_path):
    broken = tv.GOOD.replace("topics: [domestic-abuse]", "topics: [domestic abuse]").replace(
        "date: 2022-12-06", "date: 2022-12-32")
    for training, archive in [(tv.GOOD, tv.ARCHIVE), (broken, tv.ARCHIVE.replace("title", "titel"))]:
        tv.write(tmp_path, training, archive)
        (tmp_path / "data" / "archive" / "training-2023-24.yaml").write_text(
            tv.GOOD.replace("safe-steps-da-2022-12", "another").replace("scie-advocacy", "more"))
        forked = run_python(LOAD, serial=False, cwd=tmp_path)
        assert forked == run_python(LOAD, serial=True, cwd=tmp_path)
        assert forked.get("courses") or len(forked["problems"]) >= 3


def test_the_site_is_the_same_built_on_one_core_or_two(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    day = {"SITE_TODAY": "2023-01-10"}  # with upcoming courses in the repository's data
    for dest, extra in ((one, {**day, "SITE_SERIAL": "1"}), (two, {**day, "SITE_NO_CACHE": "1"})):
        result = run_build(dest, extra)
        assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(str(p.relative_to(one)) for p in one.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(two)) for p in two.rglob("*") if p.is_file())
    assert any(name.endswith(".ics") and name != "training/calendar.ics" for name in files)
    # sitemap.xml.gz holds the time it was compressed
    different = [f for f in files if f != "sitemap.xml.gz"
                 and not filecmp.cmp(one / f, two / f, shallow=False)]
    assert different == []
