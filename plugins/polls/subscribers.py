"""What polls register on the spine: their events, content type, periodic task and the
synchronous cascade of a group's deletion."""

from __future__ import annotations

from core.content import Comments
from core.db import utcnow
from plugins.groups.events import IGroupDeleted
from plugins.groups.interfaces import groups_enabled
from plugins.polls import _
from plugins.polls.events import EVENTS
from plugins.polls.interfaces import IPollService
from plugins.polls.models import Poll
from plugins.polls.services import CONTENT_TYPE, visible_polls


def polls(request):
    return request.find_service(IPollService)


def publish_due(request):
    """Every minute, in the worker: the openings and closings whose time has come."""
    polls(request).publish_due()


def forget_group(request, event):
    """A group is being deleted: its polls go with it, in the same transaction."""
    polls(request).forget_group(event.group_id)


def poll_url(request, poll):
    return request.route_url("polls_poll", id=poll.id)


def poll_closed(request, poll):
    """A poll takes comments once it is closed: none sway the vote."""
    return poll.is_closed(utcnow())


def poll_manager(request, poll, actor):
    return polls(request).may_manage(poll, actor)


def poll_text(poll):
    return "\n".join(filter(None, (poll.title, poll.description,
                                   *(option.label for option in poll.options))))


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
    config.add_content_type(CONTENT_TYPE, _("Poll"), Poll, visible=visible_polls, url=poll_url,
                            label=lambda poll: poll.title, owner="author_id",
                            created="created_at", text=poll_text,
                            comments=Comments(group="group_id", open=poll_closed,
                                              moderators=poll_manager))
    config.add_periodic_task("polls.publish_due", publish_due, minute="*")
    if groups_enabled(config.registry):
        config.add_event_subscriber(IGroupDeleted, forget_group, name="polls.forget_group",
                                    sync=True)
