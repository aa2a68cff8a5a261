"""Fixtures shared by the core's tests, beside those of the ``core.testing`` plugin."""

import contextlib
from pathlib import Path

import pytest
from pyramid.request import Request
from pyramid.scripting import prepare
from transaction.interfaces import NoTransaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_request(app, connection):
    """``make_request(browser=None, headers=None, app=app)``: a request to ``app`` outside of
    any view, on the test's connection, with ``browser``'s cookies; its transaction is begun
    (pyramid_tm's tween does that for requests that come through HTTP) and aborted at the end
    of the test unless the test committed it."""
    opened = []

    def factory(browser=None, headers=None, app=app):
        headers = dict(headers or {})
        if browser is not None:
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in browser.cookiejar)
        request = Request.blank("/", environ={"cortege.test_connection": connection,
                                              "HTTP_HOST": "localhost"}, headers=headers)
        env = prepare(request=request, registry=app.registry)
        request.tm.begin()
        opened.append((request, env["closer"]))
        return request

    yield factory
    for request, close in reversed(opened):
        with contextlib.suppress(NoTransaction):  # the test may have ended it already
            request.tm.abort()
        close()


@pytest.fixture
def production_settings(monkeypatch, cortege_database_url, tmp_path):
    """``production_settings(**environment)``: production.ini's settings with the variables
    it reads set (by default to the test database and a made-up secret)."""
    from pyramid.paster import get_appsettings

    def factory(**environment):
        environment = {"CORTEGE_DATABASE_URL": cortege_database_url,
                       "CORTEGE_SESSION_SECRET": "production-secret-" + "p" * 40,
                       "CORTEGE_SITE_URL": "https://cortege.example.org", **environment}
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        settings = dict(get_appsettings(str(ROOT / "production.ini"), name="main"))
        settings["cortege.uploads_directory"] = str(tmp_path / "uploads")
        return settings

    return factory
