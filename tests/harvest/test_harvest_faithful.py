"""Issue #15: what a provider lists is what the harvester proposes. Recurring events with all
their sessions, a price anywhere in an item, titles that differ by a number or level kept
apart (and duplicates found through an index, not by comparing every pair), a listing of
thousands, a link for every course, and a summary that counts every reason. Each against
fixtures served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from macros.harvest import summary
from macros.harvest import write as writer
from macros.harvest.dedupe import Seen
from tests.harvest_helpers import (
    FIXTURES,
    NOW,
    assert_safe,
    feed_server,
    make_project,
    many_courses_feed,
    provider,
    run,
)

HEAD = (b'<?xml version="1.0"?><rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        b"<link>%s</link><description>d</description>\n")


@pytest.fixture
def server():
    yield from feed_server()


def serve(server, path: str, body: bytes) -> str:
    server.expect_request(path).respond_with_data(body)
    return server.url_for(path)


def rss(items: list[tuple], home: bytes = b"https://provider.example.org/events") -> bytes:
    """An RSS feed: each item (title, start, link or None, extra XML)."""
    out = HEAD % home
    for title, start, link, extra in items:
        out += b"<item><title>%s</title>" % title.encode()
        out += b"<link>%s</link>" % link.encode() if link is not None else b""
        out += b"<ev:startdate>%s</ev:startdate>" % start.encode() if start else b""
        out += extra.encode() + b"</item>\n"
    return out + b"</channel></rss>"


def sessions(course):
    return [(s.date.isoformat(), s.end_date.isoformat() if s.end_date else None, s.time)
            for s in course.sessions]


def new_courses(root):
    return {c.title: c for c in assert_safe(root) if c.added == NOW.date()}


# --- 1. recurring events --------------------------------------------------------------------


def test_a_recurring_event_is_one_course_with_its_sessions_in_london_time(server, tmp_path):
    url = serve(server, "/recurring.ics", (FIXTURES / "recurring.ics").read_bytes())
    root = make_project(tmp_path / "p", [provider("p", url, "ics")])
    [outcome] = run(root).outcomes
    found = new_courses(root)
    assert set(found) == {"Safeguarding supervision skills", "Weekly drop-in"}
    # RRULE (6 weeks), EXDATE (03-23), a moved occurrence (04-06 -> 04-07 13:00), a cancelled
    # one (04-13), an RDATE (04-20 14:00); 10:00 London stays 10:00 after the clock change.
    assert sessions(found["Safeguarding supervision skills"]) == [
        ("2027-03-09", None, "10:00-11:30"), ("2027-03-16", None, "10:00-11:30"),
        ("2027-03-30", None, "10:00-11:30"), ("2027-04-07", None, "13:00-14:30"),
        ("2027-04-20", None, "14:00-15:30")]
    # every Tuesday at 09:00 UTC, no end: the next 12 months, 09:00 GMT and 10:00 BST
    drop_in = sessions(found["Weekly drop-in"])
    assert len(drop_in) == 52
    assert drop_in[0] == ("2026-12-01", None, "09:00-10:00")
    assert drop_in[-1] == ("2027-11-23", None, "09:00-10:00")
    assert ("2027-03-23", None, "09:00-10:00") in drop_in and ("2027-03-30", None, "10:00-11:00") in drop_in
    assert ("2027-10-26", None, "10:00-11:00") in drop_in and ("2027-11-02", None, "09:00-10:00") in drop_in
    assert found["Weekly drop-in"].id == "p-weekly-drop-in-2026-12-01"
    assert dict(outcome.rejected) == {
        ("past", "ended"): 1, ("other", "no session in the next 12 months"): 1,
        ("impossible", "a recurrence that cannot be right (a session every second)"): 1,
        ("impossible", "a recurrence that cannot be right (repeating since 0001-01-01)"): 1,
        ("impossible", "a recurrence that cannot be right (a day of the month after the 28th may never "
                       "match)"): 1}


def test_a_recurring_course_is_not_proposed_again_the_next_week(server, tmp_path):
    url = serve(server, "/recurring.ics", (FIXTURES / "recurring.ics").read_bytes())
    root = make_project(tmp_path / "p", [provider("p", url, "ics")])
    assert len(run(root).added) == 2
    later = run(root, now=NOW + dt.timedelta(days=7))  # one session gone, one more in the window
    assert later.added == [] and later.outcomes[0].duplicate == 2


def test_a_calendar_of_many_repeating_events_is_expanded_within_a_budget(server, tmp_path, monkeypatch):
    from macros.harvest import recurrence

    # the library steps through a rule day by day: a calendar full of costly rules would keep
    # the harvester busy for hours, so each calendar has a budget of steps (here a small one)
    monkeypatch.setattr(recurrence, "CALENDAR_STEPS", 2_000)
    url = serve(server, "/recurring.ics", (FIXTURES / "recurring.ics").read_bytes())
    root = make_project(tmp_path / "p", [provider("p", url, "ics")])
    [outcome] = run(root).outcomes
    assert [c["title"] for c in outcome.added] == ["Safeguarding supervision skills", "Weekly drop-in"]
    assert outcome.rejected[("other", "not expanded: the calendar has more repeating events than one "
                                      "run expands")] == 2


# --- 2. a price anywhere in an item ---------------------------------------------------------

LISTING = b"""<!doctype html><html><body>
<div class="event"><h3>Free course</h3><time datetime="2027-01-18">18 Jan</time>
  <a class="book" href="/a">Book</a></div>
