"""The case review library in HTML, the review pages, and the reviews' JSON and Atom feeds.

Pure functions: records in, text out. Every value from the data is escaped; the text fields
allow a little Markdown (paragraphs, lists, *emphasis*, **strong** and [links](https://...))
and nothing else: raw HTML in them is shown as text, never rendered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from markupsafe import Markup

from macros.outputs.feeds import atom_feed
from macros.render.html import esc, join, safe_href

TAG = "southend-safeguarding-partnership"
SECTIONS = (  # the seven sections of a 7-minute briefing, in order
    ("background", "Background"),
    ("why_it_matters", "Why it matters"),
    ("information", "Information"),
    ("learning", "Learning"),
    ("questions", "Questions to reflect on"),
    ("actions", "What you should do"),
    ("resources", "Further resources"),
)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https://[^\s)]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def _names():
    from macros.data.reviews import KIND_NAMES, KIND_SHORT, PUBLICATION_NAMES, STATUS_NAMES, WING_NAMES

    return KIND_NAMES, KIND_SHORT, PUBLICATION_NAMES, STATUS_NAMES, WING_NAMES


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


def _facet(name: str, legend: str, options: list[tuple[str, str, int]]) -> Markup:
    items = join(Markup(
        '<li><input type="checkbox" id="app-rf-{n}-{v}" name="{n}" value="{v}">'
        '<label for="app-rf-{n}-{v}">{label} <span class="app-count">({count})</span></label></li>'
    ).format(n=name, v=value, label=label, count=count) for value, label, count in options)
    return Markup('<fieldset class="app-filter" data-facet="{}"><legend>{}</legend>'
                  '<ul class="app-filter__options">{}</ul></fieldset>').format(name, legend, items)


def filter_options(reviews: list, topics: dict[str, str]) -> dict[str, list[tuple[str, str, int]]]:
    """Each filter's (value, label, count), as the library page shows them."""
    _, short, _, statuses, wings = _names()
    kinds = Counter(r.kind for r in reviews)
    themes = Counter(t for r in reviews for t in r.themes)
    years = Counter(r.year for r in reviews)
    return {
        "kind": [(k, short[k], kinds[k]) for k in short if kinds[k]],
        "wing": [(w, label, n) for w, label in wings.items() if (n := sum(r.wing == w for r in reviews))],
        "status": [(s, label, n) for s, label in statuses.items()
                   if (n := sum(r.status == s for r in reviews))],
        "theme": sorted(((t, topics.get(t, t), n) for t, n in themes.items()),
                        key=lambda o: o[1].lower()),
        "year": [(y, y, years[y]) for y in sorted(years, reverse=True)],
    }


def _item(review, topics: dict[str, str]) -> Markup:
    _, short, publications, statuses, wings = _names()
    theme_labels = [topics.get(t, t) for t in review.themes]
    text = " ".join([review.title, plain(review.summary), *theme_labels, *review.themes]).lower()
    meta = [short[review.kind], wings[review.wing], statuses[review.status], review.year,
            publications[review.publication]]
    return Markup(
        '<li class="app-review-card" data-kind="{kind}" data-wing="{wing}" data-status="{status}" '
        'data-year="{year}" data-theme="{themes}" data-text="{text}">'
        '<h3 class="app-review-card__title"><a href="{id}/">{title}</a></h3>'
        '<p class="app-review-card__meta">{meta}</p>'
        '<p class="app-review-card__summary">{summary}</p>'
        '<p class="app-review-card__themes"><span class="app-visually-hidden">Themes: </span>{labels}</p>'
        '</li>'
    ).format(kind=review.kind, wing=review.wing, status=review.status, year=review.year,
             themes=" ".join(review.themes), text=text, id=review.id, title=review.title,
             meta=" · ".join(meta), summary=plain(review.summary), labels=", ".join(theme_labels))


