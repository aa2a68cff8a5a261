"""Fixtures for the profiles plugin: members with a profile, fields, answers, a service."""

from __future__ import annotations

import contextlib

import pytest
from pyramid.request import Request
from pyramid.scripting import prepare

from plugins.profiles.fieldtypes import fold
from plugins.profiles.models import MEMBERS, Field, FieldGroup, Profile, Value


@pytest.fixture
def cortege_plugins():
    return ["profiles"]


@pytest.fixture
def make_member(make_user, dbsession):
    """A member with a profile row, as registration gives them."""

    def factory(username=None, **values):
        user = make_user(username, **values)
        dbsession.add(Profile(user_id=user.id, sort_name=fold(user.display_name),
                              last_active_at=user.created_at))
        dbsession.flush()
        return user

    return factory


@pytest.fixture
def make_field(dbsession):
    """``make_field("City", "city", default_visibility="public")`` in a group "About"."""
    groups = {}

    def factory(name, type="text", group="About", **values):
        if group not in groups:
            groups[group] = FieldGroup(name=group, description="", position=len(groups) + 1)
            dbsession.add(groups[group])
            dbsession.flush()
        values.setdefault("default_visibility", MEMBERS)
        field = Field(group_id=groups[group].id, name=name, type=type, help_text="",
                      options=values.pop("options", []), position=len(groups) * 100 + 1,
                      **values)
        dbsession.add(field)
        dbsession.flush()
        return field

    return factory


@pytest.fixture
def answer(dbsession):
    """``answer(user, field, "Paris", visibility="public")`` stores values directly."""

    def store(user, field, *strings, visibility=None):
        for string in strings:
            dbsession.add(Value(user_id=user.id, field_id=field.id, value=string,
                                search=fold(string),
                                visibility=visibility or field.default_visibility,
                                chosen_visibility=visibility))
        dbsession.flush()

    return store


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
