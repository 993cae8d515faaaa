"""The case review library and each review's page: records in, escaped HTML out.

The templates (app-review-library.html, app-review-card.html, app-review-page.html,
app-review.html, app-review-briefing.html) write the markup; this module prepares what they
show. Every value from the data is escaped; the text fields allow a little Markdown
(paragraphs, lists, *emphasis*, **strong** and [links](https://...)) and nothing else: raw
HTML in them is shown as text, never rendered. The reviews' JSON and Atom feed are made in
macros/outputs/reviews.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import NamedTuple

from markupsafe import Markup, escape

from macros.core.dates import long_date
from macros.data.reviews import KIND_NAMES, KIND_SHORT, PUBLICATION_NAMES, STATUS_NAMES, WING_NAMES
from macros.render.html import esc, join, safe_href
from macros.render.templates import render

SECTIONS = (  # the seven sections of a 7-minute briefing, in order
    ("background", "Background"),
    ("why_it_matters", "Why it matters"),
    ("information", "Information"),
    ("learning", "Learning"),
    ("questions", "Questions to reflect on"),
    ("actions", "What you can do"),  # named for what it holds: see `_actions`
    ("resources", "Further resources"),
)
# Section 6 holds what the partnership agreed, what the reader can do, or both (the data says).
AGREED, YOURS = "What the partnership agreed", "What you can do"
PARTNERSHIP = "Southend Safeguarding Partnership"
_LINK = re.compile(r"\[([^\]\n]+)\]\((https://[^\s)]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def inline(text: str) -> Markup:
    """One line of limited Markdown: escaped first, then emphasis and https links."""
    out = str(esc(text))
    out = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return Markup(out)


def text_html(text: str) -> Markup:
    """Paragraphs and '- ' lists of limited Markdown."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if lines and all(ln.startswith(("- ", "* ")) for ln in lines):
            items = join(Markup("<li>{}</li>").format(inline(ln[2:])) for ln in lines)
            blocks.append(Markup("<ul>{}</ul>").format(items))
        elif lines:
            blocks.append(Markup("<p>{}</p>").format(inline(" ".join(lines))))
    return join(blocks)


def plain(text: str) -> str:
    """The text without its Markdown marks (for search, feeds and JSON-LD)."""
    text = _LINK.sub(r"\1", text)
    return re.sub(r"\s+", " ", text.replace("**", "").replace("*", "")).strip()


# --- the library ------------------------------------------------------------------------------


def filter_options(reviews: list, topics: dict[str, str]) -> dict[str, list[tuple[str, str, int]]]:
    """Each filter's (value, label, count), as the library page shows them."""
    kinds = Counter(r.kind for r in reviews)
    themes = Counter(t for r in reviews for t in r.themes)
    years = Counter(r.year for r in reviews)
    return {
        "kind": [(k, KIND_SHORT[k], kinds[k]) for k in KIND_SHORT if kinds[k]],
        "wing": [(w, label, n) for w, label in WING_NAMES.items()
                 if (n := sum(r.wing == w for r in reviews))],
        "status": [(s, label, n) for s, label in STATUS_NAMES.items()
                   if (n := sum(r.status == s for r in reviews))],
        "theme": sorted(((t, topics.get(t, t), n) for t, n in themes.items()),
                        key=lambda o: o[1].lower()),
        "year": [(y, y, years[y]) for y in sorted(years, reverse=True)],
    }


def _card(review, topics: dict[str, str]) -> dict:
    """What app-review-card.html shows of a review: its labels, and the text the search reads."""
    labels = [topics.get(t, t) for t in review.themes]
    meta = [KIND_SHORT[review.kind], WING_NAMES[review.wing], STATUS_NAMES[review.status], review.year,
            PUBLICATION_NAMES[review.publication]]
    return {"review": review, "meta": " · ".join(meta), "summary": plain(review.summary),
            "themes": ", ".join(labels),
            "text": " ".join([review.title, plain(review.summary), *labels, *review.themes]).lower()}


def library_html(reviews: list, topics: dict[str, str]) -> Markup:
    """Filters (shown by the script), a live count and the full list of reviews."""
    legends = {"kind": "Kind of review", "wing": "Children or adults", "status": "Status",
               "theme": "Theme", "year": "Year"}
    facets = [{"name": name, "legend": legends[name], "options": options}
              for name, options in filter_options(reviews, topics).items()]
    return render("app-review-library.html", facets=facets,
                  count=f"{len(reviews)} review{'s' if len(reviews) != 1 else ''}",
                  cards=[_card(r, topics) for r in reviews])


# --- a review's page ---------------------------------------------------------------------------


