"""Feeds to items: what each provider lists, before filtering and mapping.

`parse(kind, body, headers, base_url, selectors, now)` returns the `Listing` of one
response (its items, and the feed's own website link when it names one), or raises
`ParseError` (the reason shown in the summary) when nothing usable can be read.
An entry that cannot be read (a date out of range, a library tripping over it) becomes an
Item with its `problem` set, so it is counted and skipped while the others are kept.
Every item carries all of its text (`Item.text`), so a price anywhere in it is seen.
RSS / Atom here (feedparser), HTML listings read with CSS selectors here (BeautifulSoup);
iCalendar in `ical`, schema.org JSON-LD in `jsonld`.
"""

from __future__ import annotations

import datetime as dt

from .ical import parse_ics
from .item import SEP, Item, Listing, ParseError, each, strings
from .jsonld import parse_jsonld, soup
from .when import parse_when

__all__ = ["Item", "Listing", "ParseError", "parse"]


def parse(kind: str, body: bytes, headers: dict[str, str], base_url: str,
          selectors: dict | None = None, now: dt.datetime | None = None) -> Listing:
    if kind in ("rss", "atom"):
        return _feed(body, headers)
    if kind == "ics":
        if now is None:
            raise ValueError("parse: an ics feed needs `now` (recurring events are expanded from it)")
        return parse_ics(body, now)
    if kind == "jsonld":
        return parse_jsonld(body)
    if kind == "html":
        return _html(body, selectors or {})
    raise ParseError(f"unknown type '{kind}'")


# --- rss / atom -----------------------------------------------------------------------------

# Entry keys whose values hold no price: links, ids, dates (feedparser's names).
_NOT_TEXT = frozenset({"link", "links", "id", "guidislink", "href", "published", "published_parsed",
                       "updated", "updated_parsed", "created", "created_parsed", "expired",
                       "expired_parsed", "ev_startdate", "ev_enddate", "xcal_dtstart", "xcal_dtend",
                       "base", "type", "language", "rel", "comments", "enclosures"})


def _feed(body: bytes, headers: dict[str, str]) -> Listing:
    import feedparser

    try:
        parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()},
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser is tolerant, but not of everything
        raise ParseError(f"the feed could not be read ({type(exc).__name__})") from None
    entries = parsed.get("entries") or []
    if not entries and parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        reason = str(problem).splitlines()[0][:120] if problem else "not a feed"
        raise ParseError(f"malformed feed ({type(problem).__name__}: {reason})")
    home = (parsed.get("feed") or {}).get("link")
    return Listing(each(_entry, entries), home if isinstance(home, str) else None)


def _entry(entry: dict) -> list[Item]:
    link = entry.get("link")
    if not link:
        link = next((x.get("href") for x in entry.get("links", []) if x.get("href")), None)
    given = entry.get("ev_startdate") or entry.get("xcal_dtstart")
    start = parse_when(given)
    if given and start is None:  # "2027-02-30": not an on-demand course
        return [Item("", problem="a date that could not be read")]
    end = parse_when(entry.get("ev_enddate") or entry.get("xcal_dtend"))
    return [Item(
        title=str(entry.get("title") or ""),
        description=str(entry.get("summary") or entry.get("description") or ""),
        link=link if isinstance(link, str) else None, start=start, end=end,
        location=str(entry.get("ev_location") or entry.get("xcal_location") or ""),
        price=str(entry.get("ev_price") or entry.get("price") or ""),
        text=SEP.join(strings(entry, _NOT_TEXT))[:100_000])]


# --- html with CSS selectors ----------------------------------------------------------------


def _html(body: bytes, selectors: dict) -> Listing:
    page = soup(body)
    try:
        found = page.select(selectors["item"])
    except Exception as exc:  # a selector the library cannot read
        raise ParseError(f"the item selector could not be used ({type(exc).__name__})") from None
    if not found:
        raise ParseError(f"no element matches the item selector '{selectors['item'][:60]}' "
                         "(has the page changed?)")
    return Listing(each(lambda element: [_element(element, selectors)], found))


def _element(element, selectors: dict) -> Item:
    """One item element: the named parts by their selectors, and the WHOLE element's text
    (with any microdata price) read for a price, whether or not a selector names it."""
    def pick(name: str):
        css = selectors.get(name)
        return element.select_one(css) if css else None

    title, date, link, cost = pick("title"), pick("date"), pick("link"), pick("cost")
    when = None
    if date is not None:
        when = parse_when(date.get("datetime") or date.get("content") or date.get_text(" "))
    href = link.get("href") if link is not None else (title.get("href") if title is not None else None)
    description, location = pick("description"), pick("location")
    prices = [cost.get_text(" ")] if cost is not None else []
    prices += [str(m.get("content") or m.get_text(" "))  # schema.org microdata, where a page has it
               for m in element.select("[itemprop~=price], [itemprop~=lowPrice], [itemprop~=highPrice]")[:20]]
    return Item(
        title=title.get_text(" ") if title is not None else "",
        description=description.get_text(" ") if description is not None else "",
        link=href if isinstance(href, str) else None, start=when,
        location=location.get_text(" ") if location is not None else "",
        price=SEP.join(prices), text=element.get_text(" ")[:100_000])
