"""What a provider lists, before filtering and mapping: one `Item` per course (or per entry
that cannot be read), and the `Listing` of a whole response.

Values are still untrusted text here; `mapping` makes them plain and safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .when import When

SEP = " ¦ "  # between the texts of one item: no price can be read across two fields


@dataclass(frozen=True)
class Item:
    title: str
    description: str = ""
    link: str | None = None
    start: When = None  # a date (all day) or an aware datetime; None: no date
    end: When = None
    # A recurring event: its occurrences in the next 12 months, (start, end) each; `start`
    # and `end` are then unused, except that `start` is the next occurrence after those
    # 12 months when there is none in them (None when the series has ended).
    sessions: tuple[tuple[When, When], ...] = ()
    recurring: bool = False
    # A recurring event with sessions: "yes" when it has more after those 12 months, "unknown"
    # when that could not be found out (the calendar's budget was spent), "" when it has none.
    continues: str = ""
    location: str = ""
    mode: str = ""  # online | in-person | hybrid when the source says so
    price: str = ""  # the prices the source gives ("0", "£25", "Free", a `cost` selector's text), SEP between
    free: bool | None = None  # what the source says outright (isAccessibleForFree)
    text: str = ""  # every other text of the item (read for a price: "£25", "course fee")
    cancelled: bool = False
    problem: str = ""  # why this entry cannot be used ("a date out of range"); "" if it can
    problem_kind: str = "impossible"  # impossible (a date that cannot be right) | other


@dataclass(frozen=True)
class Listing:
    items: list[Item]
    home: str | None = None  # the feed's own website link, as written (checked by `mapping`)


class ParseError(Exception):
    """A response that could not be read as the provider's type; the message says why."""


def each(build: Callable[[Any], list[Item]], entries: Iterable) -> list[Item]:
    """The items `build` makes of each entry; an entry it fails on becomes one Item with the
    reason as its `problem` (counted and skipped later), never the end of the others."""
    items: list[Item] = []
    for entry in entries:
        try:
            items += build(entry)
        except OverflowError:  # datetime arithmetic past year 1 or 9999
            items.append(Item("", problem="a date out of range"))
        except Exception as exc:  # a library tripping over one hostile entry
            items.append(Item("", problem=f"could not be read ({type(exc).__name__})", problem_kind="other"))
    return items


def strings(value: Any, skip: frozenset[str] = frozenset(), depth: int = 0) -> Iterator[str]:
    """Every text inside `value` (dicts, lists, strings), leaving out the keys in `skip`
    (links, ids, dates: nothing a price is written in)."""
    if depth > 12:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if str(key).lower() not in skip:
                yield from strings(inner, skip, depth + 1)
    elif isinstance(value, (list, tuple)):
        for inner in value[:200]:
            yield from strings(inner, skip, depth + 1)
