"""The forums' newsletters: one Markdown file per issue, validated like the data files.

A newsletter is `content/forums/<forum>/newsletters/YYYY-MM-<slug>.md`, with front matter

    title: Safeguarding Community Forum introductory newsletter
    date: 2023-02-01        # when it was sent (the page shows the month and year)
    forum: community        # education or community: the folder it is in
    summary: One plain sentence saying what it is about.
    source: Where the text comes from.
    to_confirm: What is still to be confirmed (optional; a production build fails while set).

A newsletter is written by forum members, so it is untrusted text: it is never run as a
template (a `{{` or `{%` in it is refused), its page is sanitised to an allow-list of HTML
(`sanitise`, macros/render/newsletters.py), and its title and summary are plain text
everywhere they appear.

The file is the newsletter's own page (MkDocs builds it; `not_in_nav` in mkdocs.yml keeps
it out of the menu). This module loads and checks every newsletter (every problem at once,
`file:line: newsletter '<name>': field: message`) and writes each forum's Atom feed; the
lists, the header of each newsletter's page and the sanitiser are in
macros/render/newsletters.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from macros.core.problems import ROOT, DataError, Problem
from macros.core.schema import describe, did_you_mean
from macros.core.yamlfile import load_yaml_text
from macros.core.yamllines import line_of
from macros.core.yamlsafety import bad_char_problem
from macros.outputs import feeds

FORUMS_DIR = ROOT / "content" / "forums"
FORUMS = {"community": "Safeguarding Community Forum",
          "education": "Safeguarding in Education Forum"}
FIELDS = ("date", "forum", "source", "summary", "title", "to_confirm")
# The longest each text field may be (characters), and the largest a newsletter file may be.
MAX_LENGTH = {"title": 200, "summary": 500, "source": 500, "to_confirm": 500}
MAX_FILE_BYTES = 200_000
REQUIRED = {
    "title": "the newsletter's title, as it appears on the newsletter",
    "date": "the date it was sent, written YYYY-MM-DD, e.g. date: 2023-02-01",
    "forum": "write education or community: the forum whose folder the file is in",
    "summary": "one plain sentence saying what the newsletter is about",
    "source": "where the text comes from, e.g. source: The newsletter as sent to members",
}
FILE_NAME = re.compile(r"^(\d{4})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
FEED_ID = "tag:southend-safeguarding-partnership,2023:forums"
# A note for editors a newsletters folder may hold (GitHub shows it under the folder's files):
# not a newsletter, never published (mkdocs.yml `exclude_docs`; the Zensical staging skips it).
FOLDER_NOTE = "README.md"


@dataclass(frozen=True)
class Newsletter:
    forum: str
    name: str  # the file name without .md: 2023-02-introduction
    title: str
    date: dt.date
    summary: str
    source: str
    file: str  # content/forums/community/newsletters/2023-02-introduction.md
    line: int = 1
    to_confirm: str = ""  # what is still to be confirmed ("" when nothing is)

    @property
    def src_uri(self) -> str:
        """The page's path inside content/ (as MkDocs names it)."""
        return f"forums/{self.forum}/newsletters/{self.name}.md"

    def url(self, directory_urls: bool = True) -> str:
        """The page's URL from the site root, without a leading slash."""
        base = f"forums/{self.forum}/newsletters/{self.name}"
        return f"{base}/" if directory_urls else f"{base}.html"


def newsletter_files(forums_dir: Path = FORUMS_DIR) -> list[Path]:
    return sorted(p for p in Path(forums_dir).glob("*/newsletters/*.md") if not is_folder_note(p))


def is_folder_note(path: Path) -> bool:
    """Whether `path` is a newsletters folder's note for editors (README.md), not a newsletter."""
    return path.name == FOLDER_NOTE and path.parent.name == "newsletters"


