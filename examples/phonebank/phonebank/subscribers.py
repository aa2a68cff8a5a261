"""The phone bank on Cortège's spine: its events, its content type, its jobs and what it does
when things happen, registered in ``includeme``."""

from __future__ import annotations

from core.extensions import plugin_enabled
from plugins.groups.events import IGroupDeleted
from plugins.groups.interfaces import IGroupService

from phonebank import _
from phonebank.events import EVENTS, ICampaignClosed, ICampaignCreated
from phonebank.interfaces import IPhonebankService
from phonebank.models import PhonebankCampaign
from phonebank.services import CONTENT_TYPE, NOTIFY_TASK, visible_campaigns


def phonebank(request):
    return request.find_service(IPhonebankService)


def tell_callees(request, event):
    """A campaign opened: in a worker, after the commit, ask for the jobs that tell the
    members who agreed to be called. Idempotent: the campaign is looked up (gone or closed,
    nothing happens), and each job's key is made of the campaign and its first member, so a
    second delivery asks for nothing more."""
    phonebank(request).defer_notices(event.campaign_id)


def notify_chunk(request, campaign_id, first_id, last_id):
    """One job of notices: the members of that range still to be told, chosen when it runs."""
    phonebank(request).send_notices(campaign_id, first_id, last_id)


def forget_group(request, event):
    """A group is being deleted: its campaigns and their calls go with it, in the same
    transaction (a synchronous subscriber)."""
    phonebank(request).forget_group(event.group_id)


def campaign_url(request, campaign):
    """Where members read a campaign's title: its group's phone bank (callers go on from
    there to its call list)."""
    group = request.find_service(IGroupService).get(campaign.group_id)
    return request.route_url("phonebank_group", slug=group.slug)


def campaign_text(campaign):
    return "\n".join(filter(None, (campaign.title, campaign.script)))


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
    config.add_content_type(CONTENT_TYPE, _("Phone bank campaign"), PhonebankCampaign,
                            visible=visible_campaigns, url=campaign_url,
                            label=lambda campaign: campaign.title, owner="created_by_id",
                            created="created_at", text=campaign_text)
    config.add_event_subscriber(ICampaignCreated, tell_callees, name="phonebank.tell_callees")
    config.add_job_task(NOTIFY_TASK, notify_chunk)
    config.add_event_subscriber(IGroupDeleted, forget_group, name="phonebank.forget_group",
                                sync=True)
    if plugin_enabled(config.registry, "search"):  # found by the site's search, when it is on
        config.add_search_index(CONTENT_TYPE, events={ICampaignCreated: "campaign_id",
                                                      ICampaignClosed: "campaign_id"})
