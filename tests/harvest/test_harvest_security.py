"""Issue #11 for the harvester: feed text cannot steer the pull request (its description is
the summary), the network policy (public addresses only, redirects on the same host and port,
robots.txt for every address fetched) and hostile items that cost only themselves."""

from __future__ import annotations

import errno
import re
import socket
import subprocess
import sys
from types import SimpleNamespace

import anyio
import markdown
import pytest
from bs4 import BeautifulSoup

from macros.harvest import policy, summary
from macros.harvest.fetch import Settings
from tests.harvest_helpers import FIXTURES, feed_server, make_project, provider, run

RSS = (FIXTURES / "rss.xml").read_bytes()
ZWSP = "\u200b"
KEYWORD = re.compile(r"(?i)\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s+#")
PUBLIC_ONLY = Settings(timeout=1.0, retry_backoff=0.05)  # the default: no loopback


@pytest.fixture
def server():
    yield from feed_server()


@pytest.fixture
def other():
    yield from feed_server()


def feed(server, path="/feed.xml", body=RSS):
    server.expect_request(path).respond_with_data(body)
    return server.url_for(path)


# --- point 4: feed text in the summary --------------------------------------------------------

HOSTILE = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>
<link>https://provider.example.org/</link><description>d</description>
<item><title>Fixes #1 @someone [verify your account](https://evil.example/login) | a `pipe`
 ![](https://evil.example/pixel.png) closes #2, RESOLVED owner/repo#3</title>
 <link>https://provider.example.org/![](https://evil.example/p.png)/[x](https://evil.example/)</link>
 <ev:startdate>2027-01-12T09:30:00Z</ev:startdate></item>
<item><title>Plain course https://evil.example/autolink www.evil.example</title>
 <ev:startdate>2027-01-13T09:30:00Z</ev:startdate></item>
</channel></rss>"""


def test_code_breaks_mentions_references_keywords_and_code_spans():
    assert summary.code("Fixes  #1\n@someone `x` | y") == (
        f"`F{ZWSP}ixes #{ZWSP}1 @{ZWSP}someone 'x' ¦ y`")
    assert summary.code("closed, Resolves: fixed; prefix fixture") == (
        f"`c{ZWSP}losed, R{ZWSP}esolves: f{ZWSP}ixed; prefix fixture`")
    assert summary.code("x" * 300) == "`" + "x" * 199 + "…`"
    assert summary.code("") == "` `"


def test_feed_text_cannot_mention_close_link_or_load_images(server, tmp_path):
    root = make_project(tmp_path / "p", [
        provider("hostile", feed(server, body=HOSTILE), name="Evil @org fixes #4",
                 exclude=["@excluded [x](https://evil.example/) Fixes #5"])])
    result = run(root)
    assert len(result.added) == 2
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    page = BeautifulSoup(markdown.markdown(text, extensions=["tables"]), "html.parser")
    assert page.find_all(["a", "img"]) == []
    for code in page.find_all("code"):
        code.decompose()
    outside = page.get_text(" ")
    assert not re.search(r"https?:|www\.|@|#", outside), outside  # all feed text is in code spans
    assert len(page.find("tbody").find("tr").find_all("td")) == 9  # a pipe cannot add a cell
    assert not re.search(r"@\w", text) and not re.search(r"#\d", text), text
    assert not KEYWORD.search(text), text
    assert "<https://" not in text  # no autolink
    link = "https://provider.example.org/![](https://evil.example/p.png)/[x](https://evil.example/)"
    assert f"`{link}`" in text  # shown as code, in full


# --- point 7: where the harvester may go --------------------------------------------------------


@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("10.1.2.3", "a private address"),
    ("192.168.0.1", "a private address"), ("169.254.169.254", "a link-local address"),
    ("fe80::1%eth0", "a link-local address"), ("224.0.0.1", "a multicast address"),
    ("0.0.0.0", "an unspecified address"), ("240.0.0.1", "a reserved address"),
    ("100.64.0.1", "not a public address"), ("93.184.215.14", ""), ("2606:4700::1111", "")])
def test_address_problem(address, problem):
    assert policy.address_problem(address, allow_loopback=False) == problem


def test_only_loopback_is_opted_in():
    assert policy.address_problem("127.0.0.1", allow_loopback=True) == ""
    assert policy.address_problem("10.1.2.3", allow_loopback=True) == "a private address"


def test_a_loopback_source_is_refused_without_the_opt_in(server, tmp_path):
    url = feed(server)
    root = make_project(tmp_path / "p", [
        provider("ip", url.replace("localhost", "127.0.0.1")), provider("name", url)])
    result = run(root, settings=PUBLIC_ONLY)
    ip, name = result.outcomes
    assert ip.failed == "refused: 127.0.0.1 is a loopback address (only public addresses are fetched)"
    assert name.failed == "refused: localhost is a loopback address (only public addresses are fetched)"
    assert server.log == [] and not result.added
    text = summary.markdown(result.outcomes, False, "2026-11-26 12:00")
    assert "| failed: `refused: 127.0.0.1 is a loopback address (only public addresses are " \
           "fetched)` |" in text


def test_private_and_link_local_sources_are_refused_even_with_the_opt_in(tmp_path):
    root = make_project(tmp_path / "p", [provider("private", "http://10.0.0.1/feed.xml"),
                                         provider("metadata", "http://169.254.169.254/latest")])
    private, metadata = run(root).outcomes
    assert private.failed == "refused: 10.0.0.1 is a private address (only public addresses are fetched)"
    assert metadata.failed == ("refused: 169.254.169.254 is a link-local address "
                               "(only public addresses are fetched)")


def test_a_redirect_may_not_change_the_port_but_may_stay_on_the_origin(server, other, tmp_path):
    elsewhere = feed(other, body=RSS.replace(b"provider.example.org", b"other.example.org"))
    server.expect_request("/elsewhere").respond_with_data(
        "", status=302, headers={"Location": elsewhere})
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/feed.xml"})
    root = make_project(tmp_path / "p", [provider("elsewhere", server.url_for("/elsewhere")),
                                         provider("moved", server.url_for("/old")),
                                         provider("direct", feed(other, "/direct.xml"))])
    feed(server)
    result = run(root)
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["elsewhere"].failed == f"refused a redirect to another host or port (localhost:{other.port})"
    assert not by_id["elsewhere"].added
    assert len(by_id["moved"].added) == 3 and not by_id["moved"].failed
    assert by_id["direct"].duplicate == 3  # the other providers carry on
    assert "/feed.xml" not in [r[0].path for r in other.log]


def test_robots_txt_is_asked_about_the_address_redirected_to(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    server.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/private/feed.xml"})
    feed(server, "/private/feed.xml")
    root = make_project(tmp_path / "p", [provider("sneaky", server.url_for("/old"))])
    [outcome] = run(root).outcomes
    assert outcome.failed == "robots.txt does not allow the harvester to fetch this address"
    assert [r[0].path for r in server.log] == ["/robots.txt", "/old"]


def test_a_redirect_that_is_not_http_is_a_plain_failure(server, tmp_path):
    server.expect_request("/ftp").respond_with_data("", status=302, headers={"Location": "ftp://x/"})
    root = make_project(tmp_path / "p", [provider("ftp", server.url_for("/ftp"))])
    [outcome] = run(root).outcomes
    assert outcome.failed == "refused a redirect to an address that is not http(s)"


@pytest.mark.parametrize("location, expected", [
    ("/new?a=1#top", "http://a.example.org/new?a=1"), ("HTTP://A.example.org:80/x", "http://A.example.org:80/x"),
    ("https://a.example.org/", "refused a redirect to another host or port (a.example.org:443)"),
    ("http://a.example.org:8080/", "refused a redirect to another host or port (a.example.org:8080)"),
    ("//b.example.org/", "refused a redirect to another host or port (b.example.org:80)"),
    ("http://a.example.org:99999/", "refused a redirect to an address that is not valid"),
    ("http://[::1/", "refused a redirect to an address that is not valid"),
    ("javascript:alert(1)", "refused a redirect to an address that is not http(s)")])
def test_redirect_target(location, expected):
    try:
        found = policy.redirect_target("http://a.example.org/feed", location)
    except policy.Refused as exc:
        found = str(exc)
    assert found == expected


# --- point 7: hostile items -------------------------------------------------------------------

BAD_RSS = b"""<?xml version="1.0"?><rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
<channel><title>t</title><link>https://provider.example.org/</link><description>d</description>
<item><title>Good course</title><link>https://provider.example.org/good</link>
  <ev:startdate>2027-01-12T09:30:00Z</ev:startdate></item>
<item><title>Overflowing</title><ev:startdate>9999-12-31T23:30:00-05:00</ev:startdate></item>
<item><title>Underflowing</title><ev:startdate>0001-01-01T00:00:00+05:00</ev:startdate></item>
<item><title>Last day of time</title><ev:startdate>9999-12-31</ev:startdate></item>
<item><title>Far ahead</title><ev:startdate>2099-06-01T10:00:00Z</ev:startdate></item>
<item><title>No such day</title><ev:startdate>2027-02-30</ev:startdate></item>
</channel></rss>"""

BAD_ICS = b"""BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n\
BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Good course\r\nDTSTART:20270112T093000Z\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Overflowing\r\nDTSTART;TZID=America/New_York:99991231T233000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:3\r\nSUMMARY:Endless\r\nDTSTART:20270112T093000Z\r\nDURATION:P999999999D\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n"""

BAD_JSONLD = b"""<html><script type="application/ld+json">{"@graph": [
 {"@type": "Event", "name": "Good course", "startDate": "2027-01-12T09:30:00Z", "url": "https://provider.example.org/good"},
 {"@type": "Event", "name": "Overflowing", "startDate": "9999-12-31T23:30:00-05:00"},
 {"@type": "Event", "name": "Huge price", "startDate": "2027-01-13T09:30:00Z", "offers": {"price": """ \
    + b"9" * 5000 + b"""}}]}</script></html>"""


@pytest.mark.parametrize("kind, body, impossible", [
    ("rss", BAD_RSS, {"a date out of range": 2, "a date more than 3 years ahead": 2,
              "a date that could not be read": 1}),
    ("ics", BAD_ICS, {"a date out of range": 2}),
    ("jsonld", BAD_JSONLD, {"a date out of range": 1})], ids=["rss", "ics", "jsonld"])
def test_an_impossible_date_costs_only_its_item(server, tmp_path, kind, body, impossible):
    root = make_project(tmp_path / "p", [provider("p", feed(server, body=body), kind)])
    [outcome] = run(root).outcomes
    assert not outcome.failed
    assert [c["title"] for c in outcome.added] == ["Good course"]
    assert {r: n for (k, r), n in outcome.rejected.items() if k == "impossible"} == impossible
    if kind == "jsonld":  # a 5000-digit price is simply not 0
        assert outcome.paid == [("Huge price", "a price of '" + "9" * 40 + "'")]


PUBLIC = "93.184.215.14"


@pytest.fixture
def dns(monkeypatch):
    """Fake DNS for names under .rebind.test: `dns.answers[name]` is the list of answers, one
    list of addresses per lookup (the last one repeats). Every lookup is counted in
    `dns.lookups`, and every TCP connection in `dns.connects` (its host as given); a connection
    to PUBLIC fails at once as unreachable, so no test reaches the internet."""
    real_lookup, real_connect = socket.getaddrinfo, anyio.connect_tcp
    state = SimpleNamespace(answers={}, lookups=[], connects=[])

    def lookup(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not name.endswith(".rebind.test"):
            return real_lookup(host, port, *args, **kwargs)
        answers = state.answers[name]
        found = answers[min(len(state.lookups), len(answers) - 1)]
        state.lookups.append(name)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, int(port or 0))) for a in found]

    async def connect(remote_host, remote_port, **kwargs):
        state.connects.append(str(remote_host))
        if remote_host == PUBLIC:
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        return await real_connect(remote_host, remote_port, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(anyio, "connect_tcp", connect)
    return state


def test_a_name_that_rebinds_to_loopback_is_refused_before_any_request(server, tmp_path, dns):
    """DNS rebinding: the name resolves to a public address first and to 127.0.0.1 after.
    Each connection resolves it once and connects only to the address it checked: the
    first to the public address (unreachable here), the retry is refused on 127.0.0.1, and
    the local server never gets a request (it got robots.txt when the connection resolved
    the name again after the check)."""
    dns.answers["feeds.rebind.test"] = [[PUBLIC], ["127.0.0.1"]]
    url = feed(server).replace("localhost", "feeds.rebind.test")
    root = make_project(tmp_path / "p", [provider("rebound", url)])
    [outcome] = run(root, settings=PUBLIC_ONLY).outcomes
    assert server.log == []
    assert dns.connects == [PUBLIC]
    assert outcome.failed == ("refused: feeds.rebind.test is a loopback address "
                              "(only public addresses are fetched)")
    assert dns.lookups == ["feeds.rebind.test"] * 2  # once for each connection


@pytest.mark.parametrize("addresses, problem", [
    ([PUBLIC, "10.0.0.7"], "a private address"), (["2606:4700::1111", "::1"], "a loopback address")])
def test_a_name_with_one_address_not_public_is_refused(tmp_path, dns, addresses, problem):
    dns.answers["mixed.rebind.test"] = [addresses]
    root = make_project(tmp_path / "p", [provider("mixed", "https://mixed.rebind.test/feed.xml")])
    [outcome] = run(root, settings=PUBLIC_ONLY).outcomes
    assert outcome.failed == f"refused: mixed.rebind.test is {problem} (only public addresses are fetched)"
    assert dns.connects == []


# --- point 9: no traceback, one line -------------------------------------------------------------


def test_the_command_refuses_a_local_feed_in_one_plain_line(server, project_copy):
    url = feed(server).replace("localhost", "127.0.0.1")
    (project_copy / "data" / "providers.yaml").write_text(
        f"providers:\n  - id: local\n    name: Local\n    url: {url}\n    type: rss\n"
        "    audience: [adults]\n    topics: [safeguarding-basics]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "scripts/harvest.py", "--dry-run", "--summary", "s.md"],
                          cwd=project_copy, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == (
        "local: 0 added, 0 duplicate, 0 filtered out (0 paid, 0 past, 0 excluded words, 0 impossible "
        "dates, 0 other); failed: refused: 127.0.0.1 is a loopback address (only public addresses are "
        "fetched)")
    assert server.log == []


def test_reasons_print_on_one_line():
    outcome = summary.Outcome("p", "P", failed="malformed feed (line one\nline two \x1b[31mred\u202e)")
    assert summary.text([outcome], True) == (
        "p: 0 added, 0 duplicate, 0 filtered out (0 paid, 0 past, 0 excluded words, 0 impossible dates, "
        "0 other); failed: malformed feed (line one line two [31mred )")
