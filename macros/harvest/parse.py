"""Feeds to items: what each provider lists, before filtering and mapping.

`parse(kind, body, headers, base_url, selectors)` returns the items of one response, or
raises `ParseError` (the reason shown in the summary) when nothing usable can be read.
Values are still untrusted text here; `mapping` makes them plain and safe.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from ..dates import LONDON

When = dt.datetime | dt.date | None


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


# --- dates ----------------------------------------------------------------------------------


def london(value: Any) -> When:
    """A date stays a date; a datetime becomes aware in Europe/London (naive: taken as London)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=LONDON) if value.tzinfo is None else value.astimezone(LONDON)
    if isinstance(value, dt.date):
        return value
    return None


_FORMS = ("%d %B %Y", "%d %b %Y", "%A %d %B %Y", "%a %d %b %Y", "%d/%m/%Y", "%B %d, %Y", "%b %d, %Y",
          "%d %B %Y %H:%M", "%d %B %Y %I:%M%p", "%d/%m/%Y %H:%M", "%a, %d %b %Y %H:%M:%S %z")


def parse_when(text: Any) -> When:
    """An ISO 8601 date or date-time (or a few written forms); None when it is not one."""
    if isinstance(text, dt.date):
        return london(text)
    if not isinstance(text, str):
        return None
    raw = " ".join(text.split())[:60]
    if not raw:
        return None
    iso = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
    try:
        if len(iso) == 10:
            return dt.date.fromisoformat(iso)
        return london(dt.datetime.fromisoformat(iso))
    except ValueError:
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw)
    for form in _FORMS:
        try:
            value = dt.datetime.strptime(cleaned, form)
        except ValueError:
            continue
        return value.date() if "%H" not in form and "%I" not in form else london(value)
    return None


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
    items = []
    for entry in entries:
        link = entry.get("link")
        if not link:
            link = next((x.get("href") for x in entry.get("links", []) if x.get("href")), None)
        start = parse_when(entry.get("ev_startdate") or entry.get("xcal_dtstart"))
        end = parse_when(entry.get("ev_enddate") or entry.get("xcal_dtend"))
        items.append(Item(
            title=str(entry.get("title") or ""),
            description=str(entry.get("summary") or entry.get("description") or ""),
            link=link if isinstance(link, str) else None, start=start, end=end,
            location=str(entry.get("ev_location") or entry.get("xcal_location") or ""),
            price=str(entry.get("ev_price") or entry.get("price") or "")))
    return items


# --- ics ------------------------------------------------------------------------------------


def _ics(body: bytes) -> list[Item]:
    import icalendar

    try:
        calendars = icalendar.Calendar.from_ical(body, multiple=True)
    except Exception as exc:
        raise ParseError(f"not a valid calendar ({type(exc).__name__})") from None
    items = []
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            try:
                start = event.decoded("DTSTART") if "DTSTART" in event else None
                if "DTEND" in event:
                    end = event.decoded("DTEND")
                elif "DURATION" in event and start is not None:
                    end = start + event.decoded("DURATION")
                else:
                    end = None
            except Exception:
                continue  # a broken date: skip this event only
            if isinstance(start, dt.date) and not isinstance(start, dt.datetime) and isinstance(end, dt.date):
                end = end - dt.timedelta(days=1)  # DTEND of an all-day event is exclusive
            items.append(Item(
                title=str(event.get("SUMMARY") or ""), description=str(event.get("DESCRIPTION") or ""),
                link=str(event.get("URL")) if event.get("URL") else None,
                start=london(start), end=london(end), location=str(event.get("LOCATION") or "")))
    return items


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
            data = json.loads(block.string or block.get_text() or "")
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
    items = []
    for inst in instances:
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
        items.append(Item(
            title=_text(node.get("name")), description=_text(node.get("description")),
            link=_text(inst.get("url") or node.get("url")) or None,
            start=parse_when(_text(inst.get("startDate"))), end=parse_when(_text(inst.get("endDate"))),
            location=location, mode=mode,
            price=" ".join(prices), free=free_flag if isinstance(free_flag, bool) else
            {"true": True, "false": False}.get(str(free_flag).lower())))
    return items


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
    items = []
    for element in found:
        def pick(name: str, element=element):
            css = selectors.get(name)
            return element.select_one(css) if css else None

        title, date, link = pick("title"), pick("date"), pick("link")
        when = None
        if date is not None:
            when = parse_when(date.get("datetime") or date.get("content") or date.get_text(" "))
        href = link.get("href") if link is not None else (title.get("href") if title is not None else None)
        description, location = pick("description"), pick("location")
        items.append(Item(
            title=title.get_text(" ") if title is not None else "",
            description=description.get_text(" ") if description is not None else "",
            link=href if isinstance(href, str) else None, start=when,
            location=location.get_text(" ") if location is not None else ""))
    return items
