"""The training files' validator: every message names the file, the line, the course and the
field, and says what to write instead (data/training.yaml, archives, data/topics.yaml)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import icalendar
import pytest

from macros.core.problems import DataError
from macros.data.topics import load_topics
from macros.data.training import TRAINING_FILE, load_courses, training_files
from tests.conftest import ROOT

TOPICS = """\
topics:
  - slug: domestic-abuse
    label: Domestic abuse
  - slug: mental-health
    label: Mental health
  - slug: exploitation
    label: Exploitation
"""

# An in-person course with three kinds of session (lines 2-17), an on-demand one (18-27).
GOOD = """\
courses:
  - id: safe-steps-da-2022-12
    title: Domestic Abuse – An Overview
    provider: Safe Steps
    url: https://www.example.org/book
    audience: [adults, children]
    topics: [domestic-abuse]
    format: in-person
    location: Civic Centre, Southend
    sessions:
      - date: 2022-12-01
        time: "09:30-12:30"
      - date: 2022-12-06
        time: "13:30"
      - date: 2022-12-08
        end_date: 2022-12-09
    added: 2022-11-20
  - id: scie-advocacy
    title: Advocacy (Care Act)
    provider: SCIE
    contact: training@example.org
    audience: [adults]
    topics: [mental-health]
    format: on-demand
    available_until: 2023-03-31
    added: 2022-06-01
    checked: 2022-06-01
"""

ARCHIVE = """\
# An archive file: the same rules apply.
courses:
  - id: nwg-cse-2022-10
    title: Child Sexual Exploitation
    provider: NWG
    link_unknown: true
    audience: [children]
    topics: [exploitation]
    format: online
    sessions:
      - date: 2022-10-13
    added: 2022-09-01
