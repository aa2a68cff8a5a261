"""The forums' kinds of content (see ``core.content``), each with its one visibility rule.

``forums.forum`` (a site forum, or a group's), ``forums.topic`` and ``forums.post``: their
conditions are ``ForumService.forum_condition``, ``topic_condition`` and ``post_condition``,
the only rules the forums' pages, lists, counts, search, member tabs and mail recipients
filter with.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from core.text import plain_text
from plugins.forums import _
from plugins.forums.interfaces import IForumService
from plugins.forums.models import Forum, Post, Topic
from plugins.forums.services import FORUM, POST_KIND, TOPIC


def _forums(request):
    return request.find_service(IForumService)


def forum_visible(request, viewer):
    return _forums(request).forum_condition(viewer)


def topic_visible(request, viewer):
    return _forums(request).topic_condition(viewer)


def post_visible(request, viewer):
    return _forums(request).post_condition(viewer)


def forum_url(request, forum: Forum) -> str:
    return _forums(request).forum_url(forum)


def topic_url(request, topic: Topic) -> str:
    return _forums(request).topic_url(topic)


def post_url(request, post: Post) -> str:
    return request.route_url("forums_post", id=post.id)


def forum_text(forum: Forum) -> str:
    return "\n".join(part for part in (forum.title, forum.description) if part)


def topic_text(topic: Topic) -> str:
    """The title and the opening post's words."""
    first = object_session(topic).get(Post, topic.first_post_id) if topic.first_post_id \
        else None
    return "\n".join(part for part in (topic.title, plain_text(first and first.body)) if part)


def post_text(post: Post) -> str:
    return plain_text(post.body)


def includeme(config):
    config.add_content_type(FORUM, _("Forum"), Forum, visible=forum_visible, url=forum_url,
                            label=lambda forum: forum.title, created="created_at",
                            updated="last_post_at", text=forum_text)
    config.add_content_type(TOPIC, _("Topic"), Topic, visible=topic_visible, url=topic_url,
                            label=lambda topic: topic.title, owner="author_id",
                            created="created_at", updated="last_post_at", text=topic_text)
    config.add_content_type(POST_KIND, _("Post"), Post, visible=post_visible, url=post_url,
                            label=lambda post: post.topic.title, owner="author_id",
                            created="created_at", updated="edited_at", text=post_text)
