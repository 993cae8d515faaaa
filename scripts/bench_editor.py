"""Benchmark of the editor at /admin/ (issue #14): `python scripts/bench_editor.py [--courses 200]
[--keystrokes 20] [--visits 5] [--full-decap]` (also run by `make bench`, after the others).

The editor is served as `make edit` serves it: the site's build's admin/ on 127.0.0.1, and
decap-server (started as scripts/edit.py starts it) on a throw-away copy of the project, in
headless Chromium. Reports, side by side in one run:

1. Typing a new course's Title in the training form (Training calendar, "Add course"): each
   keystroke's time from the key press to the next frame after its input event, measured in
   the page (performance.now() at keydown; a requestAnimationFrame and a setTimeout(0) after
   the input event), median and worst, and the number of elements on that screen. With the
   site's list of records (`ssp-records`, overrides/admin/ssp-cms.js: an item's fields made only
   once it is opened) and with Decap's own `list` (the same config.yml but `widget: list`,
   served from a second folder); at the repository's courses and at `--courses` generated ones
   (scripts/bench.py's generator, in a second copy). Each key 0.1 s after the last one's frame.
2. Opening /admin/: from navigation to the collections screen usable (after "Login", the link
   "Training calendar" shown), measured in the page. The first visit in a new browser profile
   (nothing cached), median and best; the second and third visits in the same profile, median.
   Profiles on disk, as a person's browser has: Chromium keeps Decap's compiled code from its
   third load on (Playwright's private contexts never keep it). With `--full-decap`, the same
   for Decap's full build (the npm package decap-cms of the same release, fetched with
   `npm pack`: the one thing here that needs the registry), side by side with the site's build.
Exits 1 with one plain line if the editor cannot start. Target (issue #14): usable within 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import edit  # noqa: E402
from scripts.bench import CHROMIUM, serve, synthetic_project  # noqa: E402
from tests.cms.test_cms_browser import answers, field, free_port  # noqa: E402
from tests.conftest import run_build  # noqa: E402

ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking")
TEXT = "Safeguarding adults in practice: an overview"
START_SECONDS = 60  # for the editor's first screen; a 200-course list may take minutes to draw
SLOW_MS = 600_000

# The editor's state, in the page: ["login"|"ready"|the editor's own failure, performance.now()].
STATE = """() => {
  const shown = el => el.getClientRects().length > 0;
  const login = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Login');
  if (login && shown(login)) return ['login', performance.now()];
  const link = [...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Training calendar');
  if (link && shown(link)) return ['ready', performance.now()];
  const text = document.body ? document.body.innerText.trim() : '';
  return text.startsWith('The editor could not start') ? [text, performance.now()] : false;
}"""
# Each keystroke: key press to the next frame after its input event, in `window.benchKeys`.
LISTEN = """() => {
  window.benchKeys = []; let pressed = 0;
  document.addEventListener('keydown', () => { pressed = performance.now(); }, true);
  document.addEventListener('input', () => {
    const start = pressed;
    requestAnimationFrame(() => setTimeout(() => window.benchKeys.push(performance.now() - start), 0));
  }, true);
}"""


class Failed(Exception):
    """The editor could not start: the message is one plain line."""


def list_variant(config: str) -> str:
    """The editor's configuration with Decap's own `list` for the data files' lists of records
    in place of the site's `ssp-records`: nothing else changes."""
    if "widget: ssp-records" not in config:
        raise ValueError("config.yml has no 'widget: ssp-records' to replace")
    return config.replace("widget: ssp-records", "widget: list")


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the project for decap-server to read (and write, were it saved)."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules", "tests"))
    return dest


def admin_files(port: int) -> dict[str, str]:
    """admin/index.html and admin/config.yml made for decap-server on `port` (SITE_CMS_PROXY,
    as scripts/edit.py sets it for the build)."""
    from macros.engine.zensical import settings
    from macros.sections.cms import CmsSection

    os.environ.pop("SITE_ENV", None)  # the local editor: never the production configuration
    os.environ["SITE_CMS_PROXY"] = edit.proxy_url(port)
    build = type("B", (), {"extra": settings(ROOT)["extra"]})()
    return CmsSection(build).files()