def library_html(reviews: list, topics: dict[str, str]) -> Markup:
    """Filters (shown by the script), a live count and the full list of reviews."""
    options = filter_options(reviews, topics)
    legends = {"kind": "Kind of review", "wing": "Children or adults", "status": "Status",
               "theme": "Theme", "year": "Year"}
    facets = join(_facet(name, legends[name], opts) for name, opts in options.items())
    count = f"{len(reviews)} review{'s' if len(reviews) != 1 else ''}"
    return Markup(
        '<div class="app-reviews">'
        '<form class="app-reviews__filters" role="search" aria-label="Filter the reviews" hidden>'
        '<div class="app-reviews__search"><label for="app-reviews-q">Search the reviews</label>'
        '<span class="app-hint" id="app-reviews-q-hint">Words from the title, summary or themes</span>'
        '<input type="search" id="app-reviews-q" name="q" aria-describedby="app-reviews-q-hint" '
        'autocomplete="off"></div>{facets}'
        '<button type="reset" class="app-button app-reviews__clear">Clear filters</button></form>'
        '<p class="app-reviews__count" role="status" aria-live="polite">Showing all {count}.</p>'
        '<ul class="app-reviews__list">{items}</ul>'
        '<p class="app-reviews__none" hidden>No review matches. Remove a filter or change the '
        'search words.</p></div>'
    ).format(facets=facets, count=count, items=join(_item(r, topics) for r in reviews))


# --- a review's page ---------------------------------------------------------------------------


def _facts(review, topics) -> Markup:
    kinds, _, publications, statuses, wings = _names()
    rows = [("Kind", kinds[review.kind])]
    if review.method:
        rows.append(("Method", review.method))
    rows += [("Children or adults", wings[review.wing]), ("Status", statuses[review.status]),
             ("Year", review.year), ("Publication", publications[review.publication])]
    if review.is_published:
        rows.append(("Published", review.published_text))
    if review.source:
        rows.append(("Source of these facts", review.source))
    body = join(Markup('<tr><th scope="row">{}</th><td>{}</td></tr>').format(k, v) for k, v in rows)
    return Markup('<table class="app-review__facts"><caption>About this review</caption>'
                  '<tbody>{}</tbody></table>').format(body)


def _report(review) -> Markup:
    url = safe_href(review.report_url)
    if review.publication == "not-published":
        return Markup('<h2 id="report">Report</h2><p class="app-review__not-published">'
                      '<strong>Not published.</strong> {}</p>').format(
            review.not_published_reason or "")
    parts = [Markup('<h2 id="report">Report</h2>')]
    if review.publication == "briefing-only":
        parts.append(Markup("<p><strong>The full report was not published.</strong> {}</p>").format(
            review.not_published_reason or ""))
    if url:
        what = "summary" if review.publication == "summary" else "report"
        parts.append(Markup('<p><a href="{}">Read the {} of {}</a></p>').format(url, what, review.title))
    elif review.report_url_unknown or review.publication in ("full-report", "summary"):
        parts.append(Markup("<p>The {} was published, but we do not have its web address. Ask the "
                            "partnership's business unit for a copy.</p>").format(
            "summary" if review.publication == "summary" else "report"))
    return join(parts)


def _section_body(briefing, key: str) -> Markup:
    value = getattr(briefing, key)
    if key == "resources":
        links = [(t, safe_href(u)) for t, u in value]
        if not links:
            return ""
        return Markup("<ul>{}</ul>").format(join(
            Markup('<li><a href="{}">{}</a></li>').format(u, t) for t, u in links if u))
    if isinstance(value, tuple):
        if not value:
            return ""
        return Markup("<ul>{}</ul>").format(join(
            Markup("<li>{}</li>").format(inline(v)) for v in value))
    return text_html(value) if value else ""


def briefing_html(review) -> Markup:
    """The seven numbered sections; a section the source does not give says so."""
    if review.briefing is None:
        return Markup("")
    sections = []
    for n, (key, heading) in enumerate(SECTIONS, 1):
        body = _section_body(review.briefing, key) or Markup(
            '<p class="app-briefing__missing">Not available: the source this briefing is '
            "drawn from does not give this section.</p>")
        sections.append(Markup('<li class="app-briefing__section"><h3 id="briefing-{n}">'
                               '<span class="app-briefing__number">{n}.</span> {h}</h3>{b}</li>')
                        .format(n=n, h=heading, b=body))
    return Markup('<section class="app-briefing" aria-labelledby="briefing">'
                  '<h2 id="briefing">7-minute briefing</h2>'
                  '<p class="app-briefing__intro">A short learning summary for a team to read '
                  'together in about seven minutes. Print it from your browser: it fits two A4 '
                  'pages.</p><ol class="app-briefing__sections">{}</ol></section>').format(
        join(sections))