def _facts(review) -> list[tuple[str, Markup | str]]:
    """The rows of "About this review" (a summary list): key, value."""
    rows: list[tuple[str, Markup | str]] = [("Kind", KIND_NAMES[review.kind])]
    if review.method:
        rows.append(("Method", review.method))
    rows += [("Children or adults", WING_NAMES[review.wing]), ("Status", STATUS_NAMES[review.status]),
             ("Year", review.year), ("Publication", PUBLICATION_NAMES[review.publication])]
    if review.report_title:
        rows.append(("Report", Markup("<cite>{}</cite>").format(review.report_title)))
    if review.is_published:
        rows.append(("Published", review.published_text))
    if review.published_by:
        rows.append(("Published by", review.published_by[:1].upper() + review.published_by[1:]))
    if review.note:
        rows.append(("Note", text_html(review.note)))
    if review.source:
        rows.append(("Source of these facts", review.source))
    return rows


def _report(review) -> dict:
    """Where the report is: its checked address, or whether it was published without one (and
    then, for the partnership's own reviews only, that its business unit has it)."""
    own = review.kind != "national" and not review.published_by
    return {"url": safe_href(review.report_url),
            "what": "summary" if review.publication == "summary" else "report",
            "unknown": review.report_url_unknown or review.publication in ("full-report", "summary"),
            "ask_us": own}


class _Section(NamedTuple):
    """A section of app-review-briefing.html: `links`, `items` or `text`, or none (not given)."""

    number: int
    heading: str
    links: list[tuple[str, str]] | None = None  # Further resources: (title, checked address)
    items: list[Markup] | None = None
    text: Markup | None = None
    groups: list[tuple[str, list[Markup]]] | None = None  # section 6 holding both: (heading, items)


def _actions(number: int, briefing) -> _Section:
    """Section 6, named for what it holds: what the partnership agreed, what you can do, or both."""
    groups = [(heading, [inline(v) for v in value]) for heading, value
              in ((AGREED, briefing.agreed_actions), (YOURS, briefing.actions)) if value]
    if len(groups) == 2:
        return _Section(number, f"{AGREED}, and {YOURS[0].lower()}{YOURS[1:]}", groups=groups)
    heading, items = groups[0] if groups else (YOURS, [])
    return _Section(number, heading, items=items)


def _briefing(review) -> list[_Section] | None:
    """The seven sections of the 7-minute briefing, in order."""
    if review.briefing is None:
        return None
    sections = []
    for number, (key, heading) in enumerate(SECTIONS, 1):
        value = getattr(review.briefing, key)
        if key == "actions":
            section = _actions(number, review.briefing)
        elif key == "resources":
            section = _Section(number, heading, links=[(t, h) for t, u in value if (h := safe_href(u))]
                               if value else None)
        elif isinstance(value, tuple):
            section = _Section(number, heading, items=[inline(v) for v in value])
        else:
            section = _Section(number, heading, text=text_html(value) if value else None)
        sections.append(section)
    return sections


def review_markdown(review, topics: dict[str, str], base: str = "", site: str = "",
                    built: dt.date | None = None) -> str:
    """The review's page as Markdown for MkDocs: front matter, one h1, then one raw HTML block
    (no blank line inside, so Markdown leaves it alone). On paper it is headed by `site` (the
    site's name), the page's address (absolute with a `base`, else its path) and the day the
    site was `built`."""
    description = f"{KIND_NAMES[review.kind]}: {plain(review.summary)}"[:200]
    front = {"title": str(escape(review.title)), "description": str(escape(description)),
             "render_macros": False}
    body = render("app-review.html", review=review, summary=text_html(review.summary),
                  facts=_facts(review), themes=[(t, topics.get(t, t)) for t in review.themes],
                  report=_report(review), briefing=_briefing(review))
    # JSON, not HTML: escaping it would break it; json_ld escapes "<", ">" and "&" itself.
    printed = {"site": site, "address": f"{base or '/reviews/'}{review.id}/",
               "built": long_date(built) if built else ""}
    page = render("app-review-page.html", title=review.title, body=body.replace("\n", " "),
                  printed=printed, json_ld=Markup(json_ld(review, base)))
    return "\n".join(["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()),
                      "---", "", str(page), ""])


def json_ld(review, base: str) -> str:
    """schema.org Report for the review; '<', '>' and '&' escaped for a <script> element."""
    data = {"@context": "https://schema.org", "@type": "Report", "name": review.title,
            "description": plain(review.summary), "genre": KIND_NAMES[review.kind],
            "about": list(review.themes), "inLanguage": "en-GB"}
    # Someone else's review is not published by the partnership.
    publisher = review.published_by or ("" if review.kind == "national" else PARTNERSHIP)
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    if base:
        data["url"] = f"{base}{review.id}/"
    if review.published or review.published_month:
        data["datePublished"] = review.published.isoformat() if review.published else review.published_month
    if safe_href(review.report_url):
        data["sameAs"] = review.report_url
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
