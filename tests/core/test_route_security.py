"""Every route, walked from the outside: deny by default, CSRF on every unsafe method.

These tests read the routes and views from Pyramid's introspector, so a route that a plugin
adds is walked too, with no change here.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select, text

from core.db import Base
from core.security import PUBLIC, VIEW

# Routes that belong to tools rather than to the site.
IGNORED_ROUTE = re.compile(r"^(__static/|debugtoolbar|_debug)")


def route_views(registry) -> dict[str, list]:
    """route name -> [(request methods or None, permission or None)]."""
    found: dict[str, list] = {}
    for entry in registry.introspector.get_category("views"):
        view = entry["introspectable"]
        if view["route_name"] is None or IGNORED_ROUTE.match(view["route_name"]):
            continue
        permissions = [r.discriminator for r in entry["related"] if r.category_name == "permissions"]
        methods = view["request_methods"]
        if isinstance(methods, str):
            methods = (methods,)
        found.setdefault(view["route_name"], []).append(
            (methods, permissions[0] if permissions else None))
    return found


def signed_link_routes(registry) -> set[str]:
    """Routes whose POST view takes no CSRF token because the address itself carries a
    signed token (one-click unsubscribe from a mail, RFC 8058)."""
    return {entry["introspectable"]["route_name"]
            for entry in registry.introspector.get_category("views")
            if entry["introspectable"]["require_csrf"] is False}


def route_url(registry, name: str, values: dict) -> str:
    route = registry.introspector.get("routes", name)["object"]
    return route.generate({key: values.get(key, "x") for key in re.findall(r"{(\w+)", route.pattern)})


def test_every_route_has_an_explicit_permission_decision(registry):
    views = route_views(registry)
    assert views, "no routes found"
    undecided = [name for name, items in views.items() for _methods, permission in items
                 if permission is None]
    assert undecided == [], f"routes without a permission: {undecided}"


def member_permissions(registry, role: str) -> set:
    from core.security import _static_acl, role_principals

    principals = {"system.Everyone", "system.Authenticated", *role_principals(role)}
    granted = {VIEW, PUBLIC}
    for action, principal, permission in _static_acl(registry):
        if action == "Allow" and principal in principals and isinstance(permission, str):
            granted.add(permission)
    return granted


@pytest.mark.parametrize("who", ["stranger", "member", "moderator"])
def test_nothing_reserved_to_others_answers(registry, make_testapp, make_user, login, who):
    admin = make_user("chief", role="admin")
    if who == "stranger":
        browser, granted = make_testapp(), {PUBLIC, VIEW}
    else:
        browser = login(make_user(f"some-{who}", role=who))
        granted = member_permissions(registry, who)
    values = {"username": admin.username, "id": str(admin.id), "user_id": str(admin.id),
              "token": "x" * 43}
    walked = 0
    for name, items in sorted(route_views(registry).items()):
        reserved = [permission for methods, permission in items
                    if (methods is None or "GET" in methods) and permission not in granted]
        if not reserved:
            continue
        url = route_url(registry, name, values)
        response = browser.get(url, expect_errors=True)
        walked += 1
        assert response.status_int != 200, f"{who} got {url} ({name}, needs {reserved})"
        if who == "stranger":
            assert response.status_int in (303, 403, 404), (url, response.status_int)
        else:
            assert response.status_int in (403, 404), (url, response.status_int)
    assert walked > 0


def database_fingerprint(dbsession) -> str:
    """Row counts of every table and the content of the users table."""
    parts = []
    for table in Base.metadata.sorted_tables:  # the test database has every plugin's tables
        parts.append(f"{table.name}={dbsession.scalar(select(func.count()).select_from(table))}")
    rows = dbsession.execute(text("SELECT * FROM users ORDER BY id")).all()
    parts.append(repr([tuple(row) for row in rows]))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_every_unsafe_route_refuses_a_post_without_token(registry, make_user, login, dbsession):
    admin = make_user("chief", role="admin")
    browser = login(admin)
    values = {"username": admin.username, "id": str(admin.id), "user_id": str(admin.id),
              "token": "x" * 43}
    posted = []
    # A signed link with a forged signature is not found; the fingerprint below shows that
    # it changed nothing either.
    refused = {name: (400, 404) for name in signed_link_routes(registry)}
    before = database_fingerprint(dbsession)
    for name, items in sorted(route_views(registry).items()):
        if not any(methods is None or "POST" in methods for methods, _permission in items):
            continue
        url = route_url(registry, name, values)
        response = browser.post(url, {"locale": "fr", "display_name": "Changed",
                                      "email": "changed@example.org", "body": "x"},
                                expect_errors=True)
        expected = refused.get(name, (400,))
        assert response.status_int in expected, f"POST {url} without a token gave {response.status_int}"
        posted.append(name)
        # A wrong token is refused the same way.
        response = browser.post(url, {"csrf_token": "forged"}, expect_errors=True)
        assert response.status_int in expected, f"POST {url} with a forged token gave {response.status_int}"
    assert {"logout", "language", "register", "login", "account_delete"} <= set(posted)
    dbsession.expire_all()
    assert database_fingerprint(dbsession) == before
