"""The harvester's sources: loads and validates data/providers.yaml into frozen records.

The schema (data/schema/providers.schema.json) checks the shape; this module checks what a
schema cannot: unique ids, topics from data/topics.yaml, a feed address for every enabled
provider, CSS selectors for every `type: html` provider and `undated:` only on a feed
(rss or atom: the only types whose items without a date are proposed at all). Messages have the same form as
the training file's:

    data/providers.yaml:12: provider 'scie': type: 'rs' is not allowed; did you mean 'rss'? ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.records import record_name, top_level_problems
from macros.core.schema import did_you_mean, http_url_problem, load_schema, schema_problems
from macros.core.yamlfile import load_yaml
from macros.core.yamllines import line_of
from macros.data.topics import TOPICS_FILE, load_topics

PROVIDERS_FILE = ROOT / "data" / "providers.yaml"
TYPES = ("rss", "atom", "ics", "jsonld", "html")
UNDATED = ("dates-unknown", "on-demand")  # what an rss or atom item with no date becomes


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    url: str  # "" when not known (then enabled is False)
    type: str
    audience: tuple[str, ...]
    topics: tuple[str, ...]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    free_only: bool = True
    enabled: bool = True
    # dates-unknown: a course whose dates are to be confirmed; on-demand: a person has said
    # the feed lists e-learning that can be taken at any time (never assumed)
    undated: str = UNDATED[0]
    selectors: dict = field(default_factory=dict, compare=False, hash=False)
    line: int = 0


def load_providers(path: Path = PROVIDERS_FILE, topics: dict[str, str] | None = None) -> list[Provider]:
    """Every provider of data/providers.yaml, in file order; raise DataError listing every problem.

    `topics` (slug -> label) defaults to data/topics.yaml beside the file; a broken topics file
    is reported by its own validator, so it only turns the topic check off here.
    """
    doc = load_yaml(path)
    name = relpath(path)
    problems = top_level_problems(doc, "providers", name, "providers")
    if problems:
        raise DataError(problems)
    if topics is None:
        try:
            topics = load_topics(Path(path).resolve().parent / TOPICS_FILE.name)
        except DataError:
            topics = {}

    def record_of(p: list) -> str:
        return record_name(doc, "providers", "id", "provider", p)

    problems = list(schema_problems(doc, load_schema("providers.schema.json"), name, record_of))
    bad_records = {p.record for p in problems}
    providers: list[Provider] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(doc.get("providers") or []):
        record = record_of(["providers", i])
        if not isinstance(item, dict) or record in bad_records:
            continue
        line = line_of(doc, ["providers", i])

        def add(fld: str, message: str, *keys: Any, _i=i, _record=record) -> None:
            problems.append(Problem(name, line_of(doc, ["providers", _i, *keys]), message, _record, fld))

        ident = str(item["id"])
        if ident in seen:
            add("id", f"the id is also used on line {seen[ident]}; give each provider its own id", "id")
        seen.setdefault(ident, line)
        enabled = item.get("enabled", True)
        url = item.get("url") or ""
        if not url and enabled:
            add("url", "is empty, but the provider is enabled (write the address of its feed, starting "
                "https://, or set enabled: false until it is known)", "url")
        elif url and http_url_problem(url):
            add("url", http_url_problem(url), "url")
        if topics:
            for j, topic in enumerate(item["topics"]):
                if topic not in topics:
                    add("topics", f"'{topic}' is not a known topic{did_you_mean(topic, topics)} "
                        "(known topics are listed in data/topics.yaml)", "topics", j)
        if item["type"] == "html" and "selectors" not in item:
            add("selectors", "is missing (a type: html provider needs CSS selectors: item, title, "
                "date and optionally link, description, location, cost)")
        elif item["type"] != "html" and "selectors" in item:
            add("selectors", f"only a type: html provider has selectors (this one is {item['type']}; "
                "remove selectors:)", "selectors")
        if "undated" in item and item["type"] not in ("rss", "atom"):
            add("undated", f"only an rss or atom provider has undated: (this one is {item['type']}, "
                "whose items with no date are skipped; remove undated:)", "undated")
        providers.append(Provider(
            id=ident, name=str(item["name"]), url=str(url).strip(), type=str(item["type"]),
            audience=tuple(item["audience"]), topics=tuple(item["topics"]),
            include=tuple(str(w) for w in item.get("include") or ()),
            exclude=tuple(str(w) for w in item.get("exclude") or ()),
            free_only=item.get("free_only", True) is not False, enabled=enabled is not False,
            undated=str(item.get("undated") or UNDATED[0]),
            selectors=dict(item.get("selectors") or {}), line=line))
    if problems:
        raise DataError(problems)
    return providers