def json_ld(review, base: str) -> str:
    """schema.org Report for the review; '<', '>' and '&' escaped for a <script> element."""
    kinds, *_ = _names()
    data = {"@context": "https://schema.org", "@type": "Report", "name": review.title,
            "description": plain(review.summary), "genre": kinds[review.kind],
            "about": list(review.themes), "inLanguage": "en-GB",
            "publisher": {"@type": "Organization", "name": "Southend Safeguarding Partnership"}}
    if base:
        data["url"] = f"{base}{review.id}/"
    if review.published:
        data["datePublished"] = review.published.isoformat()
    if safe_href(review.report_url):
        data["sameAs"] = review.report_url
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def review_markdown(review, topics: dict[str, str], base: str = "") -> str:
    """The review's page as Markdown for MkDocs: front matter, one h1, then one raw HTML block
    (no blank line inside, so Markdown leaves it alone)."""
    kinds, *_ = _names()
    description = f"{kinds[review.kind]}: {plain(review.summary)}"[:200]
    front = {"title": str(esc(review.title)), "description": str(esc(description)),
             "render_macros": False}
    themes = join(Markup('<li><a href="../?theme={}">{}</a></li>').format(t, topics.get(t, t))
                  for t in review.themes)
    body = join([
        Markup('<div class="app-review" data-review="{}">').format(review.id),
        Markup('<p class="app-review__back"><a href="../">All case reviews</a></p>'),
        Markup('<h2 id="summary">Summary</h2>'), text_html(review.summary),
        _facts(review, topics),
        Markup('<h2 id="themes">Themes</h2><ul class="app-review__themes">{}</ul>').format(themes),
        _report(review),
        briefing_html(review),
        Markup("</div>"),
    ])
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()), "---",
             "", f'<h1 id="review-title">{esc(review.title)}</h1>', "",
             str(body).replace("\n", " "), "",
             f'<script type="application/ld+json">{json_ld(review, base)}</script>', ""]
    return "\n".join(lines)


# --- feeds ------------------------------------------------------------------------------------


def reviews_json(reviews: list, topics: dict[str, str], now: dt.datetime | None) -> str:
    """Every review as in the data (DHR written as DARDR), with theme labels."""
    items = []
    for r in reviews:
        item = {"id": r.id, "title": r.title, "kind": r.kind, "method": r.method, "wing": r.wing,
                "status": r.status, "year": r.year, "publication": r.publication,
                "published": (r.published.isoformat() if r.published else r.published_year
                              or ("unknown" if r.is_published else None)),
                "not_published_reason": r.not_published_reason, "summary": r.summary,
                "themes": list(r.themes), "theme_labels": [topics.get(t, t) for t in r.themes],
                "report_url": r.report_url,
                "report_url_unknown": r.report_url_unknown or None, "source": r.source}
        if r.briefing:
            b = r.briefing
            item["briefing"] = {k: v for k, v in {
                "background": b.background, "why_it_matters": b.why_it_matters,
                "information": b.information, "learning": list(b.learning) or None,
                "questions": list(b.questions) or None, "actions": list(b.actions) or None,
                "resources": [{"title": t, "url": u} for t, u in b.resources] or None,
            }.items() if v is not None}
        items.append({k: v for k, v in item.items() if v is not None})
    head = {"generated": now.isoformat(timespec="seconds")} if now else {}
    return json.dumps({**head, "reviews": items}, ensure_ascii=False, indent=1) + "\n"


def atom(reviews: list, now: dt.datetime | None, library: str, feed_url: str) -> bytes:
    """Atom 1.0 feed of published reviews with a known publication date or year, newest first."""
    kinds, *_ = _names()
    shown = sorted((r for r in reviews if r.is_published and r.feed_date),
                   key=lambda r: (r.feed_date, r.id), reverse=True)
    entries = [{"title": r.title, "id": f"tag:{TAG},2023:review-{r.id}", "updated": r.feed_date,
                "link": f"{library}{r.id}/", "related": safe_href(r.report_url),
                "summary": f"{kinds[r.kind]}. Published {r.published_text}. {plain(r.summary)}",
                "categories": r.themes}
               for r in shown]
    newest = shown[0].feed_date if shown else (now.date() if now else dt.date(2023, 3, 31))
    return atom_feed("Southend Safeguarding Partnership: published case reviews",
                     f"tag:{TAG},2023:reviews-feed", feed_url, library, entries, newest)