"""

DA = "data/training.yaml:{}: course 'safe-steps-da-2022-12': "
SCIE = "data/training.yaml:{}: course 'scie-advocacy': "
T1 = 'time: "09:30-12:30"'
FIELDS = ("added, audience, available_until, checked, contact, cost, dates_unknown, description, "
          "format, id, link_unknown, location, location_unknown, notes, provider, sessions, source, "
          "title, topics, url")


def write(root: Path, training: str, archive: str | None = None, topics: str = TOPICS) -> None:
    (root / "data" / "archive").mkdir(parents=True, exist_ok=True)
    (root / "data" / "training.yaml").write_text(textwrap.dedent(training), encoding="utf-8")
    (root / "data" / "topics.yaml").write_text(topics, encoding="utf-8")
    if archive is not None:
        (root / "data" / "archive" / "training-2022-23.yaml").write_text(archive, encoding="utf-8")


def problems_for(tmp_path: Path, training: str, archive: str | None = None) -> list[str]:
    write(tmp_path, training, archive)
    try:
        load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    except DataError as exc:
        return [str(p).replace(str(tmp_path) + "/", "") for p in exc.problems]
    return []


def test_good_files_have_no_problems(tmp_path):
    assert problems_for(tmp_path, GOOD, ARCHIVE) == []


CASES = [
    # --- times --------------------------------------------------------------------------------
    ("time read as a number", GOOD.replace(T1, "time: 12:30"),
     DA.format(12) + 'sessions.time: expected "HH:MM-HH:MM" or "HH:MM", found the number 750 '
     '(YAML reads 12:30 without quotes as a number: put the time in quotes, time: "12:30")'),
    ("one-digit hour read as a number", GOOD.replace('time: "13:30"', "time: 9:30"),
     DA.format(14) + 'sessions.time: expected "HH:MM-HH:MM" or "HH:MM", found the number 570 '
     '(YAML reads 9:30 without quotes as a number: put the time in quotes, time: "09:30")'),
    ("time with dots", GOOD.replace(T1, 'time: "9.30-12.30"'),
     DA.format(12) + "sessions.time: '9.30-12.30' is not written \"HH:MM-HH:MM\" or \"HH:MM\" "
     '(two digits each, e.g. "09:30-12:30" or "18:30")'),
    ("hour out of range", GOOD.replace(T1, 'time: "25:00-26:00"'),
     DA.format(12) + "sessions.time: '25:00-26:00': 25:00 is not a time of day "
     "(hours go from 00 to 23, minutes from 00 to 59)"),
    ("minute out of range", GOOD.replace('time: "13:30"', 'time: "13:60"'),
     DA.format(14) + "sessions.time: '13:60': 13:60 is not a time of day "
     "(hours go from 00 to 23, minutes from 00 to 59)"),
    ("time left empty", GOOD.replace(T1, "time:"),
     DA.format(12) + 'sessions.time: expected "HH:MM-HH:MM" or "HH:MM", found nothing (in quotes: '
     '"HH:MM-HH:MM" (start and end) or "HH:MM" (start only, when no finish time is given); leave '
     'it out for an all-day session)'),
    ("end before start", GOOD.replace(T1, 'time: "12:30-09:30"'),
     DA.format(12) + "sessions.time: '12:30-09:30' ends before it starts (for a session that "
     "runs past midnight, give its last day in end_date:)"),
    ("end at start", GOOD.replace(T1, 'time: "09:30-09:30"'),
     DA.format(12) + "sessions.time: '09:30-09:30' ends when it starts (for a session that "
     "runs past midnight, give its last day in end_date:)"),
    ("end_date with a start time only",
     GOOD.replace("end_date: 2022-12-09", 'end_date: 2022-12-09\n        time: "10:00"'),
     DA.format(17) + "sessions.time: '10:00' gives only a start: with end_date, write the start "
     'and the end, "HH:MM-HH:MM" (the start on date, the end on end_date)'),
    # --- dates --------------------------------------------------------------------------------
    ("date that does not exist", GOOD.replace("date: 2022-12-01", "date: 2023-02-30"),
     DA.format(11) + "sessions.date: '2023-02-30' is not a date that exists, so it is read as "
     "text (check the day and the month)"),
    ("date in words", GOOD.replace("date: 2022-12-01", "date: 1 December 2022"),
     DA.format(11) + "sessions.date: expected a date written YYYY-MM-DD, found '1 December 2022' "
     "(the day of the session, YYYY-MM-DD, e.g. 2022-12-01)"),
    ("date with a time in it", GOOD.replace("date: 2022-12-01", "date: 2022-12-01 09:30"),
     DA.format(11) + "sessions.date: expected a date written YYYY-MM-DD, found '2022-12-01 09:30' "
     "(the day of the session, YYYY-MM-DD, e.g. 2022-12-01)"),
    ("session without a date",
     GOOD.replace("      - date: 2022-12-06\n        time", "      - time"),
     DA.format(13) + "sessions.date: is missing (the day of the session, YYYY-MM-DD, e.g. 2022-12-01)"),
    ("end_date not after date", GOOD.replace("end_date: 2022-12-09", "end_date: 2022-12-08"),
     DA.format(16) + "sessions.end_date: 2022-12-08 is not after the session's date 2022-12-08 "
     "(leave end_date out for a session on one day)"),
    ("end_date that does not exist", GOOD.replace("end_date: 2022-12-09", "end_date: 2022-11-31"),
     DA.format(16) + "sessions.end_date: '2022-11-31' is not a date that exists, so it is read as "
     "text (check the day and the month)"),
    ("identical sessions",
     GOOD.replace("      - date: 2022-12-06", '      - date: 2022-12-01\n        time: "09:30-12:30"\n'
                  "      - date: 2022-12-06"),
     DA.format(13) + "sessions: the session on 2022-12-01 at 09:30-12:30 is listed twice, also on "
     "line 11 (remove one)"),
    ("identical all-day sessions",
     GOOD.replace("        end_date: 2022-12-09\n", "      - date: 2022-12-08\n"),
     DA.format(16) + "sessions: the session on 2022-12-08 (all day) is listed twice, also on "
     "line 15 (remove one)"),
    ("added that does not exist", GOOD.replace("added: 2022-11-20", "added: 2022-02-29"),
     DA.format(17) + "added: '2022-02-29' is not a date that exists, so it is read as text "
     "(check the day and the month)"),
    ("added in words", GOOD.replace("added: 2022-11-20", "added: last week"),
     DA.format(17) + "added: expected a date written YYYY-MM-DD, found 'last week' "
     "(the date the course was first listed, YYYY-MM-DD)"),
    ("added missing", GOOD.replace("    added: 2022-11-20\n", ""),
     DA.format(2) + "added: is missing (the date the course was first listed, YYYY-MM-DD)"),
    # --- format and what depends on it -------------------------------------------------------
    ("format misspelt", GOOD.replace("format: in-person", "format: in person"),
     DA.format(8) + "format: 'in person' is not allowed; did you mean 'in-person'? "
     "(write one of: online, in-person, hybrid, on-demand, to-be-confirmed)"),
    ("format missing", GOOD.replace("    format: on-demand\n", ""),
     SCIE.format(18) + "format: is missing (online, in-person, hybrid, on-demand, or "
     "to-be-confirmed when the source does not say how it is delivered)"),
    ("format not known, no sessions",
     GOOD.replace(GOOD[GOOD.index("    format: in-person"):GOOD.index("    added: 2022-11-20")],
                  "    format: to-be-confirmed\n"),
     DA.format(2) + "sessions: is missing (a course whose format is to be confirmed needs "
     "sessions: with at least one date: YYYY-MM-DD; only an on-demand course has none, and one "
     "whose dates are not known yet has dates_unknown: true instead)"),
    ("in-person without location", GOOD.replace("    location: Civic Centre, Southend\n", ""),
     DA.format(2) + "location: is missing (an in-person course needs the address where it takes "
     "place, e.g. location: Civic Centre, Victoria Avenue, Southend; if its venue is not known, "
     "write location_unknown: true)"),
    ("hybrid without location",
     GOOD.replace("format: in-person\n    location: Civic Centre, Southend\n", "format: hybrid\n"),
     DA.format(2) + "location: is missing (a hybrid course needs the address where it takes "
     "place, e.g. location: Civic Centre, Victoria Avenue, Southend; if its venue is not known, "
     "write location_unknown: true)"),
    # --- location_unknown: in person, at a venue not known ----------------------------------
    ("location_unknown false is not enough",
     GOOD.replace("    location: Civic Centre, Southend\n", "    location_unknown: false\n"),
     DA.format(2) + "location: is missing (an in-person course needs the address where it takes "
     "place, e.g. location: Civic Centre, Victoria Avenue, Southend; if its venue is not known, "
     "write location_unknown: true)"),
    ("location_unknown with a location",
     GOOD.replace("    location: Civic Centre, Southend\n",
                  "    location: Civic Centre, Southend\n    location_unknown: true\n"),
     DA.format(10) + "location_unknown: is true but the course has a location (remove "
     "location_unknown: now that the venue is known)"),
    ("location_unknown on an online course",
     GOOD.replace("format: in-person\n    location: Civic Centre, Southend\n",
                  "format: online\n    location_unknown: true\n"),
     DA.format(9) + "location_unknown: only an in-person or hybrid course has a venue to be "
     "confirmed (remove location_unknown:, or change format: to in-person or hybrid)"),
    ("location_unknown as text",
     GOOD.replace("    location: Civic Centre, Southend\n", "    location_unknown: not given\n"),
     DA.format(9) + "location_unknown: expected true or false, found 'not given' (true when the "
     "course is in person but its venue is not known (leave location: out; the page says the "
     "venue is to be confirmed))"),
    ("dated course without sessions",
     GOOD.replace(GOOD[GOOD.index("    sessions:"):GOOD.index("    added: 2022-11-20")], ""),
     DA.format(2) + "sessions: is missing (an in-person course needs sessions: with at least one "
     "date: YYYY-MM-DD; only an on-demand course has none, and one whose dates are not known yet "
     "has dates_unknown: true instead)"),
    ("on-demand course with sessions",
     GOOD.replace("    available_until: 2023-03-31\n", "    sessions:\n      - date: 2023-01-05\n"),
     SCIE.format(25) + "sessions: an on-demand course has no sessions (remove sessions:, or change "
     "format: to online, in-person, hybrid or to-be-confirmed)"),
    ("available_until on a dated course",
     GOOD.replace("    added: 2022-11-20", "    available_until: 2023-01-01\n    added: 2022-11-20"),
     DA.format(17) + "available_until: only an on-demand course has available_until (a course "
     "with sessions is shown until its last session ends; remove available_until:)"),
    # --- checked: the day someone last confirmed a course without dates is offered (#13, 7)
    ("on-demand course not checked", GOOD.replace("    checked: 2022-06-01\n", ""),
     SCIE.format(18) + "checked: is missing (an on-demand course needs checked: YYYY-MM-DD, the day "
     "someone last confirmed the course is still offered (it leaves the calendar 12 months later "
     "unless it is checked again))"),
    ("checked that is not a date", GOOD.replace("checked: 2022-06-01", "checked: last spring"),
     SCIE.format(27) + "checked: expected a date written YYYY-MM-DD, found 'last spring' (the day "
     "someone last confirmed the course is still offered, YYYY-MM-DD)"),
    ("checked on a dated course",
     GOOD.replace("    added: 2022-11-20", "    added: 2022-11-20\n    checked: 2022-11-20"),
     DA.format(18) + "checked: only an on-demand course, or one with dates_unknown: true, has "
     "checked: (a course with sessions is shown until its last session ends; remove checked:)"),
    # --- dates_unknown: a course that runs on dates not known yet (#13, 19) -----------------
    ("dates not known, not checked",
     GOOD.replace(GOOD[GOOD.index("    sessions:"):GOOD.index("    added: 2022-11-20")],
                  "    dates_unknown: true\n"),
     DA.format(2) + "checked: is missing (a course whose dates are not known needs checked: "
     "YYYY-MM-DD, the day someone last confirmed the course is still offered (it leaves the "
     "calendar 12 months later unless it is checked again))"),
    ("dates not known, with sessions",
     GOOD.replace("    added: 2022-11-20", "    dates_unknown: true\n    added: 2022-11-20"),
     DA.format(17) + "dates_unknown: is true but the course has sessions (remove dates_unknown: now "
     "that the dates are known)"),
    ("dates not known on an on-demand course",
     GOOD.replace("    checked: 2022-06-01", "    checked: 2022-06-01\n    dates_unknown: true"),
     SCIE.format(28) + "dates_unknown: an on-demand course has no dates to know: remove "
     "dates_unknown:"),
    ("available_until that does not exist",
     GOOD.replace("available_until: 2023-03-31", "available_until: 2023-04-31"),
     SCIE.format(25) + "available_until: '2023-04-31' is not a date that exists, so it is read as "
     "text (check the day and the month)"),
    # --- booking ------------------------------------------------------------------------------
    ("javascript url", GOOD.replace("url: https://www.example.org/book", "url: javascript:alert(1)"),
     DA.format(5) + "url: 'javascript:alert(1)' must start with https:// (or http://)"),
    ("url without scheme", GOOD.replace("url: https://www.example.org/book", "url: www.example.org"),
     DA.format(5) + "url: 'www.example.org' must start with https:// (or http://)"),
    ("url with a space", GOOD.replace("url: https://www.example.org/book", "url: https://x.org/a b"),
     DA.format(5) + "url: 'https://x.org/a b' is not a web address: it holds a space, a line break or "
     "an invisible character (write the address on one line, without spaces)"),
    ("no url, contact or link_unknown", GOOD.replace("    url: https://www.example.org/book\n", ""),
     DA.format(2) + "url: is missing (write the booking page's address starting https://; with no "
     "booking page, say how to book in contact:; if the course is real but its booking address is "
     "not known, write link_unknown: true)"),
    ("link_unknown false is not enough",
     GOOD.replace("    url: https://www.example.org/book\n", "    link_unknown: false\n"),
     DA.format(2) + "url: is missing (write the booking page's address starting https://; with no "
     "booking page, say how to book in contact:; if the course is real but its booking address is "
     "not known, write link_unknown: true)"),
    ("link_unknown with a url",
     GOOD.replace("    url: https://www.example.org/book\n",
                  "    url: https://www.example.org/book\n    link_unknown: true\n"),
     DA.format(6) + "link_unknown: is true but the course has a url (remove link_unknown: now that "
     "the booking address is known)"),
    ("link_unknown as text",
     GOOD.replace("    url: https://www.example.org/book\n", "    link_unknown: ask them\n"),
     DA.format(5) + "link_unknown: expected true or false, found 'ask them' (true when the course "
     "is real but its booking address is not known (the page says to ask the provider))"),
    # --- lists: audience and topics -----------------------------------------------------------
    ("topic not known, close to one", GOOD.replace("[domestic-abuse]", "[domestic abuse]"),
     DA.format(7) + "topics: 'domestic abuse' is not a known topic; did you mean 'domestic-abuse'? "
     "(known topics are listed in data/topics.yaml)"),
    ("topic not known at all", GOOD.replace("[mental-health]", "[mental-health, astrology]"),
     SCIE.format(23) + "topics: 'astrology' is not a known topic "
     "(known topics are listed in data/topics.yaml)"),
    ("no topics", GOOD.replace("[domestic-abuse]", "[]"),
     DA.format(7) + "topics: needs at least 1 item(s) (a list of topic slugs from data/topics.yaml, "
     "e.g. [domestic-abuse])"),
    ("unknown audience", GOOD.replace("audience: [adults, children]", "audience: [adults, kids]"),
     DA.format(6) + "audience: 'kids' is not allowed (write one of: children, adults)"),
    ("audience not a list", GOOD.replace("audience: [adults, children]", "audience: adults"),
     DA.format(6) + "audience: expected a list, found 'adults' "
     "(write [children], [adults] or [children, adults])"),
    ("audience twice", GOOD.replace("audience: [adults, children]", "audience: [adults, adults]"),
     DA.format(6) + "audience: lists the same value twice "
     "(write [children], [adults] or [children, adults])"),
    # --- fields -------------------------------------------------------------------------------
    ("misspelt field", GOOD.replace("    title: Advocacy", "    titel: Advocacy"),
     SCIE.format(19) + f"titel: is not a field we know; did you mean 'title'? (allowed fields: {FIELDS})"),
    ("misspelt session field", GOOD.replace('time: "13:30"', 'tme: "13:30"'),
     DA.format(14) + "sessions.tme: is not a field we know; did you mean 'time'? "
     "(allowed fields: date, end_date, time)"),
    ("title missing", GOOD.replace("    title: Advocacy (Care Act)\n", ""),
     SCIE.format(18) + "title: is missing (the course's title as the provider gives it, plain text)"),
    ("cost as a number", GOOD.replace("    added: 2022-06-01", "    cost: 25\n    added: 2022-06-01"),
     SCIE.format(26) + "cost: expected text, found the number 25 (put the value in quotes)"),
    ("id not in the right form", GOOD.replace("id: scie-advocacy", "id: SCIE Advocacy"),
     "data/training.yaml:18: course 'SCIE Advocacy': id: 'SCIE Advocacy' is not in the right form "
     "(lower-case words and numbers joined by hyphens, unique across all training files, "
     "e.g. safe-steps-domestic-abuse-overview-2022-12)"),
    ("the same id twice", GOOD.replace("id: scie-advocacy", "id: safe-steps-da-2022-12"),
     "data/training.yaml:18: course 'safe-steps-da-2022-12': id: the id is also used at "
     "data/training.yaml:2; give each course its own id"),
    ("duplicate key", GOOD.replace("    provider: SCIE\n", "    provider: SCIE\n    provider: SCIE\n"),
     "data/training.yaml:21: 'provider' is written twice in the same group of fields (also on line "
     "20): keep one and delete the other"),
    # --- the file as a whole ------------------------------------------------------------------
    ("wrong top-level key", GOOD.replace("courses:", "course:"),
     "data/training.yaml:1: course: is not a field we know; did you mean 'courses'? "
     "(allowed fields: courses)"),
    ("empty file", "# nothing yet\n",
     "data/training.yaml: the file is empty (it must start with courses: followed by the list of "
     "courses)"),
    ("a list without courses:", GOOD.split("\n", 1)[1],
     "data/training.yaml:1: the file must start with courses: followed by the list of courses "
     "(found a list)"),
    ("courses not a list", "courses: none\n",
     "data/training.yaml:1: courses: expected a list of courses, found 'none' "
     "(each course starts with '  - id: ...')"),
    ("course not a group of fields", "courses:\n  - safe steps\n",
     "data/training.yaml:2: course 1: expected a group of fields, found 'safe steps'"),
    ("tab indentation", GOOD.replace("    provider: SCIE", "\tprovider: SCIE"),
     "data/training.yaml:20: a tab character is used for indentation; use spaces instead"),
    ("a course without its dash", GOOD.replace("  - id: scie-advocacy", "    id: scie-advocacy"),
     'data/training.yaml:18: line 18 starts a new course: write "  - id:" (a dash and a space '
     "before id)"),
    ("bad indentation", GOOD.replace("    provider: SCIE", "      provider: SCIE"),
     "data/training.yaml:20: this line is indented more than the line above it (it is indented by 6 "
     "spaces, the field above by 4): give it the same number of spaces as the other fields "
     "it belongs with (or, if the line above holds text with ': ' in it, put that text in quotes)"),
    ("unclosed quote", GOOD.replace('time: "13:30"', 'time: "13:30'),
     "data/training.yaml:28: the quote (\") opened on line 14 is not closed: add the closing \" at "
     "the end of the value"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validator_message(tmp_path, text, expected):
    assert expected in problems_for(tmp_path, text)


def test_every_tabbed_line_is_reported_in_one_run(tmp_path):
    """Ten lines pasted with tabs: ten problems at once, not one per round of checks."""
    lines = GOOD.splitlines()
    tabbed = [n for n, line in enumerate(lines, 1) if line.startswith("    ")][:10]
    text = "\n".join("\t" + line[4:] if n in tabbed else line for n, line in enumerate(lines, 1))
    assert problems_for(tmp_path, text + "\n") == [
        f"data/training.yaml:{n}: a tab character is used for indentation; use spaces instead"
        for n in tabbed]


def test_there_are_many_cases():
    assert len(CASES) >= 35


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    training = (GOOD.replace(T1, "time: 12:30").replace("[domestic-abuse]", "[domestic abuse]")
                .replace("format: on-demand", "format: on demand")
                .replace("    location: Civic Centre, Southend\n", ""))
    archive = ARCHIVE.replace("id: nwg-cse-2022-10", "id: safe-steps-da-2022-12") \
        .replace("date: 2022-10-13", "date: 2022-09-31")
    problems = problems_for(tmp_path, training, archive)
    assert problems == [
        "data/archive/training-2022-23.yaml:11: course 'safe-steps-da-2022-12': sessions.date: "
        "'2022-09-31' is not a date that exists, so it is read as text (check the day and the month)",
        "data/training.yaml:2: course 'safe-steps-da-2022-12': location: is missing (an in-person "
        "course needs the address where it takes place, e.g. location: Civic Centre, Victoria "
        "Avenue, Southend; if its venue is not known, write location_unknown: true)",
        "data/training.yaml:2: course 'safe-steps-da-2022-12': id: the id is also used at "
        "data/archive/training-2022-23.yaml:3; give each course its own id",
        "data/training.yaml:7: course 'safe-steps-da-2022-12': topics: 'domestic abuse' is not a "
        "known topic; did you mean 'domestic-abuse'? (known topics are listed in data/topics.yaml)",
        "data/training.yaml:11: course 'safe-steps-da-2022-12': sessions.time: expected "
        '"HH:MM-HH:MM" or "HH:MM", found the number 750 (YAML reads 12:30 without quotes as a '
        'number: put the time in quotes, time: "12:30")',
        "data/training.yaml:23: course 'scie-advocacy': format: 'on demand' is not allowed; did you "
        "mean 'on-demand'? (write one of: online, in-person, hybrid, on-demand, to-be-confirmed)",
    ]


def test_a_broken_file_does_not_hide_the_others(tmp_path):
    problems = problems_for(tmp_path, GOOD.replace("    provider: SCIE", "\tprovider: SCIE"),
                            ARCHIVE.replace("format: online", "format: webinar"))
    assert [p.split(":")[0] for p in problems] == ["data/archive/training-2022-23.yaml",
                                                   "data/training.yaml"]


def test_a_format_not_known_is_to_be_confirmed(tmp_path):
    """to-be-confirmed: a course whose source does not say how it is delivered, with sessions
    and no location, or with its dates not known either (as Graded Care Profile 2)."""
    dated = GOOD.replace("format: in-person\n    location: Civic Centre, Southend\n",
                         "format: to-be-confirmed\n")
    undated = ARCHIVE.replace("format: online\n    sessions:\n      - date: 2022-10-13\n",
                              "format: to-be-confirmed\n    dates_unknown: true\n    checked: 2022-09-01\n")
    assert problems_for(tmp_path, dated, undated) == []
    courses = load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    assert [(c.format, c.location, len(c.sessions), c.dates_unknown, c.on_demand) for c in courses] == [
        ("to-be-confirmed", None, 3, False, False), ("on-demand", None, 0, False, True),
        ("to-be-confirmed", None, 0, True, False)]


def test_html_in_text_is_data_not_an_error(tmp_path):
    title = "<script>alert('x')</script> & <b>bold</b>"
    write(tmp_path, GOOD.replace("title: Advocacy (Care Act)", f'title: "{title}"'))
    courses = load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    assert title in [c.title for c in courses]


def test_link_unknown_or_contact_stands_in_for_the_url(tmp_path):
    write(tmp_path, GOOD.replace("    url: https://www.example.org/book\n", "    link_unknown: true\n"))
    courses = load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    da = next(c for c in courses if c.id == "safe-steps-da-2022-12")
    scie = next(c for c in courses if c.id == "scie-advocacy")
    assert (da.url, da.link_unknown, scie.url, scie.contact) == (
        None, True, None, "training@example.org")


def test_loaded_records(tmp_path):
    write(tmp_path, GOOD, ARCHIVE)
    courses = load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    assert [c.id for c in courses] == ["nwg-cse-2022-10", "safe-steps-da-2022-12", "scie-advocacy"]
    da = courses[1]
    assert da.file == f"{tmp_path}/data/training.yaml"  # repository-relative for the real files
    assert (da.line, da.cost, da.audience, da.format) == (2, "free", ("adults", "children"), "in-person")
    assert [(s.time, s.start.isoformat(), s.end.isoformat(), s.all_day, s.line) for s in da.sessions] == [
        ("09:30-12:30", "2022-12-01T09:30:00+00:00", "2022-12-01T12:30:00+00:00", False, 11),
        ("13:30", "2022-12-06T13:30:00+00:00", "2022-12-06T14:30:00+00:00", False, 13),
        (None, "2022-12-08T00:00:00+00:00", "2022-12-10T00:00:00+00:00", True, 15),
    ]
    assert courses[0].file.endswith("data/archive/training-2022-23.yaml")
    assert courses[2].on_demand and courses[2].first_start is None and courses[2].sessions == ()


def test_an_empty_list_of_courses_is_valid(tmp_path):
    for text in ("courses:\n", "courses: []\n", "# all pruned\ncourses:\n# add courses here\n"):
        assert problems_for(tmp_path, text) == []


# --- data/topics.yaml ---------------------------------------------------------------------------

TOPIC_CASES = [
    ("slug twice", TOPICS + "  - slug: exploitation\n    label: Exploitation again\n",
     "topics.yaml:8: topic 'exploitation': slug: the slug is also used on line 6; give each topic "
     "its own slug"),
    ("label missing", TOPICS.replace("    label: Mental health\n", ""),
     "topics.yaml:4: topic 'mental-health': label: is missing (the topic's name as the page shows "
     "it, e.g. Domestic abuse)"),
    ("slug with spaces", TOPICS.replace("slug: mental-health", "slug: Mental health"),
     "topics.yaml:4: topic 'Mental health': slug: 'Mental health' is not in the right form "
     "(lower-case words joined by hyphens, as written in a course's topics, e.g. domestic-abuse)"),
    ("empty", "", "topics.yaml: the file is empty (it must start with topics: followed by the list "
     "of topics)"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in TOPIC_CASES], ids=[c[0] for c in TOPIC_CASES])
def test_topics_message(tmp_path, text, expected):
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_topics(path)
    assert expected in [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_topics_keep_their_order(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text(TOPICS, encoding="utf-8")
    assert list(load_topics(path).items()) == [
        ("domestic-abuse", "Domestic abuse"), ("mental-health", "Mental health"),
        ("exploitation", "Exploitation")]


# --- the repository's own files and `make validate` ---------------------------------------------


@pytest.mark.skipif(not TRAINING_FILE.exists(), reason="data/training.yaml is not written yet")
def test_the_repository_training_files_are_valid():
    courses = load_courses()
    assert courses and len({c.id for c in courses}) == len(courses)


def test_validate_script_reports_training_problems(project_copy):
    """...including a `checked:` after SITE_TODAY (scie-advocacy's, 2022-06-01)."""
    write(project_copy, GOOD.replace(T1, "time: 12:30"), ARCHIVE.replace("format: online", "format: webinar"))
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project_copy,
                            capture_output=True, text=True,
                            env={"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin",
                                 "SITE_TODAY": "2022-05-31"})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert SCIE.format(27) + ("checked: 2022-06-01 is in the future, today is 2022-05-31 (write the "
                              "day someone last confirmed the course is still offered: today or an "
                              "earlier day)") in lines
    assert any(ln.startswith("data/training.yaml:12: course 'safe-steps-da-2022-12': sessions.time:")
               and "put the time in quotes" in ln for ln in lines)
    assert any(ln.startswith("data/archive/training-2022-23.yaml:9: course 'nwg-cse-2022-10': format:")
               for ln in lines)
    assert "::error file=data/training.yaml,line=12::" in result.stdout


