"""A whole harvest: load and check the data, fetch, parse, map, deduplicate, validate, append."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from macros.core.problems import ROOT, DataError
from macros.data.providers import Provider, load_providers
from macros.data.topics import load_topics
from macros.data.training import load_courses, training_files

from . import write as writer
from .dedupe import Seen
from .fetch import Cache, FetchError, Response, Settings, fetch_all
from .mapping import Rejected, to_course, topic_rules
from .parse import ParseError, parse
from .series import follows
from .summary import Outcome
from .text import canonical_url


@dataclass
class Result:
    outcomes: list[Outcome]
    added: list[dict]
    written: bool
    comparisons: int = 0  # fuzzy title comparisons made by the duplicate check (`dedupe`)


def harvest(now: dt.datetime, root: Path = ROOT, dry_run: bool = False,
            settings: Settings | None = None) -> Result:
    """Harvest every enabled provider of `root`/data/providers.yaml into data/training.yaml.

    Raises DataError (writing nothing) when providers.yaml, topics.yaml or a training file is
    invalid. A provider that fails is recorded in its Outcome and never stops the others.
    """
    settings = settings or Settings()
    topics = load_topics(root / "data" / "topics.yaml")
    providers = load_providers(root / "data" / "providers.yaml", topics)
    files = training_files(root)
    existing = load_courses(files, topics)
    seen = Seen()
    for course in existing:
        seen.add_course(course)
    enabled = [p for p in providers if p.enabled]
    cache = Cache(root / ".cache" / "harvest")
    responses = _run(lambda: fetch_all({p.id: p.url for p in enabled}, settings, cache))
    rules = topic_rules(topics)
    outcomes, added = [], []
    for provider in enabled:
        outcome = Outcome(provider.id, provider.name)
        outcomes.append(outcome)
        _provider(provider, responses[provider.id], rules, now, seen, outcome)
        added += outcome.added
    live = files[0]
    old = live.read_text(encoding="utf-8")
    added = _room(old, added, outcomes)
    added, loaded = _validated(old, added, outcomes, topics)
    written = False
    if added and not dry_run:
        new = writer.appended(old, added)
        writer.verify(old, new, added, loaded, live)
        writer.write(live, new)
        written = True
    if not dry_run:  # remember validators only once what they stand for is safely written
        for provider, outcome in zip(enabled, outcomes, strict=True):
            response = responses[provider.id]
            if isinstance(response, Response) and response.status == 200 and not outcome.dated_later:
                cache.put(provider.url, response.validators)
    return Result(outcomes, added, written, seen.comparisons)


def _run(make_coroutine):
    """Run a coroutine to the end, also from a thread whose event loop is already running
    (a caller inside asyncio, or Playwright's sync API in the tests): then in a new thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def _provider(provider: Provider, response: Response | FetchError, rules, now: dt.datetime,
              seen: Seen, outcome: Outcome) -> None:
    if isinstance(response, FetchError):
        outcome.failed = str(response)
        return
    if response.not_modified:
        outcome.not_modified = True
        return
    try:
        listing = parse(provider.type, response.body, response.headers, response.url, provider.selectors, now)
    except ParseError as exc:
        outcome.failed = str(exc)
        return
    except Exception as exc:  # a parser library tripping over hostile input: this provider only
        outcome.failed = f"could not read the response ({type(exc).__name__})"
        return
    if not listing.items:
        outcome.failed = "no items found in the response"
        return
    # The page its items were listed on: the link of an item that has none of its own.
    page = canonical_url(listing.home, response.url) if listing.home else None
    outcome.page = page or canonical_url(response.url) or ""
    seen.pages.add(outcome.page)
    # A repeating event with dates after the 12 months it is read for: what the same response
    # proposes changes with the date, so it is read in full next time (no "not changed").
    outcome.dated_later = any(i.recurring and (i.continues or i.start) for i in listing.items)
    for item in listing.items:
        try:
            course = to_course(item, provider, response.url, outcome.page or None, rules, now)
        except Exception as exc:  # one odd item never stops the rest
            outcome.reject("other", f"could not be read ({type(exc).__name__})")
            continue
        if isinstance(course, Rejected):
            outcome.reject(course.kind, course.reason, course.title, course.detail)
            continue
        if seen.is_duplicate(course):
            outcome.duplicate += 1
            continue
        course["id"] = seen.free_id(course["id"])
        if item.recurring:
            _series(course, item.continues, seen, outcome)
        seen.add_new(course)
        outcome.added.append(course)


def _series(course: dict, continues: str, seen: Seen, outcome: Outcome) -> None:
    """Record, for the summary, that a course from a repeating event goes on after its dates
    and which course it follows (the dates listed before, now passed), and note the latter."""
    if continues:
        outcome.continues[course["id"]] = continues
    earlier = seen.earlier(course)
    if earlier:
        outcome.follows[course["id"]] = earlier
        course["notes"] = " ".join(n for n in (follows(*earlier), course.get("notes")) if n)


def _room(old: str, added: list[dict], outcomes: list[Outcome]) -> list[dict]:
    """The courses of `added` that fit in data/training.yaml (a data file may be at most 2 MB);
    each one left out is counted in its provider's `no_room`, to be proposed again by a
    later run once there is room."""
    fit = writer.fitting(old, added)
    if fit == len(added):
        return added
    left = {id(c) for c in added[fit:]}
    for outcome in outcomes:
        kept = [c for c in outcome.added if id(c) not in left]
        outcome.no_room += len(outcome.added) - len(kept)
        outcome.added = kept
    return added[:fit]


def _validated(old: str, added: list[dict], outcomes: list[Outcome],
               topics: dict[str, str]) -> tuple[list[dict], list]:
    """`added` less any course that fails the training validation (each recorded, kind
    other), and the courses as loaded back (`write.load_new`)."""
    for _ in range(3):
        if not added:
            return added, []
        try:
            return added, writer.load_new(old, added, topics)
        except DataError as exc:
            problems = exc.problems
        records = {f"course '{c['id']}'": c["id"] for c in added}
        bad = {}
        for problem in problems:
            if problem.record in records:
                bad.setdefault(records[problem.record], f"{problem.field}: {problem.message}"[:160])
        if not bad:
            raise DataError(problems)  # not about one course: the harvester's own mistake
        for outcome in outcomes:
            kept = [c for c in outcome.added if c["id"] not in bad]
            for course in outcome.added:
                if course["id"] in bad:
                    outcome.reject("other", f"invalid: {bad[course['id']]}")
            outcome.added = kept
        added = [c for c in added if c["id"] not in bad]
    raise DataError(problems)
