"""Feeds to items: what each provider lists, before filtering and mapping.

`parse(kind, body, headers, base_url, selectors)` returns the items of one response, or
raises `ParseError` (the reason shown in the summary) when nothing usable can be read.
An entry that cannot be read (a date out of range, a library tripping over it) becomes an
Item with its `problem` set, so it is counted and skipped while the others are kept.
Values are still untrusted text here; `mapping` makes them plain and safe.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from .when import When, london, parse_when


@dataclass(frozen=True)
class Item:
    title: str
    description: str = ""
    link: str | None = None
    start: When = None  # a date (all day) or an aware datetime; None: no date (on-demand)
    end: When = None
    location: str = ""
    mode: str = ""  # online | in-person | hybrid when the source says so
    price: str = ""  # price text found in the source ("0", "£25", "Free")
    free: bool | None = None  # what the source says outright (isAccessibleForFree)
    problem: str = ""  # why this entry cannot be used ("a date out of range"); "" if it can


class ParseError(Exception):
    """A response that could not be read as the provider's type; the message says why."""


def parse(kind: str, body: bytes, headers: dict[str, str], base_url: str,
          selectors: dict | None = None) -> list[Item]:
    if kind in ("rss", "atom"):
        return _feed(body, headers, base_url)
    if kind == "ics":
        return _ics(body)
    if kind == "jsonld":
        return _jsonld(body)
    if kind == "html":
        return _html(body, selectors or {})
    raise ParseError(f"unknown type '{kind}'")


def _each(build: Callable[[Any], list[Item]], entries: Iterable) -> list[Item]:
    """The items `build` makes of each entry; an entry it fails on becomes one Item with the
    reason as its `problem` (counted and skipped later), never the end of the others."""
    items: list[Item] = []
    for entry in entries:
        try:
            items += build(entry)
        except OverflowError:  # datetime arithmetic past year 1 or 9999
            items.append(Item("", problem="a date out of range"))
        except Exception as exc:  # a library tripping over one hostile entry
            items.append(Item("", problem=f"could not be read ({type(exc).__name__})"))
    return items


# --- rss / atom -----------------------------------------------------------------------------


def _feed(body: bytes, headers: dict[str, str], base_url: str) -> list[Item]:
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
    return _each(_entry, entries)


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
        price=str(entry.get("ev_price") or entry.get("price") or ""))]


# --- ics ------------------------------------------------------------------------------------


def _ics(body: bytes) -> list[Item]:
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(body, multiple=True)
    except Exception as exc:
        raise ParseError(f"not a valid calendar ({type(exc).__name__})") from None
    return _each(_event, (event for calendar in calendars for event in calendar.walk("VEVENT")))


def _event(event) -> list[Item]:
    start = event.decoded("DTSTART") if "DTSTART" in event else None
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event and start is not None:
        end = start + event.decoded("DURATION")
    else:
        end = None
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime) and isinstance(end, dt.date):
        end = end - dt.timedelta(days=1)  # DTEND of an all-day event is exclusive
    return [Item(
        title=str(event.get("SUMMARY") or ""), description=str(event.get("DESCRIPTION") or ""),
        link=str(event.get("URL")) if event.get("URL") else None,
        start=london(start), end=london(end), location=str(event.get("LOCATION") or ""))]


# --- schema.org JSON-LD ---------------------------------------------------------------------

_EVENT_TYPES = {"event", "educationevent", "course", "courseinstance", "businessevent",
                "socialevent", "childrensevent"}


def _soup(body: bytes) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(body, "html.parser")


def _jsonld(body: bytes) -> list[Item]:
    soup = _soup(body)
    items: list[Item] = []
    blocks = soup.find_all("script", attrs={"type": re.compile(r"application/ld\+json", re.I)})
    if not blocks:
        raise ParseError("the page has no schema.org JSON-LD")
    for block in blocks:
        try:
            # numbers stay text: no float or int of a thousand digits
            data = json.loads(block.string or block.get_text() or "", parse_int=str, parse_float=str)
        except (ValueError, RecursionError):
            continue  # one bad block does not spoil the others
        for node in _walk(data, 0):
            items += _jsonld_items(node)
    return items


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds if k}


