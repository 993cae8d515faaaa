"""The training search index, built at build time with the Python `lunr` package.

lunr.js (vendored, 2.3.9) loads it in the browser with `lunr.Index.load`. Only short
fields are indexed (title, provider, topics, audience, format, a short description): the
display data is already in the page.
"""

from __future__ import annotations

import json

from lunr import lunr

from .training_page import AUDIENCE_LABELS, FORMAT_LABELS

DESCRIPTION_WORDS = 40


def training_index(courses, topics: dict[str, str]) -> str:
    documents = [
        {
            "id": c.id,
            "title": c.title,
            "provider": c.provider,
            "topics": " ".join(topics.get(t, t) for t in c.topics),
            "audience": " ".join(AUDIENCE_LABELS.get(a, a) for a in c.audience),
            "format": FORMAT_LABELS.get(c.format, c.format),
            "description": " ".join((c.description or "").split()[:DESCRIPTION_WORDS]),
        }
        for c in courses
    ]
    index = lunr(
        ref="id",
        fields=[{"field_name": "title", "boost": 10}, {"field_name": "provider", "boost": 5},
                {"field_name": "topics", "boost": 5}, "audience", "format", "description"],
        documents=documents,
    )
    return json.dumps(index.serialize(), separators=(",", ":"))
