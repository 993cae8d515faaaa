"""What may be published from content/ besides its pages: pictures and PDFs, nothing that runs.

Every file in content/ is published as it is. A page is Markdown, made into HTML under the
site's Content-Security-Policy; any other file is served by itself, with no page around it and
so no policy: an SVG or HTML file there could run script as the site. Files arrive there from
pull requests and from the editor's media library (`admin/config.yml`'s media_folder), so
`make validate` and the build accept only Markdown and the kinds below, each checked by its
first bytes too, since a server names a file's kind by its ending.
"""

from __future__ import annotations

from pathlib import Path

from macros.core.problems import Problem

# The kinds of file published as they are, by ending, with the bytes each such file starts with.
ALLOWED = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # then 4 bytes of length, then WEBP (checked below)
    ".pdf": (b"%PDF-",),
}
KINDS = "a picture (PNG, JPEG, GIF or WebP) or a PDF"


def _is_kind(path: Path, suffix: str) -> bool:
    with path.open("rb") as file:
        head = file.read(12)
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return False
    return head.startswith(ALLOWED[suffix])


def content_file_problems(docs_dir: Path) -> list[Problem]:
    """Every file in `docs_dir` that is neither a Markdown page nor a checked picture or PDF."""
    docs_dir = Path(docs_dir)
    problems: list[Problem] = []
    for path in sorted(p for p in docs_dir.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".md":
            continue
        name = f"{docs_dir.name}/{path.relative_to(docs_dir).as_posix()}"
        if suffix not in ALLOWED:
            problems.append(Problem(name, 0, f"only pages (.md) and {KINDS} may be published from "
                                    f"{docs_dir.name}/: a file such as this one is served as it is "
                                    "and could run script as the site (delete it; link to the "
                                    "document where it is published instead)"))
        elif not _is_kind(path, suffix):
            problems.append(Problem(name, 0, f"this file's name ends {suffix}, but it is not one: "
                                    f"only {KINDS} may be published from {docs_dir.name}/ "
                                    "(delete it, or save it again as what its name says)"))
    return problems
