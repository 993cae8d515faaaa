"""Items to courses: the filters (free only, include/exclude words) and the mapping to the
training contract (docs/spec: id, sessions in Europe/London, format, topics, audience).

Free or not (when the provider has `free_only`, the default):
- the source says so outright (schema.org `isAccessibleForFree`): that decides;
- else a price: `0`, `0.00` or the word "free" is free; any other amount is not;
- else the title and summary: a pound amount other than £0 ("£25", "£ 10.50"), or "fee",
  "paid event", "cost:" followed by an amount, means not free;
- else (nothing said about a price) the item is taken as free: the providers listed are
  ones that publish free training, and every harvested course is reviewed before merging.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from macros.core.dates import LONDON, session_bounds

from .parse import Item
from .text import DESCRIPTION_MAX, TITLE_MAX, canonical_url, plain_text, slug

YEARS_AHEAD = 3  # a first session later than this is taken as a mistake, not a course
_ONLINE = re.compile(r"(?i)\b(online|virtual|webinar|zoom|ms teams|microsoft teams|teams meeting|"
                     r"google meet|livestream|live stream|e-?learning)\b")
_AMOUNT = re.compile(r"£\s*(\d+(?:[.,]\d{1,2})?)")
_NOT_FREE = re.compile(r"(?i)\b(course fee|fee applies|fees apply|paid event|paid course|ticket price|"
                       r"members only|charge of)\b")
_FREE = re.compile(r"(?i)\b(free|no charge|no cost|free of charge)\b")

# Keyword rules beyond the topic labels of data/topics.yaml (phrase -> slug).
EXTRA_KEYWORDS = {
    "cse": "exploitation", "cce": "exploitation", "grooming": "exploitation",
    "suicide": "suicide-prevention", "self harm": "self-harm", "self-harm": "self-harm",
    "coercive control": "domestic-abuse", "stalking": "domestic-abuse", "prevent duty": "prevent",
    "radicalisation": "prevent", "dbs": "safer-recruitment", "autism": "neurodiversity",
    "adhd": "neurodiversity", "dementia": "older-people", "elder abuse": "older-people",
    "care leaver": "children-in-care", "fostering": "children-in-care", "drugs": "substance-use",
    "alcohol": "substance-use", "substance": "substance-use", "trafficking": "modern-slavery",
    "mental capacity": "mental-capacity", "dols": "mental-capacity", "cyber": "cyber-security",
    "sexual abuse": "child-sexual-abuse", "online harm": "online-safety", "bullying": "bullying",
    "neglect": "neglect", "self-neglect": "self-neglect", "self neglect": "self-neglect",
}


@dataclass(frozen=True)
class Rejected:
    """An item not harvested: `kind` is filtered | past | invalid (an item that cannot be
    right, counted with the failed ones); `reason` says why."""

    kind: str
    reason: str


def is_free(item: Item, text: str) -> bool:
    if item.free is not None:
        return item.free
    price = item.price.strip().lower().replace("gbp", "").replace("£", "").strip()
    if price:
        if _FREE.search(price):
            return True
        try:
            return all(float(p.replace(",", "")) == 0 for p in price.split())
        except ValueError:
            return False
    if any(float(a.replace(",", ".")) > 0 for a in _AMOUNT.findall(text)):
        return False
    return not _NOT_FREE.search(text)


def keyword_filter(include: tuple[str, ...], exclude: tuple[str, ...], text: str) -> str:
    """'' when the item passes the provider's include/exclude words, else the reason."""
    low = text.lower()
    for word in exclude:
        if word.lower() in low:
            return f"excluded word '{word}'"
    if include and not any(word.lower() in low for word in include):
        return "none of the include words"
    return ""


def topic_rules(topics: dict[str, str]) -> list[tuple[re.Pattern, str]]:
    """Keyword rules from data/topics.yaml (each label's parts, each slug as words) and
    EXTRA_KEYWORDS, for the slugs that exist."""
    rules: dict[str, str] = {}
    for topic_slug, label in topics.items():
        rules[topic_slug.replace("-", " ")] = topic_slug
        for part in re.split(r",| and |\(|\)", label.lower()):
            part = part.strip()
            if len(part) >= 5:
                rules[part] = topic_slug
    rules.update({k: v for k, v in EXTRA_KEYWORDS.items() if v in topics})
    return [(re.compile(r"(?i)\b" + re.escape(k) + r"\b"), v) for k, v in sorted(rules.items())]


