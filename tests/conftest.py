"""Shared fixtures: the site built once per session, served on localhost, and a browser.

The build runs the real command (`mkdocs build --strict`) with a frozen SITE_TODAY, so
tests never depend on the real date. The browser is the machine's Chromium, driven by
Playwright; no test reaches the internet: requests to any other host are refused and
recorded.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SITE_TODAY = "2026-11-26"
EXIT_URL = "https://www.bbc.co.uk/weather"


def run_build(dest: Path, env_extra: dict | None = None, config: Path | None = None,
              cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into `dest`; returns the finished process."""
    env = {**os.environ, "SITE_TODAY": SITE_TODAY, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_ENV", None)
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)]
    if config:
        cmd += ["--config-file", str(config)]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's site, built once with the strict build."""
    dest = tmp_path_factory.mktemp("site")
    result = run_build(dest)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return dest


@pytest.fixture(scope="session")
def html_pages(built_site) -> list[Path]:
    """Every HTML page of the built site (404 page included); the editor at /admin/ is not a
    page of the public site and has its own tests (tests/cms/)."""
    return public_pages(built_site)


def public_pages(built_site: Path) -> list[Path]:
    return sorted(p for p in built_site.rglob("*.html")
                  if p.relative_to(built_site).parts[0] != "admin")


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project (without the venv or the built site) to break."""
    dest = tmp_path / "project"
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"))
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        """Print nothing for each request: keeps the test output readable."""


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served on 127.0.0.1 (a real HTTP server, as a host would)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the distribution (Playwright cannot download one here).

    Never skipped: a missing Chromium is a failure with the fix in the message.
    """
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Chromium is missing: run 'make test' (it installs it) or 'sudo apt-get install chromium'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def unrouted_browser(browser):
    """A second Chromium that cannot resolve any host but 127.0.0.1, so nothing leaves the
    machine without Playwright's request routing (which stops Material's search worker from
    loading its index): for the tests of the site search."""
    closed = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
    yield closed
    closed.close()


@pytest.fixture
def context(browser):
    """A fresh browser context. Any request to another host is answered locally and
    recorded in `context.outside`, so nothing reaches the internet."""
    ctx = browser.new_context()
    ctx.outside = []

    def route(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith("data:"):
            route.continue_()
        else:
            ctx.outside.append(url)
            route.fulfill(status=200, content_type="text/html",
                          body="<!doctype html><title>Elsewhere</title><h1>Elsewhere</h1>")

    ctx.route("**/*", route)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def site_urls(built_site: Path) -> list[str]:
    """URL paths of every HTML page in the built site: directory URLs for `index.html`
    pages, the file itself for the others (the 404 page)."""
    urls = []
    for path in public_pages(built_site):
        rel = path.relative_to(built_site).as_posix()
        if path.name == "index.html":
            rel = rel.removesuffix("index.html")
        urls.append(f"/{rel}")
    return urls