def load_newsletters(forums_dir: Path = FORUMS_DIR) -> list[Newsletter]:
    """Every newsletter of every forum, newest first; raise DataError listing every problem."""
    forums_dir = Path(forums_dir)
    root = forums_dir.parent.parent
    problems: list[Problem] = []
    items: list[Newsletter] = []
    for path in sorted(Path(forums_dir).glob("*/newsletters/**/*")):
        if path.is_file() and (path.suffix != ".md" or path.parent.parent.parent != forums_dir) \
                and not (is_folder_note(path) and path.parent.parent.parent == forums_dir):
            problems.append(Problem(_name(path, root), 0, "only newsletters go in a newsletters folder: "
                                    "one Markdown file each, named YYYY-MM-<words>.md, directly "
                                    "in the folder (move or delete this file)"))
    for path in newsletter_files(forums_dir):
        name = _name(path, root)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(name, 0, f"the file is {size // 1000} KB; a newsletter may be at "
                                    f"most {MAX_FILE_BYTES // 1000} KB (link to a long document "
                                    "instead of pasting it)"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, 0, f"not valid UTF-8 text ({exc.reason}); save the file "
                                    "as UTF-8"))
            continue
        found, trouble = check_newsletter(text, name, folder=path.parent.parent.name, stem=path.stem)
        problems += trouble
        if found:
            items.append(found)
    if problems:
        raise DataError(problems)
    return newest_first(items)


def _name(path: Path, root: Path) -> str:
    """The file's path as the editor sees it (content/forums/...)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def newest_first(items: list[Newsletter]) -> list[Newsletter]:
    return sorted(items, key=lambda n: (n.date, n.name), reverse=True)


def check_newsletter(text: str, name: str, folder: str, stem: str
                     ) -> tuple[Newsletter | None, list[Problem]]:
    """Check one newsletter file's text: (the newsletter or None, every problem)."""
    record = f"newsletter '{stem}'"

    def problem(line: int, message: str, field: str = "") -> Problem:
        return Problem(name, line, message, record, field)

    problems: list[Problem] = []
    if folder not in FORUMS:
        problems.append(problem(1, f"the folder '{folder}' is not a forum{did_you_mean(folder, FORUMS)} "
                                "(newsletters go in content/forums/education/newsletters/ or "
                                "content/forums/community/newsletters/)"))
    month = FILE_NAME.match(stem)
    if not month:
        problems.append(problem(1, "the file name must be YYYY-MM-<words-joined-by-hyphens>.md, "
                                "in lower case, e.g. 2023-02-introduction.md"))
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        problems.append(problem(1, "has no front matter: start the file with a line ---, then "
                                "title:, date:, forum:, summary: and source:, then a line ---"))
        return None, problems
    try:
        meta = load_yaml_text(match.group(1) or "", name, first_line=2)
    except DataError as exc:
        return None, problems + exc.problems
    if not isinstance(meta, dict):
        problems.append(problem(2, "the front matter must be fields written name: value, "
                                "e.g. title: Spring newsletter"))
        return None, problems
    body_start = match.group(0).count("\n") + 1
    problems += _body_problems(text[match.end():], body_start, problem)

    def at(key: str) -> int:
        return line_of(meta, [key]) or 1

    for key in meta:
        if key not in FIELDS:
            problems.append(problem(at(key), f"is not a field we know{did_you_mean(key, FIELDS)} "
                                    f"(allowed fields: {', '.join(FIELDS)})", str(key)))
    values: dict[str, object] = {}
    if meta.get("to_confirm") is not None:
        wanted = {**REQUIRED, "to_confirm": "what is still to be confirmed, in plain words"}
    else:
        wanted = REQUIRED
    for key, how in wanted.items():
        if key not in meta or meta[key] is None:
            misspelt = [k for k in meta if k not in FIELDS and did_you_mean(k, FIELDS) ==
                        f"; did you mean '{key}'?"]
            if not misspelt:  # a misspelt field is reported once, not also as missing
                problems.append(problem(at(key) if key in meta else 1, f"is missing ({how})", key))
            continue
        value = meta[key]
        if key == "date":
            date = _as_date(value)
            if date is None:
                problems.append(problem(at(key), _date_message(value), key))
            elif month and (date.year, date.month) != (int(month[1]), int(month[2])):
                problems.append(problem(at(key), f"{date.isoformat()} does not match the file name, "
                                        f"which starts {month[1]}-{month[2]} (rename the file or "
                                        "correct the date)", key))
            else:
                values[key] = date
            continue
        if not isinstance(value, str):
            quote = " (put the value in quotes)" if isinstance(value, int | float) else ""
            problems.append(problem(at(key), f"expected text, found {describe(value)}{quote}", key))
            continue
        value = " ".join(value.split())
        if not value:
            problems.append(problem(at(key), f"is empty ({how})", key))
        elif key == "forum" and value not in FORUMS:
            problems.append(problem(at(key), f"{describe(value)} is not a forum we know"
                                    f"{did_you_mean(value, FORUMS)} (write one of: "
                                    f"{', '.join(FORUMS)})", key))
        elif key == "forum" and folder in FORUMS and value != folder:
            problems.append(problem(at(key), f"is '{value}' but the file is in the '{folder}' folder "
                                    f"(write forum: {folder}, or move the file to "
                                    f"content/forums/{value}/newsletters/)", key))
        elif key in ("title", "summary") and re.search(r"[<>]|\{\{|\{%", value):
            problems.append(problem(at(key), f"must be plain text: {describe(value)} contains < > "
                                    "or {{ (write it without HTML or macros)", key))
        elif len(value) > MAX_LENGTH.get(key, 500):
            problems.append(problem(at(key), f"is too long: at most {MAX_LENGTH.get(key, 500)} characters "
                                    f"(it has {len(value)})", key))
        else:
            values[key] = value
    if problems:
        return None, problems
    return Newsletter(forum=values["forum"], name=stem, title=values["title"], date=values["date"],
                      summary=values["summary"], source=values["source"], file=name,
                      to_confirm=values.get("to_confirm", "")), []


