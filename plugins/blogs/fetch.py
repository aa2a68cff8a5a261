"""Fetching members' feeds from the outside world, carefully.

``fetch(url, ...)`` makes one conditional GET (``If-None-Match``, ``If-Modified-Since``) and
follows at most ``max_redirects`` redirects. Before every connection it resolves the host
and refuses when any address it resolves to is not a public one (private, loopback,
link-local, multicast, reserved, unspecified: ``ipaddress``' ``is_global``), then connects
to the very address it checked (a second resolution could answer otherwise), with TLS
checked against the host's name. Each read waits at most ``timeout`` seconds and the whole
fetch at most ``deadline``; a body beyond ``max_bytes`` is refused.

``allowed`` is a set of ``"ip:port"`` that may be reached although private: only tests, and
a deployer who runs a feed on their own network, set it.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

USER_AGENT = "Cortege-feed-fetcher/1.0 (+https://cortege.example/about-feeds)"
REDIRECTS = (301, 302, 303, 307, 308)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/xml", "text/xml", "application/rdf+xml")


class FetchError(Exception):
    """A fetch that failed: the sentence says why (kept on the feed, shown to its owner)."""


class Refused(FetchError):
    """An address the fetcher will not reach."""


@dataclass
class Response:
    url: str
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) address without credentials, or Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("not a valid address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("only http and https addresses are fetched")
    if parts.username or parts.password:
        raise Refused("addresses with credentials are not fetched")
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def public(address) -> bool:
    return address.is_global and not (address.is_multicast or address.is_reserved
                                       or address.is_loopback or address.is_link_local
                                       or address.is_private or address.is_unspecified)


def resolve(host: str, port: int, allowed=frozenset(), resolver=socket.getaddrinfo) -> str:
    """The address to connect to: every address the host resolves to must be public (or
    allowed), so that a name with one private address among public ones is refused too."""
    try:
        infos = resolver(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchError(f"the name {host} does not resolve") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        addresses.append(address)
    if not addresses:
        raise FetchError(f"the name {host} does not resolve")
    for address in addresses:
        if not public(address) and f"{address}:{port}" not in allowed:
            raise Refused(f"{host} leads to a private or reserved address")
    return str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, etag: str | None = None, last_modified: str | None = None, *,
          timeout: float = 10, deadline: float = 30, max_bytes: int = 2_000_000,
          max_redirects: int = 3, allowed=frozenset(), resolver=socket.getaddrinfo) -> Response:
    started = time.monotonic()
    seen = set()
    for _hop in range(max_redirects + 1):
        if url in seen:
            raise FetchError("the address redirects in a loop")
        seen.add(url)
        scheme, host, port, path = check_url(url)
        address = resolve(host, port, allowed, resolver)
        connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = connection_class(host, port, address, timeout)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                   "Accept": ", ".join((*FEED_TYPES, "text/html;q=0.5", "*/*;q=0.1"))}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"a redirect ({response.status}) without an address")
                url = urljoin(url, location.strip())
                continue
            body = _read(response, max_bytes, started, deadline)
            return Response(url, response.status,
                            {key.lower(): value for key, value in response.getheaders()}, body)
        except (OSError, http.client.HTTPException) as error:
            if isinstance(error, TimeoutError | socket.timeout):
                raise FetchError("the site took too long to answer") from None
            raise FetchError(f"the site could not be reached ({error.__class__.__name__})") \
                from None
        finally:
            connection.close()
    raise FetchError(f"more than {max_redirects} redirects")


def _read(response, max_bytes: int, started: float, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"the feed is larger than {max_bytes} bytes")
    chunks, size = [], 0
    while True:
        if time.monotonic() - started > deadline:
            raise FetchError("the site took too long to answer")
        chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the feed is larger than {max_bytes} bytes")
        chunks.append(chunk)


class _Alternates(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("type", "").lower() in FEED_TYPES \
                and values.get("href"):
            self.found.append(values["href"].strip())


def discover(html: bytes, base_url: str) -> list[str]:
    """The feeds a page names with ``<link rel="alternate" type="...">``, absolute."""
    parser = _Alternates()
    try:
        parser.feed(html[:500_000].decode("utf-8", "replace"))
    except (ValueError, AssertionError):  # a page broken beyond reading names no feed
        return []
    return [urljoin(base_url, href) for href in parser.found]
