"""Benchmarks of the site (not tests: figures to compare over time).

    python scripts/bench.py [--runs N]

Reports, for the repository's own content and data:
- pages built and the strict build's time (best of N runs);
- the home page's weight: every request the page makes in headless Chromium, with
  each response's size gzip-compressed as a web server would send it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def build(dest: Path, cwd: Path = ROOT) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)],
                   cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page_weight(url: str) -> tuple[int, int, list[tuple[str, int, int]]]:
    """(raw bytes, gzip bytes, per request) for everything the page loads."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        page.goto(url, wait_until="networkidle")
        for response in responses:
            try:
                body = response.body()
            except Exception:  # redirects have no body
                continue
            rows.append((response.url.split("/", 3)[-1] or "/", len(body),
                         len(gzip.compress(body, 6))))
        browser.close()
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the site build and page weight.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "site"
        times = [build(dest) for _ in range(args.runs)]
        pages = len(list(dest.rglob("*.html")))
        print(f"pages built: {pages}")
        print(f"strict build: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
              f"over {args.runs} runs")
        server, base = serve(dest)
        try:
            raw, gz, rows = page_weight(base + "/")
        finally:
            server.shutdown()
        print(f"home page: {len(rows)} requests, {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzip "
              "(target under 120 KB)")
        for name, size, zipped in sorted(rows, key=lambda r: -r[2]):
            print(f"  {zipped / 1024:7.1f} KB gzip  {size / 1024:7.1f} KB raw  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
