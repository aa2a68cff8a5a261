"""The forums' tests run with profiles and groups. The factories (``make_forum``,
``make_topic``, ``make_post``, ``group_forum``, ``forum_service``) come from the pytest plugin
``plugins.forums.testing``; groups are made with the groups' ``make_group`` and
``add_member``."""

from __future__ import annotations

import importlib.util
import uuid

import pytest

# Tests of other plugins import these from here.
from plugins.forums.testing import forum_service, group_forum, make_topic  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "forums"]


if importlib.util.find_spec("plugins.groups.testing") is None:
    # Until the groups plugin publishes its fixtures, the same two, with the same words.

    @pytest.fixture
    def make_group(dbsession):
        from plugins.groups.models import Group

        def factory(name=None, status="public", creator=None, **columns):
            name = name or f"Group {uuid.uuid4().hex[:8]}"
            columns.setdefault("slug", name.lower().replace(" ", "-"))
            group = Group(name=name, sort_name=name.casefold(), status=status,
                          description=columns.pop("description", ""),
                          created_by_id=creator.id if creator else None, **columns)
            dbsession.add(group)
            dbsession.flush()
            return group

        return factory

    @pytest.fixture
    def add_member(dbsession):
        from plugins.groups.models import Group, Membership

        def add(group, user, role="member", state="member"):
            dbsession.add(Membership(group_id=group.id, user_id=user.id, role=role,
                                     state=state))
            dbsession.flush()
            if state == "member":
                dbsession.get(Group, group.id).member_count += 1
                dbsession.flush()

        return add


@pytest.fixture
def make_cell(make_group, add_member):
    """``make_cell("Cellule", status="private", admin=alice, members=[bob, (lead,
    "moderator")])``: a group with its admin and members."""

    def factory(name="Cellule", status="public", admin=None, members=(), **columns):
        group = make_group(name, status=status, creator=admin, **columns)
        for person, role in ([(admin, "admin")] if admin else []) + [
                member if isinstance(member, tuple) else (member, "member")
                for member in members]:
            add_member(group, person, role=role)
        return group

    return factory


def submit(browser, url, status=None, **data):
    """POST ``data`` to ``url`` with the browser's CSRF token (read from any page)."""
    token = browser.get("/forums").html.find("input", {"name": "csrf_token"})["value"]
    return browser.post(url, {"csrf_token": token, **data}, status=status)


def topic_path(topic, forum="debates"):
    return f"/forums/{forum}/{topic.id}-{topic.slug}"
