"""A repeating calendar event that goes on after the 12 months the harvester lists: the
course says so (its notes, the pull-request summary) and where the later dates are, and the
series is proposed again for its next dates once the listed ones have passed, never while
they are current. Against calendars served on 127.0.0.1, dates frozen."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug import Response

from macros.core.dates import LONDON
from macros.harvest import recurrence, summary
from macros.tools.prune import prune
from tests.harvest_helpers import FIXTURES, NOW, assert_safe, feed_server, make_project, provider, run

DROP_IN_NOTE = (
    "This is a repeating event that goes on after {last}, the last date listed here: the harvester "
    "lists the next 12 months only. The later dates are on {where}. Once the dates listed here have "
    "passed, a later harvest proposes the next ones.")
DROP_IN = "the provider's page for it: https://provider.example.org/events/drop-in"
HELP_GOES_ON = (
    "A course marked \"goes on after\" a date is a repeating event with more dates after the 12 months "
    "listed: they are on the provider's page (the course's link), its notes say so, and a later harvest "
    "proposes the next dates once the listed ones have passed.")


@pytest.fixture
def server():
    yield from feed_server()


def calendar(*events: str) -> bytes:
    text = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//SSP tests//series//EN\n"
            + "".join(f"BEGIN:VEVENT\nDTSTAMP:20261101T000000Z\n{e}\nEND:VEVENT\n" for e in events)
            + "END:VCALENDAR\n")
    return text.replace("\n", "\r\n").encode()


def lines(result) -> list[str]:
    return summary.markdown(result.outcomes, False, "today").splitlines()


def notes(root) -> dict[str, str | None]:
    return {c.id: c.notes for c in assert_safe(root) if c.source == "p"}


def test_a_series_that_goes_on_says_so_in_its_notes_and_the_summary(server, tmp_path):
    server.expect_request("/recurring.ics").respond_with_data((FIXTURES / "recurring.ics").read_bytes())
    root = make_project(tmp_path / "p", [provider("p", server.url_for("/recurring.ics"), "ics")])
    result = run(root)
    assert notes(root) == {
        # six weekly sessions: all of them are listed, nothing to say
        "p-safeguarding-supervision-skills-2027-03-09": None,
        # every Tuesday, no end: listed to 2027-11-23, then on the provider's page
        "p-weekly-drop-in-2026-12-01": DROP_IN_NOTE.format(last="23 November 2027", where=DROP_IN)}
    text = lines(result)
    assert HELP_GOES_ON in text
    assert ("- `p-weekly-drop-in-2026-12-01`: `Weekly drop-in` (`Provider p`, 2026-12-01 and 51 more "
            "session(s), online; goes on after 2027-11-23), `https://provider.example.org/events/drop-in`"
            in text)
    assert ("- `p-safeguarding-supervision-skills-2027-03-09`: `Safeguarding supervision skills` "
            "(`Provider p`, 2027-03-09 and 4 more session(s), online), "
            "`https://provider.example.org/events/supervision`" in text)


EVENTS = (
    # 18 monthly sessions from January 2027: 11 in the 12 months, 7 after them
    "UID:forum@x\nSUMMARY:Monthly practice forum\nDTSTART;TZID=Europe/London:20270105T100000\n"
    "DURATION:PT1H\nRRULE:FREQ=MONTHLY;COUNT=18\nURL:https://provider.example.org/forum\nLOCATION:Online",
    # fortnightly until March 2027: all listed
    "UID:clinic@x\nSUMMARY:Fortnightly clinic\nDTSTART;TZID=Europe/London:20270104T140000\n"
    "DURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20270301T000000Z\nLOCATION:Online",
    # weekly until 2028, but every date after the 12 months is cancelled (EXDATE)
    "UID:term@x\nSUMMARY:Term course\nDTSTART;TZID=Europe/London:20271102T100000\nDURATION:PT1H\n"
    "RRULE:FREQ=WEEKLY;UNTIL=20271214T100000Z\nLOCATION:Online\n"
    "EXDATE;TZID=Europe/London:20271130T100000,20271207T100000,20271214T100000",
    # a date in 2027 and one in 2028 (RDATE), no link of its own: the calendar's address
    "UID:lecture@x\nSUMMARY:Annual lecture\nDTSTART;VALUE=DATE:20270301\n"
    "RDATE;VALUE=DATE:20280301\nLOCATION:Online")
FORUM = "the provider's page for it: https://provider.example.org/forum"


def test_a_series_with_an_end_is_checked_for_dates_after_the_12_months(server, tmp_path, monkeypatch):
    server.expect_request("/finite.ics").respond_with_data(calendar(*EVENTS))
    url = server.url_for("/finite.ics")
    root = make_project(tmp_path / "p", [provider("p", url, "ics")])
    result = run(root)
    assert notes(root) == {
        "p-monthly-practice-forum-2027-01-05": DROP_IN_NOTE.format(last="5 November 2027", where=FORUM),
        "p-fortnightly-clinic-2027-01-04": None,
        "p-term-course-2027-11-02": None,
        "p-annual-lecture-2027-03-01": DROP_IN_NOTE.format(
            last="1 March 2027", where="the page the provider lists its events on: " + url)}
    assert "p-monthly-practice-forum" in " ".join(t for t in lines(result) if "goes on after 2027-11-05" in t)
    # when the calendar's budget is spent before the later dates are looked at, the course
    # says they may exist, never that they do not
    monkeypatch.setattr(recurrence, "CALENDAR_STEPS", 1_000)
    server.clear()
    server.expect_request("/forum.ics").respond_with_data(calendar(EVENTS[0]))
    other = make_project(tmp_path / "q", [provider("p", server.url_for("/forum.ics"), "ics")])
    result = run(other)
    assert notes(other)["p-monthly-practice-forum-2027-01-05"] == (
        "This is a repeating event that may go on after 5 November 2027, the last date listed here: the "
        "harvester lists the next 12 months only, and the provider's calendar had too many repeating "
        "events for it to check the later dates. Look on " + FORUM + ".")
    text = lines(result)
    assert ("\"May go on after\": the calendar had too many repeating events for the harvester to check "
            "the later dates; look on the provider's page (the course's link).") in text
    assert any(t.startswith("- `p-monthly-practice-forum-2027-01-05`") and "; may go on after 2027-11-05)"
               in t for t in text)


def test_a_series_that_goes_on_is_proposed_again_once_its_listed_dates_have_passed(server, tmp_path):
    body = (FIXTURES / "recurring.ics").read_bytes()
    sent = []

    def handler(request):  # a calendar file that never changes, with an ETag, as a web server serves it
        sent.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, headers={"ETag": '"v1"'})

    server.expect_request("/recurring.ics").respond_with_handler(handler)
    root = make_project(tmp_path / "p", [provider("p", server.url_for("/recurring.ics"), "ics")])
    assert [c["id"] for c in run(root).added] == ["p-safeguarding-supervision-skills-2027-03-09",
                                                  "p-weekly-drop-in-2026-12-01"]
    # a week later: its dates move on, so it is read again in full, and nothing is proposed twice
    later = run(root, now=NOW + dt.timedelta(days=7))
    assert later.added == [] and later.outcomes[0].duplicate == 2 and not later.outcomes[0].not_modified
    # the week of the last date listed (2027-11-23): still current, not proposed again
    week = dt.datetime(2027, 11, 18, 6, 0, tzinfo=LONDON)
    prune(week, root=root)
    assert [c["id"] for c in run(root, now=week).added] == ["p-biennial-conference-2027-12-10"]
    # the next week: the listed dates have passed (the prune moves the course to the archive)
    # and the next 12 months are proposed, saying which course they follow
    week += dt.timedelta(days=7)
    assert [m.id for m in prune(week, root=root)] == ["p-weekly-drop-in-2026-12-01"]
    result = run(root, now=week)
    assert [c["id"] for c in result.added] == ["p-weekly-drop-in-2027-11-30"]
    assert [len(c["sessions"]) for c in result.added] == [52]
    assert notes(root)["p-weekly-drop-in-2027-11-30"] == (
        "These are the next dates of the repeating event listed before as 'p-weekly-drop-in-2026-12-01', "
        "whose listed dates ended on 23 November 2027. "
        + DROP_IN_NOTE.format(last="21 November 2028", where=DROP_IN))
    text = lines(result)
    assert ("- `p-weekly-drop-in-2027-11-30`: `Weekly drop-in` (`Provider p`, 2027-11-30 and 51 more "
            "session(s), online; the next dates of `p-weekly-drop-in-2026-12-01` (ended 2027-11-23); goes "
            "on after 2028-11-21), `https://provider.example.org/events/drop-in`") in text
    assert (HELP_GOES_ON + " \"The next dates of\" an earlier course: the same repeating event, proposed "
            "again now that the dates listed before have passed; not a duplicate (its notes name the earlier "
            "course, now in the archive or about to be).") in text
    assert sent == [None] * 4  # never "not changed": its validators are not kept


def test_a_calendar_whose_dates_do_not_move_on_is_still_asked_if_it_has_changed(server, tmp_path):
    sent = []

    def handler(request):
        sent.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(calendar(EVENTS[1]), headers={"ETag": '"v1"'})

    server.expect_request("/clinic.ics").respond_with_handler(handler)
    root = make_project(tmp_path / "p", [provider("p", server.url_for("/clinic.ics"), "ics")])
    assert len(run(root).added) == 1
    assert run(root).outcomes[0].not_modified and sent == [None, '"v1"']
