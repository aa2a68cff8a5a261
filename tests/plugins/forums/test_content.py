"""The forums' content types: one condition per kind, which every surface follows, also for
hidden topics and posts (seen by those who moderate their forum, and by them only)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.content import content_type, get_visible, may_see, visible_ids
from core.jobs import job_request
from plugins.forums.models import Post
from tests.plugins.forums.conftest import topic_path


def test_kinds_say_their_address_words_and_owner(registry, make_user, make_forum, make_topic,
                                                 dbsession):
    alice = make_user("alice")
    topic = make_topic(make_forum("Debates", description="Argue"), alice, "Housing",
                       "Rents **rise** &amp; [fall](https://example.org)")
    forum, first = topic.forum, dbsession.get(Post, topic.first_post_id)
    with job_request(registry) as request, request.tm:
        kinds = {name: content_type(registry, name) for name in
                 ("forums.forum", "forums.topic", "forums.post")}
        assert kinds["forums.forum"].url(request, forum).endswith("/forums/debates")
        assert kinds["forums.topic"].url(request, topic).endswith(topic_path(topic))
        assert kinds["forums.post"].url(request, first).endswith(f"/forums/post/{first.id}")
    assert kinds["forums.forum"].text(forum) == "Debates\nArgue"
    assert kinds["forums.topic"].text(topic) == "Housing\nRents rise & fall"
    assert kinds["forums.post"].text(first) == "Rents rise & fall"
    assert kinds["forums.post"].label(first) == "Housing"
    assert kinds["forums.topic"].owner == kinds["forums.post"].owner == "author_id"


def surfaces(browser, topic, marker):
    """Where a member could come across the topic: (path, shown?)."""
    pages = {"topic": topic_path(topic), "forum": "/forums/debates",
             "search": f"/forums/search?q={marker[:-1]}",
             "tab": "/members/alice/topics", "replies": "/members/bob/replies"}
    shown = {}
    for name, path in pages.items():
        page = browser.get(path, expect_errors=True)
        shown[name] = page.status_int == 200 and marker in page.text
    return shown


def test_a_hidden_topic_is_seen_by_its_moderators_on_every_surface_and_by_no_one_else(
        registry, make_user, make_forum, make_topic, login, testapp, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    mod, admin = make_user("mod", role="moderator"), make_user("boss", role="admin")
    topic = make_topic(make_forum("Debates"), alice, "Topic hidden-word1",
                       replies=[(bob, "reply hidden-word1")], hidden=True)
    reply = dbsession.scalars(select(Post).where(Post.topic_id == topic.id,
                                                 Post.is_first.is_(False))).one()
    for person, sees in ((None, False), (alice, False), (bob, False), (mod, True),
                         (admin, True)):
        browser = login(person) if person else testapp
        with job_request(registry) as request, request.tm:
            assert may_see(request, "forums.topic", topic.id, person) is sees
            assert may_see(request, "forums.post", reply.id, person) is sees
            assert (get_visible(request, "forums.topic", topic.id, person) is not None) is sees
            ids = set(request.dbsession.scalars(visible_ids(request, "forums.post", person)))
            assert ({reply.id, topic.first_post_id} <= ids) is sees
        assert surfaces(browser, topic, "hidden-word1") == dict.fromkeys(
            ("topic", "forum", "search", "tab", "replies"), sees), person


def test_a_hidden_reply_is_seen_by_moderators_only(registry, make_user, make_forum,
                                                   make_topic, make_post, login):
    alice, mod = make_user("alice"), make_user("mod", role="moderator")
    topic = make_topic(make_forum("Debates"), alice, "Open")
    reply = make_post(topic, alice, "rude-word1", hidden=True)
    assert "rude-word1" in login(mod).get(topic_path(topic)).text
    assert "rude-word1" not in login(alice).get(topic_path(topic)).text
    with job_request(registry) as request, request.tm:
        assert may_see(request, "forums.post", reply.id, mod)
        assert not may_see(request, "forums.post", reply.id, alice)
        assert may_see(request, "forums.topic", topic.id, alice)


class TestRegions:
    """Other plugins add boxes to the forums' pages through the declared regions."""

    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        # An app of this class's own, whose registry the test may add an item to.
        return {**cortege_settings, "forums.topics_per_page": "29"}

    def test_a_box_below_a_topic_gets_the_topic_and_the_forums_permissions(
            self, app, make_user, make_forum, make_topic, login, testapp):
        from markupsafe import Markup
        from pyramid.config import Configurator

        config = Configurator(registry=app.registry)
        config.add_region_item(
            "forums.topic.footer", "probe", permission="forums.moderate",
            view=lambda request, topic, forum, group, context: Markup(
                f'<p id="probe">{topic.id} in {forum.slug}</p>'))
        config.commit()
        app.registry.pop("cortege.region_items", None)
        topic = make_topic(make_forum("Debates"), make_user("alice"))
        page = login(make_user("mod", role="moderator")).get(topic_path(topic))
        assert page.html.find(id="probe").text == f"{topic.id} in debates"
        assert testapp.get(topic_path(topic)).html.find(id="probe") is None

    def test_the_regions_are_declared(self, registry):
        from core.regions import declared_regions

        assert {"forums.index.header", "forums.forum.header",
                "forums.topic.footer"} <= declared_regions(registry).keys()
