"""Reports from the data for the business unit, printed as Markdown.

    python scripts/report.py training --year 2022-23

`training`: the annual report's appendix of free training for a financial year: every
session date, the online courses available at any time, and counts by provider and topic.

    python scripts/report.py digest --since 2022-11-20 --html digest.html --text digest.txt

`digest`: the weekly email of upcoming courses added since a date, soonest first, as HTML
and plain text (printed as text when neither file is given). `--since` defaults to seven
days before "now" (SITE_TODAY or the real clock); links use `--site-url`, else the
SITE_URL setting, else mkdocs.yml `site_url`.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.core.problems import DataError, report  # noqa: E402
from macros.core.settings import site_now  # noqa: E402
from macros.data.topics import load_topics  # noqa: E402
from macros.data.training import load_courses  # noqa: E402
from macros.tools.digest import digest_html, digest_text, make_digest  # noqa: E402
from macros.tools.reports import parse_year, training_report  # noqa: E402


def _year(text: str) -> str:
    try:
        return parse_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def training(args: argparse.Namespace) -> str:
    topics = load_topics()
    return training_report(load_courses(topics=topics), args.year, topics)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD, "
                                         "e.g. 2022-11-20") from None


def _site_url(given: str | None) -> str:
    if given or os.environ.get("SITE_URL"):
        return given or os.environ["SITE_URL"]
    config = Path(__file__).resolve().parent.parent / "mkdocs.yml"
    for line in config.read_text(encoding="utf-8").splitlines():  # no YAML: mkdocs.yml has !tags
        if line.startswith("site_url:"):
            return line.partition(":")[2].strip().strip("\"'")
    return ""


def digest(args: argparse.Namespace) -> str:
    topics = load_topics()
    now = site_now()
    since = args.since or (now.date() - dt.timedelta(days=7))
    made = make_digest(load_courses(topics=topics), since, now, _site_url(args.site_url))
    text = digest_text(made, topics)
    for path, content in ((args.html, digest_html(made, topics) if args.html else ""), (args.text, text)):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    unlinked = "" if made.calendar_url else (
        "digest: mkdocs.yml has no site_url, so the digest has no links to the calendar: write the "
        "site's https:// address there (README, \"Settings in mkdocs.yml\").\n")
    if args.html or args.text:
        return f"digest: {len(made.courses)} new course(s) since {since.isoformat()}.\n" + unlinked
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="REPORT")
    one = commands.add_parser("training", help="training of a financial year (annual report appendix)")
    one.add_argument("--year", type=_year, required=True, help="financial year, e.g. 2022-23")
    one.set_defaults(run=training)
    weekly = commands.add_parser("digest", help="weekly email of courses added since a date")
    weekly.add_argument("--since", type=_date, help="list courses added on or after this date "
                        "(YYYY-MM-DD; default: seven days ago)")
    weekly.add_argument("--html", type=Path, help="write the HTML email to this file")
    weekly.add_argument("--text", type=Path, help="write the plain-text email to this file")
    weekly.add_argument("--site-url", help="the published site's address, for the links")
    weekly.set_defaults(run=digest)
    args = parser.parse_args(argv)
    try:
        text = args.run(args)
    except DataError as exc:
        report(exc.problems)
        print("report: fix the problems above first.", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
