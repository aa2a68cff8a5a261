"""Mentions: who ``@username`` names, once each, never the author, never by an email."""

from sqlalchemy import select

from core.events import StoredEvent
from core.jobs import job_request
from core.mentions import mentioned_usernames, publish_mentions


def test_usernames_are_found_once_each_and_emails_are_not_mentions():
    text = "Thanks @Ana and @bo.b, cc @ana again; write to camille@example.org or @x."
    assert mentioned_usernames(text) == ["ana", "bo.b"]


def test_a_mention_of_each_active_member_but_the_author(make_user, make_forum, make_topic,
                                                        registry, dbsession):
    ana, bob, gone = make_user("ana"), make_user("bob"), make_user("gone", status="suspended")
    post_id = make_topic(make_forum("Debates"), ana).first_post_id
    with job_request(registry) as request, request.tm:
        ids = publish_mentions(request, ana, "forums.post", post_id,
                               "@ana @bob @gone @nobody @bob")
    assert ids == [bob.id]
    events = dbsession.scalars(select(StoredEvent).where(StoredEvent.name == "core.mentioned"))
    assert [e.payload for e in events] == [{"actor_id": ana.id, "user_id": bob.id,
                                            "content_type": "forums.post", "content_id": post_id}]
    assert gone.id not in ids


def test_a_mention_never_reaches_who_may_not_see_the_content(make_user, make_group,
                                                             group_forum, make_topic, add_member,
                                                             registry, dbsession):
    ana, bob = make_user("ana"), make_user("bob")
    make_user("cyd")
    group = make_group(status="hidden")
    add_member(group, ana)
    add_member(group, bob)
    post_id = make_topic(group_forum(group), ana).first_post_id
    with job_request(registry) as request, request.tm:
        assert publish_mentions(request, ana, "forums.post", post_id, "@bob @cyd") == [bob.id]
    events = dbsession.scalars(select(StoredEvent).where(StoredEvent.name == "core.mentioned"))
    assert [e.payload["user_id"] for e in events] == [bob.id]
