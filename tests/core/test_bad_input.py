"""Bad input answers 400, 404 or 413 in the site's own page and the reader's language, never
500: bytes that are not UTF-8, NUL characters, ids beyond a column's range, dates beyond the
calendar, broken form bodies, bodies too large. Confirmed through WSGI and over real HTTP."""

from __future__ import annotations

import configparser
import contextlib
import http.client

import pytest
from webob import Request

from core.input import INT32_MAX, MAX_DATE, parse_date, parse_id, parse_month
from tests.core.test_security import ROOT, check_headers, csrf_token

FRENCH = {"Accept-Language": "fr"}
SITE_PAGE = 'class="site-header"'

STRANGER_URLS = [
    ("/members?q=%FF", 400),
    ("/groups/%FF", 400),
    ("/tools/petitions/confirm/%ff", 400),
    ("/%FF", 400),
    ("/login?next=%FF%FE", 400),
    ("/agenda.ics?from=%C0%AF", 400),
    ("/members?q=a%00b", 400),
    ("/groups/a%00b", 400),
    ("/forums/search?q=%00", 400),
    ("/groups/a%0D%0ALocation:%20x", 400),
    ("/agenda?%00=1", 400),
    ("/agenda/999999999999", 404),
    ("/agenda/2147483648.ics", 404),
    ("/tools/polls/99999999999999999999999", 404),
    ("/tools/petitions/99999999999/signers", 404),
    ("/forums/post/9223372036854775808", 404),
    ("/agenda/%D9%A3", 404),  # an Arabic-Indic digit is not an id
    ("/agenda/0", 404),
]


@pytest.mark.parametrize(("url", "status"), STRANGER_URLS)
def test_bad_urls_get_the_sites_page_in_the_readers_language(testapp, url, status):
    page = testapp.get(url, headers=FRENCH, status=status)
    assert SITE_PAGE in page.text and page.html.html["lang"] == "fr"
    heading = page.html.h1.text
    assert heading == ("Page introuvable" if status == 404
                       else "Le site n'a pas pu lire cette demande")
    check_headers(page)


def test_an_id_in_range_reaches_the_view_as_a_number(testapp):
    # The largest 32-bit id matches the route and finds nothing: 404 from the view.
    testapp.get(f"/agenda/{INT32_MAX}", status=404)
    assert "/login" in testapp.get(f"/forums/post/{INT32_MAX}/edit", status=303).location


def test_admin_pages_take_no_impossible_ids(make_user, login):
    admin = login(make_user(role="admin"))
    admin.get("/admin/members?before=99999999999999999999", status=200)
    admin.get("/admin/members/99999999999/suspend", status=404)
    admin.get("/admin/profiles/fields/99999999999", status=404)
    admin.get("/admin/groups/types/99999999999", status=404)


@pytest.mark.parametrize("url", [
    "/agenda/month?month=9999-12", "/agenda/month?month=0001-01", "/agenda/month?month=2024-13",
    "/agenda/week?week=9999-12-31", "/agenda/week?week=0001-01-01",
    "/agenda?from=0001-01-01", "/agenda?to=9999-12-31&from=9999-12-30",
    "/agenda.ics?from=0001-01-01", "/agenda.ics?to=9999-12-31",
])
def test_dates_beyond_the_calendar_are_ignored(testapp, url):
    page = testapp.get(url)
    assert page.status_int == 200


def test_dates_are_read_within_bounds():
    assert parse_date("2031-07-14").isoformat() == "2031-07-14"
    assert parse_date(MAX_DATE.isoformat()) == MAX_DATE
    for text in ("0001-01-01", "9999-12-31", "2024-02-30", "", None, "2024-1-1x", "+12345"):
        assert parse_date(text) is None
    assert parse_month("2031-07").isoformat() == "2031-07-01"
    for text in ("9999-12", "0001-01", "2031-13", "2031-7", "٢٠٢٤-٠١", None):
        assert parse_month(text) is None
    assert parse_id("42") == 42 and parse_id(str(INT32_MAX)) == INT32_MAX
    for text in ("0", "-1", str(INT32_MAX + 1), "٣", "1e3", " 1", None, "9" * 400):
        assert parse_id(text) is None
    assert parse_id(str(2**63 - 1), bits=64) == 2**63 - 1 and parse_id(str(2**63), bits=64) is None


STRANGER_POSTS = ["/login", "/register", "/language", "/logout", "/password/forgot"]
MEMBER_POSTS = ["/account/preferences", "/agenda/new", "/groups/new", "/tools/polls/new"]


def test_multipart_without_boundary_is_refused_on_every_post(testapp, make_user, login):
    member = login(make_user())
    for browser, urls in ((testapp, STRANGER_POSTS), (member, MEMBER_POSTS)):
        for url in urls:
            page = browser.post(url, b"csrf_token=x", content_type="multipart/form-data",
                                headers=FRENCH, status=400)
            assert SITE_PAGE in page.text, url
            check_headers(page)


def test_nul_in_any_form_field_is_refused(testapp, make_user, login):
    token = csrf_token(testapp.get("/login"))
    testapp.post("/login", {"csrf_token": token, "login": "ana\x00", "password": "x"}, status=400)
    testapp.post("/login", {"csrf_token": token, "login\x00": "ana"}, status=400)
    member = login(make_user())
    token = csrf_token(member.get("/agenda/new"))
    member.post("/agenda/new", {"csrf_token": token, "title": "A\x00B"}, status=400)
    member.post("/agenda/new", {"csrf_token": token, "description": "\x00"},
                upload_files=[("image", "a.txt", b"\x00 in a file is fine")], status=400)


