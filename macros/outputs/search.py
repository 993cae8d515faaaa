"""The training search index, built at build time with the Python `lunr` package.

lunr.js (vendored, 2.3.9) loads it in the browser with `lunr.Index.load`. Only short
fields are indexed (title, provider, topics, audience, format, a short description): the
display data is already in the page. Audience and format are not indexed: the filters
cover them.
"""

from __future__ import annotations

import json
import re

from lunr import __TARGET_JS_VERSION__, lunr
from lunr.builder import Builder
from lunr.stop_word_filter import WORDS as _LUNR_STOP_WORDS
from lunr.trimmer import full_re as _TRIM  # lunr's trimmer: a word less the non-word characters around it

DESCRIPTION_WORDS = 25
_FIELDS = ({"field_name": "title", "boost": 10}, {"field_name": "provider", "boost": 5},
           {"field_name": "topics", "boost": 5}, "description")
# lunr's own word separators (lunr.tokenizer.SEPARATOR_CHARS): whitespace, no-break space, "-".
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")
_STOP_WORDS = frozenset(_LUNR_STOP_WORDS)


def words(text: str) -> list[str]:
    """The terms lunr would index for `text`: its tokenizer's words, through its trimmer and
    English stop-word filter.

    lunr tokenizes a string character by character in Python and runs each word through its
    pipeline function by function; given a list, it takes the items as they are. Doing the
    same here with a regular expression and a set gives the same index (a test compares) in
    a fraction of the time on a large calendar.
    """
    out = []
    for word in _SEPARATORS.split(text.lower()):
        trimmed = _TRIM.match(word)
        term = trimmed.group(1) if trimmed else word
        if term and term not in _STOP_WORDS:
            out.append(term)
    return out


def training_index(courses, topics: dict[str, str]) -> str:
    documents = [
        {
            "id": c.id,
            "title": words(c.title),
            "provider": words(c.provider),
            "topics": words(" ".join(topics.get(t, t) for t in c.topics)),
            "description": words(" ".join((c.description or "").split()[:DESCRIPTION_WORDS])),
        }
        for c in courses
    ]
    if not documents:  # Python lunr cannot build an empty index: an empty one as lunr.js reads it
        return json.dumps({"version": __TARGET_JS_VERSION__, "fields": [field["field_name"] if
                           isinstance(field, dict) else field for field in _FIELDS],
                           "fieldVectors": [], "invertedIndex": [], "pipeline": []},
                          separators=(",", ":"))
    # Words are indexed whole (no stemming) and searched as prefixes, so each letter typed
    # narrows the list: "exploitatio" still finds "exploitation".
    builder = Builder()  # its pipeline left empty: `words` has trimmed and filtered
    index = lunr(
        builder=builder,
        ref="id",
        fields=_FIELDS,
        documents=documents,
    )
    return json.dumps(index.serialize(), separators=(",", ":"))
