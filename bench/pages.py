"""Which pages the benchmark loads: the core's, then those each enabled plugin registers.

Nothing is declared for the benchmark: the pages are found in the registry of the app built
from the benchmark's settings, so a new plugin joins as soon as it is enabled. They are the
core's home (as a stranger and as a member), login and privacy pages, the admin area, every
admin panel (``config.add_admin_panel``) and every menu link (``config.add_nav_item``) whose
route needs no placeholder, then the pages those link to whose route does have placeholders
(a member's page, a group, a forum and its topics, an event: see ``linked_pages``). Who asks for a page is a first guess from its menu (``main``: a
stranger, ``user``: a member, ``admin``: the admin); the benchmark moves up to a member, then
to the admin, when the page sends the guess to the login form or refuses it.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from bench import BenchError

STRANGER, MEMBER, ADMIN = "stranger", "member", "admin"
LOGINS = (STRANGER, MEMBER, ADMIN)


@dataclass(frozen=True)
class BenchPage:
    """One page to load: ``name`` is "core/home" or "<plugin>/<name>"."""

    name: str
    path: str
    login: str = STRANGER

    @property
    def owner(self) -> str:
        return self.name.partition("/")[0]

    def as_login(self, login: str) -> BenchPage:
        return BenchPage(self.name, self.path, login)


def core_pages() -> list[BenchPage]:
    return [
        BenchPage("core/home", "/"),
        BenchPage("core/login", "/login"),
        BenchPage("core/privacy", "/privacy"),
        BenchPage("core/dashboard", "/", MEMBER),
        BenchPage("core/admin", "/admin", ADMIN),
    ]


def _path(request, route_name: str) -> str | None:
    """The route's path, or None when it needs values the benchmark cannot guess."""
    try:
        return request.route_path(route_name)
    except KeyError:
        return None


FIRST_GUESS = {"main": STRANGER, "user": MEMBER, "admin": ADMIN}


def registered_pages(registry, request) -> list[BenchPage]:
    """Admin panels and menu links of the core and the plugins, in registration order."""
    from core.extensions import registered

    pages = []
    for panel in registered(registry, "cortege admin panels"):
        path = _path(request, panel.route_name)
        if path:
            pages.append(BenchPage(f"{panel.plugin}/admin-{panel.name}", path, ADMIN))
    for item in registered(registry, "cortege nav items"):
        path = _path(request, item.route_name)
        if path:
            login = FIRST_GUESS.get(item.menu, MEMBER)
            pages.append(BenchPage(f"{item.plugin}/{item.name}", path, login))
    return pages


# Route names ending so are actions or files rather than pages to read (calendar feeds are
# read: a calendar application asks for them again and again).
NOT_PAGES = re.compile(r"_(edit|new|delete|avatar|avatar_file|file|csv|export|"
                       r"subscription|unsubscribe|action|moderate|report|close|cancel|rsvp|"
                       r"checkin|message|attendees|reply|hide|resolve)$")


@dataclass(frozen=True)
class RowRoute:
    """A route of the site: ``/groups/{slug}`` matches the links to each group. ``page`` says
    whether it is a plugin's page to load (not an action, a file, a feed, or the admin area)."""

    name: str
    owner: str | None
    route: object
    page: bool

    def matches(self, path: str) -> bool:
        return self.route.match(path) is not None


def row_routes(registry, plugins: list[str]) -> list[RowRoute]:
    """Every route in the order Pyramid tries them; the enabled plugins' pages (routes named
    ``<plugin>`` or ``<plugin>_...``, outside the admin area) are marked as pages."""
    from pyramid.interfaces import IRoutesMapper

    routes = []
    for route in registry.getUtility(IRoutesMapper).get_routes():
        owner = next((p for p in plugins if route.name == p or route.name.startswith(f"{p}_")),
                     None)
        page = owner is not None and "_admin" not in route.name and not NOT_PAGES.search(route.name)
        routes.append(RowRoute(route.name, owner, route, page))
    return routes


HREF = re.compile(r'href="(?:https?://[^/"]+)?(/[^"?#]*)')


def linked_pages(pages: list[BenchPage], routes: list[RowRoute], fetch_page) -> list[BenchPage]:
    """The first link to each row route found on ``pages`` (then on the pages found; a tool's
    page is reached from the tools hub), loaded by the same login as the page that links
    there. ``fetch_page(page)`` returns its HTML."""
    found: dict[str, BenchPage] = {}
    to_read = list(pages)
    for _depth in range(2):  # a forum from the forums page, then a topic from the forum
        reached = []
        # A member sees links a stranger does not (tools open to members, say).
        readers = [view for page in to_read for view in
                   ([page, page.as_login(MEMBER)] if page.login == STRANGER else [page])]
        for page in readers:
            html = fetch_page(page)
            for path in HREF.findall(html):
                # The route Pyramid would pick: "/groups/mine" is not a group called "mine".
                route = next((route for route in routes if route.matches(path)), None)
                if route is not None and route.page and route.name not in found:
                    found[route.name] = BenchPage(f"{route.owner}/{route.name}", path, page.login)
                    reached.append(found[route.name])
        to_read = reached
    return list(found.values())


def discover(ini: str) -> tuple[list[BenchPage], str, list[RowRoute]]:
    """The pages of the app built from ``ini``, the username of a seeded member, and the
    routes of pages reached by following links."""
    from pyramid.paster import bootstrap
    from sqlalchemy import select

    from core.accounts.models import User

    with bootstrap(ini) as env:
        request = env["request"]
        pages = core_pages() + registered_pages(env["registry"], request)
        plugins = [plugin.name for plugin in env["registry"]["cortege.plugins"]]
        routes = row_routes(env["registry"], plugins)
        with request.tm:
            member = request.dbsession.scalar(
                select(User.username).where(User.role == MEMBER, User.status == "active")
                .order_by(User.id).limit(1)
            )
    if member is None:
        raise BenchError("The seeded database has no active member to log in as.")
    return unique(pages), member, routes


def unique(pages: list[BenchPage]) -> list[BenchPage]:
    """The first page of each (path, login): a menu link to the admin area is "core/admin"."""
    seen = set()
    kept = []
    for page in pages:
        if (page.path, page.login) not in seen:
            seen.add((page.path, page.login))
            kept.append(page)
    return kept


def select_pages(pages: list[BenchPage], patterns: list[str] | None) -> list[BenchPage]:
    """The pages whose name matches one of ``patterns`` ("core/home", "groups/*", "groups")."""
    if not patterns:
        return pages
    chosen = [
        page for page in pages
        if any(fnmatch.fnmatchcase(page.name, p) or page.owner == p for p in patterns)
    ]
    if not chosen:
        names = ", ".join(page.name for page in pages)
        raise BenchError(f"No page matches {' '.join(patterns)}; the pages are {names}.")
    return chosen
