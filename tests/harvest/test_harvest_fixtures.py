"""Every fixture of tests/fixtures/harvest/ (one per source type, and the hostile ones),
served from a local HTTP server and harvested into a throw-away project.

Each fixture starts with a comment saying what it checks and what is expected; the
`type:` and `expect:` lines of that comment drive this test (in a calendar, the
X-FIXTURE-TYPE and X-FIXTURE-EXPECT properties).
"""

from __future__ import annotations

import re

import pytest

from macros.harvest.summary import KIND_LABELS
from tests.harvest_helpers import FIXTURES, NOW, assert_safe, feed_server, make_project, provider, run

FILES = sorted(p for p in FIXTURES.iterdir() if p.is_file())
SELECTORS = {"item": ".event", "title": "h3", "date": "time", "link": "a.book", "location": ".where"}


def header(path) -> tuple[str, dict[str, int]]:
    text = path.read_bytes()[:3000].decode("utf-8", "replace")
    kind = re.search(r"(?im)^(?:X-FIXTURE-)?type:\s*(\w+)", text)
    expect = re.search(r"(?im)^(?:X-FIXTURE-)?expect:\s*(.+)$", text)
    assert kind and expect, f"{path.name} must say `type:` and `expect:` in its opening comment"
    counts = dict(pair.split("=") for pair in expect.group(1).split())
    return kind.group(1).lower(), {k: int(v) for k, v in counts.items()}


@pytest.fixture(scope="module")
def server():
    yield from feed_server()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path, server, tmp_path):
    kind, expected = header(path)
    server.expect_request(f"/{path.name}").respond_with_data(path.read_bytes())
    extra = {"exclude": ["members only"]}
    if kind == "html":
        extra["selectors"] = SELECTORS
    root = make_project(tmp_path / "p", [provider("provider", server.url_for(f"/{path.name}"), kind,
                                                  **extra)])
    result = run(root)
    [outcome] = result.outcomes
    found = {"added": len(outcome.added), "duplicate": outcome.duplicate,
             **{k: outcome.count(k) for k in KIND_LABELS}, "failed": 1 if outcome.failed else 0}
    assert found == expected, (outcome.failed, dict(outcome.rejected))
    harvested = [c for c in assert_safe(root) if c.added == NOW.date()]
    assert len(harvested) == expected["added"]
