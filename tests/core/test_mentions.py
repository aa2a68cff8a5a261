"""Mentions: who ``@username`` names, once each, never the author, never by an email."""

from sqlalchemy import select

from core.events import StoredEvent
from core.jobs import job_request
from core.mentions import mentioned_usernames, publish_mentions


def test_usernames_are_found_once_each_and_emails_are_not_mentions():
    text = "Thanks @Ana and @bo.b, cc @ana again; write to camille@example.org or @x."
    assert mentioned_usernames(text) == ["ana", "bo.b"]


def test_a_mention_of_each_active_member_but_the_author(make_user, registry, dbsession):
    ana, bob, gone = make_user("ana"), make_user("bob"), make_user("gone", status="suspended")
    with job_request(registry) as request, request.tm:
        ids = publish_mentions(request, ana, "forums.post", 7,
                               "@ana @bob @gone @nobody @bob")
    assert ids == [bob.id]
    events = dbsession.scalars(select(StoredEvent).where(StoredEvent.name == "core.mentioned"))
    assert [e.payload for e in events] == [{"actor_id": ana.id, "user_id": bob.id,
                                            "content_type": "forums.post", "content_id": 7}]
    assert gone.id not in ids
