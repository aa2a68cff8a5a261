"""The profiles plugin's tests run it alone. Its factories (``make_member``, ``make_field``,
``answer``) come from ``plugins.profiles.testing``, a pytest plugin; the names stay importable
from here for test modules that import them. ``plugin_request`` is a request outside any
view, on the test's connection."""

from __future__ import annotations

import contextlib

import pytest
from pyramid.request import Request
from pyramid.scripting import prepare

from plugins.profiles.testing import answer, make_field, make_member  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles"]


@pytest.fixture
def plugin_request(app, connection):
    """A request outside any view, on the test's connection (for services and providers)."""
    closers = []

    def factory():
        request = Request.blank("/", environ={"cortege.test_connection": connection,
                                              "HTTP_HOST": "localhost"})
        env = prepare(request=request, registry=app.registry)
        request.tm.begin()
        closers.append((request, env["closer"]))
        return request

    yield factory
    for request, close in closers:
        with contextlib.suppress(Exception):
            request.tm.abort()
        close()
