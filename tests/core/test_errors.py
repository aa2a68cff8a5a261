"""Unexpected errors: the site's own 500 page, in the reader's language, with security headers
and a reference that the log line with the traceback carries too; even when the database is
what failed."""

from __future__ import annotations

import logging
import re

import pytest
import webtest
from sqlalchemy.exc import OperationalError

from core import make_config
from core.security import PUBLIC
from core.sitesettings import SiteSetting
from tests.core.test_security import check_headers, check_no_inline_code

REFERENCE = re.compile(r'<code class="error-reference">([0-9a-f]{12})</code>')


def the_error_page(response, caplog, heading: str):
    assert response.status_int == 500
    assert response.html.h1.text == heading
    assert "Traceback" not in response.text and 'class="site-header"' in response.text
    assert "core.css" in response.text  # the site's stylesheets
    check_headers(response)
    check_no_inline_code(response.text, "the 500 page")
    assert response.headers["Cache-Control"] == "no-store"
    reference = REFERENCE.search(response.text).group(1)
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR and reference in
                 r.getMessage()]
    assert record.exc_info is not None  # the traceback goes to the log, under the reference
    return record


def test_the_page_still_renders_when_the_database_is_down(cortege_settings, caplog):
    settings = {**cortege_settings, "sqlalchemy.url": "postgresql://nobody@127.0.0.1:1/none"}
    browser = webtest.TestApp(make_config(settings).make_wsgi_app(),
                              extra_environ={"HTTP_HOST": "localhost"})
    with caplog.at_level(logging.ERROR, logger="core"):
        page = browser.get("/", headers={"Accept-Language": "fr"}, status=500)
    record = the_error_page(page, caplog, "Une erreur est survenue")
    assert page.html.html["lang"] == "fr"
    assert isinstance(record.exc_info[1], OperationalError)


def boom(request):
    raise RuntimeError("something the code did not expect")


def write_twice(request):
    # Two rows with the same key: refused by the database only when the request commits,
    # after the view returned, outside the exception views.
    request.dbsession.add_all([SiteSetting(key="twice", value="1"),
                               SiteSetting(key="twice", value="2")])
    return request.response


@pytest.fixture
def failing_app(cortege_settings, cortege_engine, connection):
    config = make_config(cortege_settings, engine=cortege_engine)
    config.add_route("test_boom", "/test/boom")
    config.add_view(boom, route_name="test_boom", permission=PUBLIC)
    config.add_route("test_write_twice", "/test/write-twice")
    config.add_view(write_twice, route_name="test_write_twice", permission=PUBLIC)
    return webtest.TestApp(config.make_wsgi_app(), extra_environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost"})


def test_an_error_in_a_view(failing_app, make_user, caplog):
    with caplog.at_level(logging.ERROR, logger="core"):
        page = failing_app.get("/test/boom", status=500)
    record = the_error_page(page, caplog, "Something went wrong")
    assert "something the code did not expect" in str(record.exc_info[1])
    assert "GET /test/boom" in record.getMessage()


def test_an_error_when_the_request_commits(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="core"):
        page = failing_app.get("/test/write-twice", headers={"Accept-Language": "fr"},
                               status=500)
    the_error_page(page, caplog, "Une erreur est survenue")


def test_each_error_has_its_own_reference(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="core"):
        first = failing_app.get("/test/boom", status=500)
        second = failing_app.get("/test/boom", status=500)
    assert REFERENCE.search(first.text).group(1) != REFERENCE.search(second.text).group(1)
