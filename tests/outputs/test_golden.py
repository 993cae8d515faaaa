"""Golden files: the training calendar's .ics files, courses.json and feed.xml, and each
forum's newsletter feed, compared byte for byte with committed copies (as Pelican's
functional tests compare a built site with committed output).

- Input: tests/fixtures/golden/ (training.yaml, and newsletters under forums/<forum>/
  newsletters/; each file's header says what it covers). It replaces data/training.yaml,
  data/archive/ (left empty) and every newsletter in a copy of the project, whose mkdocs.yml
  is given a site_url (SITE_URL, a placeholder address: the partnership's is not known) as a
  published site has, and which is built once with `SITE_TODAY=2024-10-21T12:00 mkdocs build
  --strict` in a subprocess. Nothing is imported from `macros`: the test sees only the built
  site.
- Expected output: tests/golden/, at the files' paths in the site (training/calendar.ics,
  training/<course id>.ics, training/courses.json, training/feed.xml,
  forums/<forum>/feed.xml). A file built but not committed, or committed but not built,
  fails too.

After a deliberate change to the output or to the fixture, regenerate the files and review
the diff before committing:

    make golden    # runs UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/outputs/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest

from tests.conftest import ROOT, public_pages, run_build

FIXTURE = ROOT / "tests" / "fixtures" / "golden"
GOLDEN = ROOT / "tests" / "golden"
SITE_TODAY = "2024-10-21T12:00"
SITE_URL = "https://www.example.org/ssp/"  # with a path: links must keep it
FEEDBACK_URL = "https://feedback.test/ssp"  # not a placeholder host: the pages link to it
# The built files under golden test, as globs from the site's root.
PATTERNS = ("training/*.ics", "training/courses.json", "training/feed.xml", "forums/*/feed.xml")
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
REGENERATE = "make golden (UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/outputs/test_golden.py)"
DIFF_LINES = 60


def golden_names() -> list[str]:
    """The committed golden files' paths in the site (training/calendar.ics, ...)."""
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


