"""Benchmark the harvester: `python scripts/bench_harvest.py [--only concurrency|scale]`
(also run by `make bench`, after scripts/bench.py).

1. Concurrency: 100 fixture feeds (tests/fixtures/harvest/rss.xml) are served by local
   threaded HTTP servers on 127.0.0.1 that sleep 0.5 s before every answer (robots.txt
   included). Fetched one by one that is over 50 s; the harvest must finish in under 5 s.
   The feeds are spread over 20 servers (20 "hosts", one port each, 5 feeds each) because
   the harvester limits the requests to any one host (Settings.per_host = 4), as real
   providers sit on different hosts.
2. Scale (issue #15): one provider listing 10,000 different courses on one day, titles
   differing only by a number (tests/harvest_helpers.py, `many_courses_feed`), harvested in
   full (fetch, parse, map, de-duplicate, validate, write data/training.yaml) in a child
   process: its wall time and peak memory (ru_maxrss) must stay under 15 s and 500 MB, and
   all 10,000 must be proposed: added, or left for a later run when data/training.yaml
   would pass the 2 MB every data file is held to (about 5,400 of these fit). Its CPU time
   is printed too (on a busy machine the wall time is longer), and the fuzzy title
   comparisons made (0 here: the titles differ by their numbers, so none shares an index
   slot with another).
Each runs in a throw-away copy of the test project (with Settings.allow_loopback, as the
tests: a real harvest refuses 127.0.0.1); prints its figures and exits 1 if over a limit.
"""

import argparse
import datetime as dt
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.core.dates import LONDON  # noqa: E402
from macros.harvest.fetch import Settings  # noqa: E402
from macros.harvest.run import harvest  # noqa: E402

FEEDS, HOSTS, LATENCY, LIMIT = 100, 20, 0.5, 5.0
SCALE, SCALE_SECONDS, SCALE_MB = 10_000, 15.0, 500
FEED = (ROOT / "tests" / "fixtures" / "harvest" / "rss.xml").read_bytes()
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=LONDON)


class _Handler(http.server.BaseHTTPRequestHandler):
    """robots.txt allows everything; any other path is answered with `feed()`."""

    def feed(self) -> bytes:
        raise NotImplementedError

    def do_GET(self):  # noqa: N802 (the http.server name)
        body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else self.feed()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class SlowHandler(_Handler):
    def do_GET(self):  # noqa: N802
        time.sleep(LATENCY)  # before every answer, robots.txt included
        super().do_GET()

    def feed(self) -> bytes:
        # each feed its own links, so every provider's courses are new (300 courses in all)
        host = f"p{self.path.strip('/').split('.')[0]}.example.org".encode()
        return FEED.replace(b"provider.example.org", host)


class FeedHandler(_Handler):
    """Serves `self.server.feed`."""

    def feed(self) -> bytes:
        return self.server.feed


def project(tmp: str, providers: list[str]) -> Path:
    root = Path(tmp) / "p"
    shutil.copytree(ROOT / "tests" / "fixtures" / "harvest" / "project", root)
    shutil.copy(ROOT / "data" / "topics.yaml", root / "data" / "topics.yaml")
    (root / "data" / "providers.yaml").write_text("providers:\n" + "".join(providers), encoding="utf-8")
    return root


def provider(ident: str, url: str) -> str:
    return (f"  - id: {ident}\n    name: Bench provider {ident}\n    url: {url}\n    type: rss\n"
            "    audience: [adults]\n    topics: [safeguarding-basics]\n")


def concurrency() -> bool:
    servers = []
    for _ in range(HOSTS):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowHandler))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    with tempfile.TemporaryDirectory() as tmp:
        root = project(tmp, [provider(f"bench-{i}", f"http://127.0.0.1:"
                                      f"{servers[i % HOSTS].server_address[1]}/feed-{i}.xml")
                             for i in range(FEEDS)])
        started = time.perf_counter()
        result = harvest(NOW, root=root, settings=Settings(allow_loopback=True))  # the servers are local
        took = time.perf_counter() - started
    for server in servers:
        server.shutdown()
    failed = [o for o in result.outcomes if o.failed]
    print(f"harvest of {FEEDS} feeds on {HOSTS} local hosts, {LATENCY:g} s latency per request "
          f"(one by one: over {FEEDS * LATENCY:g} s): {took:.2f} s "
          f"({len(result.added)} courses added, {len(failed)} providers failed; limit {LIMIT:g} s)")
    return took < LIMIT and not failed


def scale() -> bool:
    from tests.harvest_helpers import many_courses_feed

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    server.feed = many_courses_feed(SCALE)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        root = project(tmp, [provider("many", f"http://127.0.0.1:{server.server_address[1]}/many.xml")])
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, __file__, "--child", str(root)], stdout=subprocess.PIPE)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - started
    server.shutdown()
    if os.waitstatus_to_exitcode(status):
        print(f"harvest of {SCALE:,} items failed")
        return False
    found = json.loads(out)
    peak = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(f"harvest of one provider listing {SCALE:,} items ({len(server.feed) / 1e6:.1f} MB): "
          f"{took:.2f} s ({found['seconds']:.2f} s in the harvest, the rest the process's start; "
          f"{cpu:.2f} s of CPU), peak memory {peak:.0f} MB; {found['added']:,} courses added and "
          f"{found['no_room']:,} left for a later run (data/training.yaml may be at most 2 MB); "
          f"{found['comparisons']:,} fuzzy title comparisons (limits {SCALE_SECONDS:g} s, {SCALE_MB} MB)")
    return took < SCALE_SECONDS and peak < SCALE_MB and found["added"] + found["no_room"] == SCALE


def child(root: Path) -> None:
    started = time.perf_counter()
    result = harvest(NOW, root=root, settings=Settings(allow_loopback=True))
    print(json.dumps({"seconds": time.perf_counter() - started, "added": len(result.added),
                      "no_room": sum(o.no_room for o in result.outcomes), "comparisons": result.comparisons}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["concurrency", "scale"])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the scale run's own process
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    ok = True
    if args.only in (None, "concurrency"):
        ok = concurrency() and ok
    if args.only in (None, "scale"):
        ok = scale() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
