"""The case review library's data: loads and validates data/reviews.yaml into frozen records,
registers the library macro and generates a page per review plus the JSON and Atom feeds.

The schema (data/schema/reviews.schema.json) checks the shape; this module checks what a
schema cannot: unique ids, themes from data/topics.yaml, the financial year's form, and the
rules that tie publication, published date, reason and report address together. Every
problem is collected before anything fails.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros.core.dates import long_date
from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.records import record_name, top_level_problems
from macros.core.schema import describe, did_you_mean, load_schema, schema_problems
from macros.core.yamlfile import load_yaml
from macros.core.yamllines import line_of
from macros.data.topics import TOPICS_FILE, load_topics

REVIEWS_FILE = ROOT / "data" / "reviews.yaml"
KIND_NAMES = {
    "LCSPR": "Local child safeguarding practice review (LCSPR)",
    "SAR": "Safeguarding adult review (SAR)",
    "DARDR": "Domestic abuse related death review (DARDR, formerly domestic homicide review, DHR)",
    "rapid-review": "Rapid review",
    "action-learning": "Action learning review",
    "national": "National review",
}
KIND_SHORT = {"LCSPR": "LCSPR", "SAR": "SAR", "DARDR": "DARDR (DHR)", "rapid-review": "Rapid review",
              "action-learning": "Action learning", "national": "National review"}
PUBLICATION_NAMES = {
    "full-report": "Full report published",
    "summary": "Summary published",
    "briefing-only": "Learning briefing only",
    "not-published": "Not published",
}
STATUS_NAMES = {"in-progress": "In progress", "completed": "Completed"}
WING_NAMES = {"children": "Children", "adults": "Adults"}
# Pages of the library itself: a review may not take their address.
RESERVED_IDS = ("index", "about-reviews", "feed", "reviews")
_FY = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")  # 2022-05: only the month is known


@dataclass(frozen=True)
class Briefing:
    """The 7-minute briefing; a section the source does not give is None or empty."""

    background: str | None
    why_it_matters: str | None
    information: str | None
    learning: tuple[str, ...]
    questions: tuple[str, ...]
    agreed_actions: tuple[str, ...]  # what the partnership agreed to do ("What the partnership agreed")
    actions: tuple[str, ...]  # what practitioners can do ("What you can do")
    resources: tuple[tuple[str, str], ...]  # (title, https url)


@dataclass(frozen=True)
class Review:
    id: str
    title: str
    kind: str  # DHR is normalised to DARDR
    method: str | None
    wing: str
    status: str
    year: str  # financial year, "2022-23"
    publication: str
    published: dt.date | None  # the exact date, when known
    published_year: str | None  # the financial year, when only that is known
    published_month: str | None  # the month, "2022-05", when only that is known
    published_by: str | None  # who published the report, when not this partnership
    report_title: str | None  # the report's own title, when not the review's
    note: str | None  # a note for readers, e.g. on how a source names the review
    not_published_reason: str | None
    summary: str
    themes: tuple[str, ...]
    report_url: str | None
    report_url_unknown: bool
    source: str | None
    briefing: Briefing | None
    line: int

    @property
    def is_published(self) -> bool:
        return self.publication != "not-published"

    @property
    def published_text(self) -> str:
        """'1 June 2023', 'May 2022', 'during 2022-23', 'date not known' or '' (not published)."""
        if not self.is_published:
            return ""
        if self.published:
            return long_date(self.published)
        if self.published_month:
            return f"{dt.date.fromisoformat(self.published_month + '-01'):%B %Y}"
        if self.published_year:
            return f"during {self.published_year} (exact date not known)"
        return "date not known"

    @property
    def feed_date(self) -> dt.date | None:
        """The date the feed orders by: the exact date, else the last day of the month or year."""
        if self.published:
            return self.published
        if self.published_month:
            first = dt.date.fromisoformat(self.published_month + "-01")
            return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        if self.published_year:
            return dt.date(int(self.published_year[:4]) + 1, 3, 31)
        return None


def financial_year_problem(value: Any) -> str:
    """'' when `value` is a financial year written 2022-23, else what is wrong."""
    match = _FY.match(value) if isinstance(value, str) else None
    if not match:
        return f"expected a financial year written like 2022-23, found {describe(value)}"
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        return (f"'{value}' is not a financial year: the second part must be the year after "
                f"the first (write {start}-{(start + 1) % 100:02d})")
    return ""


class _Check:
    def __init__(self, doc: Any, index: int, file: str, record: str, hints: dict[str, str]):
        self.doc, self.index, self.file, self.record, self.hints = doc, index, file, record, hints
        self.problems: list[Problem] = []

    def line(self, *keys: Any) -> int:
        return line_of(self.doc, ["reviews", self.index, *keys])

    def add(self, field: str, message: str, *keys: Any) -> None:
        self.problems.append(Problem(self.file, self.line(*keys), message, self.record, field))


def load_reviews(path: Path = REVIEWS_FILE, topics: dict[str, str] | None = None) -> list[Review]:
    """Every review, newest year first then title; raise DataError listing every problem
    (and those of data/topics.yaml when `topics` is not given)."""
    problems: list[Problem] = []
    if topics is None:
        try:
            topics = load_topics(Path(path).resolve().parent / TOPICS_FILE.name)
        except DataError as exc:
            problems += exc.problems
            topics = {}
    doc = load_yaml(path)
    name = relpath(path)
    top = top_level_problems(doc, "reviews", name, "reviews")
    if top:
        raise DataError(problems + top)
    schema = load_schema("reviews.schema.json")

    def record_of(p: list) -> str:
        return record_name(doc, "reviews", "id", "review", p)

    problems += schema_problems(doc, schema, name, record_of)
    items = doc.get("reviews")
    if not isinstance(items, list):
        problems.append(Problem(name, line_of(doc, ["reviews"]), "expected a list of reviews, "
                                f"found {describe(items)} (each review starts with '  - id: ...')",
                                "", "reviews"))
        raise DataError(problems)
    hints = {k: v.get("x-hint", "") for k, v in schema["$defs"]["review"]["properties"].items()}
    reviews: list[Review] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        check = _Check(doc, i, name, record_of(["reviews", i]), hints)
        review = _review(check, item, topics)
        ident = item.get("id")
        if isinstance(ident, str):
            if ident in seen:
                check.add("id", f"the id is also used on line {seen[ident]}; give each review "
                          "its own id", "id")
            elif ident in RESERVED_IDS:
                check.add("id", f"'{ident}' is the address of a page of the library; choose "
                          "another id", "id")
            seen.setdefault(ident, check.line())
        problems += check.problems
        if review is not None:
            reviews.append(review)
    if problems:
        raise DataError(problems)
    return sorted(reviews, key=lambda r: (-int(r.year[:4]), r.title.lower()))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _review(check: _Check, item: dict, topics: dict[str, str]) -> Review | None:
    before = len(check.problems)
    publication = item.get("publication")
    year = item.get("year")
    if "year" in item:
        wrong = financial_year_problem(year if not isinstance(year, dt.date) else year.isoformat())
        if wrong:
            check.add("year", wrong, "year")
    published, published_year, published_month = _published(check, item, publication)
    reason = _text(item.get("not_published_reason"))
    if publication in ("not-published", "briefing-only") and "not_published_reason" not in item:
        what = "was not published" if publication == "not-published" else "is published only as a briefing"
        check.add("not_published_reason", f"is missing: this review {what}, so say why "
                  f"({check.hints['not_published_reason']})")
    if publication == "not-published" and (item.get("report_url") or item.get("report_url_unknown")):
        field = "report_url" if item.get("report_url") else "report_url_unknown"
        check.add(field, "a review that was not published has no report; remove this field "
                  "or change publication", field)
    if publication in ("full-report", "summary") and not item.get("report_url") \
            and item.get("report_url_unknown") is not True:
        check.add("report_url", "is missing: give the address of the published "
                  f"{'report' if publication == 'full-report' else 'summary'}, or write "
                  "report_url_unknown: true when it is not known")
    if item.get("status") == "in-progress" and publication not in (None, "not-published"):
        check.add("publication", "a review in progress has nothing published yet; write "
                  "publication: not-published (with the reason)", "publication")
    themes = item.get("themes")
    if isinstance(themes, list) and topics:
        for j, theme in enumerate(themes):
            if isinstance(theme, str) and theme not in topics:
                check.add("themes", f"'{theme}' is not a topic in data/topics.yaml"
                          f"{did_you_mean(theme, topics)} (add it there, or use one of its slugs)",
                          "themes", j)
    if len(check.problems) > before:
        return None
    try:
        return _build(item, (published, published_year, published_month), reason, check.line())
    except (KeyError, TypeError, AttributeError):
        return None  # the schema has already said what is wrong


def _published(check: _Check, item: dict, publication: Any
               ) -> tuple[dt.date | None, str | None, str | None]:
    """(exact date, financial year, month): at most one of them, from `published`."""
    value = item.get("published")
    if "published" not in item:
        if publication in ("full-report", "summary", "briefing-only"):
            check.add("published", "is missing: this review was published, so say when "
                      f"({check.hints['published']})")
        return None, None, None
    if publication == "not-published":
        check.add("published", "a review that was not published has no publication date; "
                  "remove this field or change publication", "published")
        return None, None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, None, None
    if isinstance(value, str) and value.strip() == "unknown":
        return None, None, None
    if isinstance(value, str) and _MONTH.match(value) and financial_year_problem(value):
        return None, None, value
    if isinstance(value, str) and _FY.match(value) and not financial_year_problem(value):
        return None, value, None
    if isinstance(value, str) and _DATE.match(value):
        check.add("published", f"'{value}' is not a date that exists", "published")
    else:
        check.add("published", f"expected a date written YYYY-MM-DD, a month written YYYY-MM, "
                  f"a financial year like \"2022-23\" or unknown, found {describe(value)}", "published")
    return None, None, None


def _build(item: dict, when: tuple, reason, line: int) -> Review:
    raw = item.get("briefing")
    briefing = None
    if isinstance(raw, dict):
        briefing = Briefing(
            background=_text(raw.get("background")),
            why_it_matters=_text(raw.get("why_it_matters")),
            information=_text(raw.get("information")),
            learning=tuple(str(x).strip() for x in raw.get("learning") or ()),
            questions=tuple(str(x).strip() for x in raw.get("questions") or ()),
            agreed_actions=tuple(str(x).strip() for x in raw.get("agreed_actions") or ()),
            actions=tuple(str(x).strip() for x in raw.get("actions") or ()),
            resources=tuple((str(r["title"]).strip(), str(r["url"]).strip())
                            for r in raw.get("resources") or ()),
        )
    kind = "DARDR" if item["kind"] == "DHR" else item["kind"]
    return Review(
        id=item["id"], title=str(item["title"]).strip(), kind=kind, method=_text(item.get("method")),
        wing=item["wing"], status=item["status"], year=str(item["year"]),
        publication=item["publication"], published=when[0], published_year=when[1],
        published_month=when[2], published_by=_text(item.get("published_by")),
        report_title=_text(item.get("report_title")), note=_text(item.get("note")),
        not_published_reason=reason, summary=str(item["summary"]).strip(),
        themes=tuple(item["themes"]), report_url=_text(item.get("report_url")),
        report_url_unknown=item.get("report_url_unknown") is True,
        source=_text(item.get("source")), briefing=briefing, line=line,
    )