def start_proxy(stack: ExitStack, project: Path, log: Path) -> int:
    """decap-server on `project`, stopped when `stack` closes; its port."""
    port = free_port()
    try:
        command = edit.proxy_command(ROOT)
    except SystemExit as why:  # not installed: its message says what to run
        raise Failed(str(why).removeprefix("edit: ")) from None
    with log.open("wb") as out:
        proxy = subprocess.Popen(command, cwd=project, env=edit.proxy_env(project, port),
                                 stdout=subprocess.DEVNULL, stderr=out)
    stack.callback(stop, proxy)
    for _ in range(200):  # listening once it answers
        if answers(edit.proxy_url(port)) or proxy.poll() is not None:
            break
        threading.Event().wait(0.1)
    if not answers(edit.proxy_url(port)):
        said = log.read_text(errors="replace").strip().splitlines()
        raise Failed(f"decap-server did not start on 127.0.0.1:{port}"
                     + (f" ({said[-1].strip()})" if said else " (no answer within 20 s)"))
    return port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def visit(page, url: str) -> tuple[float | None, float]:
    """Open the editor, click "Login" if asked: (ms to the sign-in screen or None when not asked,
    ms to the collections screen), from the navigation's start."""
    from playwright.sync_api import TimeoutError as Timeout

    def state() -> tuple[str, float]:
        try:
            return page.wait_for_function(STATE, timeout=START_SECONDS * 1000).json_value()
        except Timeout:
            raise Failed(f"the editor at {url} showed neither 'Login' nor its collections "
                         f"within {START_SECONDS} s") from None

    page.goto(url, wait_until="commit")
    what, at = state()
    signin = None
    if what == "login":
        signin = at
        page.get_by_role("button", name="Login").click()
        what, at = state()
    if what != "ready":
        raise Failed(what)
    return signin, at


