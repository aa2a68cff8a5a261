"""A stand-in for a plugin with group content (agenda, forums): a tab on every group and a
site-wide list, both filtered by the groups plugin's one visibility rule.

The "content" of a group is its description here, so that no table of its own is needed.
"""

from __future__ import annotations

import webtest
from pyramid.renderers import render_to_response
from sqlalchemy import select

from core import make_config
from plugins.groups.interfaces import IGroupService
from plugins.groups.models import Group

TEMPLATE = "tests.plugins.groups:templates/content.jinja2"
_APPS: dict = {}


def _items(request, group_ids):
    return request.dbsession.execute(
        select(Group.name, Group.description).where(Group.id.in_(group_ids))
        .order_by(Group.id)).all()


def tab_view(request, group):
    service = request.find_service(IGroupService)
    visible = service.content_visible_ids(request.user).where(Group.id == group.id)
    return {"items": _items(request, visible)}


def feed_view(request):
    service = request.find_service(IGroupService)
    items = _items(request, service.content_visible_ids(request.user))
    return render_to_response(TEMPLATE, {"items": items}, request=request)


def app_with_content(settings, engine):
    key = tuple(sorted(settings.items()))
    if key not in _APPS:
        config = make_config(settings, engine=engine)
        config.add_group_tab("notes", "Notes", tab_view, order=5, renderer=TEMPLATE)
        config.add_route("sample_feed", "/sample-feed")
        config.add_view(feed_view, route_name="sample_feed")
        config.commit()
        _APPS[key] = config.make_wsgi_app()
    return _APPS[key]


def browser(app, connection, user=None, password=None):
    browser = webtest.TestApp(app, extra_environ={"cortege.test_connection": connection,
                                                  "HTTP_HOST": "localhost",
                                                  "REMOTE_ADDR": "127.0.0.1"})
    if user is not None:
        app.registry["cortege.ratelimiter"].reset()
        form = browser.get("/login").forms["login-form"]
        form["login"] = user.username
        form["password"] = password
        assert form.submit().status_int == 303
    return browser