def _sessions(start, end) -> list[dict]:
    """One session (date, optional end_date and "HH:MM-HH:MM" time) from a start and an end."""
    if isinstance(start, dt.datetime):
        start = start.astimezone(LONDON)
        session = {"date": start.date()}
        if isinstance(end, dt.datetime) and end.astimezone(LONDON) > start:
            end = end.astimezone(LONDON)
            if end.date() > start.date():
                session["end_date"] = end.date()
            session["time"] = f"{start:%H:%M}-{end:%H:%M}"
            if "end_date" not in session and end.time() <= start.time():
                session["time"] = f"{start:%H:%M}"
        else:
            session["time"] = f"{start:%H:%M}"
        return [session]
    session = {"date": start}
    last = end.date() if isinstance(end, dt.datetime) else end
    if isinstance(last, dt.date) and last > start:
        session["end_date"] = last
    return [session]


def session_end(session: dict) -> dt.datetime:
    """When a session written as the harvester writes it ends (Europe/London)."""
    times = session.get("time", "").split("-")
    start = dt.time.fromisoformat(times[0]) if times[0] else None
    end = dt.time.fromisoformat(times[1]) if len(times) > 1 else None
    return session_bounds(session["date"], session.get("end_date"), start, end)[1]


def to_course(item: Item, provider, kind: str, base_url: str, rules, now: dt.datetime) -> dict | Rejected:
    """The course (a dict in file order) for `item`, or why it is not harvested."""
    if item.problem:
        return Rejected("invalid", item.problem)
    title = plain_text(item.title, TITLE_MAX)
    if not title:
        return Rejected("filtered", "no title")
    description = plain_text(item.description, DESCRIPTION_MAX)
    text = f"{title} {description}"
    why = keyword_filter(provider.include, provider.exclude, text)
    if why:
        return Rejected("filtered", why)
    if provider.free_only and not is_free(item, f"{title} {plain_text(item.description, 5000)}"):
        return Rejected("filtered", "not free")
    location = plain_text(item.location, TITLE_MAX)
    online = bool(_ONLINE.search(f"{location} {title}")) or item.mode == "online"
    mode = item.mode or ("online" if online or not location else "in-person")
    if mode == "in-person" and online:
        mode = "hybrid"
    if mode in ("in-person", "hybrid") and not location:
        mode = "online"
    if item.start is None:
        if kind not in ("rss", "atom"):
            return Rejected("filtered", "no date that could be read")
        sessions, fmt, first = [], "on-demand", "on-demand"
    else:
        sessions, fmt = _sessions(item.start, item.end), mode
        if sessions[0]["date"] > now.date() + dt.timedelta(days=366 * YEARS_AHEAD):
            return Rejected("invalid", f"a date more than {YEARS_AHEAD} years ahead")
        first = sessions[0]["date"].isoformat()
        try:
            if all(session_end(s) <= now for s in sessions):
                return Rejected("past", "ended")
        except OverflowError:  # the last day of year 9999 has no end
            return Rejected("invalid", "a date out of range")
    topics = list(provider.topics)
    for pattern, topic_slug in rules:
        if topic_slug not in topics and pattern.search(text):
            topics.append(topic_slug)
    url = canonical_url(item.link, base_url) if item.link else None
    course: dict = {
        "id": "-".join(p for p in (provider.id, slug(title, 60), first) if p),
        "title": title,
        "provider": provider.name,
    }
    if url:
        course["url"] = url
    else:
        course["link_unknown"] = True
    if description and description != title:
        course["description"] = description
    course["audience"] = list(provider.audience)
    course["topics"] = topics[:6]
    course["format"] = fmt
    if location and fmt in ("in-person", "hybrid"):
        course["location"] = location
    if sessions:
        course["sessions"] = sessions
    course["added"] = now.date()
    if fmt == "on-demand":  # the provider's feed lists it today: confirmed today
        course["checked"] = now.date()
    course["source"] = provider.id
    return course
