"""Issue #14: the editor at /admin/ in Chromium, end to end, on a throw-away copy of the project.

`make edit`'s proxy (decap-server, started as scripts/edit.py starts it) writes to the copy; the
editor's files are the session's build's, its page and configuration made for the proxy's port
(SITE_CMS_PROXY, as scripts/edit.py sets it). One browser session: an existing course is opened
and its title changed, a course is added through the form, and both are saved
(data/training.yaml gains exactly that course, and that title's line changes); an end time
before the start is refused in plain words; nothing on the forms is out of reach at 320 px
wide; a newsletter's summary is changed (only that line changes); and axe-core checks each
screen. Then `make validate`'s check passes and the one build of the copy, at a SITE_TODAY
before the new course, shows it in the calendar.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from macros.engine.zensical import settings
from scripts import edit
from tests.conftest import ROOT, run_build
from tests.site.test_browser import run_axe

pytestmark = pytest.mark.browser

NEWSLETTER = "content/forums/community/newsletters/2023-02-introduction.md"
COURSE = """
  - id: safe-steps-domestic-abuse-overview-2023-05
    title: "Domestic Abuse – An Overview"
    provider: "Safe Steps"
    url: "https://www.example.org/book"
    audience: [adults, children]
    topics: [domestic-abuse]
    format: online
    sessions:
      - date: 2023-05-18
        time: "09:30-12:30"
      - date: 2023-05-25
    added: 2023-05-02