def test_validate_script_passes_on_the_repository_data():
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_checked_day_in_the_future_is_refused_by_the_check_not_the_build(tmp_path, monkeypatch):
    """`make validate` takes SITE_TODAY (else the real date) as today: nobody has confirmed a
    course on a day still to come. A build is not refused, so that a site built as it was on
    an earlier day (SITE_TODAY=2022-12-01, README) still reads courses checked since."""
    from macros.data.datafiles import load_training

    write(tmp_path, GOOD.replace("checked: 2022-06-01", "checked: 2022-12-02"))
    monkeypatch.setenv("SITE_TODAY", "2022-12-01T23:30")
    with pytest.raises(DataError) as caught:
        load_training(tmp_path / "data" / "training.yaml")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [
        SCIE.format(27) + "checked: 2022-12-02 is in the future, today is 2022-12-01 (write the day "
        "someone last confirmed the course is still offered: today or an earlier day)"]
    monkeypatch.setenv("SITE_TODAY", "2022-12-02")  # checked today: fine
    assert [c.checked for c in load_training(tmp_path / "data" / "training.yaml") if c.checked] == [
        dt.date(2022, 12, 2)]
    monkeypatch.setenv("SITE_TODAY", "2022-12-01")
    assert len(load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))) == 2


def test_in_person_at_a_venue_not_known(tmp_path):
    """location_unknown: true stands in for location: (as link_unknown for url:)."""
    write(tmp_path, GOOD.replace("    location: Civic Centre, Southend\n", "    location_unknown: true\n"))
    courses = load_courses(training_files(tmp_path), load_topics(tmp_path / "data" / "topics.yaml"))
    da = next(c for c in courses if c.id == "safe-steps-da-2022-12")
    assert (da.format, da.location, da.location_unknown) == ("in-person", None, True)
    assert not any(c.location_unknown for c in courses if c is not da)


