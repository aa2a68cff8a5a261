"""Fuzz every route and form of the app with hostile values; nothing may answer 500.

The routes come from the app's route table, with the methods of their views. For a stranger,
a member and an admin (each with a valid CSRF token), Hypothesis draws, route after route:
values for the path's placeholders (ids and slugs that exist, and hostile ones: bytes that
are not UTF-8, NUL, huge numbers, odd dates, long strings, CR/LF), a hostile query string and
a hostile form body; and it fills every form of every page it reaches with such values. The
examples are derandomized, so a run is repeatable; the demo content gives the valid values.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyramid.interfaces import IRoutesMapper
from sqlalchemy import select
from webob import Request, Response

EXAMPLES = 2  # passes over every route, for each persona

# Already written as they go in a URL (percent escapes included).
HOSTILE_SEGMENTS = [
    "%FF", "%C0%AF", "%ED%A0%80", "%00", "a%00b", "%0D%0Aa", "%E2%80%AE", "%F0%9F%93%A2",
    "0", "-1", "2147483648", "9223372036854775808", "99999999999999999999999", "%D9%A3",
    "1e9999", "NaN", "0001-01-01", "9999-12-31", "2024-02-30", "x" * 300, "..", "%2F",
    "%25", "'%3B--", "%3Cscript%3E",
]
# Form and query values, as text (the request is encoded below; some bytes are not UTF-8).
HOSTILE_TEXTS = [
    "", " ", "\x00", "a\x00b", "\r\n", "Title\r\nSecond line", "\x0b\x1b[0m", "\u202e",
    "0", "-1", "2147483648", "9223372036854775808", "9" * 40, "1e400", "nan", "-0",
    "0001-01-01", "9999-12-31", "2024-02-30", "10000-01-01", "9999-12", "0000-00", "24:61",
    "9999-12-31T23:59", "x" * 5000, "é" * 300, "<script>alert(1)</script>", "=cmd|' /C calc'!A0",
    "../../etc/passwd", "on", "true", "\udcff",
]
HOSTILE_BYTES = [b"%FF", b"%C0%AF", b"%00", b"\xff\xfe"]
QUERY_KEYS = ["q", "after", "before", "from", "to", "month", "week", "type", "group", "sort",
              "next", "status", "role", "city", "postcode", "quote", "invitation", "page",
              "list", "id", "user_id", "tab", "kind"]
PLACEHOLDER = re.compile(r"\{(\w+)(?::((?:[^{}]|\{[^{}]*\})*))?\}")


def quote(text: str) -> str:
    return urllib.parse.quote(text.encode("utf-8", "surrogatepass"), safe="")


def routes_of(app) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, pattern, methods) of every route that has a view, static files left out."""
    methods: dict[str, set] = {}
    for view in app.registry.introspector.get_category("views"):
        route_name = view["introspectable"]["route_name"]
        if route_name:
            wanted = view["introspectable"]["request_methods"] or ("GET", "POST")
            methods.setdefault(route_name, set()).update(
                method for method in wanted if method in ("GET", "POST"))
    mapper = app.registry.getUtility(IRoutesMapper)
    return [(route.name, route.pattern, tuple(sorted(methods[route.name])))
            for route in mapper.get_routes()
            if route.name in methods and not route.name.startswith("__")]


class World:
    """The demo content, and what is valid for each placeholder name."""

    def __init__(self, app, dbsession):
        from core.accounts.models import User
        from plugins.forums.models import Forum
        from plugins.groups.models import Group

        self.routes = routes_of(app)
        groups = dbsession.scalars(select(Group.slug).limit(5)).all()
        self.valid = {
            "slug": groups, "username": dbsession.scalars(select(User.username).limit(5)).all(),
            "forum": dbsession.scalars(select(Forum.slug).limit(5)).all(),
            "id": ["1", "2", "3"], "user_id": ["1", "2"],
            "token": ["0" * 43], "name": ["a-128.jpg"],
        }


@pytest.fixture
def world(app, make_request, make_user, dbsession):
    """The site's demo content, seeded in the test's transaction (the members made here, as
    the fixtures make them: faster than the accounts seeder)."""
    from core.extensions import registered
    from core.seeding import SeedContext

    make_user("admin", role="admin")
    make_user("moderator", role="moderator")
    for _ in range(12):
        make_user()
    request = make_request()
    context = SeedContext(request=request, options={})
    for seeder in registered(app.registry, "cortege seeders"):
        seeder.seed(context)
    request.tm.commit()
    return World(app, dbsession)


def segment(data, world: World, name: str, regex: str | None) -> str:
    valid = list(world.valid.get(name, []))
    if regex and re.fullmatch(r"[\w|-]+", regex):  # a choice of words: members|requests|...
        valid += regex.split("|")
    if name in ("tab", "action", "outcome", "kind", "list"):
        valid += ["members", "edit", "close", "delete", "hide", "show", "pin", "lock",
                  "forums", "agenda", "polls", "dismiss", "remove", "up", "down"]
    choices = [st.sampled_from(HOSTILE_SEGMENTS),
               st.text(max_size=20).map(quote)]
    if valid:
        choices.insert(0, st.sampled_from([quote(value) for value in valid]))
    return data.draw(st.one_of(*choices), label=name)


