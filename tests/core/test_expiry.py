"""When a session ends and a course stops being upcoming: clock changes, midnight, the exact
end instant, several sessions and days, on-demand courses, financial years.

"Now" is always passed in (or frozen with time_machine): never the real date.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from macros.core.dates import (
    LONDON,
    confirmed_until,
    course_financial_year,
    financial_year,
    has_ended,
    is_upcoming,
    no_longer_confirmed,
    session_ended,
    upcoming_sessions,
)
from macros.core.settings import site_now
from tests.factories import make_course, make_session


def at(text: str, fold: int = 0) -> dt.datetime:
    """'2023-03-26 10:30' as a London wall-clock time (fold=1: the second 01:30 in October)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON, fold=fold)


def offsets(session) -> tuple[str, str]:
    return session.start.isoformat(), session.end.isoformat()


# --- clock changes ------------------------------------------------------------------------------


def test_the_day_before_the_spring_change_is_gmt_and_the_day_itself_bst():
    assert offsets(make_session("2023-03-25", "10:00-11:00")) == (
        "2023-03-25T10:00:00+00:00", "2023-03-25T11:00:00+00:00")
    assert offsets(make_session("2023-03-26", "10:00-11:00")) == (
        "2023-03-26T10:00:00+01:00", "2023-03-26T11:00:00+01:00")


def test_a_session_on_the_spring_change_ends_at_its_bst_end():
    session = make_session("2023-03-26", "10:00-11:00")
    assert not session_ended(session, at("2023-03-26 10:59"))
    assert session_ended(session, at("2023-03-26 11:00"))
    # 10:30 UTC is 11:30 BST: ended, though 10:30 on a GMT clock would not be.
    assert session_ended(session, dt.datetime(2023, 3, 26, 10, 30, tzinfo=dt.UTC))
    assert not session_ended(session, dt.datetime(2023, 3, 26, 9, 59, tzinfo=dt.UTC))


def test_an_overnight_session_across_the_spring_change_has_both_offsets():
    session = make_session("2023-03-25", "22:00-06:00", end_date="2023-03-26")
    assert offsets(session) == ("2023-03-25T22:00:00+00:00", "2023-03-26T06:00:00+01:00")
    assert (session.end.astimezone(dt.UTC) - session.start.astimezone(dt.UTC)) == dt.timedelta(hours=7)


def test_a_time_that_does_not_exist_in_spring_moves_forward_an_hour():
    assert make_session("2023-03-26", "01:30").start.isoformat() == "2023-03-26T02:30:00+01:00"


def test_an_ambiguous_autumn_start_is_the_first_one_and_lasts_one_real_hour():
    session = make_session("2023-10-29", "01:30")
    assert offsets(session) == ("2023-10-29T01:30:00+01:00", "2023-10-29T01:30:00+00:00")
    assert session.end.timestamp() - session.start.timestamp() == 3600
    assert not session_ended(session, at("2023-10-29 01:59"))  # still the first, BST, 01:59
    assert session_ended(session, at("2023-10-29 01:30", fold=1))  # the second 01:30: exactly its end
    assert not session_ended(session, at("2023-10-29 01:29", fold=1))  # 01:29 GMT


def test_a_session_across_the_autumn_change_ends_in_gmt():
    session = make_session("2023-10-29", "01:30-02:30")
    assert offsets(session) == ("2023-10-29T01:30:00+01:00", "2023-10-29T02:30:00+00:00")
    assert session.end.timestamp() - session.start.timestamp() == 2 * 3600
    assert not session_ended(session, at("2023-10-29 02:29"))
    assert session_ended(session, at("2023-10-29 02:30"))


def test_the_day_after_the_autumn_change_is_gmt():
    assert offsets(make_session("2023-10-30", "10:00-11:00")) == (
        "2023-10-30T10:00:00+00:00", "2023-10-30T11:00:00+00:00")


# --- midnight and the exact end -----------------------------------------------------------------


def test_an_all_day_session_ends_at_midnight_after_its_day():
    session = make_session("2022-12-01")
    assert session.all_day and offsets(session) == ("2022-12-01T00:00:00+00:00", "2022-12-02T00:00:00+00:00")
    assert not session_ended(session, at("2022-12-01 23:59:59.999999"))
    assert session_ended(session, at("2022-12-02 00:00"))


def test_an_all_day_session_in_summer_ends_at_bst_midnight():
    session = make_session("2023-06-14")
    assert session.end.isoformat() == "2023-06-15T00:00:00+01:00"
    assert not session_ended(session, dt.datetime(2023, 6, 14, 22, 59, tzinfo=dt.UTC))
    assert session_ended(session, dt.datetime(2023, 6, 14, 23, 0, tzinfo=dt.UTC))