def test_a_date_in_quotes_is_read_as_the_date(tmp_path):
    """Quoting a date is harmless: "2023-03-28" means 28 March 2023."""
    from macros.data.topics import load_topics
    from macros.data.training import load_courses

    path = tmp_path / "training.yaml"
    path.write_text(
        "courses:\n  - id: quoted-dates\n    title: T\n    provider: P\n"
        "    url: https://example.org\n    audience: [adults]\n    topics: [neglect]\n"
        "    format: online\n    sessions:\n      - date: \"2023-03-28\"\n"
        "        time: \"10:00-11:00\"\n    added: \"2023-03-01\"\n")
    topics = tmp_path / "topics.yaml"
    topics.write_text("topics:\n  - slug: neglect\n    label: Neglect\n")
    [course] = load_courses(files=[path], topics=load_topics(topics))
    assert course.sessions[0].date.isoformat() == "2023-03-28"
    assert course.added.isoformat() == "2023-03-01"


def test_command_line_tools_end_in_one_clear_line(capsys):
    """run_tool (prune, harvest): bad data -> its problems and exit 1; anything else -> one
    line and exit 2; never a traceback."""
    from macros.core.problems import Problem, run_tool

    assert run_tool("prune", lambda: 42, "unused") == (42, 0)

    def bad_data():
        raise DataError([Problem("data/training.yaml", 3, "is wrong", "course 'a'", "title")])

    assert run_tool("prune", bad_data, "nothing was moved; fix the problems above first.") == (None, 1)
    assert capsys.readouterr().err.splitlines() == [
        "data/training.yaml:3: course 'a': title: is wrong",
        "prune: nothing was moved; fix the problems above first."]

    def cannot_write():
        raise PermissionError(13, "Permission denied")

    assert run_tool("harvest", cannot_write, "unused") == (None, 2)
    assert capsys.readouterr().err.splitlines() == [
        "harvest: internal error (PermissionError: [Errno 13] Permission denied); please report it"]


