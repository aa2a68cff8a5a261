"""Topics and replies: reading, writing in Markdown, quoting, editing, deleting, pages by key."""

from __future__ import annotations

import datetime as dt

from plugins.forums.models import Forum, Post, ReadMark, Topic
from tests.plugins.forums.conftest import submit, topic_path


def test_index_forum_and_topic_pages_show_counts_and_last_poster(
        testapp, make_user, make_forum, make_topic):
    alice, bob = make_user("alice"), make_user("bob", display_name="Bob Martin")
    forum = make_forum("Debates", description="Argue with respect.")
    topic = make_topic(forum, alice, "Housing", "Rents **rise**", replies=[(bob, "Indeed")])

    index = testapp.get("/forums")
    row = index.html.find(id="forum-debates")
    assert "1 topic" in row.text and "2 posts" in row.text and "Bob Martin" in row.text

    listing = testapp.get("/forums/debates").html.find(id=f"topic-{topic.id}")
    assert "Housing" in listing.text and "1 reply" in listing.text
    assert "Last post by Bob Martin" in listing.text

    page = testapp.get(topic_path(topic))
    posts = page.html.select("#posts > li")
    assert [p.select_one(".forums__body").text.strip() for p in posts] == ["Rents rise", "Indeed"]
    assert posts[0].select_one(".forums__body strong").text == "rise"


def test_markdown_is_sanitised_and_links_marked_as_user_content(
        login, make_user, make_forum, make_topic):
    alice = make_user("alice")
    topic = make_topic(make_forum("Debates"), alice)
    form = login(alice).get(topic_path(topic)).forms["reply"]
    form["body"] = "<script>alert(1)</script> see [this](https://example.org) **now**"
    page = form.submit().follow().follow()
    body = page.html.select("#posts > li")[-1].select_one(".forums__body")
    assert body.find("script") is None and "alert(1)" in body.text  # shown as text, not run
    link = body.find("a")
    assert link["href"] == "https://example.org"
    assert {"nofollow", "ugc"} <= set(link["rel"])


def test_members_start_topics_and_strangers_may_not(testapp, login, make_user, make_forum,
                                                    dbsession):
    make_forum("Debates")
    assert testapp.get("/forums/debates/new").status_int == 303  # asked to log in first
    alice = make_user("alice")
    browser = login(alice)
    form = browser.get("/forums/debates/new").forms["topic-form"]
    form["title"] = "Free public transport?"
    form["body"] = "Some towns did it."
    page = form.submit().follow()
    assert page.html.find("h1").text == "Free public transport?"
    topic = dbsession.query(Topic).filter_by(title="Free public transport?").one()
    assert page.request.path == f"/forums/debates/{topic.id}-free-public-transport"
    forum = dbsession.get(Forum, topic.forum_id)
    dbsession.refresh(forum)
    assert (forum.topic_count, forum.post_count, forum.last_poster_id) == (1, 1, alice.id)

    form = browser.get("/forums/debates/new").forms["topic-form"]
    form["title"] = ""
    assert form.submit(status=400).html.select(".field__error")


