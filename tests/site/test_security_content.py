"""Issue #11, points 1 and 2: contributed content never runs code and never publishes script.

Newsletters are written by forum members: they are never rendered as templates (the validator
refuses `{{` and `{%`), their pages are sanitised to an allow-list (nh3), and their title and
summary are plain text in every output. Pages the partnership writes do use macros, in a
sandbox that reaches no Python module. Front matter is never a template.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment
from jinja2.exceptions import SecurityError, UndefinedError

from macros.core import sandbox
from tests.conftest import run_build

NEWSLETTER = "content/forums/community/newsletters/2023-03-spring.md"


def validate(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/validate.py"], cwd=project, capture_output=True,
                          text=True, timeout=300)


def newsletter(body: str, title: str = "Spring newsletter", summary: str = "What it is for.") -> str:
    return (f"---\ntitle: {json.dumps(title)}\ndate: 2023-03-01\nforum: community\n"
            f"summary: {json.dumps(summary)}\nsource: The newsletter as sent\n---\n\n{body}")


# --- 1. no template execution from contributed content ---------------------------------------


def test_a_newsletter_that_would_run_a_command_is_refused_and_runs_nothing(project_copy, tmp_path):
    marker = tmp_path / "ran"
    attack = f"{{{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}}}"
    (project_copy / NEWSLETTER).write_text(newsletter(
        f"Hello.\n\n{attack}\n\n{{% for x in range(3) %}}x{{% endfor %}}\n"))
    checked = validate(project_copy)
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[:2] == [
        f"{NEWSLETTER}:11: newsletter '2023-03-spring': '{{{{' is not allowed in a newsletter: "
        "newsletters cannot use macros or templates (delete it; write a link as [text](https://...))",
        f"{NEWSLETTER}:13: newsletter '2023-03-spring': '{{%' is not allowed in a newsletter: "
        "newsletters cannot use macros or templates (delete it; write a link as [text](https://...))",
    ]
    built = run_build(tmp_path / "out", cwd=project_copy)
    assert built.returncode == 1
    assert "'{{' is not allowed in a newsletter" in built.stderr
    assert "Traceback" not in built.stderr
    assert not marker.exists()


def test_template_code_in_front_matter_is_refused(project_copy):
    page = project_copy / "content" / "about" / "index.md"
    text = page.read_text()
    page.write_text("---\ntitle: \"About {{ config.site_name }}\"\n---\n\n" + text
                    if not text.startswith("---") else text.replace("---\n", "---\nx: \"{{ 1 }}\"\n", 1))
    checked = validate(project_copy)
    assert checked.returncode == 1
    assert ("content/about/index.md:2: '{{' is not allowed in front matter (the lines between the "
            "two ---): front matter is never run as a template; write the value as plain text"
            ) in checked.stderr.splitlines()


ESCAPES = [
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ range.__self__ }}",
    "{{ tbc.__globals__['os'] }}",
    "{{ tbc.__module__ }}",
    "{{ helpers.os.getcwd() }}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("attack", ESCAPES)
def test_the_pages_sandbox_reaches_no_python_module(attack):
    import os

    env = Environment()
    env.globals["tbc"] = lambda what: what  # a macro, as mkdocs-macros registers ours
    env.globals["helpers"] = type("Helpers", (), {"os": os})()  # an object holding a module
    box = sandbox.sandboxed(env)
    try:
        out = box.from_string(attack).render()
    except (SecurityError, UndefinedError):
        return
    assert out == "", f"{attack} gave {out!r}"


def test_a_partnership_page_cannot_break_out_of_the_sandbox(project_copy, tmp_path):
    marker = tmp_path / "ran"
    page = project_copy / "content" / "about" / "partnerships.md"
    page.write_text(page.read_text() + f"\n\n{{{{ lipsum.__globals__['os'].popen('touch {marker}') }}}}\n")
    built = run_build(tmp_path / "out", cwd=project_copy)
    assert built.returncode != 0
    assert "lipsum" in built.stderr and "undefined" in built.stderr
    assert not marker.exists()


# --- 2. no script from contributed content ---------------------------------------------------

HOSTILE_TITLE = 'Spring "news" & [more](javascript:alert(1))'
HOSTILE_SUMMARY = 'He said "hi" onmouseover=alert(1) [y](javascript:alert(2)) & more'
HOSTILE_BODY = """\
Dear members,

<script>window.__pwned = 1</script>
<img src="https://tracker.example.com/pixel.png" onerror="window.__pwned = 2">
<img src="x" onerror="alert(3)">

[click me](javascript:alert(4)) and [data](data:text/html;base64,PHNjcmlwdD4=) and
[vb](vbscript:msgbox) and <a href="JaVaScRiPt:alert(5)">mixed case</a>.

A paragraph with an event handler { onclick="alert(6)" }

<div onmouseover="alert(7)" style="position:fixed;top:0">cover</div>
<iframe src="https://example.com/"></iframe>
<form action="https://example.com/"><input name="password"></form>
<style>body { display: none }</style>
<svg><script>alert(8)</script></svg>
<h2 id="__config">clobber</h2>

## A real heading