def make_project(dest: Path) -> Path:
    """A copy of the project (as conftest's `project_copy`, which is per test) with the
    fixture's courses and newsletters instead of the real ones."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules",
        ".cache"))
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace('\nsite_url: ""\n', f'\nsite_url: "{SITE_URL}"\n')
    config.write_text(text.replace("https://feedback.invalid/southend-safeguarding-partnership",
                                   FEEDBACK_URL), encoding="utf-8")
    data = dest / "data"
    shutil.copy(FIXTURE / "training.yaml", data / "training.yaml")
    shutil.rmtree(data / "archive", ignore_errors=True)
    (data / "archive").mkdir()
    forums = dest / "content" / "forums"
    for folder in forums.glob("*/newsletters"):
        shutil.rmtree(folder)
    for page in sorted(FIXTURE.glob("forums/*/newsletters/*.md")):
        target = forums / page.relative_to(FIXTURE / "forums")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, target)
    return dest


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory) -> Path:
    """The fixture built once, with its site_url."""
    where = tmp_path_factory.mktemp("golden")
    project = make_project(where / "project")
    site = where / "site"
    result = run_build(site, {"SITE_TODAY": SITE_TODAY}, cwd=project)
    assert result.returncode == 0, f"strict build of the golden fixture failed:\n{result.stderr[-4000:]}"
    return site


@pytest.fixture(scope="module")
def built(golden_site) -> dict[str, bytes]:
    """The files under test from one build of the fixture, by their path in the site (and,
    with UPDATE_GOLDEN set, written to tests/golden/ in place of what was there)."""
    site = golden_site
    files = {p.relative_to(site).as_posix(): p.read_bytes()
             for pattern in PATTERNS for p in sorted(site.glob(pattern)) if p.is_file()}
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, content in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(content)
    return files


def describe_difference(rel: str, expected: bytes, actual: bytes) -> str:
    """A unified diff (its first DIFF_LINES lines) of the golden file and the built one."""
    old = expected.decode("utf-8", "replace").splitlines()
    new = actual.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(old, new, f"tests/golden/{rel}", f"built/{rel}", lineterm=""))
    if not lines:
        at = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
                  min(len(expected), len(actual)))
        lines = [f"(the lines are the same as text: line endings or bytes differ, first at byte {at})"]
    elif len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... ({len(lines) - DIFF_LINES} more lines of diff)"]
    return "\n".join([f"{rel} differs from tests/golden/{rel}:", *lines,
                      f"If the change is intended, regenerate with: {REGENERATE}"])


def test_the_built_files_are_the_golden_files(built):
    committed, made = set(golden_names()), set(built)
    new, missing = sorted(made - committed), sorted(committed - made)
    if new or missing:
        pytest.fail(f"built but not in tests/golden/: {new or 'none'}; in tests/golden/ but not "
                    f"built: {missing or 'none'}. If that is intended, regenerate with: {REGENERATE}",
                    pytrace=False)


@pytest.mark.parametrize("rel", golden_names())
def test_each_file_is_byte_for_byte_its_golden_file(built, rel):
    golden = GOLDEN / rel
    if UPDATE and not golden.is_file():
        pytest.skip(f"{rel} is no longer built: regenerating removed it")
    if rel not in built:
        pytest.fail(f"{rel} was not built (see test_the_built_files_are_the_golden_files)",
                    pytrace=False)
    expected = golden.read_bytes()
    if built[rel] != expected:  # the diff alone, not pytest's reprs of long byte strings
        pytest.fail(describe_difference(rel, expected, built[rel]), pytrace=False)


# --- absolute links (#13 point 10), read back with independent parsers ------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_calendar_links_to_the_site_by_its_full_address(golden_site):
    """Each event says where it is listed with the calendar page's absolute address, and its
    booking link is absolute (icalendar reads each file)."""
    files = sorted((golden_site / "training").glob("*.ics"))
    assert len(files) > 3
    events = 0
    for path in files:
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            events += 1
            description = str(event["DESCRIPTION"])
            assert description.endswith(
                f"Listed by the Southend Safeguarding Partnership: {SITE_URL}training/"), path.name
            for link in re.findall(r"(?:https?:/)?/[^\s]*", description):
                assert urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc, link
            if "URL" in event:
                assert urlsplit(str(event["URL"])).scheme in ("http", "https")
    assert events > 5


def test_every_feed_links_by_full_addresses(golden_site):
    """Every link of every Atom feed (training, each forum's newsletters, case reviews) is an
    absolute address, the feed's own and its page's on the site (ElementTree reads each)."""
    feeds = sorted(golden_site.rglob("feed.xml"))
    assert {p.relative_to(golden_site).as_posix() for p in feeds} >= {
        "training/feed.xml", "reviews/feed.xml", "forums/education/feed.xml"}
    for path in feeds:
        root = ET.parse(path).getroot()
        page = path.parent.relative_to(golden_site).as_posix()
        own = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert own == {"self": f"{SITE_URL}{page}/feed.xml", "alternate": f"{SITE_URL}{page}/"}
        for link in root.iter(f"{ATOM}link"):
            href = link.get("href")
            assert urlsplit(href).scheme in ("http", "https") and urlsplit(href).netloc, (path, href)
            if link.get("rel") == "alternate":
                assert href.startswith(SITE_URL), (path, href)


def test_a_known_feedback_address_is_linked_from_every_page(golden_site):
    """#13 point 11, the other side: with the form's address known (not a placeholder), the
    footer of every page and the feedback page link to it."""
    pages = public_pages(golden_site)  # the editor at /admin/ is not a page of the site
    assert len(pages) > 30
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert f'<a class="app-feedback-link" href="{FEEDBACK_URL}">Give feedback' in html, path
        assert "Feedback form address to be confirmed" not in html, path
    assert f'<a class="app-feedback-link" href="{FEEDBACK_URL}">Open the feedback form' in (
        golden_site / "feedback" / "index.html").read_text(encoding="utf-8")
