"""The harvester against a local HTTP server: hostile servers, idempotence, hand-written
entries left byte for byte, the summary, robots.txt, the ETag cache, deduplication, the
mapping of each source type and the providers file's validation. Never the internet."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug import Response

from macros.core.problems import DataError
from macros.data.providers import load_providers
from macros.harvest import summary
from macros.harvest.fetch import Settings
from tests.harvest_helpers import (
    FIXTURES,
    NOW,
    assert_safe,
    courses,
    feed_server,
    make_project,
    provider,
    run,
)

RSS = (FIXTURES / "rss.xml").read_bytes()
HANG = Settings(timeout=0.5, retry_backoff=0.05, max_bytes=300_000, allow_loopback=True)


@pytest.fixture
def server():
    yield from feed_server()


def one(root):
    result = run(root)
    [outcome] = result.outcomes
    return result, outcome


def feed(server, path="/feed.xml", body=RSS, **kw):
    server.expect_request(path).respond_with_data(body, **kw)
    return server.url_for(path)


# --- hostile servers --------------------------------------------------------------------------


def test_404_and_500_fail_their_provider_only(server, tmp_path):
    server.expect_request("/missing.xml").respond_with_data("no", status=404)
    server.expect_request("/broken.xml").respond_with_data("oops", status=500)
    root = make_project(tmp_path / "p", [
        provider("missing", server.url_for("/missing.xml")),
        provider("broken", server.url_for("/broken.xml")),
        provider("good", feed(server), exclude=["members only"])])
    result = run(root)
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["missing"].failed == "HTTP 404 (not found)"
    assert by_id["broken"].failed == "server error (HTTP 500)"
    assert len(by_id["good"].added) == 3
    assert len([r for r in server.log if r[0].path == "/broken.xml"]) == 2  # one retry
    assert_safe(root)


def test_a_server_that_never_answers_times_out(server, tmp_path):
    answer = threading.Event()  # set only once the harvest is over: the server never answers in time

    def slow(request):
        answer.wait(30)
        return Response("late")

    server.expect_request("/slow.xml").respond_with_handler(slow)
    root = make_project(tmp_path / "p", [provider("slow", server.url_for("/slow.xml"))])
    try:
        result = run(root, settings=HANG)
    finally:
        answer.set()
    assert result.outcomes[0].failed == "timed out after 0.5 s"


def test_a_silent_socket_times_out(tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections (the kernel does) and never says a word
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml"
        root = make_project(tmp_path / "p", [provider("silent", url)])
        result = run(root, settings=HANG)
        assert result.outcomes[0].failed == "robots.txt: timed out after 0.5 s"
    finally:
        listener.close()


def test_enormous_responses_are_cut_off(server, tmp_path):
    big = b"<rss>" + b"x" * 1_000_000
    server.expect_request("/big.xml").respond_with_data(big)

    def chunked(request):
        return Response((b"<item>" * 1000 for _ in range(1000)), content_type="application/rss+xml")

    server.expect_request("/stream.xml").respond_with_handler(chunked)
    root = make_project(tmp_path / "p", [provider("big", server.url_for("/big.xml")),
                                         provider("stream", server.url_for("/stream.xml"))])
    result = run(root)
    assert result.outcomes[0].failed == "response too large (1,000,005 bytes; the limit is 300,000)"
    assert result.outcomes[1].failed == "response too large (over 300,000 bytes)"
    assert not result.added


def test_a_redirect_loop_is_stopped(server, tmp_path):
    server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    root = make_project(tmp_path / "p", [provider("loop", server.url_for("/loop"))])
    _, outcome = one(root)
    assert outcome.failed == "more than 5 redirects (a redirect loop?)"


def test_a_redirect_is_followed(server, tmp_path):
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/feed.xml"})
    feed(server)
    root = make_project(tmp_path / "p", [provider("moved", server.url_for("/old"))])
    _, outcome = one(root)
    assert len(outcome.added) == 3


# --- the data file -------------------------------------------------------------------------


def test_hand_written_entries_and_comments_keep_every_byte(server, tmp_path):
    root = make_project(tmp_path / "p", [provider("provider", feed(server))])
    live = root / "data" / "training.yaml"
    before = live.read_bytes()
    archive = (root / "data" / "archive" / "training-2025-26.yaml").read_bytes()
    result = run(root)
    after = live.read_bytes()
    assert result.added and after.startswith(before)
    assert b"# A trailing comment inside the last course." in after
    assert (root / "data" / "archive" / "training-2025-26.yaml").read_bytes() == archive
    hand = {c.id: c for c in courses(root) if not c.source}
    assert set(hand) == {"safe-steps-da-overview-2027-01", "scie-advocacy"}


def test_second_run_adds_nothing(server, tmp_path):
    root = make_project(tmp_path / "p", [provider("provider", feed(server), exclude=["members only"])])
    first = run(root)
    assert len(first.added) == 3
    text = (root / "data" / "training.yaml").read_bytes()
    second = run(root)
    assert second.added == [] and not second.written
    assert second.outcomes[0].duplicate == 3
    assert (root / "data" / "training.yaml").read_bytes() == text


def test_dry_run_writes_nothing(server, tmp_path):
    root = make_project(tmp_path / "p", [provider("provider", feed(server, headers={"ETag": '"v1"'}))])
    before = (root / "data" / "training.yaml").read_bytes()
    result = run(root, dry_run=True)
    assert result.added and not result.written
    assert (root / "data" / "training.yaml").read_bytes() == before
    assert not (root / ".cache").exists()


def test_duplicates_of_hand_written_courses_and_within_the_run(server, tmp_path):
    body = b"""<?xml version="1.0"?><rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
    <channel><title>t</title><link>https://a.example.org/</link><description>d</description>
    <item><title>Domestic abuse - an overview</title><link>https://elsewhere.example.org/x</link>
      <ev:startdate>2027-01-12T09:30:00Z</ev:startdate></item>
    <item><title>Another title entirely</title>
      <link>https://WWW.example.org/book?id=1&amp;utm_source=feed#top</link>
      <ev:startdate>2027-01-12T09:30:00Z</ev:startdate></item>
    <item><title>Shared course</title><link>https://a.example.org/shared</link>
      <ev:startdate>2027-02-01T09:30:00Z</ev:startdate></item>
    </channel></rss>"""
    url = feed(server, body=body)
    root = make_project(tmp_path / "p", [provider("safe-steps", url, name="Safe Steps"),
                                         provider("other", url + "?again=1")])
    result = run(root)
    steps, other = result.outcomes
    assert (len(steps.added), steps.duplicate) == (1, 2)  # near-identical title; same URL + date
    # Another provider's course with the same title is not a duplicate (the same provider is
    # part of the title rule); its other two items were seen earlier in the run.
    assert (len(other.added), other.duplicate) == (1, 2)
    assert [c["title"] for c in result.added] == ["Shared course", "Domestic abuse - an overview"]


def test_summary_counts_and_markdown(server, tmp_path):
    server.expect_request("/missing.xml").respond_with_data("no", status=404)
    root = make_project(tmp_path / "p", [provider("provider", feed(server), exclude=["members only"]),
                                         provider("missing", server.url_for("/missing.xml"))])
    result = run(root)
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert ("| provider | added | duplicate | paid | past | excluded words | impossible dates | other "
            "| status |") in text
    assert "| `Provider provider` (`provider`) | 3 | 0 | 1 | 1 | 1 | 0 | 0 | ok |" in text
    assert ("| `Provider missing` (`missing`) | 0 | 0 | 0 | 0 | 0 | 0 | 0 | "
            "failed: `HTTP 404 (not found)` |") in text
    assert "- `provider` excluded words: `excluded word 'members only'` (1)" in text
    assert "- `provider` past: `ended` (1)" in text
    assert "- `provider`: `Paid masterclass on safeguarding`: `'£95' in its text`" in text
    assert ("- `provider-domestic-abuse-an-overview-2027-01-12`: `Domestic Abuse – An Overview` "
            "(`Provider provider`, 2027-01-12, online), "
            "`https://provider.example.org/events/da-overview?ref=1`") in text
    assert text.count("\n- `provider-") == 3


# --- robots.txt and the cache --------------------------------------------------------------


def test_robots_txt_disallow_is_respected(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    url = feed(server, "/private/feed.xml")
    root = make_project(tmp_path / "p", [provider("private", url)])
    _, outcome = one(root)
    assert outcome.failed == "robots.txt does not allow the harvester to fetch this address"
    assert [r[0].path for r in server.log] == ["/robots.txt"]


def test_user_agent_names_the_site(server, tmp_path):
    root = make_project(tmp_path / "p", [provider("provider", feed(server))])
    run(root)
    agents = {r[0].headers.get("User-Agent") for r in server.log}
    assert len(agents) == 1 and "SouthendSafeguardingPartnership" in agents.pop()


def test_etag_is_sent_back_and_a_304_adds_nothing(server, tmp_path):
    seen = []

    def handler(request):
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(RSS, headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"})

    server.expect_request("/feed.xml").respond_with_handler(handler)
    root = make_project(tmp_path / "p", [provider("provider", server.url_for("/feed.xml"))])
    assert run(root).added
    text = (root / "data" / "training.yaml").read_bytes()
    second = run(root)
    assert seen == [None, '"v1"']
    assert second.outcomes[0].not_modified and second.added == []
    assert (root / "data" / "training.yaml").read_bytes() == text
    assert list((root / ".cache" / "harvest").glob("*.json"))


# --- what each type becomes ------------------------------------------------------------------


def harvested(server, tmp_path, name, kind, **extra):
    root = make_project(tmp_path / "p", [provider("p", feed(server, f"/{name}", (FIXTURES / name)
                                                            .read_bytes()), kind, **extra)])
    run(root)
    return {c.title: c for c in assert_safe(root) if c.added == NOW.date()}


def sessions(course):
    return [(s.date.isoformat(), s.end_date.isoformat() if s.end_date else None, s.time)
            for s in course.sessions]


def test_rss_mapping(server, tmp_path):
    found = harvested(server, tmp_path, "rss.xml", "rss", exclude=["members only"])
    da = found["Domestic Abuse – An Overview"]
    assert da.url == "https://provider.example.org/events/da-overview?ref=1"
    assert sessions(da) == [("2027-01-12", None, "09:30-12:30")]
    assert da.format == "online" and da.description == "A free half-day introduction, on Zoom."
    assert da.topics == ("safeguarding-basics", "domestic-abuse") and da.source == "p"
    slavery = found["Modern slavery awareness"]
    assert (slavery.format, slavery.location) == ("in-person", "Civic Centre, Victoria Avenue, Southend")
    assert "modern-slavery" in slavery.topics and sessions(slavery) == [("2027-02-03", None, None)]
    # No event date: not assumed to be available at any time (test_harvest_undated.py)
    briefing = found["Self-neglect briefing"]
    assert (briefing.format, briefing.dates_unknown, briefing.checked, briefing.sessions) == (
        "to-be-confirmed", True, NOW.date(), ())


def test_ics_times_become_london_wall_clock_on_both_sides_of_the_clock_change(server, tmp_path):
    found = harvested(server, tmp_path, "calendar.ics", "ics")
    assert sessions(found["Child sexual abuse: spotting the signs"]) == [("2027-01-20", None, "10:00-11:30")]
    assert sessions(found["Exploitation in transition forum"]) == [("2027-06-15", None, "10:00-12:00")]
    conference = found["Two-day conference on coercive control"]
    assert sessions(conference) == [("2027-03-10", "2027-03-11", None)]
    assert conference.format == "in-person"
    assert conference.location == "Chelmsford City Racecourse, Chelmsford"


def test_jsonld_mapping(server, tmp_path):
    found = harvested(server, tmp_path, "jsonld.html", "jsonld")
    assert set(found) == {"Hate crime awareness", "Safer recruitment workshop", "Mental capacity essentials"}
    assert found["Hate crime awareness"].url == "https://provider.example.org/e/hate-crime"
    assert found["Safer recruitment workshop"].url.endswith("/e/safer-recruitment")
    assert found["Mental capacity essentials"].format == "hybrid"
    assert sessions(found["Mental capacity essentials"]) == [("2027-04-20", None, "13:00-16:00")]


def test_html_mapping(server, tmp_path):
    found = harvested(server, tmp_path, "listing.html", "html", selectors={
        "item": ".event", "title": "h3", "date": "time", "link": "a.book", "location": ".where"})
    assert sessions(found["Graded Care Profile 2"]) == [("2027-01-18", None, "09:30")]
    assert found["Self-harm and young people"].format == "online"
    toolkit = found["Neglect toolkit launch"]  # a javascript: link: the listing page instead
    assert toolkit.url == server.url_for("/listing.html") and not toolkit.link_unknown
    # No place and nothing saying online: the format is not guessed.
    assert (toolkit.format, toolkit.location) == ("to-be-confirmed", None)


def test_hostile_markup_becomes_plain_text(server, tmp_path):
    found = harvested(server, tmp_path, "hostile-markup.xml", "rss")
    assert "Safeguarding basics" in found
    # javascript:, data: and vbscript: links: the feed's own website link instead
    assert {c.url for t, c in found.items() if "controls" not in t} == {"https://provider.example.org/"}
    [clean] = [c for t, c in found.items() if "controls" in t]
    assert clean.title == "Line separator and controls" and clean.url == "https://provider.example.org/ok?x=1"


# --- configuration and the command -----------------------------------------------------------


def test_providers_file_messages(tmp_path):
    root = make_project(tmp_path / "p", [
        provider("scie", "https://a.example.org/feed", "rs"),
        provider("nwg", "", topics=["exploitaton"]),
        provider("lga", "ftp://a.example.org/feed", "html"),
        provider("off", "", enabled=False)])
    with pytest.raises(DataError) as exc:
        load_providers(root / "data" / "providers.yaml")
    messages = [str(p).split(": ", 1)[1] for p in exc.value.problems]
    assert "provider 'scie': type: 'rs' is not allowed; did you mean 'rss'? (write one of: rss, atom, " \
           "ics, jsonld, html)" in messages
    assert "provider 'nwg': topics: 'exploitaton' is not a known topic; did you mean 'exploitation'? " \
           "(known topics are listed in data/topics.yaml)" in messages
    assert "provider 'nwg': url: is empty, but the provider is enabled (write the address of its feed, " \
           "starting https://, or set enabled: false until it is known)" in messages
    assert any(m.startswith("provider 'lga': url: 'ftp://a.example.org/feed' is not in the right form")
               for m in messages)
    assert not any("'off'" in m for m in messages)


def test_the_repository_providers_file_is_valid_and_has_no_guessed_address():
    providers = load_providers()
    assert providers
    assert all(p.url or not p.enabled for p in providers)


def test_script_exit_codes(project_copy):
    script = [sys.executable, "scripts/harvest.py", "--dry-run"]
    ok = subprocess.run(script, cwd=project_copy, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    (project_copy / "data" / "providers.yaml").write_text("providers:\n  - id: Bad Id\n", encoding="utf-8")
    bad = subprocess.run(script, cwd=project_copy, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "data/providers.yaml:2: provider 'Bad Id': id: 'Bad Id' is not in the right form" in bad.stderr


def test_summary_file_is_written(project_copy):
    out = Path(project_copy) / "summary.md"
    result = subprocess.run([sys.executable, "scripts/harvest.py", "--summary", str(out)],
                            cwd=project_copy, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("## Training harvest, ")



def test_runs_inside_a_running_event_loop(server, tmp_path):
    """Playwright's sync API (other tests) leaves an event loop running in the main thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    root = make_project(tmp_path / "p", [provider("provider", feed(server))])

    async def inside():
        return run(root)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: this one may have a loop running
        assert pool.submit(asyncio.run, inside()).result().added
