"""A group's forum follows its group's status on every surface: the group tab, topic pages,
post links, search, member tabs, the forums' index, and subscription emails."""

from __future__ import annotations

import pytest

from plugins.forums.models import Post
from plugins.groups.models import Group
from tests.plugins.forums.conftest import submit


@pytest.fixture
def people(make_user):
    return {name: make_user(name, display_name=name.title())
            for name in ("alice", "bob", "carol")}


@pytest.fixture
def secret(people, make_cell, group_forum, make_topic):
    """A private group (Alice admin, Bob member) whose forum holds a topic with a reply."""

    def factory(status="private"):
        group = make_cell("Cellule", status=status, admin=people["alice"],
                           members=[people["bob"]])
        forum = group_forum(group)
        topic = make_topic(forum, people["alice"], "Secret plan", "confidential-word inside",
                           replies=[(people["bob"], "confidential-word again")])
        return group, forum, topic

    return factory


def topic_url(forum, topic):
    return f"/forums/{forum.slug}/{topic.id}-{topic.slug}"


def surfaces(browser, forum, topic, status=200):
    """Every page that shows the topic, answering ``status``; the lists it must stay out of."""
    for url in (topic_url(forum, topic), "/groups/cellule/forum"):
        browser.get(url, status=status)
    browser.get(f"/forums/post/{topic.first_post_id}", status=303 if status == 200 else status)


def results(browser, text):
    return browser.get(f"/forums/search?q={text}").html.select(".forums__result")


def counts(browser):
    """The counts on Alice's Topics tab and Bob's Replies tab."""
    return (browser.get("/members/alice/topics").html.find(id="count").text,
            browser.get("/members/bob/replies").html.find(id="count").text)


def leaks(browser):
    pages = [browser.get("/forums"), browser.get("/members/alice/topics"),
             browser.get("/members/bob/replies")]
    found = [page.request.path for page in pages
             if "confidential-word" in page.text or "Secret plan" in page.text]
    if counts(browser) != ("0 topics", "0 replies"):
        found.append("counts")
    return found + (["search"] if results(browser, "confidential-word") else [])


@pytest.mark.parametrize("status", ["private", "hidden"])
def test_outsiders_and_strangers_see_nothing_of_a_group_forum(
        status, secret, people, login, testapp):
    _group, forum, topic = secret(status)
    for browser in (testapp, login(people["carol"])):
        surfaces(browser, forum, topic, status=404)
        assert leaks(browser) == []


def test_members_see_their_group_forum_everywhere(secret, people, login):
    _group, forum, topic = secret("private")
    bob = login(people["bob"])
    surfaces(bob, forum, topic)
    assert "Secret plan" in bob.get("/groups/cellule/forum").text
    assert len(results(bob, "confidential-word")) == 2
    assert "Secret plan" in bob.get("/members/alice/topics").text
    assert "confidential-word again" in bob.get("/members/bob/replies").text
    assert counts(bob) == ("1 topic", "1 reply")
    assert "Secret plan" not in bob.get("/forums").text  # group forums live on their group


def test_a_public_group_forum_is_open_and_follows_a_change_of_status(
        secret, people, testapp, login, dbsession):
    group, forum, topic = secret("public")
    surfaces(testapp, forum, topic)
    assert "Secret plan" in testapp.get("/members/alice/topics").text
    group = dbsession.get(Group, group.id)
    group.status = "private"
    dbsession.flush()
    surfaces(testapp, forum, topic, status=404)
    assert leaks(testapp) == [] and leaks(login(people["carol"])) == []


def test_outsiders_cannot_post_in_a_public_group_forum(secret, people, login):
    _group, forum, topic = secret("public")
    carol = login(people["carol"])
    assert "reply" not in carol.get(topic_url(forum, topic)).forms
    submit(carol, f"/forums/topic/{topic.id}/reply", status=403, body="Hello")
    carol.get(f"/forums/{forum.slug}/new", status=403)


def test_members_start_the_first_topic_of_their_group(people, make_cell, login, dbsession):
    group = make_cell("Cellule", status="hidden", admin=people["alice"])
    alice = login(people["alice"])
    tab = alice.get("/groups/cellule/forum")
    page = tab.click(description="Start a topic")
    form = page.forms["topic-form"]
    form["title"], form["body"] = "First", "Hello"
    page = form.submit().follow()
    assert page.html.find("h1").text == "First"
    assert "Cellule" in page.html.select_one(".breadcrumb").text
    assert "First" in alice.get("/groups/cellule/forum").text
    login(people["carol"]).get(f"/forums/group-{group.id}/new", status=404)


def test_subscription_mail_never_goes_to_who_can_no_longer_see_the_forum(
        secret, people, login, dbsession, forum_service, outbox):
    group, forum, topic = secret("public")
    for name in ("bob", "carol"):
        forum_service.subscribe(people[name], topic=topic)
    group = dbsession.get(Group, group.id)
    group.status = "private"
    dbsession.flush()
    alice = login(people["alice"])
    form = alice.get(topic_url(forum, topic)).forms["reply"]
    form["body"] = "confidential-word for members"
    form.submit()
    assert [m.recipients for m in outbox] == [["bob@example.org"]]


def test_hidden_posts_stay_out_of_search_and_member_tabs(
        secret, people, login, dbsession, make_forum, make_topic):
    forum = make_forum("Debates")
    topic = make_topic(forum, people["alice"], "Open", "visible-word",
                       replies=[(people["bob"], "hidden-word")])
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    reply.hidden = True
    dbsession.flush()
    carol = login(people["carol"])
    assert not results(carol, "hidden-word")
    assert "hidden-word" not in carol.get("/members/bob/replies").text
    assert "hidden-word" not in carol.get(f"/forums/debates/{topic.id}-open").text
    assert results(carol, "visible-word")


def test_the_group_forum_tab_stays_within_a_fixed_number_of_queries(
        people, make_cell, group_forum, make_topic, login, max_queries):
    group = make_cell("Cellule", status="private", admin=people["alice"],
                       members=[people["bob"]])
    forum = group_forum(group)
    for n in range(8):
        make_topic(forum, people["alice" if n % 2 else "bob"], f"Topic {n}",
                   replies=[(people["bob"], "yes")])
    bob = login(people["bob"])
    bob.get("/groups/cellule/forum")
    with max_queries(12):
        page = bob.get("/groups/cellule/forum")
    assert len(page.html.select("#topics > li")) == 8
