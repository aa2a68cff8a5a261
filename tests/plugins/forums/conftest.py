"""Fixtures for the forums: forums, topics with replies written through the forums' service."""

from __future__ import annotations

import pytest

from plugins.forums.interfaces import IForumService
from plugins.forums.models import Category, Forum
from tests.plugins.groups.conftest import group_type, make_group  # noqa: F401
from tests.plugins.profiles.conftest import make_member, plugin_request  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "forums"]


@pytest.fixture
def forum_service(plugin_request):  # noqa: F811
    request = plugin_request()
    return request.find_service(IForumService)


@pytest.fixture
def make_forum(dbsession):
    """``make_forum("Debates", closed=False)``: a site forum in a category."""

    def factory(title="Debates", slug=None, category=None, **values):
        if category is None:
            category = Category(title="General", description="", position=1)
            dbsession.add(category)
            dbsession.flush()
        forum = Forum(slug=slug or title.lower().replace(" ", "-"), title=title,
                      description=values.pop("description", ""), category_id=category.id,
                      position=values.pop("position", 1), closed=values.pop("closed", False),
                      topic_count=0, post_count=0, **values)
        dbsession.add(forum)
        dbsession.flush()
        return forum

    return factory


@pytest.fixture
def make_topic(forum_service, dbsession):
    """``make_topic(forum, author, "Title", "Text", replies=[(member, "text")])``."""

    def factory(forum, author, title="A topic", body="Opening text", replies=(), **flags):
        forum = dbsession.merge(forum)
        service_forum = forum_service.db.get(Forum, forum.id)
        topic = forum_service.create_topic(service_forum, author, title, body, subscribe=False,
                                           quiet=True)
        for member, text in replies:
            forum_service.reply(topic, member, text, subscribe=False, quiet=True)
        for name, value in flags.items():
            setattr(topic, name, value)
        forum_service.db.flush()
        return topic

    return factory


@pytest.fixture
def group_forum(forum_service):
    """The forum of a group (made as its first topic would make it)."""

    def factory(group):
        return forum_service.forum_of_group(group.id, create=True)

    return factory


def submit(browser, url, status=None, **data):
    """POST ``data`` to ``url`` with the browser's CSRF token (read from any page)."""
    token = browser.get("/forums").html.find("input", {"name": "csrf_token"})["value"]
    return browser.post(url, {"csrf_token": token, **data}, status=status)


def topic_path(topic, forum="debates"):
    return f"/forums/{forum}/{topic.id}-{topic.slug}"