def typing(browser, url: str, keystrokes: int) -> tuple[list[float], int]:
    """(each keystroke's ms, elements on the screen) typing a new course's Title."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(SLOW_MS)
        visit(page, url)
        page.get_by_role("link", name="Training calendar").first.click()
        page.get_by_role("link", name="Training calendar").last.click()
        page.get_by_role("button", name="Add course").click()
        field(page, "Title").click()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 500)))")
        elements = page.evaluate("() => document.getElementsByTagName('*').length")
        page.evaluate(LISTEN)
        for done, key in enumerate(TEXT[:keystrokes], 1):
            page.keyboard.type(key)
            page.wait_for_function("n => window.benchKeys.length >= n", arg=done)
            page.wait_for_timeout(100)
        typed = field(page, "Title").input_value()
        if typed != TEXT[:keystrokes]:
            raise RuntimeError(f"the Title field holds {typed!r}, not what was typed")
        return page.evaluate("() => window.benchKeys"), elements
    finally:
        context.close()


def visits(playwright, url: str, profiles: Path, runs: int) -> list[list[tuple[float | None, float]]]:
    """`visit`'s figures for the 1st, 2nd and 3rd visit in each of `runs` new browser profiles.
    A profile on disk, as a person's browser has: Playwright's private contexts keep no compiled
    code, which Chromium keeps (for Decap's 5 MB script) from its third load on."""
    out: list[list[tuple[float | None, float]]] = [[], [], []]
    for run in range(runs):
        context = playwright.chromium.launch_persistent_context(
            profiles / f"profile-{run}", executable_path=CHROMIUM, args=list(ARGS), headless=True)
        try:
            for nth in out:
                page = context.new_page()
                nth.append(visit(page, url))
                page.close()
        finally:
            context.close()
    return out


def full_decap(stack: ExitStack, tmp: Path, served: Path, version: str) -> str:
    """A copy of the repository's editor at served/full/admin/ with Decap's full build (npm's
    decap-cms@version) in place of the site's, its page's policy allowing 'unsafe-eval' as that
    build needs; its path."""
    import tarfile

    try:
        subprocess.run(["npm", "pack", f"decap-cms@{version}", "--pack-destination", str(tmp),
                        "--silent"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as why:
        raise Failed(f"npm could not fetch decap-cms@{version} for --full-decap ({why})") from None
    dest = served / "full" / "admin"
    shutil.copytree(served / "repository" / "admin", dest)
    shutil.rmtree(dest / "vendor" / "decap")
    with tarfile.open(next(tmp.glob("decap-cms-*.tgz"))) as archive:
        archive.extractall(tmp / "full-decap", filter="data")
    shutil.copytree(tmp / "full-decap" / "package" / "dist", dest / "vendor" / "decap")
    page = (dest / "index.html").read_text(encoding="utf-8")  # AJV, in the full build, needs eval
    allowed = page.replace("script-src &#39;self&#39;", "script-src &#39;self&#39; &#39;unsafe-eval&#39;")
    if allowed == page:
        raise Failed("the editor's page has no script-src 'self' to add 'unsafe-eval' to")
    (dest / "index.html").write_text(allowed, encoding="utf-8")
    return "/full/admin/"


def serve_editor(stack: ExitStack, tmp: Path, built: Path, name: str, project: Path) -> tuple[str, str]:
    """The editor for `project` served twice, from tmp/served/NAME/: admin/ as the site makes it,
    admin-list/ with Decap's own list; their paths."""
    port = start_proxy(stack, project, tmp / f"{name}-decap-server.log")
    files = admin_files(port)
    for folder, config in (("admin", files["admin/config.yml"]),
                           ("admin-list", list_variant(files["admin/config.yml"]))):
        dest = tmp / "served" / name / folder
        shutil.copytree(built / "admin", dest)
        (dest / "index.html").write_text(files["admin/index.html"], encoding="utf-8")
        (dest / "config.yml").write_text(config, encoding="utf-8")
    return f"/{name}/admin/", f"/{name}/admin-list/"


def run(stack: ExitStack, args) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise Failed(f"Chromium is missing ({CHROMIUM}): run 'bash scripts/ensure-chromium.sh'")
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-editor-")))
    built = tmp / "site"
    result = run_build(built)
    if result.returncode:
        said = result.stderr.strip().splitlines()
        raise Failed("the site did not build: " + (said[-1] if said else f"exit {result.returncode}"))
    repo = copy_project(tmp / "repository")
    large = synthetic_project(tmp / "large", args.courses, args.courses, dt.date(2026, 1, 15))
    sets = {"repository": repo, "large": large}
    urls = {name: serve_editor(stack, tmp, built, name, project) for name, project in sets.items()}
    server, base = serve(tmp / "served")
    stack.callback(server.server_close)
    stack.callback(server.shutdown)
    playwright = stack.enter_context(sync_playwright())
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
    except PlaywrightError as why:
        raise Failed(f"Chromium did not start: {str(why).strip().splitlines()[0]}") from None
    stack.callback(browser.close)

    version = json.loads((ROOT / "overrides/admin/vendor/vendor.json").read_text())["decap-cms"]["version"]
    print(f"The editor (/admin/, Decap CMS {version}'s packages, built for the site) served from "
          f"127.0.0.1, in headless Chromium; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    print(f"Typing a new course's Title in the training form, {args.keystrokes} keystrokes "
          "(key press to the next frame, in the page):")
    print(f"  {'courses':>7}  {'list widget':12} {'median':>9} {'worst':>9}  elements on screen")
    for name, project in sets.items():
        for widget, path in zip(("ssp-records", "list"), urls[name], strict=True):
            times, elements = typing(browser, base + path, args.keystrokes)
            print(f"  {len(_courses(project)):7}  {widget:12} {statistics.median(times):6.0f} ms "
                  f"{max(times):6.0f} ms  {elements:,}", flush=True)
    builds = {"site": ("the site's build of Decap", urls["repository"][0])}
    if args.full_decap:
        builds["full"] = ("Decap's full build", full_decap(stack, tmp, tmp / "served", version))
    print(f"Opening /admin/ ({len(_courses(repo))} courses): navigation to the collections screen "
          f"usable ('Login' clicked, 'Training calendar' shown), {args.visits} new browser profiles:")
    for name, (label, path) in builds.items():
        size = (tmp / "served" / path.strip("/") / "vendor" / "decap" / "decap-cms.js").stat().st_size
        print(f"  {label} (decap-cms.js {size / 1e6:.1f} MB):")
        first, second, third = visits(playwright, base + path, tmp / f"profiles-{name}", args.visits)
        ready = [at for _, at in first]
        signin = statistics.median(shown for shown, _ in first if shown is not None)
        print(f"    first visit (nothing cached):     median {statistics.median(ready) / 1000:.2f} s, "
              f"best {min(ready) / 1000:.2f} s (the sign-in screen: median {signin / 1000:.2f} s)")
        for nth, times in (("second visit (files cached):     ", second),
                           ("third visit (compiled code kept):", third)):
            print(f"    {nth} median {statistics.median(ready for _, ready in times) / 1000:.2f} s")
    print("  target (issue #14): usable within 2 s")


def _courses(project: Path) -> list:
    import yaml
    return yaml.safe_load((project / "data" / "training.yaml").read_text(encoding="utf-8"))["courses"]


def _stop(*_):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=200,
                        help="generated courses (besides the repository's)")
    parser.add_argument("--keystrokes", type=int, default=20, choices=range(1, len(TEXT) + 1), metavar="N")
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--full-decap", action="store_true",
                        help="also open the editor with Decap's full build (npm pack decap-cms)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    with ExitStack() as stack:
        try:
            run(stack, args)
        except Failed as why:
            print(f"bench_editor: the editor could not start: {why}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # Ctrl+C or SIGTERM: the servers and files are gone too
            print("bench_editor: stopped", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
