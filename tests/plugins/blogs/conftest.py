"""Blogs with a feed server of their own, on the loopback, for the tests only: the fetcher
may reach it because the test settings allow its one address (``blogs.allowed_private``)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

MAX_BYTES = 60_000


def rss(title, items, link="http://127.0.0.1/blog/"):
    entries = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
        f"<pubDate>Mon, 0{n + 1} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[{body}]]></description></item>"
        for n, (t, u, body) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{link}</link>{entries}</channel></rss>").encode()


class FeedServer:
    def __init__(self):
        self.hits: list[tuple[str, dict]] = []
        self.pages: dict[str, tuple[int, dict, bytes]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits.append((self.path, dict(self.headers)))
                if self.path == "/slow.xml":
                    time.sleep(3)
                status, headers, body = server.pages.get(self.path, (404, {}, b"gone"))
                if status == 200 and headers.get("ETag") and \
                        self.headers.get("If-None-Match") == headers["ETag"]:
                    status, body = 304, b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path, body, status=200, **headers):
        self.pages[path] = (status, headers, body)


@pytest.fixture(scope="session")
def feed_server():
    server = FeedServer()
    yield server
    server.httpd.shutdown()


@pytest.fixture
def feeds(feed_server):
    base = feed_server.base
    feed_server.hits.clear()
    feed_server.serve("/feed.xml", rss("Notes from the picket line", [
        ("First strike day", f"{base}/posts/1", "<p>We were <b>many</b>.</p>"),
        ("Second strike day", f"{base}/posts/2",
         ('<p onclick="steal()">Hello</p><script>alert(1)</script>'
         '<a href="javascript:alert(2)">bad</a> <a href="https://example.org/x">good</a>')),
    ], link=f"{base}/blog/"), **{"Content-Type": "application/rss+xml", "ETag": '"v1"',
                                 "Last-Modified": "Mon, 01 Jun 2026 10:00:00 GMT"})
    feed_server.serve("/blog/", (
        b'<html><head><title>Picket</title><link rel="alternate" type="application/rss+xml" '
        b'href="/feed.xml"></head><body>Hi</body></html>'),
        **{"Content-Type": "text/html"})
    feed_server.serve("/nofeed/", b"<html><head></head><body>no feed</body></html>",
                      **{"Content-Type": "text/html"})
    feed_server.serve("/huge.xml", b"<rss>" + b"x" * (MAX_BYTES * 2) + b"</rss>")
    feed_server.serve("/slow.xml", rss("Slow", []))
    feed_server.serve("/loop", b"", status=302, Location="/loop2")
    feed_server.serve("/loop2", b"", status=302, Location="/loop")
    feed_server.serve("/to-private", b"", status=302, Location="http://10.1.2.3/feed.xml")
    feed_server.serve("/to-metadata", b"", status=302,
                      Location="http://169.254.169.254/latest/meta-data/")
    feed_server.serve("/broken.xml", b"oops", status=500)
    return feed_server


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "blogs"]


@pytest.fixture
def cortege_settings(cortege_settings, feed_server):
    return {**cortege_settings, "blogs.allowed_private": f"127.0.0.1:{feed_server.port}",
            "blogs.timeout": "1", "blogs.max_bytes": str(MAX_BYTES)}
