"""The robustness corpus (../shared/corpus/feeds/: feedparser's ill-formed, encoding and
sanitisation test feeds) through the whole harvester, served from a local HTTP server in
batches. For every feed: the run finishes, the data files still validate, and no harvested
title or description holds markup, `javascript:` or an event handler; every link is http(s).

The corpus is `tests/fixtures/corpus/feeds.tar.gz` (a copy of ../shared/corpus/feeds/, with
its licence; HARVEST_CORPUS may name another feeds folder), unpacked into a temporary folder:
the test never skips, in CI or on a fresh clone. The feeds are served from this machine; no
network is used.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

from pytest_httpserver import HTTPServer

from macros.data.datafiles import load_training
from macros.harvest.fetch import Settings
from tests.harvest_helpers import ROOT, assert_safe, make_project, provider, run, write_providers

ARCHIVE = ROOT / "tests" / "fixtures" / "corpus" / "feeds.tar.gz"
BATCH = 120
SETTINGS = Settings(timeout=5.0, retry_backoff=0.05, per_host=32, total=32, allow_loopback=True)

def corpus() -> Path:
    """The feeds folder: HARVEST_CORPUS, or the project's copy unpacked once per run."""
    if os.environ.get("HARVEST_CORPUS"):
        return Path(os.environ["HARVEST_CORPUS"])
    where = Path(tempfile.mkdtemp(prefix="ssp-corpus-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(where, filter="data")
    return where / "feeds"


CORPUS = corpus()
FILES = sorted(CORPUS.rglob("*.xml"))


def headers_of(path: Path) -> dict[str, str]:
    """The HTTP headers a feedparser test feed asks for (its `Header:` comment lines)."""
    head = path.read_bytes()[:1000].decode("latin-1")
    found = {}
    for name, value in re.findall(r"(?m)^Header:\s*([A-Za-z-]+):\s*(.+?)\s*$", head):
        found[name] = value
    return found


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