def test_invalid_utf8_in_a_form_is_read_as_replacement_characters(testapp):
    token = csrf_token(testapp.get("/login"))
    page = testapp.post("/login", b"csrf_token=" + token.encode() + b"&login=%FF&password=%FE",
                        content_type="application/x-www-form-urlencoded")
    assert page.status_int == 200 and "do not match" in page.text


def test_single_line_fields_fold_line_breaks(make_user, login, dbsession):
    user = make_user()
    browser = login(user)
    form = browser.get("/account").forms["preferences-form"]
    form["display_name"] = "Ana\r\nLopez\x0b"
    form.submit(status=303)
    dbsession.refresh(user)
    assert user.display_name == "Ana Lopez"


class Exploding:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_is_refused_unread(app, connection):
    size = 50 * 1024 * 1024
    request = Request.blank("/login", method="POST", headers=FRENCH, environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(size), "wsgi.input": Exploding(),
        "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    response = request.get_response(app)
    assert response.status_int == 413
    assert SITE_PAGE in response.text and "Envoi trop volumineux" in response.text
    check_headers(response)


class TestBodyLimitSetting:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.max_request_body_size": "4096"}

    def test_the_setting_sets_the_limit(self, testapp, make_user, login):
        token = csrf_token(testapp.get("/login"))
        page = testapp.post("/login", {"csrf_token": token, "login": "x" * 5000}, status=413)
        assert "Too much at once" in page.text
        testapp.post("/login", {"csrf_token": token, "login": "x" * 3000}, status=200)


def ini_server_setting(name: str, key: str) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / name, encoding="utf-8")
    return parser.get("server:main", key)


@pytest.mark.parametrize("ini", ["development.ini", "production.ini"])
def test_both_ini_files_bound_request_bodies_in_waitress(ini):
    from core.settings import CORE_SETTINGS

    limit = int(ini_server_setting(ini, "max_request_body_size"))
    # Waitress stops what the app could not take; the app's own page answers below that.
    assert CORE_SETTINGS["max_request_body_size"].default <= limit <= 32 * 1024 * 1024


@contextlib.contextmanager
def served(app, connection, **options):
    """``app`` served by waitress on a free local port, on the test's connection."""
    from webtest.http import StopableWSGIServer

    def on_connection(environ, start_response):
        environ["cortege.test_connection"] = connection
        return app(environ, start_response)

    server = StopableWSGIServer.create(on_connection, threads=1, expose_tracebacks=False,
                                       **options)
    try:
        yield server.effective_port
    finally:
        server.shutdown()


def http_request(port, method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {"Accept-Language": "fr", "Content-Length": str(len(body)),
                            **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def test_over_http(app, connection):
    limit = int(ini_server_setting("production.ini", "max_request_body_size"))
    with served(app, connection, max_request_body_size=limit) as port:
        for path in ("/members?q=%FF", "/groups/%FF", "/tools/petitions/confirm/%ff",
                     "/members?q=%00"):
            status, headers, text = http_request(port, "GET", path)
            assert status == 400 and SITE_PAGE in text, path
            assert headers["X-Content-Type-Options"] == "nosniff"
        status, _headers, text = http_request(port, "GET", "/agenda/999999999999")
        assert status == 404 and "Page introuvable" in text
        status, _headers, text = http_request(port, "GET", "/agenda/month?month=9999-12")
        assert status == 200
        status, _headers, text = http_request(
            port, "POST", "/login", b"x", {"Content-Type": "multipart/form-data"})
        assert status == 400 and SITE_PAGE in text
        # Over the site's limit, under waitress's: the site's page, the body unread.
        status, _headers, text = http_request(
            port, "POST", "/login", b"x" * (11 * 1024 * 1024),
            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 413 and "Envoi trop volumineux" in text
        # Over waitress's limit: refused on the Content-Length alone.
        status, _headers, _text = http_request(
            port, "POST", "/login", b"", {"Content-Length": str(limit + 1)})
        assert status == 413


def test_raw_bytes_that_are_not_utf8_in_the_query_are_refused(app, connection):
    request = Request.blank("/members", headers=FRENCH, environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost",
        "QUERY_STRING": "q=\xff\xfe"})  # WSGI hands the raw bytes over as latin-1
    response = request.get_response(app)
    assert response.status_int == 400 and SITE_PAGE in response.text


def test_good_utf8_anywhere_is_read(testapp):
    for url in ("/members?q=jaur%C3%A8s", "/members?q=%F0%9F%93%A2+%C3%A9", "/groups/%C3%A9t%C3%A9",
                "/forums/search?q=gr%C3%A8ve;after="):
        assert testapp.get(url, expect_errors=True).status_int in (200, 404), url


def test_an_absurd_content_length_is_too_large(app, connection):
    request = Request.blank("/login", method="POST", environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost",
        "CONTENT_LENGTH": "9" * 5000, "wsgi.input": Exploding(),
        "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    assert request.get_response(app).status_int == 413
