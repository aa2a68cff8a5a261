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


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=SOCKET_TIMEOUT)


def _headers(cookie: str | None) -> dict:
    headers = {"Accept": "text/html", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def probe(port: int, path: str, cookie: str | None = None) -> tuple[int, str]:
    """One GET: the status and the Location header (empty when there is none)."""
    connection = _connection(port)
    try:
        connection.request("GET", path, headers=_headers(cookie))
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def run_load(port: int, path: str, *, seconds: float, concurrency: int,
             cookie: str | None = None) -> LoadResult:
    """GET ``path`` from ``concurrency`` keep-alive clients for ``seconds``.

    Each client sends its next request when the previous answer is read (a closed loop), so
    the rate is what the server sustains with ``concurrency`` requests in flight.
    """
    result = LoadResult()
    lock = threading.Lock()
    headers = _headers(cookie)
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = _connection(port)
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
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

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        # A client can outlive the deadline by at most one request's socket timeout.
        thread.join(seconds + SOCKET_TIMEOUT + 5)
    result.elapsed = time.perf_counter() - started
    return result


def _cookies(response, jar: SimpleCookie) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)


def log_in(port: int, username: str, password: str) -> str:
    """Log in through /login as a person would; return the Cookie header to send after."""
    jar: SimpleCookie = SimpleCookie()
    connection = _connection(port)
    try:
        connection.request("GET", "/login", headers={"Accept-Language": "en"})
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        _cookies(response, jar)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if response.status != 200 or token is None:
            raise BenchError(f"GET /login answered {response.status} without a login form.")
        form = urlencode({"login": username, "password": password, "csrf_token": token.group(1)})
        connection.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={m.coded_value}" for k, m in jar.items()),
            "Accept-Language": "en",
        })
        response = connection.getresponse()
        response.read()
        _cookies(response, jar)
    finally:
        connection.close()
    if response.status != 303:
        raise BenchError(
            f'Could not log in as "{username}" (POST /login answered {response.status}); '
            "was the database seeded with the demo password?"
        )
    return "; ".join(f"{k}={m.coded_value}" for k, m in jar.items())