def test_graded_care_profile_2_is_in_the_data_as_the_report_gives_it():
    """#13 point 19: Appendix 1 lists "Graded Care Profile 2" by Southend City Council with
    "Dec 2022 and 2023" for its dates: no date, no address, no format. Built as the site was on
    1 December 2022, it is on the calendar under "Courses with dates to be confirmed", its
    format to be confirmed."""
    from bs4 import BeautifulSoup

    from macros.core.settings import LONDON
    from macros.data.topics import load_topics
    from macros.outputs import feeds
    from macros.render.training_page import calendar_html

    courses = load_courses()
    gcp2 = next(c for c in courses if c.id == "scc-graded-care-profile-2")
    assert (gcp2.title, gcp2.provider, gcp2.dates_unknown, gcp2.sessions) == (
        "Graded Care Profile 2", "Southend City Council", True, ())
    assert (gcp2.url, gcp2.contact, gcp2.link_unknown, gcp2.checked) == (
        None, None, True, dt.date(2023, 3, 31))
    now = dt.datetime(2022, 12, 1, tzinfo=LONDON)
    page = BeautifulSoup(str(calendar_html(courses, load_topics(), now, True)), "html.parser")
    card = page.select_one(".app-month--to-confirm #course-scc-graded-care-profile-2")
    assert card is not None and "Dates to be confirmed: ask the provider" in card.get_text()
    # The report never says how it is delivered, so neither do the page, its filter, its
    # schema.org data or courses.json: the format is to be confirmed, not "Online".
    assert gcp2.format == "to-be-confirmed"
    facts = {d.get_text(): d.find_next_sibling("dd").get_text() for d in card.select("dt")}
    assert facts["Format"] == "To be confirmed" and "online" not in card.get_text().lower()
    option = page.select_one("#f-format-to-be-confirmed")
    assert option["value"] == "to-be-confirmed"
    # The filter counts every course on the calendar whose format is to be confirmed: GCP2
    # and the dated Appendix 1 courses whose line does not say how they are delivered.
    unknown = [c for c in page.select("li.app-course")
               if any(d.get_text() == "Format" and d.find_next_sibling("dd").get_text() ==
                      "To be confirmed" for d in c.select("dt"))]
    assert card in unknown and len(unknown) > 1
    assert page.select_one('label[for="f-format-to-be-confirmed"]').get_text(" ", strip=True) == (
        f"To be confirmed ({len(unknown)})")
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    [item] = [i for i in ld["@graph"] if i["@id"] == "#course-scc-graded-care-profile-2"]
    assert "online" not in json.dumps(item).lower()
    listed = json.loads(feeds.courses_json(courses, now, load_topics()))["courses"]
    assert [c["format"] for c in listed if c["id"] == gcp2.id] == ["to-be-confirmed"]


