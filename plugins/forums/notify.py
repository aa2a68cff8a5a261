"""Mail to subscribers: each new post, to who follows its topic or its forum.

``notify_subscribers`` subscribes to ``IPostCreated`` and runs after the commit, in a worker.
It chooses the recipients when it runs, with the rule of the pages (``forums.post``'s
condition, with ``User`` itself as the viewer, from active accounts): someone who lost sight
of the forum since the post was written gets nothing. Up to ``forums.mail_batch`` (200)
recipients are written to at once; beyond, the work is split into ``forums.notify_chunk``
jobs of that many recipients each (a range of user ids, whose recipients are chosen again
when the job runs). Each mail names its recipient and its post (``user_id``, ``about``), so
that it is dropped when it leaves if that member may no longer see the post.
"""

from __future__ import annotations

from core.jobs import defer
from plugins.forums.interfaces import IForumService
from plugins.forums.models import Post

CHUNK_TASK = "forums.notify_chunk"


def notify_subscribers(request, event) -> None:
    forums = request.find_service(IForumService)
    post = request.dbsession.get(Post, event.post_id)
    if post is None:
        return
    ids = forums.recipient_ids(post)
    batch = request.registry.settings["forums.mail_batch"]
    if len(ids) <= batch:
        forums.mail_subscribers(post.id)
        return
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        defer(request, CHUNK_TASK, {"post_id": post.id, "first_user_id": chunk[0],
                                    "last_user_id": chunk[-1]},
              key=f"{CHUNK_TASK}:{post.id}:{chunk[0]}",
              summary=f"post {post.id}: subscribers {chunk[0]} to {chunk[-1]}")


def notify_chunk(request, post_id: int, first_user_id: int, last_user_id: int) -> None:
    request.find_service(IForumService).mail_subscribers(post_id, first_user_id, last_user_id)


def includeme(config):
    from plugins.forums.events import IPostCreated

    config.add_event_subscriber(IPostCreated, notify_subscribers,
                                name="forums.notify_subscribers")
    config.add_job_task(CHUNK_TASK, notify_chunk)
