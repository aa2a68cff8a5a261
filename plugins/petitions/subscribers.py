"""What petitions do when things happen: their events, content type, jobs and subscribers."""

from __future__ import annotations

from core.content import Comments
from plugins.groups.events import IGroupDeleted
from plugins.groups.interfaces import groups_enabled
from plugins.petitions import _
from plugins.petitions.events import EVENTS, IGoalReached, ISignatureConfirmed
from plugins.petitions.interfaces import IPetitionService
from plugins.petitions.models import Petition
from plugins.petitions.services import CONTENT_TYPE, NEWS_CHUNK_TASK, visible_petitions


def petitions(request):
    return request.find_service(IPetitionService)


def check_goal(request, event):
    """After a confirmation, in a worker: publish GoalReached the first time the goal is met.
    Each confirmation's check counts what was committed, so the last one sees them all; the
    petition's ``goal_reached_at`` makes it happen once."""
    petitions(request).check_goal(event.petition_id)


def goal_news(request, event):
    """The goal is reached: tell the signers who asked for news of the campaign, in jobs of
    a few hundred (each finds its recipients when it runs)."""
    petitions(request).defer_goal_news(event.petition_id)


def goal_news_chunk(request, petition_id, first_id, last_id):
    petitions(request).send_goal_news(petition_id, first_id, last_id)


def forget_group(request, event):
    """A group is being deleted: its petitions go with it, in the same transaction."""
    petitions(request).forget_group(event.group_id)


def petition_url(request, petition):
    return request.route_url("petitions_show", id=petition.id)


def petition_organiser(request, petition, actor):
    return petitions(request).may_organise(petition, actor)


def petition_text(petition):
    return "\n".join(filter(None, (petition.title, petition.addressee, petition.text)))


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
    config.add_content_type(CONTENT_TYPE, _("Petition"), Petition, visible=visible_petitions,
                            url=petition_url, label=lambda petition: petition.title,
                            owner="author_id", created="created_at", text=petition_text,
                            comments=Comments(group="group_id", moderators=petition_organiser))
    config.add_event_subscriber(ISignatureConfirmed, check_goal, name="petitions.check_goal")
    config.add_event_subscriber(IGoalReached, goal_news, name="petitions.goal_news")
    config.add_job_task(NEWS_CHUNK_TASK, goal_news_chunk)
    if groups_enabled(config.registry):
        config.add_event_subscriber(IGroupDeleted, forget_group, name="petitions.forget_group",
                                    sync=True)
