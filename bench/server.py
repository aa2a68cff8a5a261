"""One app under waitress on a free loopback port, in its own process, counting SQL statements.

``python -m bench.server hello`` serves a bare Pyramid view; ``python -m bench.server cortege
INI`` serves the site built from INI. Both get the same middleware and the same waitress
settings, so the only difference between them is the application. The process prints
``{"port": ..., "pid": ...}`` on its first line once it listens, and exits when its standard
input closes, so it never outlives the benchmark that started it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

QUERIES_HEADER = "X-Bench-Queries"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class QueryCounter:
    """Counts statements per thread (waitress serves a request in one thread), like the test
    suite's counter: transaction control is not a query."""

    def __init__(self):
        self.local = threading.local()

    def reset(self) -> None:
        self.local.count = 0

    @property
    def count(self) -> int:
        return getattr(self.local, "count", 0)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
            self.local.count = self.count + 1


class QueryHeaderMiddleware:
    """Adds the number of statements the request issued as a response header.

    pyramid_tm commits before the response starts, so every statement of the request is
    counted; statements issued while the body is being iterated would not be.
    """

    def __init__(self, app, counter: QueryCounter):
        self.app = app
        self.counter = counter

    def __call__(self, environ, start_response):
        self.counter.reset()

        def start(status, headers, exc_info=None):
            headers.append((QUERIES_HEADER, str(self.counter.count)))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def hello_app():
    """The yardstick: one route, one view, no database, no templates."""
    from pyramid.config import Configurator
    from pyramid.response import Response

    def hello(request):
        return Response("Hello world!", content_type="text/plain")

    with Configurator() as config:
        config.add_route("hello", "/")
        config.add_view(hello, route_name="hello")
    return config.make_wsgi_app()


def cortege_app(ini: str):
    from pyramid.paster import get_app, setup_logging

    setup_logging(ini)
    return get_app(ini, "main")


def build(kind: str, ini: str | None):
    from sqlalchemy import event

    counter = QueryCounter()
    if kind == "hello":
        app = hello_app()
    else:
        app = cortege_app(ini)
        event.listen(app.registry["cortege.engine"], "before_cursor_execute", counter)
    return QueryHeaderMiddleware(app, counter)


def _exit_with_parent() -> None:
    sys.stdin.read()  # returns at end of file: the benchmark closed the pipe or died
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("kind", choices=("hello", "cortege"))
    parser.add_argument("ini", nargs="?")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if args.kind == "cortege" and not args.ini:
        parser.error("cortege needs the path of an ini file")

    from waitress import create_server

    app = build(args.kind, args.ini)
    server = create_server(app, host="127.0.0.1", port=0, threads=args.threads)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    print(json.dumps({"port": server.effective_port, "pid": os.getpid()}), flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
