"""Test fixtures for the forums, published as a pytest plugin (``cortege_forums`` under
``pytest11``): any test, of this plugin or another, may ask for them.

``make_forum``     ``make_forum("Debates", slug=None, category=None, closed=False, ...)``: a
                   site forum in a category (a new "General" one unless given)
``group_forum``    ``group_forum(group)``: the forum of a group (a ``Group`` row, or anything
                   with an ``id``), made as its first topic would make it
``make_topic``     ``make_topic(forum, author, "Title", "Opening text", replies=[(member,
                   "text")], closed=True, ...)``: a topic with its opening post and replies,
                   counted like the service counts them; keywords set Topic columns after
``make_post``      ``make_post(topic, author, "text", hidden=True, ...)``: a reply; keywords set
                   Post columns after (the counters are not recounted)
``forum_service``  the ``IForumService`` of a request outside any view
                   (``core.jobs.job_request``, as a job or a command gets it), on the test's
                   connection: call it with an actor to test the rules it enforces

Factories write with the test's ``dbsession`` and return its rows; they check no rule and
publish no event (``plugins.forums.writing.write_topic`` and ``write_reply``). To test the
rules and the events, go through the pages or ``forum_service``.

The module also registers a content sample for ``forums.forum``, ``forums.topic`` and
``forums.post`` (``core.testing.register_content_sample``) for the privacy property test.
"""

from __future__ import annotations

import itertools

import pytest

from core.testing import register_content_sample

_numbers = itertools.count(1)


@pytest.fixture
def make_forum(dbsession):
    """``make_forum("Debates", closed=False)``: a site forum in a category."""
    from plugins.forums.models import Category, Forum

    def factory(title="Debates", slug=None, category=None, **values):
        if category is None:
            category = Category(title="General", description="", position=1)
            dbsession.add(category)
            dbsession.flush()
        forum = Forum(slug=slug or title.lower().replace(" ", "-"), title=title,
                      description=values.pop("description", ""), category_id=category.id,
                      position=values.pop("position", 1), closed=values.pop("closed", False),
                      topic_count=0, post_count=0, **values)
        dbsession.add(forum)
        dbsession.flush()
        return forum

    return factory


@pytest.fixture
def group_forum(dbsession):
    """``group_forum(group)``: the forum of that group, made if it has none."""
    from plugins.forums.writing import forum_of_group

    def factory(group):
        return forum_of_group(dbsession, group.id, create=True)

    return factory


@pytest.fixture
def make_topic(dbsession):
    """``make_topic(forum, author, "Title", "Text", replies=[(member, "text")], **columns)``."""
    from plugins.forums.models import Forum
    from plugins.forums.writing import write_reply, write_topic

    def factory(forum, author, title="A topic", body="Opening text", replies=(), **columns):
        forum = dbsession.get(Forum, forum.id)
        topic = write_topic(dbsession, forum, author.id, title, body)
        for member, text in replies:
            write_reply(dbsession, topic, member.id, text)
        for name, value in columns.items():
            setattr(topic, name, value)
        dbsession.flush()
        return topic

    return factory


@pytest.fixture
def make_post(dbsession):
    """``make_post(topic, author, "A reply", **columns)``: a reply to ``topic``."""
    from plugins.forums.models import Topic
    from plugins.forums.writing import write_reply

    def factory(topic, author, body="A reply", **columns):
        post = write_reply(dbsession, dbsession.get(Topic, topic.id), author.id, body)
        for name, value in columns.items():
            setattr(post, name, value)
        dbsession.flush()
        return post

    return factory


@pytest.fixture
def forum_request(app, connection):
    """A request outside any view (as a job or a command has), in a transaction that is
    aborted at the end of the test."""
    from core.jobs import job_request

    with job_request(app.registry) as request:
        request.tm.begin()
        try:
            yield request
        finally:
            request.tm.abort()


@pytest.fixture
def forum_service(forum_request):
    from plugins.forums.interfaces import IForumService

    return forum_request.find_service(IForumService)


# -- content samples for the privacy property test (tests/core/test_content_privacy.py) -----

_SAMPLES: dict[tuple[str, int], tuple[str, str | None]] = {}  # (kind, id) -> (marker, slug)


def _home(dbsession, group):
    """Where samples live: a site forum of their own, or the group's forum."""
    from plugins.forums.models import Forum
    from plugins.forums.writing import forum_of_group

    if group is not None:
        return forum_of_group(dbsession, group.id, create=True)
    number = next(_numbers)
    forum = Forum(slug=f"samples-{number}", title=f"Samples {number}", description="",
                  position=0, closed=False, topic_count=0, post_count=0)
    dbsession.add(forum)
    dbsession.flush()
    return forum


def _listing(forum, slug):
    return f"/groups/{slug}/forum" if forum.group_id is not None else f"/forums/{forum.slug}"


def _remember(kind, row, marker, group):
    _SAMPLES[(kind, row.id)] = (marker, group.slug if group is not None else None)
    return row


def make_forum_sample(dbsession, *, owner, group, marker):
    """A site forum named ``marker``, or a group's forum described by it."""
    forum = _home(dbsession, group)
    if group is None:
        forum.title = marker
    forum.description = f"About {marker}"
    dbsession.flush()
    return _remember("forums.forum", forum, marker, group)


def forum_sample_surfaces(forum):
    _marker, slug = _SAMPLES[("forums.forum", forum.id)]
    return [_listing(forum, slug)] + (["/forums"] if forum.group_id is None else [])


def make_topic_sample(dbsession, *, owner, group, marker):
    from plugins.forums.writing import write_topic

    topic = write_topic(dbsession, _home(dbsession, group), owner.id, f"Topic {marker}",
                        "Opening words")
    return _remember("forums.topic", topic, marker, group)


def topic_sample_surfaces(topic):
    marker, slug = _SAMPLES[("forums.topic", topic.id)]
    return [f"/forums/{topic.forum.slug}/{topic.id}-{topic.slug}", _listing(topic.forum, slug),
            f"/forums/search?q={marker[:-1]}", f"/members/{topic.author.username}/topics"]


def make_post_sample(dbsession, *, owner, group, marker):
    from plugins.forums.writing import write_reply, write_topic

    topic = write_topic(dbsession, _home(dbsession, group), owner.id, "A sample topic",
                        "Opening words")
    post = write_reply(dbsession, topic, owner.id, f"Reply {marker}")
    return _remember("forums.post", post, marker, group)


def post_sample_surfaces(post):
    marker, _slug = _SAMPLES[("forums.post", post.id)]
    topic = post.topic
    return [f"/forums/{topic.forum.slug}/{topic.id}-{topic.slug}",
            f"/forums/search?q={marker[:-1]}", f"/members/{post.author.username}/replies"]


register_content_sample("forums.forum", make_forum_sample, forum_sample_surfaces)
register_content_sample("forums.topic", make_topic_sample, topic_sample_surfaces)
register_content_sample("forums.post", make_post_sample, post_sample_surfaces)
