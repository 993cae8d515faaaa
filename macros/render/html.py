"""Small HTML helpers. Everything from data passes through `esc` before it reaches a page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape


def esc(value: object) -> Markup:
    """Escape text from data or feeds for HTML (text and attribute values)."""
    return escape("" if value is None else str(value))


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) address, else None (javascript:, data:, ...)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def tel_href(number: str) -> str:
    """'0800 1111' -> 'tel:08001111'."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def join(parts) -> Markup:
    """Join already-escaped fragments."""
    return Markup("").join(parts)
