"""Shared builders for the harvester's tests: a throw-away project, a local threaded HTTP
server (pytest-httpserver) and the safety checks every harvested course must pass."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from pytest_httpserver import HTTPServer

from macros.core.dates import LONDON
from macros.data.topics import load_topics
from macros.data.training import load_courses, training_files
from macros.harvest.fetch import Settings
from macros.harvest.run import harvest
from macros.render.html import safe_href

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "harvest"
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=LONDON)
# allow_loopback: the fixtures are served on 127.0.0.1, which a real harvest refuses
FAST = Settings(timeout=1.0, retry_backoff=0.05, max_bytes=300_000, per_host=8, allow_loopback=True)
UNSAFE = re.compile(r"(?i)[<>]|javascript\s*:|vbscript\s*:|\bon[a-z]+\s*=")


def provider(ident: str, url: str, kind: str = "rss", **extra) -> dict:
    return {"id": ident, "name": extra.pop("name", f"Provider {ident}"), "url": url, "type": kind,
            "audience": ["adults"], "topics": ["safeguarding-basics"], **extra}


def make_project(dest: Path, providers: list[dict]) -> Path:
    """A copy of tests/fixtures/harvest/project with data/topics.yaml and the given providers."""
    shutil.copytree(FIXTURES / "project", dest)
    shutil.copy(ROOT / "data" / "topics.yaml", dest / "data" / "topics.yaml")
    write_providers(dest, providers)
    return dest


def write_providers(root: Path, providers: list[dict]) -> None:
    lines = ["providers:"]
    for p in providers:
        first = True
        for key, value in p.items():
            lines.append(f"{'  - ' if first else '    '}{key}: {json.dumps(value)}")
            first = False
    (root / "data" / "providers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(root: Path, now: dt.datetime = NOW, **kw):
    kw.setdefault("settings", FAST)
    return harvest(now, root=root, **kw)


def courses(root: Path):
    return load_courses(training_files(root), load_topics(root / "data" / "topics.yaml"))


def assert_safe(root: Path) -> list:
    """Every training file still validates; every harvested course is plain text with an
    http(s) link (or none). Returns the harvested courses."""
    found = [c for c in courses(root) if c.source]
    for c in found:
        for text in (c.title, c.description or "", c.location or ""):
            assert not UNSAFE.search(text), f"{c.id}: unsafe text {text[:120]!r}"
        assert c.url is None or safe_href(c.url) == c.url, f"{c.id}: unsafe url {c.url!r}"
    return found


def feed_server() -> Iterator[HTTPServer]:
    """A local HTTP server for the feeds (the body of the tests' `server` fixtures)."""
    srv = HTTPServer(threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


def many_courses_feed(count: int, day: str = "2027-01-12") -> bytes:
    """An RSS feed of `count` different free courses on one day at the same time, whose titles
    differ only by a number (issue #15: they were merged into one, comparing every pair)."""
    items = b"".join(
        b"<item><title>Safeguarding children course %d</title>"
        b"<link>https://provider.example.org/c/%d</link>"
        b"<ev:startdate>%sT09:30:00Z</ev:startdate><ev:enddate>%sT12:30:00Z</ev:enddate></item>\n"
        % (i, i, day.encode(), day.encode()) for i in range(1, count + 1))
    return (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            b'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>Many</title>'
            b"<link>https://provider.example.org/</link><description>x</description>\n"
            + items + b"</channel></rss>\n")
