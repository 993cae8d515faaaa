"""Check the booking links of upcoming courses: `make check-links`.

Asks each upcoming course's `url` for an answer (HEAD, then GET if refused) with a timeout,
and prints one line per dead link (file:line, course, address, why), then one line per course
without dates due for a check (its `checked:` is almost 12 months old, or older). "Now" is
SITE_TODAY or the real clock. `--report FILE` writes both as Markdown, for the weekly issue;
the file is removed when every link works and no course is due, so its presence means "open
or update the issue". Exit code 0 even when links are dead (they are other people's pages),
1 with `--strict`; 1 also when the data has problems.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.core.problems import DataError, report  # noqa: E402
from macros.core.settings import site_now  # noqa: E402
from macros.data.training import load_courses  # noqa: E402
from macros.tools.links import TIMEOUT, check_links, dead_links_markdown, due_checks, due_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="write the dead links as Markdown to this file")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per request")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any link is dead")
    args = parser.parse_args(argv)
    try:
        now = site_now()
        courses = load_courses()
        results = check_links(courses, now, timeout=args.timeout)
    except DataError as exc:
        report(exc.problems)
        print("check-links: fix the problems above first.", file=sys.stderr)
        return 1
    dead = [r for r in results if r.dead]
    for result in dead:
        print(f"{result.file}:{result.line}: course '{result.course_id}': url: {result.url} "
              f"does not work ({result.reason})")
    print(f"{len(results)} booking link(s) checked, {len(dead)} dead.")
    due = due_checks(courses, now)
    for course in due:
        print(f"{course.file}:{course.line}: course '{course.id}': checked: {course.checked.isoformat()} "
              f"is almost 12 months ago or more ({due_text(course, now)}): check that it is still "
              "offered and write the day you did in checked:")
    print(f"{len(due)} course(s) without dates due for a check.")
    if args.report:
        if dead or due:
            args.report.parent.mkdir(parents=True, exist_ok=True)
            args.report.write_text(dead_links_markdown(results, now, due), encoding="utf-8")
        else:
            args.report.unlink(missing_ok=True)
    return 1 if dead and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
