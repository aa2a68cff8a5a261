"""The forums without groups or profiles: site forums work, and the forum of a group (left by a
time the groups plugin was on) stays out of sight on every surface."""

from __future__ import annotations

import pytest

from plugins.forums.models import Forum
from tests.plugins.forums.conftest import topic_path


@pytest.fixture
def cortege_plugins():
    return ["forums"]


def test_site_forums_work_alone_and_group_forums_stay_hidden(
        testapp, login, make_user, make_forum, make_topic, dbsession):
    alice = make_user("alice")
    topic = make_topic(make_forum("Debates"), alice, "Open", "open-word")
    group_forum = Forum(slug="group-7", title="", group_id=7, closed=False, topic_count=0,
                        post_count=0)
    dbsession.add(group_forum)
    dbsession.flush()
    secret = make_topic(group_forum, alice, "Secret", "secret-word")
    browser = login(alice)
    assert "open-word" in browser.get(topic_path(topic)).text
    browser.get(f"/forums/group-7/{secret.id}-secret", status=404)
    browser.get(f"/forums/post/{secret.first_post_id}", status=404)
    browser.get("/forums/group-7", status=404)
    browser.get("/forums/group-7/new", status=404)
    assert not browser.get("/forums/search?q=secret-word").html.select(".forums__result")
    assert browser.get("/forums/search?q=open-word").html.select(".forums__result")
    assert "Secret" not in browser.get("/forums").text
