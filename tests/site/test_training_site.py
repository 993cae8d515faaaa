"""The training calendar as built and as read: HTML, feeds (checked with independent
parsers), JSON-LD and the page in Chromium (expiry by the reader's clock, search, filters).

A fixture data set (tests/fixtures/training) is built with SITE_TODAY=2023-03-20T12:00,
a week before the clock change of 26 March 2023.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, _QuietHandler, run_build

FIXTURE = ROOT / "tests" / "fixtures" / "training"
TODAY = "2023-03-20T12:00"
UPCOMING = {"safe-steps-da-overview", "catch22-county-lines", "early-bird-briefing",
            "hostile-title", "two-day-conference", "scie-mca-elearning", "neglect-tool-dates-tbc"}
ENDED = {"withdrawn-elearning", "ended-neglect-workshop"}
UNCONFIRMED = {"unconfirmed-elearning"}  # on-demand, last checked more than 12 months ago


def make_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache"))
    data = dest / "data"
    (data / "training.yaml").unlink(missing_ok=True)
    shutil.rmtree(data / "archive", ignore_errors=True)
    shutil.copytree(FIXTURE / "archive", data / "archive")
    shutil.copy(FIXTURE / "training.yaml", data / "training.yaml")
    shutil.copy(FIXTURE / "topics.yaml", data / "topics.yaml")
    return dest


@pytest.fixture(scope="session")  # read only; shared with test_security_csp.py
def fixture_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("training") / "project")
    out = project / "out"
    result = run_build(out, {"SITE_TODAY": TODAY}, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def calendar_soup(fixture_site) -> BeautifulSoup:
    return BeautifulSoup((fixture_site / "training" / "index.html").read_text(), "html.parser")


# --- the page as built -------------------------------------------------------------------------


def test_only_upcoming_courses_are_listed(calendar_soup):
    ids = {li["data-id"] for li in calendar_soup.select("li.app-course")}
    assert ids == UPCOMING


def test_months_in_order_then_on_demand(calendar_soup):
    months = [h.get_text() for h in calendar_soup.select(".app-month > h3")]
    assert months == ["March 2023", "April 2023"]
    march = [li["data-id"] for li in calendar_soup.select("#month-2023-03 ~ ul li.app-course")]
    assert march == ["early-bird-briefing", "catch22-county-lines", "safe-steps-da-overview",
                     "two-day-conference"]
    anytime = [li["data-id"] for li in calendar_soup.select(".app-month--anytime li.app-course")]
    assert anytime == ["scie-mca-elearning"]  # not unconfirmed-elearning: checked too long ago
    headings = [h.get_text() for h in calendar_soup.select(".app-month > h2")]
    assert headings == ["Courses with dates to be confirmed", "Online courses you can take at any time"]


def test_a_course_whose_dates_are_not_known_says_so(calendar_soup):
    """#13 point 19: a course that runs on dates not known yet (Graded Care Profile 2 in the
    annual report) is listed under its own heading, with no date and no calendar file."""
    section = calendar_soup.select_one(".app-month--to-confirm")
    course = section.select_one("li.app-course")
    assert course["data-id"] == "neglect-tool-dates-tbc"
    assert course["data-confirmed-until"] == "2023-03-20"
    facts = dict(zip([dt.get_text() for dt in course.select("dt")],
                     [dd.get_text(" ", strip=True) for dd in course.select("dd")], strict=True))
    assert facts["When"] == "Dates to be confirmed: ask the provider"
    assert facts["Format"] == "To be confirmed"  # the source does not say: no "Online"
    assert course.select_one(".app-course__ics") is None
    assert calendar_soup.select_one("#course-scie-mca-elearning")["data-confirmed-until"] == "2024-01-05"


def test_ended_sessions_are_not_listed(calendar_soup):
    course = calendar_soup.select_one("#course-safe-steps-da-overview")
    sessions = [t.get_text() for t in course.select(".app-session time")]
    assert sessions == ["Tuesday 28 March 2023, 9:30am to 12:30pm"]
    assert course.select_one(".app-session")["data-end"] == "2023-03-28T12:30+01:00"


def test_each_course_shows_its_facts(calendar_soup):
    course = calendar_soup.select_one("#course-catch22-county-lines")
    facts = dict(zip([dt.get_text() for dt in course.select("dt")],
                     [dd.get_text(" ", strip=True) for dd in course.select("dd")], strict=True))
    # Free, as nearly every course is: no "Cost: Free" on every card (issue #13, point 5).
    assert facts == {"Provider": "Catch22", "When": "Tuesday 21 March 2023, 10am to 11am",
                     "Format": "Online", "For": "Children and young people and Adults",
                     "Topics": "County lines, Exploitation"}
    conference = calendar_soup.select_one("#course-two-day-conference")
    assert [(dt.get_text(), dt.find_next_sibling("dd").get_text()) for dt in conference.select("dt")
            if dt.get_text() == "Cost"] == [("Cost", "£25")]
    assert "&lt;" not in str(course)
    actions = course.select(".app-course__actions a")
    assert [a.get_text(" ", strip=True) for a in actions] == [
        "Book or find out more : County lines: spotting the signs",
        "Add to calendar : County lines: spotting the signs"]


def test_multi_day_and_all_day_sessions_read_plainly(calendar_soup):
    two_day = calendar_soup.select_one("#course-two-day-conference .app-session time")
    assert two_day.get_text() == "Thursday 30 March 2023 9am to Friday 31 March 2023 5pm"
    all_day = calendar_soup.select_one("#course-hostile-title .app-session")
    assert all_day.get_text() == "Wednesday 5 April 2023, all day"
    assert all_day["data-end"] == "2023-04-06T00:00+01:00"


def test_hostile_text_is_rendered_as_text(fixture_site, calendar_soup):
    course = calendar_soup.select_one("#course-hostile-title")
    assert course.select_one(".app-course__title").get_text() == (
        '<script>alert("x")</script> Neglect & self-neglect')
    assert course.select("script, img, b") == []
    raw = (fixture_site / "training" / "index.html").read_text()
    assert '<script>alert("x")' not in raw and "<img src=x" not in raw


def test_the_page_says_training_is_signposted_not_quality_assured(calendar_soup):
    text = calendar_soup.select_one(".md-content").get_text(" ")
    assert "cannot check or guarantee their quality" in text


def test_filter_options_match_the_data(calendar_soup):
    def values(facet):
        return {i["value"]: i.find_next("label").select_one(".app-filter__count").get_text()
                for i in calendar_soup.select(f'.app-filter[data-facet="{facet}"] input')}

    assert values("audience") == {"children": "(4)", "adults": "(5)"}
    assert values("format") == {"online": "(2)", "in-person": "(1)", "hybrid": "(1)",
                                "on-demand": "(1)", "to-be-confirmed": "(2)"}
    assert calendar_soup.select_one('label[for="f-format-to-be-confirmed"]').get_text(
        " ", strip=True) == "To be confirmed (2)"
    assert values("topics") == {"county-lines": "(1)", "domestic-abuse": "(1)",
                                "exploitation": "(2)", "mental-capacity": "(1)", "neglect": "(3)",
                                "self-neglect": "(1)"}
    assert set(values("provider")) == {"safe-steps", "catch22", "essex-police",
                                       "acme-b-training-b", "southend-safeguarding-partnership",
                                       "scie"}


def test_json_ld_describes_each_upcoming_course(calendar_soup):
    blocks = [json.loads(s.string) for s in
              calendar_soup.select('script[type="application/ld+json"]')]
    graph = [item for block in blocks for item in block.get("@graph", [])]
    courses = {item["@id"]: item for item in graph if item["@type"] == "Course"}
    assert {k.removeprefix("#course-") for k in courses} == UPCOMING
    county = courses["#course-catch22-county-lines"]
    assert county["hasCourseInstance"][0]["startDate"] == "2023-03-21T10:00+00:00"
    assert county["hasCourseInstance"][0]["courseMode"] == "online"
    # A format not known is left out, not guessed.
    assert courses["#course-early-bird-briefing"]["hasCourseInstance"] == [
        {"@type": "CourseInstance", "startDate": "2023-03-21T09:00+00:00",
         "endDate": "2023-03-21T09:30+00:00"}]
    assert courses["#course-hostile-title"]["name"].startswith("<script>")  # data, as text


def test_past_page_lists_ended_courses_by_financial_year(fixture_site):
    page = BeautifulSoup((fixture_site / "training" / "past" / "index.html").read_text(),
                         "html.parser")
    years = [h.get_text() for h in page.select(".md-content h2[id^=year-]")]
    assert years == ["April 2022 to March 2023 (2 courses)"]
    rows = page.select("section[aria-labelledby=year-2022-23] table tbody tr.app-past-course")
    assert {tr["data-id"] for tr in rows} == ENDED
    assert [th.get_text() for th in page.select("section[aria-labelledby=year-2022-23] thead th")] == [
        "When", "Course", "Provider", "Topics"]
    for row in rows:  # each a date (or "Online ..."), a title, a provider, topics
        when, title, provider, topics = (td.get_text() for td in row.find_all("td"))
        assert when and title and provider and topics
        assert row.select_one("time") is None or row.select_one("time")["datetime"][:4] in ("2022",
                                                                                           "2023")


def test_a_course_no_longer_confirmed_is_on_the_past_page_not_the_calendar(fixture_site, calendar_soup):
    """#13 point 7: an on-demand course last checked more than 12 months ago leaves the
    calendar and its feeds, and the past courses page says it is no longer confirmed."""
    assert calendar_soup.select_one("#course-unconfirmed-elearning") is None
    page = BeautifulSoup((fixture_site / "training" / "past" / "index.html").read_text(), "html.parser")
    section = page.select_one("section[aria-labelledby=no-longer-confirmed]")
    assert section.select_one("h2").get_text() == "No longer confirmed (1 courses)"
    rows = section.select("tr.app-past-course")
    assert {tr["data-id"] for tr in rows} == UNCONFIRMED
    when, title, provider, _ = (td.get_text() for td in rows[0].find_all("td"))
    assert when == "Online; no longer confirmed (last confirmed 19 March 2022)"
    assert (title, provider) == ("Unconfirmed e-learning", "SCIE")
    data = json.loads((fixture_site / "training" / "courses.json").read_text())
    assert "unconfirmed-elearning" not in {c["id"] for c in data["courses"]}


# --- feeds, read back with independent parsers ----------------------------------------------


def test_calendar_ics_has_one_event_per_upcoming_session(fixture_site):
    cal = icalendar.Calendar.from_ical((fixture_site / "training" / "calendar.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 5  # dated courses' upcoming sessions; on-demand courses have none
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == 5
    county = by_uid["catch22-county-lines-20230321T1000@training.southend-safeguarding-partnership"]
    assert county.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert str(county["LOCATION"]) == "Online"
    early = by_uid["early-bird-briefing-20230321T0900@training.southend-safeguarding-partnership"]
    assert "LOCATION" not in early  # its format is to be confirmed: not "Online"
    overview = by_uid[
        "safe-steps-da-overview-20230328T0930@training.southend-safeguarding-partnership"]
    assert overview.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert overview.decoded("DTSTART").astimezone(dt.UTC).hour == 8
    all_day = by_uid["hostile-title-20230405T0000@training.southend-safeguarding-partnership"]
    assert all_day.decoded("DTSTART") == dt.date(2023, 4, 5)
    assert str(all_day["SUMMARY"]) == '<script>alert("x")</script> Neglect & self-neglect'


def test_a_preview_calendar_carries_no_relative_link(fixture_site):
    """Built without site_url (a preview), no event points at "/training/", which a calendar
    app cannot resolve; production requires site_url (tests/outputs/test_golden.py checks the
    absolute links)."""
    for path in (fixture_site / "training").glob("*.ics"):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            text = str(event["DESCRIPTION"])
            assert text.endswith("Listed by the Southend Safeguarding Partnership"), text
            assert "/training/" not in text
            assert str(event.get("URL", "https://")).startswith("https://")


def test_uids_are_stable_between_builds(fixture_site, tmp_path):
    project = make_project(tmp_path / "again")
    result = run_build(project / "out", {"SITE_TODAY": TODAY}, cwd=project)
    assert result.returncode == 0
    first = (fixture_site / "training" / "calendar.ics").read_bytes()
    assert (project / "out" / "training" / "calendar.ics").read_bytes() == first


def test_each_dated_course_has_its_own_ics(fixture_site):
    for course_id in UPCOMING - {"scie-mca-elearning", "neglect-tool-dates-tbc"}:
        cal = icalendar.Calendar.from_ical(
            (fixture_site / "training" / f"{course_id}.ics").read_bytes())
        assert all(str(e["UID"]).startswith(course_id) for e in cal.walk("VEVENT"))
    assert not (fixture_site / "training" / "withdrawn-elearning.ics").exists()


def test_courses_json(fixture_site):
    data = json.loads((fixture_site / "training" / "courses.json").read_text())
    courses = {c["id"]: c for c in data["courses"]}
    assert set(courses) == UPCOMING
    session = courses["safe-steps-da-overview"]["sessions"][0]
    assert session["start"] == "2023-03-28T09:30:00+01:00"
    assert {i: c["format"] for i, c in courses.items() if c["format"] == "to-be-confirmed"} == {
        "early-bird-briefing": "to-be-confirmed", "neglect-tool-dates-tbc": "to-be-confirmed"}
    assert session["end"] == "2023-03-28T12:30:00+01:00"


def test_atom_feed_lists_courses_newest_first(fixture_site):
    feed = feedparser.parse((fixture_site / "training" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    ids = [e.link.rsplit("#course-", 1)[1] for e in feed.entries]
    assert ids[:3] == ["hostile-title", "two-day-conference", "early-bird-briefing"]
    assert set(ids) == UPCOMING
    hostile = feed.entries[0]
    assert hostile.title == '<script>alert("x")</script> Neglect & self-neglect'
    assert hostile.title_detail.type == "text/plain"
    early = next(e for e in feed.entries if e.link.endswith("#course-early-bird-briefing"))
    assert early.summary == "Essex Police. 21 March 2023."  # its format not known: not said


def test_feeds_are_linked_and_resolve(fixture_site, calendar_soup):
    for href in ("calendar.ics", "feed.xml", "courses.json", "past/"):
        assert calendar_soup.select_one(f'a[href="{href}"]') is not None, href
    for li in calendar_soup.select("li.app-course"):
        ics = li.select_one("a.app-course__ics")
        if ics is not None:
            assert (fixture_site / "training" / ics["href"]).is_file()


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_server(fixture_site):
    handler = functools.partial(_QuietHandler, directory=str(fixture_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "li.app-course", "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.id)")


def assert_count(page, text: str) -> None:
    """The announced count (it is updated once typing pauses, so wait for it)."""
    from playwright.sync_api import expect

    expect(page.locator(".app-training__count")).to_have_text(text, timeout=10_000)


@pytest.mark.browser
def test_typing_narrows_the_list_and_the_count_is_announced(page, fixture_server):
    page.goto(fixture_server + "/training/")
    assert sorted(visible_ids(page)) == sorted(UPCOMING)
    page.get_by_label("Search courses").fill("county lines")
    assert visible_ids(page) == ["catch22-county-lines"]
    assert_count(page, "1 course matches (of 7)")
    assert page.locator(".app-training__count").get_attribute("role") == "status"
    page.get_by_label("Search courses").fill("coun")  # as typed: prefixes match
    assert visible_ids(page) == ["catch22-county-lines"]
    page.get_by_label("Search courses").fill("nothing like this")
    assert visible_ids(page) == []
    assert page.locator(".app-training__empty").is_visible()


def open_filter(page, legend: str) -> None:
    """Open a filter by its summary, as a person would: the filters start closed."""
    page.locator(".app-filter__more > summary", has_text=legend).click()


@pytest.mark.browser
def test_filters_combine_and_counts_follow(page, fixture_server):
    page.goto(fixture_server + "/training/")
    open_filter(page, "Who it is for")
    page.get_by_label("Adults (5)").check()
    assert sorted(visible_ids(page)) == sorted(
        ["safe-steps-da-overview", "catch22-county-lines", "hostile-title", "two-day-conference",
         "scie-mca-elearning"])
    open_filter(page, "Format")
    page.locator("#f-format-online").check()
    assert sorted(visible_ids(page)) == ["catch22-county-lines", "safe-steps-da-overview"]
    assert page.locator(".app-filter__more > summary").all_inner_texts() == [
        "Who it is for (1 chosen)", "Format (1 chosen)", "Topic", "Provider"]
    assert_count(page, "2 courses match (of 7)")
    # The audience counts now follow the format filter.
    assert page.locator('[data-count-for="audience:children"]').text_content() == "(2)"
    page.wait_for_url(re.compile(r"\?(?=.*audience=adults)(?=.*format=online)"))
    page.get_by_role("button", name="Clear search and filters").click()
    page.wait_for_function("n => document.querySelectorAll('li.app-course:not([hidden])').length === n",
                           arg=len(UPCOMING))
    assert sorted(visible_ids(page)) == sorted(UPCOMING)
    page.get_by_label("To be confirmed (2)").check()  # the courses whose format is not known
    assert sorted(visible_ids(page)) == ["early-bird-briefing", "neglect-tool-dates-tbc"]
    assert page.locator("#upcoming").is_visible()
    # Only the on-demand course: no dated one, so no "Upcoming courses" heading over nothing.
    page.get_by_label("To be confirmed (2)").uncheck()
    page.get_by_label("Online, at any time (1)").check()
    assert visible_ids(page) == ["scie-mca-elearning"]
    assert not page.locator("#upcoming").is_visible()
    assert not page.locator(".app-training__none").is_visible()


@pytest.mark.browser
def test_a_shared_link_restores_search_and_filters_without_opening_site_search(page, fixture_server):
    """The calendar keeps its state in the address (?search=...&format=...). Material opens
    its own site search for ?q=, so the calendar must not use q."""
    page.goto(fixture_server + "/training/")
    page.get_by_label("Search courses").fill("county")
    open_filter(page, "Format")
    page.locator("#f-format-online").check()
    page.wait_for_url(re.compile(r"/training/\?search=county&format=online$"))  # the address follows
    page.goto(page.url)  # as someone opening a shared link
    page.wait_for_function("() => document.querySelector('.app-training[data-ready]')")
    assert page.get_by_label("Search courses").input_value() == "county"
    assert page.locator("#f-format-online").is_checked()
    assert page.locator("#f-format-online").is_visible()  # its filter opened: the choice shows
    assert visible_ids(page) == ["catch22-county-lines"]
    assert not page.locator("#__search").is_checked()  # Material's search dialog stays shut


@pytest.mark.browser
def test_filters_work_by_keyboard(page, fixture_server):
    page.goto(fixture_server + "/training/")
    page.get_by_role("button", name="Clear search and filters").focus()
    page.keyboard.press("Tab")  # to "Who it is for"
    page.keyboard.press("Enter")  # opens it
    page.keyboard.press("Tab")  # to its first option, "Children and young people"
    assert page.evaluate("() => document.activeElement.id") == "f-audience-children"
    page.keyboard.press("Space")
    assert sorted(visible_ids(page)) == sorted(
        ["safe-steps-da-overview", "catch22-county-lines", "early-bird-briefing",
         "neglect-tool-dates-tbc"])


def read_as_if_built_earlier(page, *changes: tuple[str, str]) -> None:
    """Serve /training/ as a build without SITE_TODAY would have made it, so the reader's clock
    (Playwright's, set by each test) applies; `changes`: further (old, new) replacements."""
    def route(route):
        response = route.fetch()
        body = response.text().replace('data-now-fixed="true"', 'data-now-fixed="false"')
        for old, new in changes:
            body = body.replace(old, new)
        route.fulfill(response=response, body=body)

    page.route("**/training/", route)


@pytest.mark.browser
def test_a_session_disappears_when_the_readers_clock_passes_it(page, fixture_server):
    """A page built on 20 March, read on 21 March at 10:15: the 9:00-9:30 briefing has ended,
    the 10:00-11:00 webinar has not."""
    read_as_if_built_earlier(page)
    page.clock.set_fixed_time(dt.datetime(2023, 3, 21, 10, 15, tzinfo=dt.UTC))
    page.goto(fixture_server + "/training/")
    ids = visible_ids(page)
    assert "early-bird-briefing" not in ids and "catch22-county-lines" in ids
    assert_count(page, "5 courses")
    page.clock.set_fixed_time(dt.datetime(2023, 3, 21, 11, 0, tzinfo=dt.UTC))
    page.reload()
    assert "catch22-county-lines" not in visible_ids(page)
    assert not page.locator(".app-training__none").is_visible()  # later courses are still listed
    # Read in December: every dated course has ended; the calendar says so under its heading.
    page.clock.set_fixed_time(dt.datetime(2023, 12, 1, 12, 0, tzinfo=dt.UTC))
    page.reload()
    assert visible_ids(page) == ["scie-mca-elearning"]
    assert page.locator("#upcoming").is_visible()
    assert page.locator(".app-training__none").is_visible()


@pytest.mark.browser
def test_on_demand_course_disappears_after_available_until_by_readers_clock(page, fixture_server):
    read_as_if_built_earlier(page, ('data-id="scie-mca-elearning"',
                                    'data-id="scie-mca-elearning" data-available-until="2023-03-20"'))
    # 23:30 on 20 March in London (GMT): available until today, still shown.
    page.clock.set_fixed_time(dt.datetime(2023, 3, 20, 23, 30, tzinfo=dt.UTC))
    page.goto(fixture_server + "/training/")
    assert "scie-mca-elearning" in visible_ids(page)
    # Half past midnight on 21 March: the day after available_until, hidden.
    page.clock.set_fixed_time(dt.datetime(2023, 3, 21, 0, 30, tzinfo=dt.UTC))
    page.reload()
    assert "scie-mca-elearning" not in visible_ids(page)
    assert not page.locator(".app-month--anytime").is_visible()
    # In December nothing is left: the calendar says so, and does not blame a search never made.
    page.clock.set_fixed_time(dt.datetime(2023, 12, 1, 12, 0, tzinfo=dt.UTC))
    page.reload()
    assert visible_ids(page) == []
    assert page.locator(".app-training__none").is_visible()
    assert not page.locator(".app-training__empty").is_visible()


@pytest.mark.browser
def test_a_course_not_confirmed_by_the_readers_clock_disappears(page, fixture_server):
    """The course whose dates are not known was confirmed until 20 March 2023 (the build's
    day): read on the 21st, the calendar hides it, and its section with it."""
    read_as_if_built_earlier(page)
    page.clock.set_fixed_time(dt.datetime(2023, 3, 20, 23, 30, tzinfo=dt.UTC))
    page.goto(fixture_server + "/training/")
    assert "neglect-tool-dates-tbc" in visible_ids(page)
    page.clock.set_fixed_time(dt.datetime(2023, 3, 21, 0, 30, tzinfo=dt.UTC))
    page.reload()
    assert "neglect-tool-dates-tbc" not in visible_ids(page)
    assert not page.locator(".app-month--to-confirm").is_visible()


@pytest.mark.browser
def test_the_repository_e_learning_is_no_longer_confirmed_and_gcp2_is_listed(page, site_server):
    """The repository built at the tests' today (26 November 2026): the on-demand courses of the
    2022-23 report, last confirmed by it (31 March 2023), and Graded Care Profile 2 (dates not
    known) are no longer on the calendar but on the past courses page, saying so (#13 points 7
    and 19)."""
    from playwright.sync_api import expect

    page.goto(site_server + "/training/")
    expect(page.locator(".app-month--anytime")).to_contain_text("None at the moment.")
    assert page.locator("li.app-course").count() == 0
    page.goto(site_server + "/training/past/")
    section = page.locator("section[aria-labelledby=no-longer-confirmed]")
    expect(section.locator("h2")).to_have_text("No longer confirmed (37 courses)")
    gcp2 = section.locator("#course-scc-graded-care-profile-2")
    expect(gcp2.locator("td").nth(0)).to_have_text(
        "Dates not known; no longer confirmed (last confirmed 31 March 2023)")
    expect(gcp2.locator("td").nth(1)).to_have_text("Graded Care Profile 2")
    expect(gcp2.locator("td").nth(2)).to_have_text("Southend City Council")
    expect(section.locator("#course-scie-advocacy-care-act td").nth(0)).to_have_text(
        "Online; no longer confirmed (last confirmed 31 March 2023)")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_the_calendar_with_filters_open_and_past_page(
        page, fixture_server, width):
    from tests.site.test_browser import run_axe

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(fixture_server + "/training/")
    for details in page.locator("details.app-filter__more").all():
        details.locator("summary").click()
    page.get_by_label("Search courses").fill("neglect")
    assert run_axe(page) == []
    page.goto(fixture_server + "/training/past/")
    assert run_axe(page) == []


@pytest.mark.browser
def test_a_laptop_shows_the_search_and_first_courses_and_a_phone_compact_cards(page, fixture_server):
    """At 1366 by 900 the search box and the first courses show without scrolling (the
    calendar subscription is a line, the filters one line of summaries). At 375 px a course
    takes a fraction of the screen, and a free course does not say "Cost: Free"."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(fixture_server + "/training/")
    page.wait_for_function("() => document.querySelector('.app-training[data-ready]')")
    search = page.get_by_label("Search courses").bounding_box()
    first = page.locator("li.app-course").nth(0).bounding_box()
    second = page.locator("li.app-course .app-course__title").nth(1).bounding_box()
    assert search["y"] + search["height"] <= 900, search  # was at y 778
    assert first["y"] + first["height"] <= 900, first  # the first course whole (was at y 1289)
    assert second["y"] + second["height"] <= 900, second  # and the next one's title
    page.set_viewport_size({"width": 375, "height": 740})
    cards = page.locator("li.app-course")
    heights = sorted(box["height"] for box in (cards.nth(i).bounding_box() for i in range(cards.count())))
    assert heights[len(heights) // 2] <= 360, heights  # half the screen at most (was about 550)
    costs = {card.get_attribute("data-id"): card.locator("dt", has_text="Cost").count()
             for card in cards.all()}
    assert costs == {c: int(c == "two-day-conference") for c in costs}  # the one at £25


@pytest.mark.browser
def test_search_finds_what_lunrs_own_query_finds(page, fixture_server):
    """The calendar matches each word as a prefix through the index's token set and postings
    (faster on a phone than lunr's scored query, issue #13 point 6): for any query, the same
    courses as lunr's query with a trailing wildcard per word, all words required."""
    page.goto(fixture_server + "/training/")
    page.wait_for_function("() => document.querySelector('.app-training[data-ready]')")
    queries = ["c", "co", "coun", "county lines", "COUNTY  Lines!", "neglect self", "self-neglect",
               "safe steps", "the neglect", "a", "e-learning", "mental capacity act", "acme b",
               "conference neglect", "zzz", "catch22", "essex police briefing"]
    compared = page.evaluate("""async (queries) => {
      const index = lunr.Index.load(await (await fetch('search-index.json')).json());
      const input = document.querySelector('#training-search');
      const out = {};
      for (const query of queries) {
        const terms = query.toLowerCase().replace(/[^\\p{L}\\p{N}\\s'-]+/gu, ' ').split(/\\s+/)
          .filter(t => t.length > 1 && lunr.stopWordFilter(t) !== undefined);
        let expected = null;
        for (const term of terms) {
          const refs = index.query(q => q.term(term, {usePipeline: false,
            wildcard: lunr.Query.wildcard.TRAILING})).map(r => r.ref);
          expected = expected === null ? refs : expected.filter(r => refs.includes(r));
        }
        input.value = query;
        input.dispatchEvent(new Event('input'));
        const shown = [...document.querySelectorAll('li.app-course:not([hidden])')].map(e => e.dataset.id);
        out[query] = [(expected === null ? shown : expected).sort(), shown.sort()];
      }
      return out; }""", queries)
    assert {q: pair for q, pair in compared.items() if pair[0] != pair[1]} == {}
    assert compared["coun"][1] == ["catch22-county-lines"] and compared["zzz"][1] == []
