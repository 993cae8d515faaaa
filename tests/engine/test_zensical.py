"""The second engine: the site built with Zensical (`make zensical`, macros/engine/zensical.py)
is the site MkDocs builds (README, "Engines").

Both builds of the repository at the tests' SITE_TODAY are compared: the same pages, each
with the safety bar and "Exit this page" as its first link, the same text in every page's
article, no inline script, and the same files made from the data, byte for byte. What
differs by design: the engines' own search index and sitemap.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import EXIT_URL, ROOT, SITE_TODAY, public_pages

pytest.importorskip("zensical", reason="make test installs Zensical (the zensical extra)")

# Each engine's own search index and sitemap (Zensical: search.json, sitemap.xml without .gz).
ENGINE_FILES = {"search/search_index.json", "search.json", "sitemap.xml", "sitemap.xml.gz"}


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    """The repository's site built with Zensical, in a copy of the project."""
    project = tmp_path_factory.mktemp("zensical") / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "site", "site-zensical", "build", ".cache", "__pycache__",
        ".pytest_cache", ".ruff_cache", "node_modules", "*.egg-info"))
    env = {"SITE_TODAY": SITE_TODAY, "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "macros.engine.zensical"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return project / "site-zensical"


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def article_text(page: Path) -> str:
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    for theirs in article.select("a.headerlink, a.md-content__button"):
        theirs.decompose()
    return " ".join(article.get_text(" ").split())


def test_the_same_pages(built_site, zensical_site):
    pages = {p for p in files(built_site) if p.endswith(".html")}
    assert pages == {p for p in files(zensical_site) if p.endswith(".html")}
    assert len(pages) > 30


def test_every_page_has_the_safety_bar_and_exits_first(zensical_site):
    for page in public_pages(zensical_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        first = soup.body.find("a")
        assert first.get_text(strip=True) == "Exit this page" and first["href"] == EXIT_URL, page
        assert soup.select_one("a.app-safety-bar__concern").get_text(strip=True) == "Report a concern", page
        assert soup.select_one('meta[http-equiv="Content-Security-Policy"]'), page
        # The feedback form's address is a placeholder: said, not linked (#13 point 11).
        assert soup.select_one(".app-footer .app-feedback-tbc"), page
        assert not soup.select_one('a[href*="feedback.invalid"]'), page
        inline = [s for s in soup.find_all("script") if not s.get("src")
                  and s.get("type") not in ("application/json", "application/ld+json")]
        assert not inline, (page, str(inline[0])[:200])


def test_every_page_says_the_same(built_site, zensical_site):
    different = [p for p in sorted(files(built_site)) if p.endswith(".html") and p != "404.html"
                 and not p.startswith("admin/")
                 and article_text(built_site / p) != article_text(zensical_site / p)]
    assert not different


def test_the_files_made_from_the_data_are_the_same(built_site, zensical_site):
    ours = {p for p in files(built_site) if not p.startswith("assets/") and not p.endswith(".html")}
    ours -= ENGINE_FILES
    assert any(p.endswith(".ics") for p in ours) and "training/courses.json" in ours
    assert ours <= files(zensical_site)
    differ = [p for p in sorted(ours) if (built_site / p).read_bytes() != (zensical_site / p).read_bytes()]
    assert differ == []


def test_the_calendar_and_reviews_are_there(zensical_site):
    calendar = BeautifulSoup((zensical_site / "training/index.html").read_text(), "html.parser")
    assert calendar.select_one(".app-training") and calendar.select_one("script[src$='training.js']")
    # On the tests' today every course of the repository is over or no longer confirmed.
    past = BeautifulSoup((zensical_site / "training/past/index.html").read_text(), "html.parser")
    assert past.select(".app-past-course")
    assert (zensical_site / "reviews/sar-a/index.html").exists()


def test_a_newsletter_reaches_zensical_sanitised(tmp_path):
    from macros.build import Build
    from macros.data.newsletters import load_newsletters
    from macros.engine import zensical

    conf = zensical.settings()
    build = Build({**conf, "docs_dir": conf["source_dir"]})
    item = load_newsletters()[0]
    hostile = ("---\ntitle: x\n---\nHello <script>alert(1)</script> <img src=x onerror=alert(1)> "
               "[link](javascript:alert(1))\n")
    page = zensical.newsletter_page(item, hostile, build, conf)
    assert "<script" not in page and "onerror" not in page and "javascript:" not in page
    assert "render_macros: false" in page and "Hello" in page
