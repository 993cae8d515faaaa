"""The robustness corpus (../shared/corpus/feeds/: feedparser's ill-formed, encoding and
sanitisation test feeds) through the whole harvester, served from a local HTTP server in
batches. For every feed: the run finishes, the data files still validate, and no harvested
title or description holds markup, `javascript:` or an event handler; every link is http(s).

The corpus is read where it lies, never copied into the project. The test is skipped (with
the reason) only when the folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from macros.data.datafiles import load_training
from macros.harvest.fetch import Settings
from tests.harvest_helpers import ROOT, assert_safe, make_project, provider, run, write_providers

CORPUS = ROOT.parent / "shared" / "corpus" / "feeds"
BATCH = 120
SETTINGS = Settings(timeout=5.0, retry_backoff=0.05, per_host=32, total=32, allow_loopback=True)
FILES = sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else []


def headers_of(path: Path) -> dict[str, str]:
    """The HTTP headers a feedparser test feed asks for (its `Header:` comment lines)."""
    head = path.read_bytes()[:1000].decode("latin-1")
    found = {}
    for name, value in re.findall(r"(?m)^Header:\s*([A-Za-z-]+):\s*(.+?)\s*$", head):
        found[name] = value
    return found


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the robustness corpus is absent ({CORPUS})")
def test_every_corpus_feed_is_harvested_safely(tmp_path):
    assert len(FILES) > 800, f"expected about 850 feeds in {CORPUS}, found {len(FILES)}"
    server = HTTPServer(threaded=True)
    server.start()
    try:
        for i, path in enumerate(FILES):
            headers = headers_of(path)
            content_type = headers.pop("Content-type", headers.pop("Content-Type", "application/xml"))
            server.expect_request(f"/f/{i}").respond_with_data(
                path.read_bytes(), content_type=content_type, headers=headers)
        root = make_project(tmp_path / "p", [])
        seen = {}
        for start in range(0, len(FILES), BATCH):
            batch = range(start, min(start + BATCH, len(FILES)))
            write_providers(root, [provider(f"c{i}", server.url_for(f"/f/{i}"), "rss", free_only=False)
                                   for i in batch])
            result = run(root, settings=SETTINGS)
            assert len(result.outcomes) == len(batch)
            for outcome in result.outcomes:
                seen[FILES[int(outcome.id[1:])].relative_to(CORPUS)] = outcome
            load_training(root / "data" / "training.yaml")  # raises on any problem
        found = assert_safe(root)
    finally:
        server.clear()
        server.stop()
    assert len(seen) == len(FILES)
    assert found, "no course was harvested from the corpus: the test would prove nothing"
    crashed = [f"{name}: {o.failed}" for name, o in seen.items() if o.failed.startswith("unexpected")]
    assert not crashed, "\n".join(crashed)