"""
REFUSED = ("Time: '12:30-09:30' ends before it starts (for a session that runs past midnight, "
           "give its last day in end_date:)")
NOT_SAVED = "Nothing was saved: a field needs correcting. Its message, in red, says what to write."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    request = urllib.request.Request(url, data=json.dumps({"action": "info"}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.load(response).get("type") == "local_fs"
    except OSError:
        return False


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        """Nothing for each request."""


@pytest.fixture
def editor(project_copy, built_site, tmp_path, monkeypatch):
    """(the editor's address, the copy it writes to)."""
    from macros.sections.cms import CmsSection

    port = free_port()
    proxy = subprocess.Popen(edit.proxy_command(ROOT), cwd=project_copy,
                             env=edit.proxy_env(project_copy, port),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site = tmp_path / "served"
    shutil.copytree(built_site / "admin", site / "admin")
    monkeypatch.setenv("SITE_CMS_PROXY", edit.proxy_url(port))
    build = type("B", (), {"extra": settings(ROOT)["extra"]})()
    for path, text in CmsSection(build).files().items():
        (site / path).write_text(text, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(200):  # decap-server is listening once it answers
            if answers(edit.proxy_url(port)) or proxy.poll() is not None:
                break
            threading.Event().wait(0.1)
        assert answers(edit.proxy_url(port)), "decap-server did not start"
        yield f"http://127.0.0.1:{server.server_address[1]}/admin/", project_copy
    finally:
        server.shutdown()
        proxy.terminate()
        proxy.wait(timeout=10)


def field(page, label: str):
    """The last form field labelled `label` (the newest list item's)."""
    name = page.locator("label").filter(has_text=re.compile(f"^{label}( \\(optional\\))?$")).last
    return page.locator("#" + name.get_attribute("for"))


def choose(page, label: str, option: str) -> None:
    field(page, label).fill(option)
    page.locator("[class*='option']", has_text=option).first.click()


def publish(page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def saved(page, path: Path, old: str) -> str:
    """Wait until the editor says it saved and `path` no longer holds `old`; its new text, once
    read the same twice in a row (an earlier save's notice may still be on screen, and a file
    read while decap-server writes it may be cut short)."""
    page.get_by_text("Entry saved").last.wait_for()
    last = old
    for _ in range(300):
        text = path.read_text(encoding="utf-8")
        if text != old and text == last:
            return text
        last = text
        time.sleep(0.1)
    raise AssertionError(f"{path.name} was not written")


def beyond_a_phone(page) -> list[str]:
    """At 320 px wide: what a person would have to scroll sideways to reach (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 720})
    try:
        settled(page)  # a notice sliding in or out is not in the way
        return page.evaluate("""() => {
            const width = document.documentElement.clientWidth, out = [];
            if (document.documentElement.scrollWidth > width) out.push('the page scrolls sideways');
            for (const e of document.querySelectorAll('button, input, select, textarea, label, a')) {
                const box = e.getBoundingClientRect();
                if (box.width && e.checkVisibility({visibilityProperty: true, opacityProperty: true})
                    && (box.right > width + 1 || box.left < -1))
                    out.push(`${e.tagName} '${(e.textContent || e.id).trim().slice(0, 40)}'`
                             + ` (${e.className}, in ${e.parentElement.className})`
                             + ` from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
            }
            return out; }""")
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def settled(page) -> None:
    """Wait until the screen is still: nothing loading ("Loading Entries..."), nothing fading in
    or out (mid-fade, any text is too pale for axe-core's contrast check)."""
    page.wait_for_function("""() => !document.querySelector('[class*="LoaderItem"]')
        && document.getAnimations().every(a => a.playState !== 'running'
                                           || !a.effect.getKeyframes().some(k => 'opacity' in k))""")


def test_add_a_course_refuse_a_wrong_time_change_a_newsletter(page, editor):
    url, copy = editor
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    training = copy / "data" / "training.yaml"
    before = training.read_text(encoding="utf-8")
    # Whatever the page's policy refuses (an inline script, code made from text: 'unsafe-eval')
    page.add_init_script("window.refused = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.refused.push(`${e.violatedDirective} ${e.blockedURI} "
                         "${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));")

    page.goto(url)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Training calendar").first.wait_for()
    settled(page)
    assert run_axe(page) == []  # the menu of collections

    # Add a course through the form: an end time before the start is refused, in plain words,
    # and nothing is written; corrected, the course is saved.
    page.get_by_role("link", name="Training calendar").first.click()
    page.get_by_role("link", name="Training calendar").last.click()
    # An existing course: its fields are made once it is opened (ssp-records), then edited.
    titles = page.locator("label").filter(has_text=re.compile("^Title$"))
    page.get_by_role("button", name="Add course").wait_for()
    expect(titles).to_have_count(0)  # 37 courses, none opened: no course's fields are made
    page.get_by_role("button", name="Show or hide this item's fields").first.click()
    expect(titles).to_have_count(1)
    expect(field(page, "Title")).to_have_value("Advocacy (Care Act)")
    field(page, "Title").fill("Advocacy under the Care Act")
    page.get_by_role("button", name="Add course").click()
    field(page, "ID").fill("safe-steps-domestic-abuse-overview-2023-05")
    field(page, "Title").fill("Domestic Abuse – An Overview")
    field(page, "Provider").fill("Safe Steps")
    field(page, "URL").fill("https://www.example.org/book")
    choose(page, "Audience", "adults")
    choose(page, "Audience", "children")
    choose(page, "Topics", "Domestic abuse")
    choose(page, "Format", "online")
    page.get_by_role("button", name="Add session").last.click()
    field(page, "Date").fill("2023-05-18")
    field(page, "Time").fill("12:30-09:30")
    page.get_by_role("button", name="Add session").last.click()
    field(page, "Date").fill("2023-05-25")
    field(page, "Added").fill("2023-05-02")
    assert beyond_a_phone(page) == []  # the course's form on a phone
    publish(page)
    page.get_by_text(NOT_SAVED).wait_for()
    page.get_by_text(REFUSED).wait_for()
    settled(page)
    assert run_axe(page) == []  # the course's form, filled in, with its message
    assert training.read_text(encoding="utf-8") == before
    page.locator("input[value='12:30-09:30']").click()  # as a person would: click in the time,
    page.keyboard.press("Control+a")  # select it and type the right one
    page.keyboard.insert_text("09:30-12:30")
    publish(page)
    assert saved(page, training, before) == before.replace(  # those two, nothing else
        "    title: Advocacy (Care Act)\n", "    title: \"Advocacy under the Care Act\"\n", 1) + COURSE

    # Change a newsletter's summary: only its line changes.
    newsletter = copy / NEWSLETTER
    text = newsletter.read_text(encoding="utf-8")
    page.get_by_role("link", name=re.compile("Writing in Training calendar")).click()
    page.get_by_role("link", name="Newsletters: Safeguarding Community Forum").click()
    page.get_by_role("link", name="New newsletter", exact=True).wait_for()  # as it reads, not '＋'
    page.get_by_role("link", name=re.compile("Safeguarding Community Forum introductory newsletter")).click()
    expect(field(page, "Title")).to_have_value("Safeguarding Community Forum introductory newsletter")
    field(page, "Summary").fill("The forum's first newsletter: its aims, training and its first meeting.")
    assert beyond_a_phone(page) == []  # a newsletter's form on a phone, with its Delete button
    settled(page)
    assert run_axe(page) == []  # a newsletter's form
    publish(page)
    new_lines = saved(page, newsletter, text).split("\n")
    old_lines = text.split("\n")
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [(old_lines[4], 'summary: "The forum\'s first newsletter: its aims, training and '
                        'its first meeting."')]

    # What CI checks passes, and the one build shows the course in the calendar.
    assert page.evaluate("window.refused") == []  # the whole session ran within the policy
    done = subprocess.run([sys.executable, "scripts/validate.py"], cwd=copy, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "All data files are valid.", done.stderr
    dest = copy.parent / "site"
    result = run_build(dest, {"SITE_TODAY": "2023-05-10"}, cwd=copy)
    assert result.returncode == 0, result.stderr[-3000:]
    calendar = (dest / "training" / "index.html").read_text(encoding="utf-8")
    course = BeautifulSoup(calendar, "html.parser").select_one(
        "#course-safe-steps-domestic-abuse-overview-2023-05")
    assert course, "the course is not in the calendar"
    assert "Domestic Abuse – An Overview" in course.get_text() and "Safe Steps" in course.get_text()
    forum = (dest / "forums" / "community" / "index.html").read_text(encoding="utf-8")
    assert "its aims, training and its first meeting." in forum


def test_a_change_to_what_builds_the_editor_is_caught():
    from scripts.vendor_cms import MANIFEST, vendored_problems

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    manifest["decap-cms"]["inputs"]["tools/decap/editor.js"] = "0" * 64
    assert vendored_problems(manifest) == [
        "tools/decap/editor.js: changed since the editor was built (run python scripts/vendor_cms.py)"]


def test_the_editor_files_are_the_pinned_ones():
    """Decap CMS as built from the pinned npm packages (scripts/vendor_cms.py) and js-yaml as
    tools/ installs it."""
    from scripts.vendor_cms import vendored_problems

    assert vendored_problems() == []
    installed = ROOT / "tools" / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"
    assert installed.exists(), "run 'make tools' (make test does)"
    assert (ROOT / "overrides" / "admin" / "vendor" / "js-yaml.min.js").read_bytes() == installed.read_bytes()



def test_in_production_the_editor_signs_in_with_github(page, context, built_site, tmp_path, monkeypatch):
    """The site's build of Decap has the GitHub backend: the published editor offers "Login with
    GitHub", which opens the sign-in service (answered here by the test, never reached)."""
    from macros.sections.cms import CmsSection

    monkeypatch.setenv("SITE_ENV", "production")
    extra = settings(ROOT)["extra"]
    build = type("B", (), {"extra": {**extra, "cms": {**extra["cms"], "repo": "owner-name/repo-name",
                                                       "auth_url": "https://sign-in.test"}}})()
    site = tmp_path / "served"
    shutil.copytree(built_site / "admin", site / "admin")
    for path, text in CmsSection(build).files().items():
        (site / path).write_text(text, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/")
        with context.expect_page() as opened:
            page.get_by_role("button", name="Login with GitHub").click()
        opened.value.wait_for_load_state()
    finally:
        server.shutdown()
    assert [url.split("?")[0] for url in context.outside] == ["https://sign-in.test/auth"]
    assert "provider=github" in context.outside[0] and errors == []
