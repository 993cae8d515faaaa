"""Plain text, safe links and slugs from untrusted feed data."""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

TITLE_MAX = 200
DESCRIPTION_MAX = 600
URL_MAX = 2000

_TAG = re.compile(r"<[^>]*>?")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")  # whitespace (any), control characters
_SCRIPTISH = re.compile(r"(?i)(java|vb)\s*script\s*:|data\s*:\s*text/html|\bon[a-z]+\s*=")


def plain_text(value: object, limit: int = TITLE_MAX) -> str:
    """`value` as one line of plain text: markup stripped (twice, for escaped HTML), entities
    decoded, control characters dropped, whitespace folded, `javascript:` and `onxxx=` removed,
    and cut at `limit` characters on a word boundary (with "…")."""
    if value is None:
        return ""
    text = str(value)
    for _ in range(3):  # escaped markup (&lt;b&gt;) becomes markup once decoded: strip again
        if "<" not in text and "&" not in text:
            break
        if "<" in text:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
                text = BeautifulSoup(text, "html.parser").get_text(" ")
        text = html.unescape(text)
    text = _TAG.sub(" ", text).replace("<", " ").replace(">", " ")
    if not text.isprintable():  # printable: no control, format or separator but the space
        text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    while _SCRIPTISH.search(text):
        text = _SCRIPTISH.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[: limit - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut
        text = cut.rstrip(" ,.;:-") + "…"
    return text


def canonical_url(value: object, base: str | None = None) -> str | None:
    """An absolute http(s) URL with no fragment and no utm_* parameters, or None.

    Relative links are resolved against `base` (the page they came from); anything else
    (javascript:, data:, mailto:, spaces, control characters) gives None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > URL_MAX or _NOT_IN_URL.search(url):
        return None
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host or "<" in url or ">" in url or '"' in url:
        return None
    default = {"http": 80, "https": 443}[scheme]
    netloc = host if port in (None, default) else f"{host}:{port}"
    if parts.username or parts.password:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")]) if parts.query else ""
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def slug(text: str, limit: int = 60) -> str:
    """lower-case ASCII words joined by hyphens (the id form), at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        nxt = f"{out}-{word}" if out else word
        if len(nxt) > limit:
            break
        out = nxt
    return out or (words[0][:limit] if words else "")
