"""The topics of training and case reviews: loads and validates data/topics.yaml."""

from __future__ import annotations

from pathlib import Path

from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.records import record_name, top_level_problems
from macros.core.schema import load_schema, schema_problems
from macros.core.yamlfile import load_yaml
from macros.core.yamllines import line_of

TOPICS_FILE = ROOT / "data" / "topics.yaml"


def load_topics(path: Path = TOPICS_FILE) -> dict[str, str]:
    """The topics, slug -> label, in file order; raise DataError listing every problem."""
    doc = load_yaml(path)
    name = relpath(path)
    problems = top_level_problems(doc, "topics", name, "topics")
    if problems:
        raise DataError(problems)

    def record_of(p: list) -> str:
        return record_name(doc, "topics", "slug", "topic", p)

    problems = list(schema_problems(doc, load_schema("topics.schema.json"), name, record_of))
    if problems:
        raise DataError(problems)
    topics: dict[str, str] = {}
    lines: dict[str, int] = {}
    for i, item in enumerate(doc["topics"]):
        line = line_of(doc, ["topics", i])
        slug = str(item["slug"])
        if slug in topics:
            problems.append(Problem(name, line, f"the slug is also used on line {lines[slug]}; "
                                    "give each topic its own slug", f"topic '{slug}'", "slug"))
            continue
        topics[slug], lines[slug] = str(item["label"]), line
    if problems:
        raise DataError(problems)
    return topics
