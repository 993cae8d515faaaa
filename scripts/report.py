"""Reports from the data for the business unit, printed as Markdown.

    python scripts/report.py training --year 2022-23

`training`: the annual report's appendix of free training for a financial year: every
session date, the online courses available at any time, and counts by provider and topic.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.reports import parse_year, training_report  # noqa: E402
from macros.training import load_courses, load_topics  # noqa: E402
from macros.validation import DataError, report  # noqa: E402


def _year(text: str) -> str:
    try:
        return parse_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def training(args: argparse.Namespace) -> str:
    topics = load_topics()
    return training_report(load_courses(topics=topics), args.year, topics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="REPORT")
    one = commands.add_parser("training", help="training of a financial year (annual report appendix)")
    one.add_argument("--year", type=_year, required=True, help="financial year, e.g. 2022-23")
    one.set_defaults(run=training)
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
