"""Issue #15: an RSS or Atom item with no date is not assumed to be available at any time.

It is proposed as a course whose dates are to be confirmed (`dates_unknown: true`, `checked:`
the harvest day, its format what the item says), unless a person has written
`undated: on-demand` for its provider in data/providers.yaml. Against feeds served on
127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest

from macros.core.problems import DataError
from macros.data.providers import load_providers
from macros.harvest import summary
from macros.harvest.dedupe import Seen
from tests.harvest_helpers import NOW, assert_safe, feed_server, make_project, provider, run

FEED = b"""<?xml version="1.0"?><rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
<channel><title>t</title><link>https://provider.example.org/events</link><description>d</description>
<item><title>Self-neglect briefing</title><link>https://provider.example.org/l/self-neglect</link>
  <description>A briefing on self-neglect.</description></item>
<item><title>Hoarding: a practice forum</title><link>https://provider.example.org/l/hoarding</link>
  <ev:location>Civic Centre, Victoria Avenue, Southend</ev:location></item>
<item><title>Prevent awareness webinar</title><link>https://provider.example.org/l/prevent</link></item>
<item><title>Dated course</title><link>https://provider.example.org/l/dated</link>
  <ev:startdate>2027-01-12T09:30:00Z</ev:startdate></item>
</channel></rss>"""


@pytest.fixture
def server():
    yield from feed_server()


def project(server, tmp_path, **extra):
    server.expect_request("/feed.xml").respond_with_data(FEED)
    return make_project(tmp_path / "p", [provider("p", server.url_for("/feed.xml"), **extra)])


def undated(root) -> dict:
    """The harvested courses without sessions, by title, as loaded back with validation."""
    return {c.title: c for c in assert_safe(root) if c.added == NOW.date() and not c.sessions}


def test_an_item_with_no_date_has_dates_to_be_confirmed_and_the_format_it_says(server, tmp_path):
    root = project(server, tmp_path)
    result = run(root)
    found = undated(root)
    assert {t: (c.format, c.location) for t, c in found.items()} == {
        "Self-neglect briefing": ("to-be-confirmed", None),  # it says neither online nor a place
        "Hoarding: a practice forum": ("in-person", "Civic Centre, Victoria Avenue, Southend"),
        "Prevent awareness webinar": ("online", None)}
    assert all(c.dates_unknown and c.checked == NOW.date() for c in found.values())
    assert found["Self-neglect briefing"].id == "p-self-neglect-briefing-dates-tbc"
    text = (root / "data" / "training.yaml").read_text(encoding="utf-8")
    assert ("    format: to-be-confirmed\n    dates_unknown: true\n    added: 2026-11-26\n"
            "    checked: 2026-11-26\n    source: p\n") in text
    md = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert ("- `p-self-neglect-briefing-dates-tbc`: `Self-neglect briefing` (`Provider p`, "
            "dates not known, to-be-confirmed), `https://provider.example.org/l/self-neglect`") in md
    assert ('A course marked "dates not known" was listed with no date: ask the provider and add its '
            "sessions. If it is e-learning that can be taken at any time, make it `format: on-demand` "
            "(without `dates_unknown:`), and if the provider's whole feed is, write `undated: on-demand` "
            "for the provider in data/providers.yaml (`p`).") in md


def test_a_provider_said_to_list_e_learning_has_its_undated_items_on_demand(server, tmp_path):
    root = project(server, tmp_path, undated="on-demand")
    result = run(root)
    found = undated(root)
    assert set(found) == {"Self-neglect briefing", "Hoarding: a practice forum", "Prevent awareness webinar"}
    assert all(c.format == "on-demand" and not c.dates_unknown and c.checked == NOW.date()
               and c.location is None for c in found.values())
    assert found["Self-neglect briefing"].id == "p-self-neglect-briefing-on-demand"
    md = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert ("- `p-self-neglect-briefing-on-demand`: `Self-neglect briefing` (`Provider p`, "
            "at any time, on-demand), `https://provider.example.org/l/self-neglect`") in md
    assert "dates not known" not in md


def test_running_twice_adds_nothing_nor_once_a_person_has_written_the_dates(server, tmp_path):
    root = project(server, tmp_path)
    assert len(run(root).added) == 4
    live = root / "data" / "training.yaml"
    first = live.read_text(encoding="utf-8")
    second = run(root)
    assert second.added == [] and second.outcomes[0].duplicate == 4
    assert live.read_text(encoding="utf-8") == first
    # A person finds the briefing's date: its sessions replace dates_unknown and checked.
    block = first[first.index("  - id: p-self-neglect-briefing-dates-tbc"):].split("\n\n")[0]
    dated = block.replace("    dates_unknown: true\n", "    sessions:\n      - date: 2027-02-01\n")
    dated = dated.replace("\n    checked: 2026-11-26", "")
    live.write_text(first.replace(block, dated), encoding="utf-8")
    third = run(root)
    assert third.added == [] and third.outcomes[0].duplicate == 4
    [briefing] = [c for c in assert_safe(root) if c.title == "Self-neglect briefing"]
    assert [s.date.isoformat() for s in briefing.sessions] == ["2027-02-01"]


def test_undated_is_an_option_of_feeds_only_with_plain_messages(tmp_path):
    root = make_project(tmp_path / "p", [
        provider("a", "https://a.example.org/feed", undated="on demand"),
        provider("b", "https://b.example.org/cal.ics", "ics", undated="on-demand"),
        provider("c", "https://c.example.org/feed", "atom", undated="on-demand")])
    with pytest.raises(DataError) as exc:
        load_providers(root / "data" / "providers.yaml")
    assert [str(p).replace(f"{root}/", "") for p in exc.value.problems] == [
        "data/providers.yaml:8: provider 'a': undated: 'on demand' is not allowed; did you mean "
        "'on-demand'? (write one of: dates-unknown, on-demand)",
        "data/providers.yaml:15: provider 'b': undated: only an rss or atom provider has undated: "
        "(this one is ics, whose items with no date are skipped; remove undated:)"]


def test_an_undated_item_is_a_course_already_listed_on_any_date_with_its_link_or_title():
    seen = Seen()
    listed = {"id": "p-x", "title": "Self-neglect briefing", "provider": "P", "source": "p",
              "url": "https://provider.example.org/l/self-neglect",
              "sessions": [{"date": dt.date(2027, 2, 1), "time": "10:00"}]}
    seen.add_new(listed)
    seen.pages.add("https://provider.example.org/events")
    item = {"id": "p-y", "title": "Self-neglect briefing", "provider": "P", "source": "p",
            "url": "https://provider.example.org/events", "dates_unknown": True}
    assert seen.is_duplicate(item)  # the same provider's title (its link is only the listing page)
    assert seen.is_duplicate({**item, "title": "A briefing", "url": listed["url"]})  # the same link
    assert not seen.is_duplicate({**item, "title": "Self-neglect briefings"})  # on any date: exact only
    assert not seen.is_duplicate({**item, "source": "q", "provider": "Q"})  # another provider
    # A dated item keeps the date rule: the same title on another day is another course.
    assert not seen.is_duplicate({**listed, "sessions": [{"date": dt.date(2027, 3, 1), "time": "10:00"}]})
