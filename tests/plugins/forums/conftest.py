"""The forums' tests run with profiles and groups. The factories (``make_forum``,
``make_topic``, ``make_post``, ``group_forum``, ``forum_service``) come from the pytest plugin
``plugins.forums.testing``; groups are made with the groups' ``make_group`` and
``add_member``."""

from __future__ import annotations

import pytest

# Tests of other plugins import these from here.
from plugins.forums.testing import forum_service, group_forum, make_topic  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "forums"]


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
