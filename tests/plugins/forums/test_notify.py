"""Mail about a new post leaves the request: a subscriber of ``forums.post_created`` picks
the recipients when it runs, with the rule of the pages, in jobs of ``forums.mail_batch``;
each mail is checked again when it leaves. Here the queue is not run at commit, so that the
world can change between the post, the subscriber and the mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.events import StoredEvent
from core.jobs import DONE, Job, drain, run_job
from plugins.forums.models import Subscription
from tests.plugins.forums.conftest import submit, topic_path


@pytest.fixture
def cortege_settings(cortege_settings, tmp_path_factory):
    queue = tmp_path_factory.mktemp("queue") / "queue.sqlite"
    return {**cortege_settings, "cortege.queue_url": f"sqlite:///{queue}",
            "forums.mail_batch": "2"}


def reply(browser, path, text):
    form = browser.get(path).forms["reply"]
    form["body"] = text
    form.submit(status=303)


def follow(dbsession, topic, *people):
    dbsession.add_all(Subscription(user_id=person.id, topic_id=topic.id) for person in people)
    dbsession.flush()


def news(outbox):
    """The recipients of the forums' mail (the groups write theirs too)."""
    return [mail.recipients for mail in outbox if "New post" in mail.subject]


def jobs(dbsession, task):
    return dbsession.scalars(select(Job).where(Job.task == task).order_by(Job.id)).all()


def test_the_request_only_publishes_and_the_subscriber_mails_later(
        make_user, make_forum, make_topic, login, dbsession, registry, outbox):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice)
    follow(dbsession, topic, alice)
    reply(login(bob), topic_path(topic), "Hello")
    assert outbox == [] and jobs(dbsession, "cortege.mail") == []
    [delivery] = jobs(dbsession, "cortege.deliver_event")
    event = dbsession.get(StoredEvent, delivery.args["event_id"])
    assert (event.name, delivery.args["subscriber"]) == ("forums.post_created",
                                                         "forums.notify_subscribers")
    assert drain(registry) == 2  # the subscriber, then the mail it wrote
    [mail] = outbox
    assert mail.recipients == ["alice@example.org"] and "Hello" in mail.body
    [job] = jobs(dbsession, "cortege.mail")
    assert job.args["user_id"] == alice.id and job.args["about"] == ["forums.post",
                                                                    event.payload["post_id"]]


@pytest.fixture
def reply_in_a_cell(make_user, make_cell, group_forum, make_topic, login, dbsession):
    """Alice answers in her private group's forum, where Bob and Carol follow the topic;
    returns ``remove_carol()``, which Alice does through the group's page."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_cell("Cellule", status="private", admin=alice, members=[bob, carol])
    forum = group_forum(group)
    topic = make_topic(forum, alice)
    follow(dbsession, topic, bob, carol)
    reply(login(alice), topic_path(topic, forum.slug), "Members only")
    return lambda: submit(login(alice), "/groups/cellule/manage", action="remove",
                          user_id=str(carol.id))


def test_who_left_the_group_before_the_subscriber_ran_gets_nothing(
        reply_in_a_cell, registry, outbox):
    reply_in_a_cell()
    drain(registry)
    assert news(outbox) == [["bob@example.org"]]


def test_who_lost_sight_after_the_mail_was_written_gets_nothing(
        reply_in_a_cell, dbsession, registry, outbox):
    [delivery] = jobs(dbsession, "cortege.deliver_event")
    assert run_job(registry, delivery.id) == DONE
    assert len(jobs(dbsession, "cortege.mail")) == 2  # written for both, not sent yet
    reply_in_a_cell()
    drain(registry)
    assert news(outbox) == [["bob@example.org"]]


def test_a_hidden_post_is_mailed_to_nobody(
        make_user, make_forum, make_topic, login, dbsession, registry, outbox):
    alice, bob, mod = make_user("alice"), make_user("bob"), make_user("mod", role="moderator")
    topic = make_topic(make_forum("Debates"), alice)
    follow(dbsession, topic, alice, mod)
    reply(login(bob), topic_path(topic), "Spam")
    post_id = dbsession.scalars(select(StoredEvent)).all()[-1].payload["post_id"]
    submit(login(mod), f"/forums/post/{post_id}/hide", status=303)
    drain(registry)
    assert outbox == []  # moderators see it, but no mail is about hidden content


def test_many_subscribers_are_mailed_in_jobs_of_a_batch_each_once(
        make_user, make_forum, make_topic, login, dbsession, registry, outbox):
    alice = make_user("alice")
    forum = make_forum("Debates")
    topic = make_topic(forum, alice)
    people = [make_user(f"reader{n}") for n in range(5)]
    follow(dbsession, topic, *people[:3])
    dbsession.add_all(Subscription(user_id=person.id, forum_id=forum.id)
                      for person in people[2:])  # reader2 follows both: one mail
    suspended = make_user("gone", status="suspended")
    follow(dbsession, topic, suspended)
    reply(login(alice), topic_path(topic), "News for everyone")
    drain(registry)
    chunks = jobs(dbsession, "forums.notify_chunk")
    assert [(job.args["first_user_id"], job.args["last_user_id"]) for job in chunks] == [
        (people[0].id, people[1].id), (people[2].id, people[3].id), (people[4].id,) * 2]
    assert {job.status for job in chunks} == {DONE}
    assert sorted(r for mail in outbox for r in mail.recipients) == sorted(
        f"reader{n}@example.org" for n in range(5))
    by_forum = [mail for mail in outbox if mail.recipients == ["reader4@example.org"]]
    assert "follow this forum" in by_forum[0].body
    both = [mail for mail in outbox if mail.recipients == ["reader2@example.org"]]
    assert "follow this topic" in both[0].body
