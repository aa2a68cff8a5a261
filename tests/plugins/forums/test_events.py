"""What happens in the forums is published as domain events, by the service that makes the
change, in its transaction: one row in the outbox per event, with the ids and the actor."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from zope.interface.verify import verifyObject

from core.events import StoredEvent
from plugins.forums.events import EVENTS, IPostCreated, PostCreated
from plugins.forums.models import Post, Topic
from tests.plugins.forums.conftest import submit, topic_path


def published(dbsession, since=0):
    """(name, payload) of the events stored after the event ``since``, in order."""
    return [(event.name, event.payload) for event in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.id > since).order_by(StoredEvent.id))]


def last_event_id(dbsession):
    return dbsession.scalar(select(StoredEvent.id).order_by(StoredEvent.id.desc())) or 0


def test_events_are_small_frozen_and_declared(registry):
    from core.events import EVENTS as DECLARED
    from core.extensions import registered_map

    declared = registered_map(registry, DECLARED)
    for event_class in EVENTS:
        assert declared[event_class.name].event_class is event_class
    event = PostCreated(actor_id=1, forum_id=2, group_id=None, topic_id=3, post_id=4,
                        is_first=True)
    assert verifyObject(IPostCreated, event)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.post_id = 5


def test_starting_a_topic_and_replying_publish_with_the_actor(
        make_user, login, make_forum, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    forum = make_forum("Debates")
    form = login(alice).get("/forums/debates/new").forms["topic-form"]
    form["title"], form["body"] = "Housing", "Rents rise."
    form.submit(status=303)
    topic = dbsession.scalars(select(Topic).where(Topic.title == "Housing")).one()
    ids = {"forum_id": forum.id, "group_id": None, "topic_id": topic.id,
           "post_id": topic.first_post_id}
    assert published(dbsession) == [
        ("forums.topic_created", {"actor_id": alice.id, **ids}),
        ("forums.post_created", {"actor_id": alice.id, **ids, "is_first": True}),
    ]
    since = last_event_id(dbsession)
    form = login(bob).get(topic_path(topic)).forms["reply"]
    form["body"] = "Agreed."
    form.submit(status=303)
    reply = dbsession.scalars(select(Post).where(Post.body == "Agreed.")).one()
    assert published(dbsession, since) == [("forums.post_created", {
        "actor_id": bob.id, **ids, "post_id": reply.id, "is_first": False})]
    stored = dbsession.scalars(select(StoredEvent).where(StoredEvent.id > since)).one()
    assert stored.actor_id == bob.id


def test_a_topic_in_a_group_forum_carries_its_group(make_user, login, make_cell, dbsession):
    alice = make_user("alice")
    group = make_cell("Cellule", status="private", admin=alice)
    form = login(alice).get(f"/forums/group-{group.id}/new").forms["topic-form"]
    form["title"], form["body"] = "Plans", "Text"
    form.submit(status=303)
    [(name, payload), _post] = published(dbsession)
    assert name == "forums.topic_created" and payload["group_id"] == group.id


def test_edits_deletions_publish_what_changed(make_user, login, make_forum, make_topic,
                                              dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    forum = make_forum("Debates")
    topic = make_topic(forum, alice, "Housing", replies=[(bob, "Mine")])
    reply = dbsession.scalars(select(Post).where(Post.topic_id == topic.id,
                                                 Post.is_first.is_(False))).one()
    ids = {"forum_id": forum.id, "group_id": None, "topic_id": topic.id}
    alices, bobs = login(alice), login(bob)
    form = alices.get(f"/forums/post/{topic.first_post_id}/edit").forms["edit-form"]
    form["title"], form["body"] = "Housing now", "New words"
    form.submit(status=303)
    form = bobs.get(f"/forums/post/{reply.id}/edit").forms["edit-form"]
    form["body"] = "Better words"
    form.submit(status=303)
    submit(bobs, f"/forums/post/{reply.id}/delete", status=303)
    submit(alices, f"/forums/post/{topic.first_post_id}/delete", status=303)
    assert published(dbsession) == [
        ("forums.post_edited", {"actor_id": alice.id, **ids, "post_id": topic.first_post_id}),
        ("forums.topic_edited", {"actor_id": alice.id, **ids}),
        ("forums.post_edited", {"actor_id": bob.id, **ids, "post_id": reply.id}),
        ("forums.post_deleted", {"actor_id": bob.id, **ids, "post_id": reply.id}),
        ("forums.topic_deleted", {"actor_id": alice.id, **ids}),
    ]


def test_moderation_publishes_each_change_once(make_user, login, make_forum, make_topic,
                                               dbsession):
    alice, mod = make_user("alice"), make_user("mod", role="moderator")
    debates, campaigns = make_forum("Debates"), make_forum("Campaigns", slug="campaigns")
    topic = make_topic(debates, alice, "Leaflets", replies=[(alice, "Spam")])
    reply = dbsession.scalars(select(Post).where(Post.topic_id == topic.id,
                                                 Post.is_first.is_(False))).one()
    moderator = login(mod)
    for action in ("close", "close", "open", "stick", "hide", "unhide"):
        submit(moderator, f"/forums/topic/{topic.id}/{action}", status=303)
    submit(moderator, f"/forums/post/{reply.id}/hide", status=303)
    submit(moderator, f"/forums/post/{reply.id}/unhide", status=303)
    submit(moderator, f"/forums/topic/{topic.id}/move", status=303, forum=str(campaigns.id))
    ids = {"actor_id": mod.id, "forum_id": debates.id, "group_id": None, "topic_id": topic.id}
    assert published(dbsession) == [
        ("forums.topic_closed", ids),  # closing a closed topic changes nothing
        ("forums.topic_reopened", ids),
        ("forums.topic_hidden", ids),
        ("forums.topic_shown", ids),
        ("forums.post_hidden", {**ids, "post_id": reply.id}),
        ("forums.post_shown", {**ids, "post_id": reply.id}),
        ("forums.topic_moved", {**ids, "forum_id": campaigns.id, "from_forum_id": debates.id}),
    ]


def test_a_refused_action_publishes_nothing(make_user, login, make_forum, make_topic,
                                            dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, replies=[(bob, "Mine")])
    bobs = login(bob)
    for action in ("close", "hide", "move"):
        submit(bobs, f"/forums/topic/{topic.id}/{action}", status=403)
    submit(bobs, f"/forums/post/{topic.first_post_id}/delete", status=403)
    submit(login(alice), f"/forums/post/{topic.first_post_id}/delete", status=303)  # answered
    assert published(dbsession) == []
