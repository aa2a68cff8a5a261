"""Counters and last-post pointers stay equal to the rows when many members write at once.

Each member is a browser of its own, and the requests run in threads against a database that
commits (``committed_site``), as under a server with several workers.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from plugins.forums.models import Category, Forum, Post, Topic


@pytest.fixture
def cortege_settings(cortege_settings):
    return {**cortege_settings, "forums.post_rate": "1000/minute"}


def make_forum(site):
    (category,) = site.add(Category(title="General", description="", position=1))
    (forum,) = site.add(Forum(slug=f"debates-{uuid.uuid4().hex[:8]}", title="Debates",
                              description="", category_id=category.id, position=1,
                              closed=False, topic_count=0, post_count=0))
    return forum


def token(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def open_topic(browser, forum, title="Housing"):
    page = browser.get(f"/forums/{forum.slug}/new")
    response = browser.post(f"/forums/{forum.slug}/new", {
        "csrf_token": token(page), "title": title, "body": "Rents rise."}, status=303)
    return int(response.location.rsplit("/", 1)[1].split("-", 1)[0])


def reply(browser, topic_path, topic_id, times=1):
    for number in range(times):
        page = browser.get(topic_path)  # reading marks the topic read: a write too
        browser.post(f"/forums/topic/{topic_id}/reply",
                     {"csrf_token": token(page), "body": f"Reply {number}"}, status=303)


def check_rows(site, forum_id, topic_ids):
    """Every stored counter and pointer equals what the rows say."""
    with site.session() as session:
        forum = session.get(Forum, forum_id)
        for topic_id in topic_ids:
            topic = session.get(Topic, topic_id)
            visible = (Post.topic_id == topic_id, Post.hidden.is_(False))
            replies = session.scalar(select(func.count()).where(*visible,
                                                                Post.is_first.is_(False)))
            assert topic.reply_count == replies
            last = session.scalar(select(func.max(Post.id)).where(*visible))
            assert topic.last_post_id == last
        topics = session.scalar(select(func.count()).select_from(Topic).where(
            Topic.forum_id == forum_id, Topic.hidden.is_(False)))
        posts = session.scalar(select(func.count()).select_from(Post).join(Topic).where(
            Topic.forum_id == forum_id, Topic.hidden.is_(False), Post.hidden.is_(False)))
        assert (forum.topic_count, forum.post_count) == (topics, posts)
        assert forum.last_post_id == session.scalar(
            select(func.max(Post.id)).join(Topic).where(Topic.forum_id == forum_id,
                                                        Topic.hidden.is_(False),
                                                        Post.hidden.is_(False)))
        return forum, [session.get(Topic, topic_id) for topic_id in topic_ids]


def test_replies_at_once_are_all_counted(committed_site):
    forum = make_forum(committed_site)
    members = [committed_site.make_user() for _ in range(12)]
    browsers = committed_site.at_once(committed_site.login, members)
    topic_id = open_topic(browsers[0], forum)
    path = f"/forums/{forum.slug}/{topic_id}-housing"

    committed_site.at_once(lambda browser: reply(browser, path, topic_id, times=3), browsers)

    forum, (topic,) = check_rows(committed_site, forum.id, [topic_id])
    assert topic.reply_count == 36
    assert forum.post_count == 37


def test_topics_opened_at_once_are_all_counted(committed_site):
    forum = make_forum(committed_site)
    browsers = [committed_site.login(committed_site.make_user()) for _ in range(10)]

    topic_ids = committed_site.at_once(lambda browser: open_topic(browser, forum), browsers)

    forum, _topics = check_rows(committed_site, forum.id, topic_ids)
    assert forum.topic_count == forum.post_count == 10


def test_moderation_while_members_reply_keeps_the_counts(committed_site):
    """Recounts (replies deleted, a topic hidden and shown again) run beside new replies
    without losing one."""
    forum = make_forum(committed_site)
    moderator = committed_site.login(committed_site.make_user(role="admin"))
    browsers = [committed_site.login(committed_site.make_user()) for _ in range(8)]
    first, second = open_topic(moderator, forum, "First"), open_topic(moderator, forum, "Second")
    path = f"/forums/{forum.slug}/{first}-first"
    reply(browsers[0], path, first, times=4)
    with committed_site.session() as session:
        doomed = session.scalars(select(Post.id).where(Post.topic_id == first,
                                                       Post.is_first.is_(False))).all()

    def moderate(_browser):
        for post_id in doomed:
            moderator.post(f"/forums/post/{post_id}/delete",
                           {"csrf_token": token(moderator.get(path))}, status=303)
            for action in ("hide", "unhide"):
                moderator.post(f"/forums/topic/{second}/{action}",
                               {"csrf_token": token(moderator.get(path))}, status=303)

    committed_site.at_once(lambda job: job[0](job[1]),
                           [(moderate, None),
                            *[(lambda browser: reply(browser, path, first, times=2), browser)
                              for browser in browsers]])

    forum, (topic, other) = check_rows(committed_site, forum.id, [first, second])
    assert (topic.reply_count, other.reply_count) == (16, 0)
    assert (forum.topic_count, forum.post_count) == (2, 18)
