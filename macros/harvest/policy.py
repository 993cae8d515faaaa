"""Where the harvester may go (issue #11): public addresses only, and redirects that stay on
the host and port of the provider's address.

A feed's server chooses its redirects and its name's DNS answers, so both are checked. The
check is made where the connection is made (`PinnedBackend`, under httpx): each new
connection resolves its host once, is refused unless every address found is allowed, and
connects only to those addresses, so a name that resolves to a public address when checked
and to a private one when connecting (DNS rebinding) never gets a request sent to it.
Loopback addresses are allowed only with `Settings.allow_loopback`, which the tests set
(their fixtures are served on 127.0.0.1); nothing in the data files can set it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx

PORTS = {"http": 80, "https": 443}
_KINDS = ("link_local", "multicast", "unspecified", "reserved", "private")  # in this order:
# 169.254.x.x, 0.0.0.0 and 240.x.x.x are "private" too, but the first word is the clearer


class FetchError(Exception):
    """A fetch that failed; the message is the reason shown in the summary."""


class Refused(FetchError):
    """An address the harvester will not fetch (never retried)."""


def address_problem(address: str, allow_loopback: bool = False) -> str:
    """'' when the harvester may connect to the IP `address`, else what it is
    ("a loopback address", "a private address", "not a public address"...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope ("%eth0") aside
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "" if allow_loopback else "a loopback address"
    for kind in _KINDS:
        if getattr(ip, f"is_{kind}"):
            return f"{'an' if kind[0] == 'u' else 'a'} {kind.replace('_', '-')} address"
    return "" if ip.is_global else "not a public address"


def host_port(url: str) -> tuple[str, int]:
    """The host (lower case) and port (the scheme's default when not given) of `url`."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port or PORTS.get(parts.scheme.lower(), 0)


async def resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The IP addresses `host` resolves to, each once; httpcore's ConnectError (or
    ConnectTimeout) when it cannot be resolved, as when httpcore resolves it itself."""
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"{host} could not be resolved in time") from None
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host} could not be resolved ({exc})") from None
    return list(dict.fromkeys(sockaddr[0] for *_, sockaddr in found))


def refusal(host: str, problem: str) -> Refused:
    """The Refused error for `host` (an IDN as written, not in punycode), which is `problem`."""
    try:
        host = host.encode("ascii").decode("idna")
    except UnicodeError:
        pass
    return Refused(f"refused: {host} is {problem} (only public addresses are fetched)")


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend (asyncio, through anyio) with the address check made at
    connection time: the host is resolved once, refused when any of its addresses is not
    allowed, and connected to by the addresses checked (in order), never by its name."""

    def __init__(self, allow_loopback: bool):
        self.allow_loopback = allow_loopback
        self.backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable | None = None) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port, timeout)
        for address in addresses:
            problem = address_problem(address, self.allow_loopback)
            if problem:
                raise refusal(host, problem)
        failed: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self.backend.connect_tcp(address, port, timeout=timeout,
                                                      local_address=local_address,
                                                      socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failed = exc
        raise failed

    async def sleep(self, seconds: float) -> None:
        await self.backend.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose connections are made by PinnedBackend.
    httpx has no setting for the network backend; httpcore's pool has one, so the pool httpx
    made (`_pool`, used by every request) is replaced by one made the same way with it."""

    def __init__(self, limits: httpx.Limits, allow_loopback: bool):
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(allow_loopback))


def redirect_target(url: str, location: str) -> str:
    """Where a redirect from `url` to `location` leads, without its fragment; Refused when it
    is not http(s), not a valid address, or on another host or port."""
    try:
        target = urljoin(url, location.strip())
        parts = urlsplit(target)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise Refused("refused a redirect to an address that is not valid") from None
    if parts.scheme.lower() not in PORTS:
        raise Refused("refused a redirect to an address that is not http(s)")
    host, port = host_port(target)
    if (host, port) != host_port(url):
        raise Refused(f"refused a redirect to another host or port ({host}:{port})")
    return urlunsplit(parts._replace(fragment=""))