def fill_pattern(data, world: World, pattern: str) -> str:
    return PLACEHOLDER.sub(lambda m: segment(data, world, m.group(1), m.group(2)), pattern)


def value_bytes(data) -> bytes:
    """One form or query value, percent-encoded; now and then bytes that are not UTF-8."""
    return data.draw(st.one_of(
        st.sampled_from(HOSTILE_TEXTS).map(lambda text: quote(text).encode()),
        st.text(max_size=30).map(lambda text: quote(text).encode()),
        st.integers(min_value=-2**70, max_value=2**70).map(lambda n: str(n).encode()),
        st.sampled_from(HOSTILE_BYTES),
    ))


def encoded(pairs) -> bytes:
    return b"&".join(quote(key).encode() + b"=" + value for key, value in pairs)


def query(data) -> str:
    keys = data.draw(st.lists(st.sampled_from(QUERY_KEYS), max_size=4), label="query")
    return encoded((key, value_bytes(data)) for key in keys).decode("latin-1")


class Explorer:
    """Sends requests straight to the WSGI app with the persona's cookies (WebTest's own
    cookie jar cannot hold a URL whose path is not UTF-8), and notes every 500."""

    def __init__(self, app, environ, cookies: str, persona: str, token: str | None):
        self.app = app
        self.environ = environ
        self.cookies = cookies
        self.persona = persona
        self.token = token
        self.failures: list[str] = []
        self.submitted: set[str] = set()
        self.statuses: dict[int, int] = {}

    def send(self, method: str, url: str, body: bytes = b"", content_type=None):
        request = Request.blank(url, environ=dict(self.environ), method=method,
                                headers={"Cookie": self.cookies})
        if method == "POST":
            request.body = body
            request.content_type = content_type
        try:
            response = request.get_response(self.app)
        except Exception as exc:  # noqa: BLE001 (what escapes the app is a failure too)
            self.failures.append(f"{self.persona}: {method} {url} raised {exc!r}")
            return Response(status=500)
        self.statuses[response.status_int] = self.statuses.get(response.status_int, 0) + 1
        if response.status_int >= 500:
            self.failures.append(f"{self.persona}: {method} {url} {body[:200]!r} "
                                 f"({content_type}) answered {response.status}")
        return response

    def form_body(self, data, names) -> bytes:
        pairs = [(name, value_bytes(data)) for name in names if name != "csrf_token"]
        if self.token:
            pairs.insert(0, ("csrf_token", self.token.encode()))
        return encoded(pairs)

    def submit_forms(self, data, response) -> None:
        """Every form of the page that posts to the site (once per pass), filled with
        hostile values."""
        for form in BeautifulSoup(response.text, "html.parser").find_all("form"):
            action = form.get("action", "")
            if (form.get("method", "get").lower() != "post"
                    or not action.startswith("http://localhost/") or action in self.submitted
                    or (action.endswith("/logout") and self.persona != "stranger")):
                continue  # a member stays logged in
            self.submitted.add(action)
            names = {field["name"] for field in form.find_all(["input", "select", "textarea"])
                     if field.get("name")}
            body = self.form_body(data, sorted(names))
            self.send("POST", action[len("http://localhost"):], body,
                      "application/x-www-form-urlencoded")


def persona_browser(persona, make_testapp, make_user, login):
    """The persona's cookies and CSRF token."""
    if persona == "stranger":
        browser = make_testapp()
    else:
        browser = login(make_user(role="admin" if persona == "admin" else "member"))
    page = browser.get("/login" if persona == "stranger" else "/account")
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return cookies, token


@pytest.mark.parametrize("persona", ["stranger", "member", "admin"])
def test_no_route_or_form_answers_500(persona, world, app, connection, make_testapp, make_user,
                                      login):
    cookies, token = persona_browser(persona, make_testapp, make_user, login)
    environ = {"cortege.test_connection": connection, "HTTP_HOST": "localhost",
               "REMOTE_ADDR": "127.0.0.1"}
    explorer = Explorer(app, environ, cookies, persona, token)
    field_names = ["title", "name", "body", "description", "email", "username", "slug",
                   "display_name", "start_date", "end_date", "capacity", "key", "rsvp",
                   "user_id", "locale", "timezone", "choice", "text", "kind", "action"]

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def explore(data):
        explorer.submitted.clear()
        for name, pattern, methods in world.routes:
            if name == "logout" and persona != "stranger":
                continue  # stay logged in
            path = fill_pattern(data, world, pattern)
            if "GET" in methods:
                url = path + "?" + query(data)
                page = explorer.send("GET", url)
                if page.status_int == 200 and page.content_type == "text/html":
                    explorer.submit_forms(data, page)
            if "POST" in methods:
                names = data.draw(st.lists(st.sampled_from(field_names), max_size=6))
                explorer.send("POST", path, explorer.form_body(data, names),
                              "application/x-www-form-urlencoded")
                if data.draw(st.booleans(), label="broken multipart"):
                    explorer.send("POST", path, b"--x\r\n", "multipart/form-data")

    explore()
    print(persona, sorted(explorer.statuses.items()))
    assert not explorer.failures, "\n".join(explorer.failures[:40])
