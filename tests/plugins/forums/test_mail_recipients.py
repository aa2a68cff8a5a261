"""Mail about a new post in a group's forum goes only to subscribers who may still see it,
decided when it goes: someone removed from or banned by the group, who left it, whose group
turned private, or whose account is suspended, hears nothing more; a current member does."""

from __future__ import annotations

import pytest

from core.db import utcnow
from plugins.forums.models import Post, Subscription
from tests.plugins.forums.conftest import submit

CAST = ("removed", "banned", "left", "suspended", "outsider", "stays")


def topic_url(forum, topic):
    return f"/forums/{forum.slug}/{topic.id}-{topic.slug}"


@pytest.mark.parametrize("follows", ["topic", "forum"])
def test_reply_mail_skips_who_lost_sight_of_the_forum(follows, make_user, make_cell,
                                                      group_forum, make_topic, login, outbox):
    boss, chief = make_user("boss"), make_user("chief", role="admin")
    people = {name: make_user(name) for name in CAST}
    group = make_cell("Lille", slug="lille", admin=boss,
                       members=[people[name] for name in CAST if name != "outsider"])
    forum = group_forum(group)
    topic = make_topic(forum, boss, "Plans", "Opening text")
    for name in CAST:  # while the group is public, everyone may follow it
        url = (f"/forums/topic/{topic.id}/subscription" if follows == "topic"
               else f"/forums/{forum.slug}/subscription")
        submit(login(people[name]), url, status=303, subscribe="1")
    organiser = login(boss)
    for action, name in (("remove", "removed"), ("ban", "banned")):
        submit(organiser, "/groups/lille/manage", action=action, user_id=str(people[name].id))
    submit(login(people["left"]), "/groups/lille/membership", action="leave")
    submit(login(chief), f"/admin/members/{people['suspended'].id}/suspend", status=303)
    form = organiser.get("/groups/lille/edit").forms["group-form"]
    form["status"] = "private"
    form.submit(status=303)
    outbox.clear()
    form = organiser.get(topic_url(forum, topic)).forms["reply"]
    form["body"] = "Only for the group now."
    form.submit()
    assert [message.recipients for message in outbox] == [["stays@example.org"]]


@pytest.mark.parametrize("status", ["public", "private", "hidden"])
def test_subscribers_are_exactly_who_the_topic_page_shows_it_to(
        status, make_user, make_cell, add_member, group_forum, make_topic, login, dbsession,
        forum_service):
    """The mail's rule is the pages' rule, for every kind of group and person."""
    admin, member = make_user("chief", role="admin"), make_user("member")
    banned, outsider = make_user("banned"), make_user("outsider")
    group = make_cell("Lille", slug="lille", status=status, members=[member])
    add_member(group, banned, state="banned")
    topic = make_topic(group_forum(group), member, "Plans", "Text")
    people = (admin, member, banned, outsider)
    for person in people:
        dbsession.add(Subscription(user_id=person.id, topic_id=topic.id, created_at=utcnow()))
    dbsession.flush()
    forum = topic.forum
    post = forum_service.db.get(Post, topic.first_post_id)
    mailed = {user.id for _, user in forum_service.db.execute(forum_service.subscribers(post))}
    shown = {person.id for person in people
             if login(person).get(topic_url(forum, topic), expect_errors=True).status_int == 200}
    assert mailed == shown
    outside = {banned.id, outsider.id}
    assert mailed == ({admin.id, member.id} | (outside if status == "public" else set()))