def _body_problems(body: str, first_line: int, problem) -> list[Problem]:
    """What a newsletter's text may not hold: a second '# ' heading, template code (a
    newsletter is never run as a template, so `{{` or `{%` would only be shown, or worse),
    and invisible control or text-direction characters."""
    problems: list[Problem] = []
    for offset, line in enumerate(body.splitlines()):
        at = first_line + offset
        if re.match(r"#(?!#)\s", line):
            problems.append(problem(at, "the page's heading comes from title: in "
                                    "the front matter; remove this '# ' heading (or make it '## ')"))
        code = re.search(r"\{\{|\{%", line)
        if code:
            problems.append(problem(at, f"'{code.group()}' is not allowed in a newsletter: newsletters "
                                    "cannot use macros or templates (delete it; write a link as "
                                    "[text](https://...))"))
        wrong = bad_char_problem(line)
        if wrong:
            problems.append(problem(at, wrong))
    return problems


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _date_message(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return f"'{value}' is not a real date (check the day and the month)"
    return f"expected a date written YYYY-MM-DD, found {describe(value)} (e.g. date: 2023-02-01)"


# --- the feeds, and which pages are newsletters -------------------------------------------


def atom(items: list[Newsletter], forum: str, site_url: str = "",
         directory_urls: bool = True) -> bytes:
    """A forum's newsletters as an Atom feed, newest first (links relative without site_url)."""
    mine = newest_first([n for n in items if n.forum == forum])
    base = f"{site_url}/forums/{forum}/" if site_url else ""
    entries = [{"title": n.title, "id": f"{FEED_ID}:{forum}:{n.name}", "updated": n.date,
                "link": f"{base}newsletters/{n.url(directory_urls).rsplit('newsletters/', 1)[1]}",
                "summary": n.summary} for n in mine]
    updated = mine[0].date if mine else dt.date(2023, 2, 1)
    return feeds.atom_feed(f"{FORUMS[forum]}: newsletters", f"{FEED_ID}:{forum}",
                           f"{base}feed.xml", base or "./", entries, updated)


def is_newsletter_page(src_uri: str) -> bool:
    """Whether the page at `src_uri` (inside content/) is a newsletter's: untrusted text."""
    parts = src_uri.split("/")
    return len(parts) >= 4 and parts[0] == "forums" and parts[2] == "newsletters"
