"""Benchmark the harvester's concurrency: `python scripts/bench_harvest.py`.

100 fixture feeds (tests/fixtures/harvest/rss.xml) are served by local threaded HTTP servers
on 127.0.0.1 that sleep 0.5 s before every answer (robots.txt included). Fetched one by one
that is over 50 s; the harvest must finish in under 5 s. The feeds are spread over 20
servers (20 "hosts", one port each, 5 feeds each) because the harvester limits the requests
to any one host (Settings.per_host = 4), as real providers sit on different hosts.
Runs in a throw-away copy of the test project (with Settings.allow_loopback, as the tests:
a real harvest refuses 127.0.0.1); prints the time and exits 1 if over 5 s.
"""

import functools
import http.server
import shutil
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
FEED = (ROOT / "tests" / "fixtures" / "harvest" / "rss.xml").read_bytes()


class SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server name)
        time.sleep(LATENCY)
        # each feed its own links, so every provider's courses are new (300 courses in all)
        host = f"p{self.path.strip('/').split('.')[0]}.example.org".encode()
        body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else FEED.replace(
            b"provider.example.org", host)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main() -> int:
    import datetime as dt

    servers = []
    for _ in range(HOSTS):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowHandler))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        shutil.copytree(ROOT / "tests" / "fixtures" / "harvest" / "project", root)
        shutil.copy(ROOT / "data" / "topics.yaml", root / "data" / "topics.yaml")
        lines = ["providers:"]
        for i in range(FEEDS):
            port = servers[i % HOSTS].server_address[1]
            lines += [f"  - id: bench-{i}", f"    name: Bench provider {i}",
                      f"    url: http://127.0.0.1:{port}/feed-{i}.xml", "    type: rss",
                      "    audience: [adults]", "    topics: [safeguarding-basics]"]
        (root / "data" / "providers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        result = harvest(dt.datetime(2026, 11, 26, 12, 0, tzinfo=LONDON), root=root,
                         settings=Settings(allow_loopback=True))  # the servers are local
        took = time.perf_counter() - started
    for server in servers:
        server.shutdown()
    failed = [o for o in result.outcomes if o.failed]
    added = len(result.added)
    print(f"harvest of {FEEDS} feeds on {HOSTS} local hosts, {LATENCY:g} s latency per request "
          f"(one by one: over {FEEDS * LATENCY:g} s): {took:.2f} s "
          f"({added} courses added, {len(failed)} providers failed; limit {LIMIT:g} s)")
    return 0 if took < LIMIT and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
