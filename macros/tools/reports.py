"""Reports from the data for the business unit, as Markdown (`scripts/report.py`).

`training_report` gives the annual report's appendix "Free training signposted or
provided": every session of the financial year, the on-demand courses listed that year, and
how many courses each provider and each topic had.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from macros.core.dates import financial_year
from macros.data.course import Course

ANY_TIME = "Online, available at any time"
DATES_UNKNOWN = "Dates not known"


def parse_year(text: str) -> str:
    """'2022-23' as written, or ValueError saying how to write a financial year."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"'{text}' is not a financial year: write it like 2022-23 "
                         "(1 April 2022 to 31 March 2023)")
    return text.strip()


def courses_of_year(courses: Iterable[Course], year: str) -> tuple[list[Course], list[Course]]:
    """(dated courses with a session in `year`, courses without dates added in `year`: on demand,
    or on dates not known)."""
    dated, any_time = [], []
    for course in courses:
        if course.undated:
            if financial_year(course.added) == year:
                any_time.append(course)
        elif any(financial_year(s.date) == year for s in course.sessions):
            dated.append(course)
    return dated, any_time


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: Iterable[tuple], right: int = 0) -> list[str]:
    """A Markdown table; the last `right` columns are aligned right (numbers)."""
    align = ["---"] * (len(header) - right) + ["---:"] * right
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _counts(names: Iterable[str]) -> list[tuple[str, int]]:
    counted = Counter(names)
    return sorted(counted.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))


def training_report(courses: Iterable[Course], year: str, topics: dict[str, str]) -> str:
    """The year's training as Markdown: sessions by date, on-demand courses, then counts."""
    dated, any_time = courses_of_year(courses, year)
    rows = sorted({(s.date, c.title, c.provider) for c in dated for s in c.sessions
                   if financial_year(s.date) == year})
    table_rows = [(f"{day:%d.%m.%y}", title, provider) for day, title, provider in rows]
    any_time = sorted(any_time, key=lambda c: (c.title, c.provider))
    table_rows += [(ANY_TIME if c.on_demand else DATES_UNKNOWN, c.title, c.provider) for c in any_time]
    listed = dated + any_time
    unknown = sum(c.dates_unknown for c in any_time)
    start = int(year[:4])
    lines = [f"# Training signposted or provided, {year}", "",
             f"1 April {start} to 31 March {start + 1}: {len(dated)} course(s) on {len(rows)} date(s), "
             f"and {sum(c.on_demand for c in any_time)} online course(s) available at any time"
             + (f", and {unknown} with dates not known." if unknown else "."), ""]
    if not table_rows:
        return "\n".join([*lines, "No courses."]) + "\n"
    lines += _table(("Date", "Title", "Provider"), table_rows)
    lines += ["", "## Courses by provider", ""]
    lines += _table(("Provider", "Courses"), _counts(c.provider for c in listed), right=1)
    lines += ["", "## Courses by topic", ""]
    lines += _table(("Topic", "Courses"), _counts(topics.get(t, t) for c in listed for t in c.topics),
                    right=1)
    return "\n".join(lines) + "\n"