def test_a_session_ending_at_23_59():
    session = make_session("2022-12-01", "22:00-23:59")
    assert not session_ended(session, at("2022-12-01 23:58:59"))
    assert session_ended(session, at("2022-12-01 23:59"))


@pytest.mark.parametrize("now,ended", [
    ("2022-12-01 12:29:59.999999", False),
    ("2022-12-01 12:30", True),  # end == now counts as ended
    ("2022-12-01 12:30:00.000001", True),
])
def test_the_exact_end_instant(now, ended):
    course = make_course(sessions=[("2022-12-01", "09:30-12:30")])
    assert session_ended(course.sessions[0], at(now)) is ended
    assert is_upcoming(course, at(now)) is not ended


def test_a_start_only_time_lasts_one_hour():
    session = make_session("2022-12-01", "18:30")
    assert offsets(session) == ("2022-12-01T18:30:00+00:00", "2022-12-01T19:30:00+00:00")
    assert not session_ended(session, at("2022-12-01 19:29"))
    assert session_ended(session, at("2022-12-01 19:30"))


def test_a_naive_now_is_london_time():
    session = make_session("2023-06-14", "10:00-11:00")
    assert not session_ended(session, dt.datetime(2023, 6, 14, 10, 59))
    assert session_ended(session, dt.datetime(2023, 6, 14, 11, 0))


# --- several sessions, several days -------------------------------------------------------------


def test_a_course_is_upcoming_while_any_session_has_not_ended():
    course = make_course(sessions=[("2022-12-01", "09:30-12:30"), ("2022-12-06", "13:30-16:30"),
                                   ("2023-01-10", "10:00")])
    assert [s.date.isoformat() for s in upcoming_sessions(course, at("2022-12-01 12:30"))] == [
        "2022-12-06", "2023-01-10"]
    assert [s.date.isoformat() for s in upcoming_sessions(course, at("2022-12-06 16:00"))] == [
        "2022-12-06", "2023-01-10"]
    assert is_upcoming(course, at("2023-01-10 10:59"))
    assert upcoming_sessions(course, at("2023-01-10 11:00")) == ()
    assert not is_upcoming(course, at("2023-01-10 11:00"))


def test_a_session_over_several_days_runs_until_its_end_date():
    course = make_course(sessions=[("2023-03-16", "18:00-16:00", "2023-03-28")])
    session = course.sessions[0]
    assert offsets(session) == ("2023-03-16T18:00:00+00:00", "2023-03-28T16:00:00+01:00")
    assert is_upcoming(course, at("2023-03-27 09:00"))
    assert is_upcoming(course, at("2023-03-28 15:59"))
    assert not is_upcoming(course, at("2023-03-28 16:00"))


def test_an_all_day_session_over_several_days_ends_after_its_last_day():
    session = make_session("2023-03-27", end_date="2023-03-31")
    assert session.end.isoformat() == "2023-04-01T00:00:00+01:00"
    assert not session_ended(session, at("2023-03-31 23:59"))
    assert session_ended(session, at("2023-04-01 00:00"))


def test_course_first_start_and_last_end():
    course = make_course(sessions=[("2023-01-10", "10:00"), ("2022-12-01", "09:30-12:30")])
    assert course.first_start.isoformat() == "2022-12-01T09:30:00+00:00"
    assert course.last_end.isoformat() == "2023-01-10T11:00:00+00:00"


# --- on-demand ----------------------------------------------------------------------------------


def test_on_demand_without_available_until_never_expires():
    course = make_course(format="on-demand", added="2022-05-04")
    assert course.sessions == () and course.first_start is None
    assert is_upcoming(course, at("2099-12-31 23:59"))
    assert upcoming_sessions(course, at("2023-01-01 00:00")) == ()


def test_on_demand_is_shown_through_its_last_day():
    course = make_course(format="on-demand", available_until="2023-03-31")
    assert is_upcoming(course, at("2023-03-31 23:59:59"))
    assert not is_upcoming(course, at("2023-04-01 00:00"))
    # 23:30 UTC on 31 May is already 1 June in London.
    summer = make_course(format="on-demand", available_until="2023-05-31")
    assert not is_upcoming(summer, dt.datetime(2023, 5, 31, 23, 30, tzinfo=dt.UTC))


# --- confirmed within 12 months (`checked`, issue #13 point 7) ----------------------------------


def test_a_course_without_dates_leaves_the_calendar_12_months_after_it_was_checked():
    course = make_course(format="on-demand", checked=dt.date(2023, 3, 31))
    assert confirmed_until(course) == dt.date(2024, 3, 31)
    last_day = at("2024-03-31 23:59")
    assert is_upcoming(course, last_day) and not no_longer_confirmed(course, last_day)
    assert not is_upcoming(course, at("2024-04-01 00:00"))
    assert no_longer_confirmed(course, at("2024-04-01 00:00"))
    assert not has_ended(course, at("2030-01-01 00:00"))  # never over: prune keeps it
    # 23:30 UTC on 31 March 2024 is already 1 April in London (BST).
    assert not is_upcoming(course, dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC))


