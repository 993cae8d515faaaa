"""Where the harvester may go (issue #11): public addresses only, and redirects that stay on
the host and port of the provider's address.

A feed's server chooses its redirects and its name's DNS answers, so both are checked: the
addresses a host name resolves to before the first request (`refused_host`) and the address
each connection actually reached (`address_problem` on the peer), so a name that resolves
to a public address when checked and to a private one when connecting is refused too.
Loopback addresses are allowed only with `Settings.allow_loopback`, which the tests set
(their fixtures are served on 127.0.0.1); nothing in the data files can set it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

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


async def resolve(host: str, port: int, timeout: float) -> list[str]:
    """The IP addresses `host` resolves to; [] when it cannot be resolved (the request then
    fails with its own reason, and its connection is checked all the same)."""
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    except (OSError, UnicodeError, TimeoutError):
        return []
    return [sockaddr[0] for *_, sockaddr in found]


def refusal(host: str, problem: str) -> Refused:
    """The Refused error for `host`, which is (or reached) `problem`."""
    return Refused(f"refused: {host} is {problem} (only public addresses are fetched)")


async def refused_host(url: str, allow_loopback: bool, timeout: float) -> None:
    """Raise Refused when the host of `url` resolves to an address the harvester avoids."""
    host, port = host_port(url)
    for address in await resolve(host, port, timeout):
        problem = address_problem(address, allow_loopback)
        if problem:
            raise refusal(host, problem)


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
