"""Polite, bounded HTTP fetching for the harvester (httpx, asyncio).

Every request has a timeout, a response size cap (the body is streamed and abandoned past
the cap), a redirect limit and the site's User-Agent. Only public addresses are connected to
(checked when connecting, by the transport `policy.PinnedTransport`) and a redirect may not
leave the host and port it came from (`policy`); a refusal fails that provider with the
reason and is never retried. A timeout, a connection error or a 5xx answer is retried once
after a short back-off. Requests to one host are limited by an `asyncio.Semaphore` per host
(scheme, host and port), and all requests by a global one.
robots.txt is fetched once per origin and obeyed for every address fetched, the first and
each one redirected to (urllib.robotparser): a 401/403 answer disallows everything, any
other 4xx/5xx allows everything (as Python's robotparser does), and a robots.txt that
cannot be fetched at all fails that provider.
ETag / Last-Modified validators are kept in `.cache/harvest/` and sent back
(If-None-Match / If-Modified-Since); a 304 means the feed has not changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .policy import FetchError, PinnedTransport, Refused, redirect_target

USER_AGENT = ("SouthendSafeguardingPartnership-TrainingHarvester/1.0 "
              "(+https://www.southendsafeguardingpartnership.org.uk; free training listings)")


@dataclass(frozen=True)
class Settings:
    timeout: float = 15.0  # seconds, per request (connect, read, write, pool)
    max_bytes: int = 5_000_000  # response size cap
    max_redirects: int = 5
    retry_backoff: float = 1.0  # seconds before the one retry
    per_host: int = 4  # concurrent requests to one host
    total: int = 32  # concurrent requests in all
    user_agent: str = USER_AGENT
    allow_loopback: bool = False  # tests only: their fixtures are served on 127.0.0.1


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 when not modified
    headers: dict[str, str]
    body: bytes
    validators: dict[str, str]  # etag / last-modified to remember

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Cache:
    """ETag / Last-Modified per URL, one small JSON file each in `folder`."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, url: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def get(self, url: str) -> dict[str, str]:
        path = self._path(url)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if k in ("etag", "last-modified") and isinstance(v, str)}

    def put(self, url: str, validators: dict[str, str]) -> None:
        path = self._path(url)
        if path is None or not validators:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"url": url, **validators}, sort_keys=True), encoding="utf-8")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Fetcher:
    """Fetches many URLs concurrently within the limits of `settings`."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings, cache: Cache):
        self.client, self.settings, self.cache = client, settings, cache
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._total = asyncio.Semaphore(settings.total)
        self._robots: dict[str, asyncio.Task] = {}

    async def _get(self, url: str, headers: dict[str, str],
                   obey_robots: bool) -> tuple[str, httpx.Response, bytes]:
        """(final url, response, body): a GET following redirects on the same host and port
        only, each address asked of its origin's robots.txt when `obey_robots`."""
        for _ in range(self.settings.max_redirects + 1):
            if obey_robots:
                robots = await self._robots_for(url)
                if not robots.can_fetch(self.settings.user_agent, url):
                    raise FetchError("robots.txt does not allow the harvester to fetch this address")
            response, body = await self._attempt(url, headers)
            if not response.has_redirect_location:
                return url, response, body
            url = redirect_target(url, response.headers["location"])
        raise FetchError(f"more than {self.settings.max_redirects} redirects (a redirect loop?)")

    async def _attempt(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        """One GET with the size cap, retried once on timeouts, connection errors and 5xx."""
        host = self._hosts.setdefault(_origin(url), asyncio.Semaphore(self.settings.per_host))
        last: Exception | None = None
        for attempt in range(2):
            if attempt:
                await asyncio.sleep(self.settings.retry_backoff)
            try:
                async with host, self._total:
                    response, body = await asyncio.wait_for(
                        self._stream(url, headers), timeout=self.settings.timeout * 2)
            except (TimeoutError, httpx.TimeoutException):
                last = FetchError(f"timed out after {self.settings.timeout:g} s")
                continue
            except (httpx.TransportError, httpx.UnsupportedProtocol) as exc:
                last = FetchError(f"could not connect ({type(exc).__name__})")
                continue
            except httpx.InvalidURL:
                raise FetchError("the address is not valid") from None
            if response.status_code >= 500:
                last = FetchError(f"server error (HTTP {response.status_code})")
                continue
            return response, body
        raise last  # type: ignore[misc]

    async def _stream(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        async with self.client.stream("GET", url, headers=headers) as response:
            length = response.headers.get("content-length", "").strip()
            if length.isdigit() and len(length) > 15:  # no int() of a thousand digits
                raise FetchError(f"response too large (over {self.settings.max_bytes:,} bytes)")
            if length.isdigit() and int(length) > self.settings.max_bytes:
                raise FetchError(f"response too large ({int(length):,} bytes; the limit is "
                                 f"{self.settings.max_bytes:,})")
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(f"response too large (over {self.settings.max_bytes:,} bytes)")
                chunks.append(chunk)
            return response, _decode(response, b"".join(chunks), self.settings.max_bytes * 4)

    async def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        return await self._robots[origin]

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            _, response, body = await self._get(origin + "/robots.txt", {}, obey_robots=False)
        except Refused:
            raise  # its own reason says what was refused
        except FetchError as exc:
            if str(exc).startswith("server error"):
                parser.allow_all = True
                return parser
            raise FetchError(f"robots.txt: {exc}") from None
        if response.status_code in (401, 403):
            parser.disallow_all = True
        elif response.status_code >= 400:
            parser.allow_all = True
        else:
            parser.parse(body.decode("utf-8", "replace").splitlines())
        return parser

    async def fetch(self, url: str) -> Response:
        """The feed at `url` (a 304 Response when the cached validators still hold)."""
        headers = {}
        known = self.cache.get(url)
        if "etag" in known:
            headers["If-None-Match"] = known["etag"]
        if "last-modified" in known:
            headers["If-Modified-Since"] = known["last-modified"]
        final, response, body = await self._get(url, headers, obey_robots=True)
        if response.status_code == 304:
            return Response(final, 304, dict(response.headers), b"", known)
        if response.status_code != 200:
            reason = "not found" if response.status_code == 404 else (response.reason_phrase or "error")
            raise FetchError(f"HTTP {response.status_code} ({reason})")
        validators = {k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers}
        return Response(final, 200, dict(response.headers), body, validators)


def _decode(response: httpx.Response, raw: bytes, limit: int) -> bytes:
    """Undo Content-Encoding (gzip, deflate, br) ourselves, so the size cap applies to what
    the server sent and a decompression bomb is stopped by the same cap."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if not encoding or encoding == "identity":
        return raw
    import zlib

    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding '{encoding[:20]}'")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        data = inflate.decompress(raw, limit)
    except zlib.error:
        raise FetchError("the compressed response is corrupt") from None
    if inflate.unconsumed_tail:
        raise FetchError(f"response too large once decompressed (over {limit:,} bytes)")
    return data


async def fetch_all(urls: dict[str, str], settings: Settings,
                    cache: Cache) -> dict[str, Response | FetchError]:
    """Fetch every url of `urls` (key -> url) concurrently; each result or its FetchError."""
    limits = httpx.Limits(max_connections=settings.total, max_keepalive_connections=settings.total)
    async with httpx.AsyncClient(
            timeout=httpx.Timeout(settings.timeout), follow_redirects=False,  # followed by Fetcher._get
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=PinnedTransport(limits, settings.allow_loopback), trust_env=False) as client:
        fetcher = Fetcher(client, settings, cache)

        async def one(key: str, url: str):
            try:
                return key, await fetcher.fetch(url)
            except FetchError as exc:
                return key, exc
            except Exception as exc:  # anything unexpected fails this provider only
                return key, FetchError(f"unexpected error ({type(exc).__name__})")

        results = await asyncio.gather(*(one(k, u) for k, u in urls.items()))
    return dict(results)