def _walk(data: Any, depth: int) -> Iterator[dict]:
    if depth > 20:
        return
    if isinstance(data, list):
        for x in data:
            yield from _walk(x, depth + 1)
    elif isinstance(data, dict):
        if _types(data) & _EVENT_TYPES:
            yield data
        elif "@graph" in data:
            yield from _walk(data["@graph"], depth + 1)
        else:
            for key in ("itemListElement", "item", "mainEntity", "subEvent"):
                if key in data:
                    yield from _walk(data[key], depth + 1)


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return value if isinstance(value, str) else "" if value is None else str(value)


def _place(value: Any) -> tuple[str, str]:
    """(location text, mode) from a schema.org location (Place, VirtualLocation, list, text)."""
    places = value if isinstance(value, list) else [value]
    names, online, physical = [], False, False
    for place in places:
        if isinstance(place, str):
            names.append(place)
            physical = True
        elif isinstance(place, dict):
            if "virtuallocation" in _types(place):
                online = True
                continue
            physical = True
            address = place.get("address")
            if isinstance(address, dict):
                address = ", ".join(_text(address.get(k)) for k in (
                    "streetAddress", "addressLocality", "postalCode") if _text(address.get(k)))
            parts = [_text(place.get("name")), _text(address)]
            names.append(", ".join(p for p in parts if p))
    mode = "hybrid" if online and physical else "online" if online else "in-person" if physical else ""
    return ", ".join(n for n in names if n), mode


def _jsonld_items(node: dict) -> list[Item]:
    instances = [node]
    if "course" in _types(node) and node.get("hasCourseInstance"):
        found = node["hasCourseInstance"]
        instances = [x for x in (found if isinstance(found, list) else [found]) if isinstance(x, dict)]
    return _each(lambda inst: [_instance(node, inst)], instances)


def _instance(node: dict, inst: dict) -> Item:
    """The item of one course instance (or of the event itself when `inst` is `node`)."""
    location, mode = _place(inst.get("location"))
    attendance = _text(inst.get("eventAttendanceMode") or inst.get("courseMode")).lower()
    if "mixed" in attendance or "blended" in attendance:
        mode = "hybrid"
    elif "online" in attendance:
        mode = "online" if mode != "hybrid" else mode
    elif "offline" in attendance or "onsite" in attendance:
        mode = mode or "in-person"
    offers = inst.get("offers", node.get("offers"))
    offers = offers if isinstance(offers, list) else [offers] if offers else []
    prices = [_text(o.get("price")) for o in offers if isinstance(o, dict) and o.get("price") is not None]
    free_flag = inst.get("isAccessibleForFree", node.get("isAccessibleForFree"))
    return Item(
        title=_text(node.get("name")), description=_text(node.get("description")),
        link=_text(inst.get("url") or node.get("url")) or None,
        start=parse_when(_text(inst.get("startDate"))), end=parse_when(_text(inst.get("endDate"))),
        location=location, mode=mode,
        price=" ".join(prices), free=free_flag if isinstance(free_flag, bool) else
        {"true": True, "false": False}.get(str(free_flag).lower()))


# --- html with CSS selectors ----------------------------------------------------------------


def _html(body: bytes, selectors: dict) -> list[Item]:
    soup = _soup(body)
    try:
        found = soup.select(selectors["item"])
    except Exception as exc:  # a selector the library cannot read
        raise ParseError(f"the item selector could not be used ({type(exc).__name__})") from None
    if not found:
        raise ParseError(f"no element matches the item selector '{selectors['item'][:60]}' "
                         "(has the page changed?)")
    return _each(lambda element: [_element(element, selectors)], found)


def _element(element, selectors: dict) -> Item:
    def pick(name: str):
        css = selectors.get(name)
        return element.select_one(css) if css else None

    title, date, link = pick("title"), pick("date"), pick("link")
    when = None
    if date is not None:
        when = parse_when(date.get("datetime") or date.get("content") or date.get_text(" "))
    href = link.get("href") if link is not None else (title.get("href") if title is not None else None)
    description, location = pick("description"), pick("location")
    return Item(
        title=title.get_text(" ") if title is not None else "",
        description=description.get_text(" ") if description is not None else "",
        link=href if isinstance(href, str) else None, start=when,
        location=location.get_text(" ") if location is not None else "")