A [real link](https://www.southend.gov.uk/) stays, and so does *emphasis*.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The site built with a newsletter written as an attacker would (it passes the validator)."""
    from tests.conftest import ROOT

    project = tmp_path_factory.mktemp("hostile") / "project"
    import shutil

    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"))
    (project / NEWSLETTER).write_text(newsletter(HOSTILE_BODY, HOSTILE_TITLE, HOSTILE_SUMMARY))
    assert validate(project).returncode == 0
    dest = project / "out"
    result = run_build(dest, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return dest


def test_a_newsletter_page_holds_no_script_handler_or_unsafe_link(hostile_site):
    soup = BeautifulSoup((hostile_site / "forums/community/newsletters/2023-03-spring/index.html")
                         .read_text(), "html.parser")
    article = soup.select_one("article")
    assert article.find_all(["script", "iframe", "form", "input", "style", "svg"]) == []
    for tag in article.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on") or a == "style"], tag
        for attr in ("href", "src"):
            value = (tag.get(attr) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), tag
    assert [img.get("src") for img in article.find_all("img")] == [None, "x"]  # no other site's
    assert "__config" not in [tag.get("id") for tag in article.find_all(True)]
    assert article.find("a", href="https://www.southend.gov.uk/").text == "real link"
    assert [a for a in article.find_all("a") if not a.get("href")] == []  # unsafe ones: text
    assert "click me and data and" in article.get_text(" ")
    assert article.find("em").text == "emphasis"
    assert article.find("h2", id="a-real-heading") is not None


def test_a_newsletter_title_and_summary_are_plain_text_everywhere(hostile_site):
    soup = BeautifulSoup((hostile_site / "forums/community/newsletters/2023-03-spring/index.html")
                         .read_text(), "html.parser")
    h1 = soup.select_one("article h1")
    assert h1.get_text() == HOSTILE_TITLE and h1.find("a") is None
    assert soup.title.get_text().startswith(HOSTILE_TITLE + " - ")
    meta = soup.find("meta", attrs={"name": "description"})
    assert meta.attrs == {"name": "description", "content": HOSTILE_SUMMARY}
    listing = BeautifulSoup((hostile_site / "forums/community/index.html").read_text(), "html.parser")
    item = listing.select_one(".app-newsletters__item")
    assert item.find("a").get_text() == HOSTILE_TITLE
    assert HOSTILE_SUMMARY in item.get_text()
    feed = feedparser.parse((hostile_site / "forums/community/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].title == HOSTILE_TITLE
    assert feed.entries[0].summary == html.escape(HOSTILE_SUMMARY, quote=False) or \
        feed.entries[0].summary == HOSTILE_SUMMARY
    index = json.loads((hostile_site / "search/search_index.json").read_text())
    entry = next(d for d in index["docs"] if d["location"] == "forums/community/newsletters/2023-03-spring/")
    assert html.unescape(entry["title"]) == HOSTILE_TITLE and "<" not in entry["title"]
    assert "pwned" not in json.dumps(index)


def test_a_newsletter_to_be_confirmed_fails_the_production_build(project_copy, tmp_path):
    from tests.site.test_production import make_publishable

    make_publishable(project_copy)
    for page in (project_copy / "content").rglob("*.md"):  # leave only the newsletter's placeholder
        text = page.read_text()
        if "tbc(" in text:
            import re

            page.write_text(re.sub(r"\{\{ tbc\(\"[^\"]*\"\) \}\}", "confirmed", text))
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("forms.southend.example.net", "forms.southend.gov.uk"))
    result = run_build(tmp_path / "out", {"SITE_ENV": "production"}, cwd=project_copy)
    assert result.returncode != 0
    assert ("content/forums/community/newsletters/2023-02-introduction.md: to be confirmed: the full "
            "text of the Safeguarding Community Forum's introductory newsletter") in result.stderr


def test_only_pages_pictures_and_pdfs_are_published_from_content(project_copy, tmp_path):
    """Every file in content/ is published as it is, outside any page's policy: an SVG or HTML
    file (the editor's media library writes to content/assets/uploads/) could run script as
    the site. Refused by the check and the build, as is a file not what its name says."""
    uploads = project_copy / "content" / "assets" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (uploads / "photo.png").write_text("<html><script>alert(1)</script></html>")
    (uploads / "minutes.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (uploads / "chart.PNG").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    checked = validate(project_copy)
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[:2] == [
        "content/assets/uploads/logo.svg: only pages (.md) and a picture (PNG, JPEG, GIF or WebP) or "
        "a PDF may be published from content/: a file such as this one is served as it is and could "
        "run script as the site (delete it; link to the document where it is published instead)",
        "content/assets/uploads/photo.png: this file's name ends .png, but it is not one: only a "
        "picture (PNG, JPEG, GIF or WebP) or a PDF may be published from content/ (delete it, or "
        "save it again as what its name says)"]
    built = run_build(tmp_path / "out", cwd=project_copy)
    assert built.returncode == 1 and "content/assets/uploads/logo.svg: only pages" in built.stderr
    assert not (tmp_path / "out" / "assets" / "uploads" / "logo.svg").exists()
