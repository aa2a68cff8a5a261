"""The fetcher on its own: private addresses refused on the resolved IP, redirects checked
at every hop, size, time and redirect limits."""

from __future__ import annotations

import socket

import pytest

from plugins.blogs.fetch import FetchError, Refused, discover, fetch, resolve


def fake_resolver(*addresses):
    def resolver(host, port, type=0):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]
    return resolver


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "100.64.0.1"])
def test_private_loopback_and_link_local_addresses_are_refused(address):
    with pytest.raises(Refused):
        resolve("blog.example", 80, resolver=fake_resolver(address))


def test_one_private_address_among_public_ones_is_refused():
    with pytest.raises(Refused):
        resolve("blog.example", 80, resolver=fake_resolver("93.184.216.34", "10.0.0.1"))
    assert resolve("blog.example", 80, resolver=fake_resolver("93.184.216.34")) == \
        "93.184.216.34"


def test_the_name_is_checked_on_what_it_resolves_to(feeds):
    """``localhost`` is a name: refused because it resolves to the loopback."""
    with pytest.raises(Refused):
        fetch(f"http://localhost:{feeds.port}/feed.xml")
    with pytest.raises(Refused):
        fetch(f"{feeds.base}/feed.xml")  # the test server itself, unless allowed
    assert not feeds.hits


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd",
                                 "http://user:pw@example.org/", "gopher://x", "http://"])
def test_other_schemes_and_credentials_are_refused(url):
    with pytest.raises(Refused):
        fetch(url)


def allowed(feeds):
    return frozenset({f"127.0.0.1:{feeds.port}"})


def test_a_redirect_to_a_private_address_is_refused(feeds):
    for path in ("/to-private", "/to-metadata"):
        with pytest.raises(Refused):
            fetch(f"{feeds.base}{path}", allowed=allowed(feeds))


def test_a_redirect_to_another_local_port_is_refused(feeds):
    feeds.serve("/to-port", b"", status=302, Location="http://127.0.0.1:1/feed.xml")
    with pytest.raises(Refused):
        fetch(f"{feeds.base}/to-port", allowed=allowed(feeds))


def test_loops_huge_and_slow_feeds_fail(feeds):
    with pytest.raises(FetchError, match="loop|redirects"):
        fetch(f"{feeds.base}/loop", allowed=allowed(feeds))
    with pytest.raises(FetchError, match="larger"):
        fetch(f"{feeds.base}/huge.xml", allowed=allowed(feeds), max_bytes=60_000)
    with pytest.raises(FetchError, match="too long"):
        fetch(f"{feeds.base}/slow.xml", allowed=allowed(feeds), timeout=1)


def test_conditional_requests(feeds):
    first = fetch(f"{feeds.base}/feed.xml", allowed=allowed(feeds))
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    again = fetch(f"{feeds.base}/feed.xml", '"v1"', first.headers["last-modified"],
                  allowed=allowed(feeds))
    assert again.not_modified
    sent = feeds.hits[-1][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 01 Jun 2026 10:00:00 GMT"


def test_discovery_reads_link_rel_alternate():
    page = (b'<html><head><link rel="stylesheet" href="/s.css">'
            b'<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>')
    assert discover(page, "https://blog.example/about/") == ["https://blog.example/atom.xml"]
    assert discover(b"<html>nothing</html>", "https://blog.example/") == []
