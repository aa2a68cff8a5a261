"""Concurrent clients on loopback: keep-alive connections in threads for a set time; and
logging in through the real login form."""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench import BenchError
from bench.server import QUERIES_HEADER

HOST = "127.0.0.1"
SOCKET_TIMEOUT = 30


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, per completed request
    queries: list[int] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # exceptions by class name
    elapsed: float = 0.0

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        """Answers that are not pages (400 and above) and requests that got no answer."""
        bad = sum(n for status, n in self.statuses.items() if status >= 400)
        return bad + sum(self.failures.values())

    @property
    def rps(self) -> float:
        return self.completed / self.elapsed if self.elapsed else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies, in seconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]

    @property
    def mean_queries(self) -> float:
        return sum(self.queries) / len(self.queries) if self.queries else math.nan


def _connection(port: int, source: str | None = None) -> http.client.HTTPConnection:
    """A connection to the server; from the loopback address ``source`` when given (any of
    127.0.0.0/8), which the site sees as the client's address."""
    return http.client.HTTPConnection(HOST, port, timeout=SOCKET_TIMEOUT,
                                      source_address=(source, 0) if source else None)


def connect(port: int, source: str | None = None) -> http.client.HTTPConnection:
    """A keep-alive connection for ``get_page`` and ``post_form``."""
    return _connection(port, source)


class Browser:
    """A client's cookies, kept from answer to answer as a browser keeps them.

    Pages may change the session on the way (a member's last visit, a new CSRF token); a
    client that sent the same cookie forever would make them do that work at every request.
    """

    def __init__(self, cookie: str = ""):
        self.jar: SimpleCookie = SimpleCookie()
        if cookie:
            self.jar.load(cookie)

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={morsel.coded_value}" for name, morsel in self.jar.items())

    def headers(self) -> dict:
        headers = {"Accept": "text/html", "Accept-Language": "en"}
        if self.jar:
            headers["Cookie"] = self.cookie
        return headers

    def keep(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            self.jar.load(header)
        for name in [name for name, morsel in self.jar.items()
                     if morsel["max-age"] == "0" or not morsel.value]:
            del self.jar[name]

    def copy(self) -> Browser:
        return Browser(self.cookie)


def probe(port: int, path: str, browser: Browser) -> tuple[int, str]:
    """One GET: the status and the Location header (empty when there is none)."""
    connection = _connection(port)
    try:
        connection.request("GET", path, headers=browser.copy().headers())
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def fetch(port: int, path: str, browser: Browser) -> tuple[int, str]:
    """One GET: the status and the body as text."""
    connection = _connection(port)
    try:
        connection.request("GET", path, headers=browser.copy().headers())
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def run_load(port: int, path: str, *, seconds: float, browsers: list[Browser]) -> LoadResult:
    """GET ``path`` from one keep-alive client per browser for ``seconds``.

    Each client sends its next request when the previous answer is read (a closed loop), so
    the rate is what the server sustains with that many requests in flight.
    """
    result = LoadResult()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(browser: Browser) -> None:
        connection = _connection(port)
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=browser.headers())
                    response = connection.getresponse()
                    response.read()
                    browser.keep(response)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        result.failures[exc.__class__.__name__] += 1
                    connection.close()
                    connection = _connection(port)
                    continue
                latency = time.perf_counter() - started
                queries = response.getheader(QUERIES_HEADER)
                with lock:
                    result.latencies.append(latency)
                    result.statuses[response.status] += 1
                    if queries is not None:
                        result.queries.append(int(queries))
                if response.will_close:
                    connection.close()
                    connection = _connection(port)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(browser,), daemon=True)
               for browser in browsers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        # A client can outlive the deadline by at most one request's socket timeout.
        thread.join(seconds + SOCKET_TIMEOUT + 5)
    result.elapsed = time.perf_counter() - started
    return result


CSRF_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def get_page(connection: http.client.HTTPConnection, path: str,
             browser: Browser) -> tuple[int, str]:
    """GET ``path`` on a kept-alive connection: the status and the page; cookies kept."""
    connection.request("GET", path, headers=browser.headers())
    response = connection.getresponse()
    page = response.read().decode("utf-8", "replace")
    browser.keep(response)
    return response.status, page


def csrf_token(page: str) -> str | None:
    """The CSRF token of the first form of ``page``."""
    found = CSRF_TOKEN.search(page)
    return found.group(1) if found else None


def post_form(connection: http.client.HTTPConnection, path: str, fields: dict,
              browser: Browser) -> tuple[int, str, float]:
    """POST ``fields`` as a browser submits a form: the status, the Location header (empty
    when there is none) and the seconds from sending to reading the whole answer."""
    body = urlencode(fields)
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers={
        **browser.headers(), "Content-Type": "application/x-www-form-urlencoded",
    })
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    browser.keep(response)
    return response.status, response.getheader("Location") or "", seconds


def log_in(port: int, username: str, password: str, source: str | None = None) -> Browser:
    """Log in through /login as a person would; return the browser, with its cookies."""
    browser = Browser()
    connection = _connection(port, source)
    try:
        status, page = get_page(connection, "/login", browser)
        token = csrf_token(page)
        if status != 200 or token is None:
            raise BenchError(f"GET /login answered {status} without a login form.")
        status, _location, _seconds = post_form(connection, "/login", {
            "login": username, "password": password, "csrf_token": token}, browser)
    finally:
        connection.close()
    if status != 303:
        raise BenchError(
            f'Could not log in as "{username}" (POST /login answered {status}); '
            "was the database seeded with the demo password?"
        )
    return browser
