"""The case reviews as data: reviews/reviews.json and the Atom feed of published reviews.

Reproducible: the same data and "now" give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json

from macros.data.reviews import KIND_NAMES
from macros.outputs.feeds import atom_feed
from macros.render.html import safe_href
from macros.render.reviews_page import plain

TAG = "southend-safeguarding-partnership"


def reviews_json(reviews: list, topics: dict[str, str], now: dt.datetime | None) -> str:
    """Every review as in the data (DHR written as DARDR), with theme labels."""
    items = []
    for r in reviews:
        item = {"id": r.id, "title": r.title, "kind": r.kind, "method": r.method, "wing": r.wing,
                "status": r.status, "year": r.year, "publication": r.publication,
                "published": (r.published.isoformat() if r.published else r.published_month
                              or r.published_year or ("unknown" if r.is_published else None)),
                "published_by": r.published_by, "report_title": r.report_title,
                "not_published_reason": r.not_published_reason, "summary": r.summary,
                "themes": list(r.themes), "theme_labels": [topics.get(t, t) for t in r.themes],
                "report_url": r.report_url,
                "report_url_unknown": r.report_url_unknown or None, "note": r.note,
                "source": r.source}
        if r.briefing:
            b = r.briefing
            item["briefing"] = {k: v for k, v in {
                "background": b.background, "why_it_matters": b.why_it_matters,
                "information": b.information, "learning": list(b.learning) or None,
                "questions": list(b.questions) or None,
                "agreed_actions": list(b.agreed_actions) or None, "actions": list(b.actions) or None,
                "resources": [{"title": t, "url": u} for t, u in b.resources] or None,
            }.items() if v is not None}
        items.append({k: v for k, v in item.items() if v is not None})
    head = {"generated": now.isoformat(timespec="seconds")} if now else {}
    return json.dumps({**head, "reviews": items}, ensure_ascii=False, indent=1) + "\n"


def atom(reviews: list, now: dt.datetime | None, library: str, feed_url: str) -> bytes:
    """Atom 1.0 feed of published reviews with a known publication date or year, newest first."""
    shown = sorted((r for r in reviews if r.is_published and r.feed_date),
                   key=lambda r: (r.feed_date, r.id), reverse=True)
    entries = [{"title": r.title, "id": f"tag:{TAG},2023:review-{r.id}", "updated": r.feed_date,
                "link": f"{library}{r.id}/", "related": safe_href(r.report_url),
                "summary": f"{KIND_NAMES[r.kind]}. Published {r.published_text}. {plain(r.summary)}",
                "categories": r.themes}
               for r in shown]
    newest = shown[0].feed_date if shown else (now.date() if now else dt.date(2023, 3, 31))
    return atom_feed("Southend Safeguarding Partnership: published case reviews",
                     f"tag:{TAG},2023:reviews-feed", feed_url, library, entries, newest)
