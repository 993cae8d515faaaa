"""Pages carrying schema.org `Event` / `EducationEvent` / `Course` JSON-LD (as event platforms
publish) to items: BeautifulSoup finds the blocks, json reads them, every event in them
(in `@graph`, lists, `itemListElement`, `subEvent`, a Course's `hasCourseInstance`) is one item.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from .item import SEP, Item, Listing, ParseError, each, strings
from .when import parse_when

_EVENT_TYPES = {"event", "educationevent", "course", "courseinstance", "businessevent",
                "socialevent", "childrensevent"}


# Keys whose values hold no price: links, ids, dates, images (a Course's instances are read
# one by one).
_NOT_TEXT = frozenset({"@context", "@type", "@id", "url", "image", "sameas", "startdate", "enddate",
                       "hascourseinstance"})


def soup(body: bytes) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(body, "html.parser")


def parse_jsonld(body: bytes) -> Listing:
    page = soup(body)
    items: list[Item] = []
    blocks = page.find_all("script", attrs={"type": re.compile(r"application/ld\+json", re.I)})
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
    return Listing(items)


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
    return each(lambda inst: [_instance(node, inst)], instances)


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
    prices = [_text(price) for o in offers if isinstance(o, dict)
              for spec in (o, o.get("priceSpecification")) if isinstance(spec, dict)
              for key in ("price", "lowPrice", "highPrice") if (price := spec.get(key)) is not None]
    text = SEP.join(strings(node, _NOT_TEXT))  # all the event says, for a price anywhere
    if inst is not node:
        text += SEP + SEP.join(strings(inst, _NOT_TEXT))
    free_flag = inst.get("isAccessibleForFree", node.get("isAccessibleForFree"))
    return Item(
        title=_text(node.get("name")), description=_text(node.get("description")),
        link=_text(inst.get("url") or node.get("url")) or None,
        start=parse_when(_text(inst.get("startDate"))), end=parse_when(_text(inst.get("endDate"))),
        location=location, mode=mode,
        price=SEP.join(prices), text=text[:100_000], free=free_flag if isinstance(free_flag, bool) else
        {"true": True, "false": False}.get(str(free_flag).lower()))
