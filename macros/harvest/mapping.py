"""Items to courses: the filters (dates, include/exclude words, free only: `price`) and the
mapping to the training contract (docs/spec: id, sessions in Europe/London, format, topics,
audience, a link).

Every item not harvested is a `Rejected` with its kind (the summary's columns): past,
excluded (the provider's words), paid, impossible (a date that cannot be right) or other
(no title, no date that could be read, no session in the next 12 months, cancelled).

An RSS or Atom item with no date is proposed without sessions: as a course whose dates are
to be confirmed (`dates_unknown: true`, its format what the item says), unless a person has
written `undated: on-demand` for its provider (a feed of e-learning that can be taken at any
time): then as an on-demand course. Either is `checked:` the harvest day (the provider lists
it today). "Available at any time" is never assumed from a missing date.

A course from a repeating calendar event that goes on after the 12 months it lists says so
in its `notes`, and where the later dates are (`series`).

The link is the item's own, if it is http(s); otherwise (missing, `javascript:`, `data:`...)
the page it was listed on (`page`: the feed's own website link, or the listing's address),
so a person always has somewhere to go.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from macros.core.dates import LONDON, session_bounds

from .item import Item
from .price import not_free
from .series import goes_on
from .text import DESCRIPTION_MAX, TITLE_MAX, canonical_url, plain_text, slug

YEARS_AHEAD = 3  # a first session later than this is taken as a mistake, not a course
_ONLINE = re.compile(r"(?i)\b(online|virtual|webinar|zoom|ms teams|microsoft teams|teams meeting|"
                     r"google meet|livestream|live stream|e-?learning)\b")

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
    """An item not harvested: `kind` is paid | past | excluded | impossible | other (the
    summary's columns, `summary.KIND_LABELS`); `reason` says why, in words that are the same
    for every item it applies to; `title` and `detail` (what says it is not free) name a
    paid item in the summary."""

    kind: str
    reason: str
    title: str = ""
    detail: str = ""


def keyword_filter(include: tuple[str, ...], exclude: tuple[str, ...], text: str) -> str:
    """'' when the item passes the provider's include/exclude words, else the reason."""
    low = text.lower()
    for word in exclude:
        if word.lower() in low:
            return f"excluded word '{word}'"
    if include and not any(word.lower() in low for word in include):
        return "none of the include words"
    return ""


Rules = dict[str, list[tuple[int, re.Pattern, str]]]  # first word -> (order, pattern, slug)


def topic_rules(topics: dict[str, str]) -> Rules:
    """Keyword rules from data/topics.yaml (each label's parts, each slug as words) and
    EXTRA_KEYWORDS, for the slugs that exist, indexed by their first word: an item's text is
    searched only for the phrases whose first word it has."""
    rules: dict[str, str] = {}
    for topic_slug, label in topics.items():
        rules[topic_slug.replace("-", " ")] = topic_slug
        for part in re.split(r",| and |\(|\)", label.lower()):
            part = part.strip()
            if len(part) >= 5:
                rules[part] = topic_slug
    rules.update({k: v for k, v in EXTRA_KEYWORDS.items() if v in topics})
    index: Rules = {}
    for n, (phrase, topic_slug) in enumerate(sorted(rules.items())):
        words = re.findall(r"\w+", phrase.lower())
        if words:
            index.setdefault(words[0], []).append(
                (n, re.compile(r"(?i)\b" + re.escape(phrase) + r"\b"), topic_slug))
    return index


def _topics(rules: Rules, text: str, topics: list[str]) -> list[str]:
    """`topics` and those whose phrases `text` holds, in the rules' order."""
    words = set(re.findall(r"\w+", text.lower()))
    for _, pattern, topic_slug in sorted(r for word in words & rules.keys() for r in rules[word]):
        if topic_slug not in topics and pattern.search(text):
            topics.append(topic_slug)
    return topics


def _session(start, end) -> dict:
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
        return session
    session = {"date": start}
    last = end.date() if isinstance(end, dt.datetime) else end
    if isinstance(last, dt.date) and last > start:
        session["end_date"] = last
    return session


def _sessions(item: Item, now: dt.datetime) -> list[dict]:
    """The item's sessions that have not ended by `now`, in order, each once. A one-off event
    keeps its one session even when it has ended (then the whole item is past)."""
    if not item.recurring:
        return [_session(item.start, item.end)]
    found = {}
    for start, end in item.sessions:
        session = _session(start, end)
        key = tuple(session.get(k) for k in ("date", "end_date", "time"))
        if session_end(session) > now:
            found.setdefault(key, session)
    return [found[k] for k in sorted(found, key=lambda k: (k[0], k[2] or ""))]


def session_end(session: dict) -> dt.datetime:
    """When a session written as the harvester writes it ends (Europe/London)."""
    times = session.get("time", "").split("-")
    start = dt.time.fromisoformat(times[0]) if times[0] else None
    end = dt.time.fromisoformat(times[1]) if len(times) > 1 else None
    return session_bounds(session["date"], session.get("end_date"), start, end)[1]


def _dated(item: Item, kind: str, now: dt.datetime) -> list[dict] | Rejected:
    """The sessions of `item` ([] for an RSS or Atom item with no date), or why it is not
    harvested."""
    if item.recurring and not item.sessions:
        if item.start is None:
            return Rejected("past", "ended")
        if _day(item.start) > now.date() + dt.timedelta(days=366 * YEARS_AHEAD):
            return Rejected("impossible", f"a date more than {YEARS_AHEAD} years ahead")
        return Rejected("other", "no session in the next 12 months")
    if not item.recurring and item.start is None:
        if kind not in ("rss", "atom"):
            return Rejected("other", "no date that could be read")
        return []
    sessions = _sessions(item, now)
    if not sessions:
        return Rejected("past", "ended")
    if sessions[0]["date"] > now.date() + dt.timedelta(days=366 * YEARS_AHEAD):
        return Rejected("impossible", f"a date more than {YEARS_AHEAD} years ahead")
    try:
        if all(session_end(s) <= now for s in sessions):
            return Rejected("past", "ended")
    except OverflowError:  # the last day of year 9999 has no end
        return Rejected("impossible", "a date out of range")
    return sessions


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def to_course(item: Item, provider, base_url: str, page: str | None, rules,
              now: dt.datetime) -> dict | Rejected:
    """The course (a dict in file order) for `item`, or why it is not harvested. `base_url`
    resolves relative links; `page` is the link used when the item has none that is safe."""
    if item.problem:
        return Rejected(item.problem_kind, item.problem)
    title = plain_text(item.title, TITLE_MAX)
    if not title:
        return Rejected("other", "no title")
    if item.cancelled:
        return Rejected("other", "cancelled")
    sessions = _dated(item, provider.type, now)
    if isinstance(sessions, Rejected):
        return sessions
    description = plain_text(item.description, DESCRIPTION_MAX)
    text = f"{title} {description}"
    why = keyword_filter(provider.include, provider.exclude, text)
    if why:
        return Rejected("excluded", why)
    if provider.free_only:
        whole = plain_text(f"{title} ¦ {item.description} ¦ {item.location} ¦ {item.text}", 20_000)
        paid = not_free(item, whole)
        if paid:
            return Rejected("paid", "not free", title, paid)
    location = plain_text(item.location, TITLE_MAX)
    online = bool(_ONLINE.search(f"{location} {title}")) or item.mode == "online"
    # What the item says, never a guess: neither online nor a place (or "in person" with no
    # address, which an in-person course needs): to-be-confirmed, for a person to find out.
    mode = item.mode or ("online" if online else "in-person" if location else "to-be-confirmed")
    if mode == "in-person" and online:
        mode = "hybrid"
    if mode in ("in-person", "hybrid") and not location:
        mode = "online" if mode == "hybrid" else "to-be-confirmed"
    # No date: on-demand only when a person has said the provider's feed is e-learning.
    on_demand = not sessions and provider.undated == "on-demand"
    fmt = "on-demand" if on_demand else mode
    topics = _topics(rules, text, list(provider.topics))
    url = (canonical_url(item.link, base_url) if item.link else None) or page
    first = sessions[0]["date"].isoformat() if sessions else "on-demand" if on_demand else "dates-tbc"
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
    elif not on_demand:
        course["dates_unknown"] = True
    course["added"] = now.date()
    if not sessions:  # the provider's feed lists it today: confirmed today
        course["checked"] = now.date()
    course["source"] = provider.id
    if item.recurring and item.continues:  # the dates after the 12 months listed: `series`
        course["notes"] = goes_on(item.continues, sessions[-1]["date"], url, page)
    return course
