"""Flood control, the link limit for new members, and the authors' subscription setting."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.forums.models import Subscription, Topic
from tests.plugins.forums.conftest import topic_path


@pytest.fixture
def cortege_settings(cortege_settings):
    return {**cortege_settings, "forums.post_rate": "2/minute",
            "forums.subscribe_authors": "false"}


def reply(browser, topic, text, status="*"):
    form = browser.get(topic_path(topic)).forms["reply"]
    form["body"] = text
    return form.submit(status=status)


def test_members_posting_too_fast_are_told_to_wait_and_keep_their_text(
        make_user, login, make_forum, make_topic):
    alice = make_user("alice")
    topic = make_topic(make_forum("Debates"), alice)
    browser = login(alice)
    assert reply(browser, topic, "one").status_int == 303
    assert reply(browser, topic, "two").status_int == 303
    refused = reply(browser, topic, "three", status=429)
    assert "You are posting too fast" in refused.html.find(id="forums-error").text
    assert refused.forms["reply"]["body"].value == "three"


def test_new_members_may_post_few_links_and_older_ones_more(
        make_user, login, make_forum, make_topic, dbsession):
    newcomer = make_user("newcomer")
    veteran = make_user("veteran", created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    topic = make_topic(make_forum("Debates"), veteran)
    links = "see https://a.example https://b.example and www.c.example"
    refused = reply(login(newcomer), topic, links, status=400)
    assert "at most 2 links" in refused.html.find(id="forums-error").text
    assert reply(login(veteran), topic, links).status_int == 303


def test_the_setting_can_leave_authors_unsubscribed(make_user, login, make_forum, dbsession):
    alice = make_user("alice")
    make_forum("Debates")
    form = login(alice).get("/forums/debates/new").forms["topic-form"]
    assert not form["subscribe"].checked
    form["title"], form["body"] = "Quiet", "Text"
    form.submit()
    assert dbsession.query(Topic).filter_by(title="Quiet").count() == 1
    assert dbsession.query(Subscription).filter_by(user_id=alice.id).count() == 0