<div class="event"><h3>Hidden fee</h3><time datetime="2027-01-19">19 Jan</time>
  <p class="small">Delegates: &pound;25 each</p><a class="book" href="/b">Book</a></div>
<div class="event"><h3>Costed free</h3><time datetime="2027-01-20">20 Jan</time>
  <span class="price">&pound;0.00</span><a class="book" href="/c">Book</a></div>
<div class="event"><h3>Costed paid</h3><time datetime="2027-01-21">21 Jan</time>
  <span class="price">Members &pound;10</span><a class="book" href="/d">Book</a></div>
<div class="event"><h3>Microdata paid</h3><time datetime="2027-01-22">22 Jan</time>
  <meta itemprop="price" content="30"><a class="book" href="/e">Book</a></div>
<div class="event"><h3>Free, says the title</h3><time datetime="2027-01-23">23 Jan</time>
  <p>Free for Southend staff; GBP 40 for others.</p><a class="book" href="/f">Book</a></div>
</body></html>"""


def test_html_the_whole_item_is_read_for_a_price(server, tmp_path):
    selectors = {"item": ".event", "title": "h3", "date": "time", "link": "a.book", "cost": ".price"}
    root = make_project(tmp_path / "p", [provider("p", serve(server, "/listing.html", LISTING), "html",
                                                  selectors=selectors)])
    result = run(root)
    assert set(new_courses(root)) == {"Free course", "Costed free"}
    [outcome] = result.outcomes
    assert outcome.paid == [("Hidden fee", "'£25' in its text"), ("Costed paid", "a price of '£10'"),
                            ("Microdata paid", "a price of '30'"),
                            ("Free, says the title", "'GBP 40' in its text")]
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert "- `p` paid: `not free` (4)" in text
    assert "- `p`: `Hidden fee`: `'£25' in its text`" in text
    assert "| `Provider p` (`p`) | 2 | 0 | 4 | 0 | 0 | 0 | 0 | ok |" in text


def test_feeds_every_field_is_read_for_a_price(server, tmp_path):
    feed = rss([("Clean summary", "2027-01-12T10:00:00Z", "https://provider.example.org/1",
                 "<description>An introduction.</description>"
                 "<content:encoded>&lt;p&gt;Places cost &amp;pound;10 per delegate.&lt;/p&gt;"
                 "</content:encoded>"),
                ("Price element", "2027-01-13T10:00:00Z", "https://provider.example.org/2",
                 "<ev:price>35.00</ev:price>"),
                ("Truly free", "2027-01-14T10:00:00Z", "https://provider.example.org/3",
                 "<description>Free of charge.</description><ev:price>0</ev:price>")])
    page = b"""<html><script type="application/ld+json">[
      {"@type": "Event", "name": "Says free, costs 20", "isAccessibleForFree": true,
       "description": "Lunch included. Cost: \\u00a320.", "startDate": "2027-02-01T10:00:00Z",
       "url": "https://provider.example.org/j1"},
      {"@type": "Event", "name": "Free event", "isAccessibleForFree": true,
       "offers": {"price": "0", "priceCurrency": "GBP"}, "maximumAttendeeCapacity": 30,
       "startDate": "2027-02-02T10:00:00Z", "url": "https://provider.example.org/j2"}]</script></html>"""
    root = make_project(tmp_path / "p", [provider("feed", serve(server, "/feed.xml", feed)),
                                         provider("page", serve(server, "/page.html", page), "jsonld")])
    feed_outcome, page_outcome = run(root).outcomes
    assert set(new_courses(root)) == {"Truly free", "Free event"}
    assert feed_outcome.paid == [("Clean summary", "'£10' in its text"),
                                 ("Price element", "a price of '35.00'")]
    assert page_outcome.paid == [("Says free, costs 20", "'£20' in its text")]


def test_the_providers_file_accepts_a_cost_selector(tmp_path):
    from macros.data.providers import load_providers

    root = make_project(tmp_path / "p", [provider("p", "https://a.example.org/x", "html", selectors={
        "item": ".e", "title": "h3", "date": "time", "cost": ".price"})])
    [found] = load_providers(root / "data" / "providers.yaml")
    assert found.selectors["cost"] == ".price"


# --- 3. titles that differ by a number or level; duplicates by index -------------------------


def test_titles_that_differ_by_a_number_or_level_are_different_courses(server, tmp_path):
    at = "2027-01-12T10:00:00Z"
    items = [(title, start, f"https://provider.example.org/{n}", "") for n, (title, start) in enumerate([
        ("Safeguarding adults Level 1", at), ("Safeguarding adults Level 2", at),
        ("Child protection session 3", at), ("Child protection session 4", at),
        ("Neglect toolkit part A", at), ("Neglect toolkit part B", at),
        ("Safeguarding adults level one", at),  # the same course as "Level 1"
        ("Domestic abuse: an overview", at), ("Domestic Abuse - An Overview", "2027-01-12T14:00:00Z"),
        ("Domestic abuse: an overveiw", at)])]  # a typo, same day and time: the same course
    root = make_project(tmp_path / "p", [provider("p", serve(server, "/feed.xml", rss(items)))])
    result = run(root)
    [outcome] = result.outcomes
    assert [c["title"] for c in outcome.added] == [
        "Safeguarding adults Level 1", "Safeguarding adults Level 2", "Child protection session 3",
        "Child protection session 4", "Neglect toolkit part A", "Neglect toolkit part B",
        "Domestic abuse: an overview", "Domestic Abuse - An Overview"]
    assert outcome.duplicate == 2
    # fuzzy ratios: only "level one" and the typo met a title in their slot (not the same words)
    assert result.comparisons == 2


def test_markers():
    from macros.harvest.dedupe import markers

    assert markers("Safeguarding Level 2") == markers("safeguarding level two") == ("2",)
    assert markers("Module IV: Part B") == ("4", "b")
    assert markers("Advanced safeguarding") == ("advanced",)
    assert markers("Domestic abuse - an overview") == ()


def test_duplicates_are_found_through_an_index_not_every_pair():
    seen = Seen()
    day = dt.date(2027, 1, 12)
    for n in range(1, 10_001):  # issue #15: one provider, one day, titles differing by a number
        course = {"id": f"p-{n}", "title": f"Safeguarding children course {n}", "provider": "P",
                  "source": "p", "sessions": [{"date": day, "time": "09:30-12:30"}],
                  "url": f"https://provider.example.org/c/{n}"}
        assert not seen.is_duplicate(course)
        seen.add_new(course)
    assert seen.comparisons == 0
    words = "abuse neglect exploitation harm grooming trafficking stalking bullying radicalisation capacity"
    for n, word in enumerate(words.split() * 300):  # 3,000 courses: 10 titles a day on 300 days
        course = {"id": f"q-{n}", "title": f"Understanding {word}", "provider": "Q", "source": "q",
                  "sessions": [{"date": day + dt.timedelta(days=n // 10)}]}
        assert not seen.is_duplicate(course)
        seen.add_new(course)
    assert seen.comparisons == 300 * 45  # within each day only, never the 4.5 million pairs


# --- 4. a long listing ------------------------------------------------------------------


def test_a_long_listing_is_proposed_in_full_and_summarised(server, tmp_path, monkeypatch):
    # (10,000 at once: test_duplicates_are_found_through_an_index_not_every_pair, and the
    # benchmark, scripts/bench_harvest.py)
    url = serve(server, "/many.xml", many_courses_feed(600))
    root = make_project(tmp_path / "p", [provider("many", url)])
    result = run(root, dry_run=True)
    assert len(result.added) == 600 and result.comparisons == 0
    text = summary.markdown(result.outcomes, True, "2026-11-26 12:00")
    assert text.count("\n- `many-safeguarding-children-course-") == summary.LIST_MAX
    assert text.endswith("- and 500 more.\n")
    assert summary.text(result.outcomes, True).endswith("\nand 500 more.")
    # data/training.yaml may be at most 2 MB: what does not fit waits for a later run
    monkeypatch.setattr(writer, "MAX_FILE_BYTES", 50_000)
    result = run(root)
    [outcome] = result.outcomes
    assert len(outcome.added) + outcome.no_room == 600 and 0 < len(outcome.added) < 600
    assert len((root / "data" / "training.yaml").read_bytes()) <= 50_000
    assert len(new_courses(root)) == len(outcome.added)
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert (f"{outcome.no_room:,} more new course(s) were found but not added, because "
            "data/training.yaml may be at most 2 MB") in text


# --- 5. a link for every course -------------------------------------------------------------


def test_an_item_without_a_safe_link_links_to_the_page_it_was_listed_on(server, tmp_path):
    items = [("Neglect briefing", "2027-01-12T10:00:00Z", None, ""),
             ("Exploitation webinar", "2027-01-12T10:00:00Z", "javascript:alert(1)", ""),
             ("Prevent duty update", "2027-01-12T10:00:00Z", "data:text/html,hi", ""),
             ("Course with its own link", "2027-01-12T10:00:00Z", "https://provider.example.org/own", "")]
    page = json.dumps([{"@type": "Event", "name": "Unsafe JSON-LD link", "url": "javascript:void(0)",
                        "startDate": "2027-01-12T10:00:00Z"}]).encode()
    page = b'<html><script type="application/ld+json">' + page + b"</script></html>"
    bare = rss([("Bare feed course", "2027-01-12T10:00:00Z", None, "")], home=b"javascript:alert(2)")
    root = make_project(tmp_path / "p", [
        provider("site", serve(server, "/site.xml", rss(items))),
        provider("bare", serve(server, "/bare.xml", bare)),
        provider("page", serve(server, "/events.html", page), "jsonld")])
    result = run(root)
    found = new_courses(root)
    # items on the same day sharing the page's link are not taken for one another
    events = "https://provider.example.org/events"  # the feed's own website link
    assert {t: c.url for t, c in found.items() if c.source == "site"} == {
        "Neglect briefing": events, "Exploitation webinar": events, "Prevent duty update": events,
        "Course with its own link": "https://provider.example.org/own"}
    assert [c.url for c in found.values() if c.source == "bare"] == [server.url_for("/bare.xml")]
    assert found["Unsafe JSON-LD link"].url == server.url_for("/events.html")
    assert not any(c.link_unknown for c in found.values())
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert ("`https://provider.example.org/events` (the page it was listed on: the item had no usable "
            "link of its own)") in text


# --- 6. the summary counts every reason -----------------------------------------------------


def test_the_summary_counts_every_reason_per_provider(server, tmp_path):
    items = [("Good course", "2027-01-12T10:00:00Z", "https://provider.example.org/1", ""),
             ("Recruitment course", "2027-01-13T10:00:00Z", "https://provider.example.org/2",
              "<description>Course fee applies.</description>"),
             ("Old course", "2025-01-13T10:00:00Z", "https://provider.example.org/3", ""),
             ("Members only evening", "2027-01-14T10:00:00Z", "https://provider.example.org/4", ""),
             ("No such day", "2027-02-30", "https://provider.example.org/5", ""),
             ("Far ahead", "2099-01-01", "https://provider.example.org/6", ""),
             ("", "2027-01-15T10:00:00Z", "https://provider.example.org/7", "")]
    server.expect_request("/gone.xml").respond_with_data("no", status=404)
    root = make_project(tmp_path / "p", [provider("p", serve(server, "/feed.xml", rss(items)),
                                                  exclude=["members only"]),
                                         provider("gone", server.url_for("/gone.xml"))])
    result = run(root)
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert "| `Provider p` (`p`) | 1 | 0 | 1 | 1 | 1 | 2 | 1 | ok |" in text
    assert "| `Provider gone` (`gone`) | 0 | 0 | 0 | 0 | 0 | 0 | 0 | failed: `HTTP 404 (not found)` |" in text
    assert "\n".join([
        "- `p` paid: `not free` (1)", "- `p` past: `ended` (1)",
        "- `p` excluded words: `excluded word 'members only'` (1)",
        "- `p` impossible dates: `a date more than 3 years ahead` (1); `a date that could not be read` (1)",
        "- `p` other: `no title` (1)"]) in text
    assert "- `p`: `Recruitment course`: `'Course fee' in its text`" in text
    assert summary.text(result.outcomes, False).splitlines()[:2] == [
        "p: 1 added, 0 duplicate, 6 filtered out (1 paid, 1 past, 1 excluded words, 2 impossible dates, "
        "1 other); ok",
        "gone: 0 added, 0 duplicate, 0 filtered out (0 paid, 0 past, 0 excluded words, 0 impossible dates, "
        "0 other); failed: HTTP 404 (not found)"]
