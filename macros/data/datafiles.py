"""Every data file of the site and its validator, for `make validate` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from macros.core import sandbox
from macros.core.contentfiles import content_file_problems
from macros.core.problems import ROOT, DataError, Problem, guarded, relpath
from macros.core.settings import site_now
from macros.data import contacts, newsletters, providers, reviews, training
from macros.data.course import Course
from macros.data.topics import TOPICS_FILE, load_topics


def load_training(path: Path = training.TRAINING_FILE) -> list[Course]:
    """data/training.yaml and every archive file beside it, checked together (ids are unique
    across them all), with today (SITE_TODAY, else the real date) as the latest day a course
    can have been checked. A broken data/topics.yaml is reported by its own validator, so
    here it only turns the topic check off."""
    root = Path(path).resolve().parent.parent
    try:
        topics = load_topics(root / "data" / "topics.yaml")
    except DataError:
        topics = {}
    return training.load_courses(training.training_files(root), topics=topics,
                                 today=site_now().date())


def load_reviews(path: Path = reviews.REVIEWS_FILE) -> list[reviews.Review]:
    """data/reviews.yaml; a broken data/topics.yaml is reported by its own validator."""
    try:
        topics = load_topics(Path(path).resolve().parent / "topics.yaml")
    except DataError:
        topics = {}
    return reviews.load_reviews(path, topics=topics)


# (file, loader) pairs; each loader raises DataError with every problem in its file(s).
VALIDATORS: list[tuple[Path, Callable]] = [
    (contacts.CONTACTS_FILE, contacts.load_contacts),
    (TOPICS_FILE, load_topics),
    (training.TRAINING_FILE, load_training),
    (reviews.REVIEWS_FILE, load_reviews),
    (newsletters.FORUMS_DIR, newsletters.load_newsletters),
    (providers.PROVIDERS_FILE, providers.load_providers),
]


def validate_all(production: bool = False) -> list[Problem]:
    """Run every validator; return every problem of every file (empty when all is well)."""
    problems: list[Problem] = sandbox.front_matter_problems(ROOT / "content")
    problems += content_file_problems(ROOT / "content")
    for path, loader in VALIDATORS:
        try:
            records = guarded(relpath(path), lambda: loader(path))  # noqa: B023 (called at once)
        except DataError as exc:
            problems += [p for p in exc.problems if p not in problems]
            continue
        if production and loader is contacts.load_contacts:
            problems += contacts.production_problems(records, path)
    return problems