def test_checked_on_29_february_counts_until_28_february():
    course = make_course(format="on-demand", checked=dt.date(2024, 2, 29))
    assert confirmed_until(course) == dt.date(2025, 2, 28)


def test_a_course_whose_dates_are_not_known_follows_the_same_rule():
    course = make_course(dates_unknown=True, sessions=(), checked=dt.date(2022, 12, 1))
    assert course.undated and upcoming_sessions(course, at("2023-01-01 00:00")) == ()
    assert is_upcoming(course, at("2023-12-01 12:00"))
    after = at("2023-12-02 00:00")
    assert not is_upcoming(course, after) and no_longer_confirmed(course, after)
    assert course_financial_year(course) is None  # nothing to archive it by


def test_an_ended_course_is_over_not_unconfirmed():
    course = make_course(format="on-demand", available_until="2023-03-31", checked=dt.date(2021, 1, 1))
    assert has_ended(course, at("2023-04-01 00:00"))
    assert not no_longer_confirmed(course, at("2023-04-01 00:00"))
    assert confirmed_until(make_course()) is None  # a dated course: its sessions say when


# --- financial years ----------------------------------------------------------------------------


@pytest.mark.parametrize("day,year", [
    ("2022-04-01", "2022-23"), ("2023-03-31", "2022-23"), ("2023-04-01", "2023-24"),
    ("2023-01-01", "2022-23"), ("2022-03-31", "2021-22"), ("1999-12-31", "1999-00"),
    ("2099-04-01", "2099-00"),
])
def test_financial_year(day, year):
    assert financial_year(dt.date.fromisoformat(day)) == year


def test_course_financial_year():
    assert course_financial_year(make_course(sessions=[("2023-03-31",)])) == "2022-23"  # ends 1 April 00:00
    assert course_financial_year(make_course(sessions=[("2023-03-31", "23:30")])) == "2022-23"
    assert course_financial_year(make_course(sessions=[("2023-03-14", "13:00-16:00"),
                                                       ("2023-04-14", "09:30")])) == "2023-24"
    assert course_financial_year(make_course(sessions=[("2023-03-30", "18:00-09:00", "2023-04-01")])) \
        == "2023-24"
    assert course_financial_year(make_course(format="on-demand", available_until="2023-04-01")) == "2023-24"
    assert course_financial_year(make_course(format="on-demand")) is None


# --- the build's clock --------------------------------------------------------------------------


def test_site_today_sets_now(monkeypatch):
    monkeypatch.setenv("SITE_TODAY", "2023-03-26T10:30")
    course = make_course(sessions=[("2023-03-26", "10:00-11:00")])
    now = site_now()
    assert now.isoformat() == "2023-03-26T10:30:00+01:00"
    assert upcoming_sessions(course, now) == course.sessions


def test_the_real_clock_is_london_time(monkeypatch):
    monkeypatch.delenv("SITE_TODAY", raising=False)
    course = make_course(sessions=[("2023-10-29", "01:30")])
    with time_machine.travel(dt.datetime(2023, 10, 29, 1, 15, tzinfo=dt.UTC), tick=False):
        now = site_now()  # 01:15 GMT, after the clocks went back
        assert now.isoformat() == "2023-10-29T01:15:00+00:00"
        assert is_upcoming(course, now)  # ends 01:30 GMT
    with time_machine.travel(dt.datetime(2023, 10, 29, 1, 30, tzinfo=dt.UTC), tick=False):
        assert not is_upcoming(course, site_now())


def test_a_session_with_a_start_time_only_shows_no_end_it_was_not_given():
    """`time: "09:30"`: the calendar says "from 9:30am" and schema.org gives no endDate; the
    hour after it is only how long the calendar keeps it (and calendar files need an end)."""
    import json

    from macros.render.training_page import json_ld, session_text
    from tests.factories import make_course

    course = make_course(sessions=(("2022-12-01", "09:30"), ("2022-12-02", "09:30-12:30")))
    assert [session_text(s) for s in course.sessions] == [
        "Thursday 1 December 2022, from 9:30am", "Friday 2 December 2022, 9:30am to 12:30pm"]
    graph = json.loads(json_ld([course], dt.datetime(2022, 11, 30, tzinfo=dt.UTC)))["@graph"]
    first, second = graph[0]["hasCourseInstance"]
    assert "endDate" not in first and second["endDate"] == "2022-12-02T12:30+00:00"
