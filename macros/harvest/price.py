"""Is an item free? Only if nothing anywhere in it says otherwise.

What says otherwise (the first found is the reason shown in the summary):
- the source says it outright: schema.org `isAccessibleForFree: false`;
- a price the source gives (an `offers` price, an RSS `ev:price`, the text of an HTML
  listing's `cost` selector, a microdata `itemprop="price"`) that is not 0 or "free";
- anywhere in the item's text (title, summary, every other field; for an HTML listing the
  whole item element, whatever the selectors name): an amount of money other than 0
  ("£25", "£ 10.50", "GBP 30", "30 pounds", "€40", "$15"), or words such as "course fee",
  "paid event", "members only".
An item that says nothing about a price is taken as free: the providers listed publish free
training, and every harvested course is reviewed before it is merged. "Free" next to an
amount ("free to members, £30 to others") is not free: a person can add it by hand.
"""

from __future__ import annotations

import re

from .item import SEP, Item

_NUMBER = r"(\d{1,9}(?:[.,]\d{1,3})*)"
_AMOUNT = re.compile(r"(?i)(?:[£€$]|\b(?:gbp|eur|usd)\b)\s*" + _NUMBER
                     + r"|" + _NUMBER + r"\s*\b(?:gbp|eur|usd|pounds?|euros?)\b")
_MONEY = re.compile(r"(?i)[£€$]|gbp|eur|usd|pound")
_NOT_FREE = re.compile(r"(?i)\b((?:course|booking|delegate|registration) fees?|fees? appl(?:y|ies)|"
                       r"paid (?:event|course|ticket)|ticket price|members only|charge of|chargeable)\b")
_FREE = re.compile(r"(?i)\b(free|no charge|no cost|free of charge|nil)\b")
_ZERO = re.compile(r"^[0.,\s]*$")


def _amounts(text: str) -> list[tuple[str, float]]:
    """Each amount of money in `text`: (as written, value)."""
    if not _MONEY.search(text):  # most items name no currency at all
        return []
    found = []
    for match in _AMOUNT.finditer(text):
        digits = (match.group(1) or match.group(2) or "0").replace(",", "")
        try:
            value = float(digits) if digits.count(".") <= 1 else 1.0
        except ValueError:
            value = 1.0
        found.append((match.group(0).strip(), value))
    return found


def _price_problem(price: str) -> str:
    """'' when one price the source gives means free, else how it reads."""
    low = price.strip().lower()
    if not low:
        return ""
    paid = [written for written, value in _amounts(low) if value > 0]
    if paid:
        return f"a price of '{paid[0]}'"
    bare = re.sub(r"(?i)gbp|eur|usd|[£€$]|pounds?", "", low).strip()
    if _ZERO.match(bare) or (_FREE.search(bare) and not re.search(r"[1-9]", bare)):
        return ""
    return f"a price of '{price.strip()[:40]}'"


def not_free(item: Item, text: str) -> str:
    """'' when nothing in `item` says it is not free; else what says so. `text` is the
    whole item as plain text (title, description, location and `Item.text`)."""
    if item.free is False:
        return "marked as not free (isAccessibleForFree: false)"
    for price in item.price.split(SEP.strip()):
        problem = _price_problem(price)
        if problem:
            return problem
    paid = [written for written, value in _amounts(text) if value > 0]
    if paid:
        return f"'{paid[0]}' in its text"
    words = _NOT_FREE.search(text)
    if words:
        return f"'{words.group(0)}' in its text"
    return ""