VENUE_UNKNOWN = {"ecfrs-partnership-tree-networking-event-2023", "ssp-safeguarding-southend-together-2023",
                 "south-essex-college-uoe-county-lines-modern-slavery-2023"}


def test_courses_in_person_at_a_venue_the_report_does_not_name_say_so():
    """Three courses of the report are face to face at no named venue: no place is made up.
    Built as the site was on 1 December 2022, each card says "Venue to be confirmed", and
    their calendar files, schema.org data, courses.json and the digest name no place."""
    from bs4 import BeautifulSoup

    from macros.core.settings import LONDON
    from macros.outputs import feeds
    from macros.render.training_page import calendar_html
    from macros.tools.digest import _facts

    courses = load_courses()
    unknown = [c for c in courses if c.location_unknown]
    assert {c.id for c in unknown} == VENUE_UNKNOWN
    assert all(c.format == "in-person" and c.location is None for c in unknown)
    now = dt.datetime(2022, 12, 1, tzinfo=LONDON)
    page = BeautifulSoup(str(calendar_html(courses, load_topics(), now, True)), "html.parser")
    graph = {i["@id"]: i for i in json.loads(
        page.select_one('script[type="application/ld+json"]').string)["@graph"]}
    listed = {c["id"]: c for c in json.loads(feeds.courses_json(courses, now, load_topics()))["courses"]}
    for course in unknown:
        card = page.select_one(f"#course-{course.id}")
        facts = {d.get_text(): d.find_next_sibling("dd").get_text() for d in card.select("dt")}
        assert facts["Where"] == "Venue to be confirmed: ask the provider", course.id
        assert all("location" not in i for i in graph[f"#course-{course.id}"]["hasCourseInstance"])
        ics = icalendar.Calendar.from_ical(feeds.course_ics(course, now, ""))
        assert ics.walk("VEVENT") and all("LOCATION" not in e for e in ics.walk("VEVENT"))
        assert "location" not in listed[course.id] and listed[course.id]["location_unknown"] is True
        assert ("Where", "Venue to be confirmed: ask the provider") in _facts(course, load_topics())
