"""The service enforces the forums' rules whoever calls it: here a job or a command, with a
request of its own (``core.jobs.job_request``) and an actor who may not do the thing, is
refused as the pages refuse a member."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import ActionError, Forbidden, NotFound, RateLimited
from core.events import StoredEvent
from plugins.forums.interfaces import ForumError
from plugins.forums.models import Forum, Post, Topic


@pytest.fixture
def place(make_user, make_forum, make_topic, make_cell, group_forum):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    lead, mod = make_user("lead"), make_user("mod", role="moderator")
    debates = make_forum("Debates")
    group = make_cell("Cellule", status="private", admin=alice,
                      members=[bob, (lead, "moderator")])
    inside = make_topic(group_forum(group), alice, "Inside", replies=[(bob, "Yes")])
    outside = make_topic(debates, alice, "Outside", replies=[(bob, "Sure")])
    return {"alice": alice, "bob": bob, "carol": carol, "lead": lead, "mod": mod,
            "debates": debates, "group": group, "inside": inside, "outside": outside}


def load(service, model, row_id):
    return service.db.get(model, row_id)


def test_forum_error_is_an_action_error():
    assert issubclass(ForumError, ActionError) and ForumError("x").status == 400


def test_strangers_suspended_members_and_outsiders_may_not_write(place, forum_service,
                                                                 dbsession):
    debates = load(forum_service, Forum, place["debates"].id)
    with pytest.raises(NotFound):
        forum_service.create_topic(None, debates, "Hello", "Text")
    group_forum = load(forum_service, Forum, place["inside"].forum_id)
    with pytest.raises(NotFound):  # carol may not know the private group's forum
        forum_service.create_topic(place["carol"], group_forum, "Hello", "Text")
    inside = load(forum_service, Topic, place["inside"].id)
    with pytest.raises(NotFound):
        forum_service.reply(place["carol"], inside, "Let me in")
    place["bob"].status = "suspended"
    dbsession.flush()
    with pytest.raises(NotFound):
        forum_service.reply(place["bob"], inside, "Still here")
    assert dbsession.scalars(select(StoredEvent)).all() == []


def test_closed_forums_and_topics_take_words_from_moderators_only(place, forum_service):
    debates = load(forum_service, Forum, place["debates"].id)
    debates.closed = True
    with pytest.raises(Forbidden) as refused:
        forum_service.create_topic(place["bob"], debates, "Hello", "Text")
    assert "only moderators may post" in refused.value.message
    assert forum_service.create_topic(place["mod"], debates, "Rules", "Be kind").id
    outside = load(forum_service, Topic, place["outside"].id)
    debates.closed = False
    outside.closed = True
    with pytest.raises(Forbidden):
        forum_service.reply(place["bob"], outside, "Late")
    assert forum_service.reply(place["mod"], outside, "Closing words").id


def test_only_moderators_of_the_forum_moderate(place, forum_service):
    inside = load(forum_service, Topic, place["inside"].id)
    outside = load(forum_service, Topic, place["outside"].id)
    with pytest.raises(Forbidden):
        forum_service.moderate_topic(place["bob"], outside, "close")
    with pytest.raises(Forbidden):  # a group's moderator, outside their group's forum
        forum_service.moderate_topic(place["lead"], outside, "hide")
    with pytest.raises(Forbidden):  # pinning on every forum is for the site's moderators
        forum_service.moderate_topic(place["lead"], inside, "super")
    with pytest.raises(NotFound):
        forum_service.moderate_topic(place["mod"], outside, "explode")
    with pytest.raises(ForumError):  # a group's topic stays in its group
        forum_service.moderate_topic(place["alice"], inside, "move",
                                     load(forum_service, Forum, place["debates"].id))
    forum_service.moderate_topic(place["lead"], inside, "close")
    forum_service.moderate_topic(place["mod"], outside, "super")
    assert inside.closed and outside.super_sticky
    reply = forum_service.db.scalars(select(Post).where(Post.topic_id == inside.id,
                                                        Post.is_first.is_(False))).one()
    with pytest.raises(Forbidden):
        forum_service.set_hidden(place["bob"], reply, True)
    forum_service.set_hidden(place["lead"], reply, True)
    assert reply.hidden


def test_authors_edit_in_their_window_and_delete_until_answered(place, forum_service,
                                                                dbsession):
    outside = load(forum_service, Topic, place["outside"].id)
    first = load(forum_service, Post, outside.first_post_id)
    with pytest.raises(Forbidden):
        forum_service.edit(place["bob"], first, "Not mine")
    with pytest.raises(ForumError) as refused:
        forum_service.delete(place["alice"], first)
    assert "Others have answered" in refused.value.message
    first.created_at -= dt.timedelta(hours=2)
    with pytest.raises(Forbidden) as late:
        forum_service.edit(place["alice"], first, "Too late")
    assert late.value.message.mapping == {"minutes": 60}
    forum_service.edit(place["mod"], first, "Moderated words")
    with pytest.raises(ForumError):
        forum_service.edit(place["mod"], first, "   ")
    forum_service.delete(place["mod"], first)
    assert forum_service.db.get(Topic, outside.id) is None


def test_the_posting_limits_hold_for_jobs_too(place, forum_service, registry):
    outside = load(forum_service, Topic, place["outside"].id)
    links = "see https://a.example https://b.example and www.c.example"
    with pytest.raises(ForumError) as refused:
        forum_service.reply(place["carol"], outside, links)
    assert refused.value.field == "body"
    registry["cortege.ratelimiter"].reset()
    with pytest.raises(RateLimited):
        for number in range(10):
            forum_service.reply(place["bob"], outside, f"Reply {number}")


def test_reports_subscriptions_and_arranging_forums_check_the_actor(place, forum_service,
                                                                   make_user):
    inside = load(forum_service, Topic, place["inside"].id)
    first = load(forum_service, Post, inside.first_post_id)
    with pytest.raises(NotFound):
        forum_service.report(place["carol"], first, "Rude")
    with pytest.raises(NotFound):
        forum_service.subscribe(place["carol"], topic=inside)
    report = forum_service.report(place["bob"], first, "Rude")
    with pytest.raises(NotFound):  # a site moderator does not handle a private group's
        forum_service.resolve(place["mod"], report.id, "hide")
    forum_service.resolve(place["lead"], report.id, "dismiss")
    forum_service.db.refresh(report)
    assert report.outcome == "dismissed"
    with pytest.raises(Forbidden):
        forum_service.add_forum(place["mod"], "Mine")
    assert forum_service.add_forum(make_user(role="admin"), "Programme").slug == "programme"
