"""Which pages the benchmark loads: the core's, then those each enabled plugin registers.

Nothing is declared for the benchmark: the pages are found in the registry of the app built
from the benchmark's settings, so a new plugin joins as soon as it is enabled. They are the
core's home (as a stranger and as a member), login and privacy pages, the admin area, every
admin panel (``config.add_admin_panel``) and every menu link (``config.add_nav_item``) whose
route needs no placeholder. Who asks for a page is a first guess from its menu (``main``: a
stranger, ``user``: a member, ``admin``: the admin); the benchmark moves up to a member, then
to the admin, when the page sends the guess to the login form or refuses it.
"""

from __future__ import annotations

import fnmatch
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


def discover(ini: str) -> tuple[list[BenchPage], str]:
    """The pages of the app built from ``ini``, and the username of a seeded member."""
    from pyramid.paster import bootstrap
    from sqlalchemy import select

    from core.accounts.models import User

    with bootstrap(ini) as env:
        request = env["request"]
        pages = core_pages() + registered_pages(env["registry"], request)
        with request.tm:
            member = request.dbsession.scalar(
                select(User.username).where(User.role == MEMBER, User.status == "active")
                .order_by(User.id).limit(1)
            )
    if member is None:
        raise BenchError("The seeded database has no active member to log in as.")
    return unique(pages), member


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
