"""Subscriptions: authors follow their topics, mail in the subscriber's language, one mail per
person, and a link that unsubscribes in one click."""

from __future__ import annotations

import re

from plugins.forums.models import Subscription, Topic
from tests.plugins.forums.conftest import submit, topic_path


def post_reply(browser, topic, text):
    form = browser.get(topic_path(topic)).forms["reply"]
    form["body"] = text
    return form.submit()


def test_authors_are_subscribed_and_mailed_in_their_language(
        make_user, login, make_forum, outbox, dbsession):
    alice = make_user("alice", locale="fr", display_name="Alice")
    bob = make_user("bob", display_name="Bob")
    make_forum("Debates")
    form = login(alice).get("/forums/debates/new").forms["topic-form"]
    assert form["subscribe"].checked
    form["title"], form["body"] = "Logement", "Les loyers montent."
    form.submit()
    topic = dbsession.get(Topic, dbsession.query(Subscription).filter_by(
        user_id=alice.id).one().topic_id)
    post_reply(login(bob), topic, "Rent control now.")
    assert len(outbox) == 1
    message = outbox[0]
    assert message.recipients == ["alice@example.org"]
    assert "Nouveau message" in message.subject and "Logement" in message.subject
    assert "Bob" in message.body and "Rent control now." in message.body
    assert "Pour ne plus les recevoir" in message.body
    # Bob answered, so he follows the topic too; Alice's answer goes to him only.
    outbox.clear()
    post_reply(login(alice), topic, "Merci.")
    assert [m.recipients for m in outbox] == [["bob@example.org"]]


def test_the_unsubscribe_link_works_in_one_click_without_logging_in(
        make_user, login, make_forum, make_topic, forum_service, outbox, testapp, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice)
    forum_service.subscribe(alice, topic=topic)
    post_reply(login(bob), topic, "Hello")
    link = re.search(r"https?://[^/\s]+(/forums/unsubscribe/\S+)", outbox[0].body).group(1)
    page = testapp.get(link)
    assert "no longer get these emails" in page.text
    assert dbsession.query(Subscription).filter_by(user_id=alice.id).count() == 0
    assert "no longer works" in testapp.get(link).text
    assert "no longer works" in testapp.get(link[:-3] + "abc").text
    outbox.clear()
    post_reply(login(bob), topic, "Again")
    assert outbox == []


def test_forum_subscribers_hear_of_new_topics_and_get_one_mail_per_post(
        make_user, login, make_forum, outbox, dbsession):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    make_forum("Debates")
    carols = login(carol)
    submit(carols, "/forums/debates/subscription", subscribe="1")
    form = login(alice).get("/forums/debates/new").forms["topic-form"]
    form["title"], form["body"] = "News", "Text"
    form.submit()
    assert [m.recipients for m in outbox] == [["carol@example.org"]]
    assert "follow this forum" in outbox[0].body
    outbox.clear()
    topic = dbsession.query(Topic).filter_by(title="News").one()
    submit(carols, f"/forums/topic/{topic.id}/subscription", subscribe="1")
    post_reply(login(bob), topic, "Reply")
    assert sorted(r for m in outbox for r in m.recipients) == ["alice@example.org",
                                                               "carol@example.org"]


def test_suspended_members_get_no_mail(make_user, login, make_forum, make_topic,
                                       forum_service, outbox, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice)
    forum_service.subscribe(alice, topic=topic)
    alice.status = "suspended"
    dbsession.flush()
    post_reply(login(bob), topic, "Hello")
    assert outbox == []