def test_quoting_a_post_fills_the_reply(login, make_user, make_forum, make_topic):
    alice, bob = make_user("alice", display_name="Alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, body="Line one\nLine two")
    first = topic.first_post_id
    page = login(bob).get(topic_path(topic) + f"?quote={first}")
    assert page.forms["reply"]["body"].value.startswith("> **Alice**:\n> Line one\n> Line two")


def test_reply_counts_and_last_activity_are_kept_on_the_rows(
        login, make_user, make_forum, make_topic, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    forum = make_forum("Debates")
    topic = make_topic(forum, alice)
    form = login(bob).get(topic_path(topic)).forms["reply"]
    form["body"] = "Agreed."
    form.submit().follow()
    dbsession.expire_all()
    topic = dbsession.get(Topic, topic.id)
    forum = dbsession.get(Forum, forum.id)
    assert (topic.reply_count, topic.last_poster_id) == (1, bob.id)
    assert (forum.post_count, forum.last_topic_id, forum.last_poster_id) == (2, topic.id, bob.id)


def test_authors_edit_within_the_window_and_the_post_says_edited(
        login, make_user, make_forum, make_topic, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, replies=[(bob, "First words")])
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    assert login(alice).get(f"/forums/post/{reply.id}/edit").status_int == 303  # not hers

    browser = login(bob)
    form = browser.get(f"/forums/post/{reply.id}/edit").forms["edit-form"]
    form["body"] = "Better words"
    page = form.submit().follow().follow()
    item = page.html.find(id=f"post-{reply.id}")
    assert "Better words" in item.text and item.select_one(".forums__edited").text == "edited"

    reply = dbsession.get(Post, reply.id)
    reply.created_at -= dt.timedelta(hours=2)
    dbsession.flush()
    refused = browser.get(f"/forums/post/{reply.id}/edit").follow().follow()
    assert "within 60 minutes" in refused.text


def test_authors_delete_replies_and_their_topic_until_others_answered(
        login, make_user, make_forum, make_topic, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    forum = make_forum("Debates")
    topic = make_topic(forum, alice, replies=[(bob, "Mine")])
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    browser = login(alice)
    page = submit(browser, f"/forums/post/{topic.first_post_id}/delete").follow().follow()
    assert "Others have answered this topic" in page.text
    submit(browser, f"/forums/post/{reply.id}/delete", status=403)

    reply_id = reply.id
    submit(login(bob), f"/forums/post/{reply_id}/delete")
    dbsession.expire_all()
    assert dbsession.get(Post, reply_id) is None
    assert dbsession.get(Topic, topic.id).reply_count == 0

    topic_id = topic.id
    submit(browser, f"/forums/post/{topic.first_post_id}/delete")
    dbsession.expire_all()
    assert dbsession.get(Topic, topic_id) is None
    forum = dbsession.get(Forum, forum.id)
    assert (forum.topic_count, forum.post_count, forum.last_topic_id) == (0, 0, None)


def test_closed_topics_and_forums_take_no_replies(
        login, make_user, make_forum, make_topic, dbsession):
    alice = make_user("alice")
    topic = make_topic(make_forum("Debates"), alice, closed=True)
    page = login(alice).get(topic_path(topic))
    assert "reply" not in page.forms and page.html.find(id="closed")
    closed = make_forum("Announcements", closed=True)
    assert login(alice).get("/forums/announcements/new", status=403)
    assert "only moderators may post" in login(alice).get("/forums/announcements").text
    assert closed.closed


def test_topics_and_posts_are_paginated_by_key(
        testapp, make_user, make_forum, make_topic, app):
    alice = make_user("alice")
    forum = make_forum("Debates")
    settings = app.registry.settings
    per_page = settings["forums.topics_per_page"]
    topics = [make_topic(forum, alice, f"Topic {n}") for n in range(per_page + 2)]
    first = testapp.get("/forums/debates")
    shown = [li["id"] for li in first.html.select("#topics > li")]
    assert shown[0] == f"topic-{topics[-1].id}" and len(shown) == per_page
    second = first.click(href="after=")
    rest = [li["id"] for li in second.html.select("#topics > li")]
    assert rest == [f"topic-{topics[1].id}", f"topic-{topics[0].id}"]

    posts = settings["forums.posts_per_page"]
    long = make_topic(forum, alice, "Long", replies=[(alice, f"reply {n}") for n in range(posts)])
    page = testapp.get(topic_path(long))
    assert len(page.html.select("#posts > li")) == posts
    following = page.click(href="after=", index=0)
    assert [p.select_one(".forums__body").text.strip()
            for p in following.html.select("#posts > li")] == [f"reply {posts - 1}"]


def test_forum_and_topic_pages_stay_within_a_fixed_number_of_queries(
        login, make_user, make_forum, make_topic, max_queries):
    members = [make_user(f"m{n}") for n in range(6)]
    forum = make_forum("Debates")
    topic = None
    for n in range(12):
        topic = make_topic(forum, members[n % 6], f"Topic {n}",
                           replies=[(members[(n + k) % 6], f"r{k}") for k in range(4)])
    browser = login(members[0])
    browser.get("/forums")
    with max_queries(6):
        browser.get("/forums")
    with max_queries(10):
        browser.get("/forums/debates")
    long = make_topic(forum, members[1], "Long",
                      replies=[(members[k % 6], f"r{k}") for k in range(20)])
    for each in (topic, long):  # as many queries for 5 posts as for 21
        browser.get(topic_path(each))
        with max_queries(9):
            browser.get(topic_path(each))


def test_unread_marks_show_new_activity_and_write_only_when_it_moves(
        login, make_user, make_forum, make_topic, dbsession, query_counter):
    alice, bob = make_user("alice"), make_user("bob")
    forum = make_forum("Debates")
    topic = make_topic(forum, alice)
    browser = login(bob)
    assert browser.get("/forums/debates").html.select(f"#topic-{topic.id} .forums__unread")
    browser.get(topic_path(topic))
    assert not browser.get("/forums/debates").html.select(f"#topic-{topic.id} .forums__unread")
    mark = dbsession.get(ReadMark, (bob.id, topic.id))
    assert mark.last_post_id == topic.first_post_id

    query_counter.statements.clear()
    browser.get(topic_path(topic))
    writes = [s for s in query_counter.statements
              if s.lstrip().upper().startswith(("INSERT", "UPDATE"))
              and "forums_read" in s]
    assert writes == []

    alices = login(alice)
    form = alices.get(topic_path(topic)).forms["reply"]
    form["body"] = "News"
    form.submit()
    assert browser.get("/forums/debates").html.select(f"#topic-{topic.id} .forums__unread")


def test_mentions_in_posts_link_to_profiles_but_not_inside_code_or_links(
        testapp, make_user, make_forum, make_topic):
    alice = make_user("alice")
    make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, "Housing", "Ask @bob, not `@carol`",
                       replies=[(alice, "[@dan](https://example.org) and @bob again")])
    bodies = testapp.get(topic_path(topic)).html.select("#posts > li .forums__body")
    opening = [a["href"] for a in bodies[0].select("a.mention")]
    assert [href.rsplit("/", 1)[-1] for href in opening] == ["bob"]
    assert bodies[0].find("code").text == "@carol"
    reply = bodies[1].select("a")
    assert [a.text for a in reply] == ["@dan", "@bob"]
    assert reply[0]["href"] == "https://example.org"
