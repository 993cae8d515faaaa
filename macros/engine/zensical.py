"""The Zensical seam: the same site built with Zensical (`make zensical`, zensical.yml).

Zensical runs mkdocs-macros itself (so pages get their macros from macros/engine/pages.py)
but no MkDocs plugin or hook. What the site's plugin does in MkDocs is done here, around
Zensical's build:

1. before: content/ is copied to build/zensical-docs/ (without the newsletters folders'
   notes for editors) with the files made from the data written into it (review pages,
   calendars, feeds, JSON); each newsletter is written there already made HTML and
   sanitised, with its header, and `render_macros: false`;
2. Zensical builds from there into site-zensical/ (always clean: its cache does not see a new
   SITE_TODAY);
3. after: every page gets "Exit this page" as its first link (the editor at /admin/ is not a
   page); in production (SITE_ENV) a page still holding a "to be confirmed" fact fails the build.

    python -m macros.engine.zensical        (from the project root; exit code 1 on a problem)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import yaml

from macros.build import Build, BuildError, exit_link_first, named_search_dialog
from macros.core.problems import Problem
from macros.data import newsletters

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "zensical.yml"


class _ConfigLoader(yaml.SafeLoader):
    """zensical.yml as YAML: its `!ENV` values (Zensical's, set when it runs) read as None."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def settings(root: Path = ROOT) -> dict:
    """mkdocs.yml with zensical.yml's changes (docs_dir and site_dir), paths absolute."""
    conf = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    conf.update({k: v for k, v in yaml.load(CONFIG.read_text(encoding="utf-8"), _ConfigLoader).items()
                 if k in ("docs_dir", "site_dir")})
    conf["source_dir"] = str(root / "content")
    for key in ("docs_dir", "site_dir"):
        conf[key] = str(root / conf[key])
    return conf


def newsletter_page(item: newsletters.Newsletter, text: str, build: Build, conf: dict) -> str:
    """A newsletter's page as the MkDocs build makes it, ready for Zensical: its Markdown made
    HTML here (the site's extensions) and sanitised, so nothing a forum member wrote reaches
    Zensical's Markdown or templates."""
    body = newsletters.FRONT_MATTER.sub("", text, count=1)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in conf.get("markdown_extensions", [])]
    configs = {next(iter(e)): next(iter(e.values())) for e in conf.get("markdown_extensions", [])
               if isinstance(e, dict)}
    page, meta = build.page_markdown(item.src_uri, body)
    html = markdown.markdown(page, extensions=extensions, extension_configs=configs)
    front = {"title": meta["title"], "description": meta["description"], "render_macros": False}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items()) + \
        "---\n\n" + build.page_html(item.src_uri, html) + "\n"


def stage(build: Build, conf: dict) -> None:
    """build/zensical-docs/: content/, the files made from the data, the newsletters as HTML."""
    staged = Path(conf["docs_dir"])
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(conf["source_dir"], staged)
    for note in staged.glob(f"forums/*/newsletters/{newsletters.FOLDER_NOTE}"):
        note.unlink()  # a note for editors, never published (as mkdocs.yml `exclude_docs`)
    for path, content in build.files().items():
        target = staged / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    for item in build.newsletters.items:
        target = staged / item.src_uri
        target.write_text(newsletter_page(item, target.read_text(encoding="utf-8"), build, conf),
                          encoding="utf-8")


def finish(build: Build, site_dir: Path) -> None:
    """Every page: "Exit this page" first, the search dialog named; in production, no "to be
    confirmed" fact left."""
    held = []
    for page in sorted(site_dir.rglob("*.html")):
        if page.relative_to(site_dir).parts[0] == "admin":  # the editor, not a page of the site
            continue
        html = page.read_text(encoding="utf-8")
        page.write_text(named_search_dialog(exit_link_first(html, build.extra["exit"]["url"])),
                        encoding="utf-8")
        if 'class="app-tbc"' in html:
            held.append(page.relative_to(site_dir).as_posix())
    build.finish([Problem(name, 0, "to be confirmed") for name in held])


def main() -> int:
    conf = settings()
    try:
        build = Build({**conf, "docs_dir": conf["source_dir"]})
        stage(build, conf)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           # Read by zensical.yml (extra.feedback.to_confirm), as the MkDocs plugin sets it.
           "SSP_FEEDBACK_TO_CONFIRM": "true" if build.feedback_to_confirm else "false"}
    zensical = Path(sys.executable).with_name("zensical")
    done = subprocess.run([str(zensical), "build", "--clean", "--strict", "-f", str(CONFIG)],
                          cwd=ROOT, env=env)
    if done.returncode:
        print("The Zensical build failed (its message is above); nothing was written.", file=sys.stderr)
        return done.returncode
    try:
        finish(build, Path(conf["site_dir"]))
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
