"""The phone bank's rules: who agreed to be called, who calls, what each call gave."""

from __future__ import annotations

import re

from core.accounts.models import User, may_receive_mail
from core.content import get_visible, visible_condition
from core.db import utcnow
from core.errors import Forbidden, NotFound
from core.events import publish
from core.jobs import defer
from core.security import principals_of
from plugins.groups.interfaces import IGroupService
from sqlalchemy import case, delete, false, func, select
from zope.interface import implementer

from phonebank import _
from phonebank.events import CallLogged, CampaignClosed, CampaignCreated
from phonebank.interfaces import IPhonebankService, PhonebankError
from phonebank.models import (
    FINAL,
    OUTCOMES,
    REACHED,
    PhonebankCall,
    PhonebankCampaign,
    PhonebankConsent,
)

ORGANISER_ROLES = ("admin", "moderator")
_MODERATOR_PRINCIPAL = re.compile(r"group:(\d+):moderator\Z")
CONTENT_TYPE = "phonebank.campaign"
NOTIFY_TASK = "phonebank.notify_chunk"
CHUNK = 200  # members told per job


def visible_campaigns(request, viewer):
    """The content type's condition, the one rule of who sees a campaign (its title, on the
    group's phone bank page): members who may see the group's content. Who may see its call
    list is narrower, and a question of roles: ``is_caller``."""
    if viewer is None:
        return false()
    groups = request.find_service(IGroupService)
    return PhonebankCampaign.group_id.in_(groups.content_visible_ids(viewer))


@implementer(IPhonebankService)
class PhonebankService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.groups = request.find_service(IGroupService)

    # -- consent --------------------------------------------------------------------------

    def consent(self, user):
        if user is None:
            return None
        return self.dbsession.get(PhonebankConsent, user.id)

    def give_consent(self, user, phone, wording):
        row = self.consent(user)
        if row is None:
            row = PhonebankConsent(user_id=user.id)
            self.dbsession.add(row)
        row.phone, row.wording, row.agreed_at = phone.strip(), wording, utcnow()
        self.dbsession.flush()
        return row

    def withdraw(self, user):
        self.dbsession.execute(delete(PhonebankConsent).where(PhonebankConsent.user_id == user.id))

    # -- campaigns ------------------------------------------------------------------------

    def is_caller(self, group, user):
        if user is None or not user.can_log_in:
            return False
        return user.is_admin or self.groups.role(group, user) in ORGANISER_ROLES

    def campaigns(self, group, viewer):
        return self.dbsession.scalars(
            select(PhonebankCampaign).where(PhonebankCampaign.group_id == group.id,
                                            self.visible(viewer))
            .order_by(PhonebankCampaign.id.desc()).limit(100)).all()

    def visible(self, viewer):
        return visible_condition(self.request, CONTENT_TYPE, viewer)

    def caller_campaigns(self, user):
        if user is None:
            return []
        stmt = (select(PhonebankCampaign).where(PhonebankCampaign.closed_at.is_(None),
                                                self.visible(user))
                .order_by(PhonebankCampaign.id.desc()).limit(50))
        if not user.is_admin:
            # The group principals say where the member is a moderator (admins are too).
            group_ids = [int(match.group(1)) for principal in principals_of(self.request, user)
                         if (match := _MODERATOR_PRINCIPAL.match(principal))]
            stmt = stmt.where(PhonebankCampaign.group_id.in_(group_ids))
        campaigns = self.dbsession.scalars(stmt).all()
        groups = {group_id: self.groups.get(group_id)
                  for group_id in {campaign.group_id for campaign in campaigns}}
        return [(campaign, groups[campaign.group_id]) for campaign in campaigns]

    def _check_caller(self, group, actor):
        if not self.groups.can_see_content(group, actor):
            raise NotFound(_("This group does not exist, or you may not see it."))
        if not self.is_caller(group, actor):
            raise Forbidden(_("Only the group's organisers run its phone bank."))

    def create_campaign(self, group, user, title, script):
        self._check_caller(group, user)
        campaign = PhonebankCampaign(group_id=group.id, title=title.strip(), script=script,
                                     created_by_id=user.id)
        self.dbsession.add(campaign)
        self.dbsession.flush()
        self.groups.touch(group)
        publish(self.request, CampaignCreated(actor_id=user.id, campaign_id=campaign.id,
                                              group_id=group.id))
        return campaign

    def get_campaign(self, campaign_id):
        return self.dbsession.get(PhonebankCampaign, campaign_id)

    def campaign_for_caller(self, campaign_id, user):
        """The campaign and its group, for one of its group's callers: NotFound when ``user`` may not see
        it (so a hidden group's campaign stays hidden), Forbidden when they may see it but
        do not call."""
        campaign = get_visible(self.request, CONTENT_TYPE, campaign_id, user)
        if campaign is None:
            raise NotFound(_("This campaign does not exist, or you may not see it."))
        group = self.groups.get(campaign.group_id)
        if not self.is_caller(group, user):
            raise Forbidden(_("Only the group's organisers see its call lists."))
        return campaign, group

    def close(self, campaign, user):
        self._check_caller(self.groups.get(campaign.group_id), user)
        if campaign.closed_at is None:
            campaign.closed_at = utcnow()
            self.dbsession.flush()
            publish(self.request, CampaignClosed(actor_id=user.id, campaign_id=campaign.id))

    def forget_group(self, group_id):
        """Delete the campaigns of group ``group_id`` and their calls (the group is being
        deleted)."""
        campaigns = select(PhonebankCampaign.id).where(PhonebankCampaign.group_id == group_id)
        self.dbsession.execute(delete(PhonebankCall).where(
            PhonebankCall.campaign_id.in_(campaigns)))
        self.dbsession.execute(delete(PhonebankCampaign).where(
            PhonebankCampaign.group_id == group_id))
        self.dbsession.flush()

    # -- calls ----------------------------------------------------------------------------

    def _call_list_query(self, campaign):
        group = self.groups.get(campaign.group_id)
        last = (select(PhonebankCall.callee_id, func.max(PhonebankCall.id).label("last_id"))
                .where(PhonebankCall.campaign_id == campaign.id)
                .group_by(PhonebankCall.callee_id).subquery())
        return (
            select(User.id, User.display_name, PhonebankConsent.phone, PhonebankCall.outcome,
                   PhonebankCall.called_at)
            .join(PhonebankConsent, PhonebankConsent.user_id == User.id)
            .outerjoin(last, last.c.callee_id == User.id)
            .outerjoin(PhonebankCall, PhonebankCall.id == last.c.last_id)
            .where(User.id.in_(self.groups.member_ids(group)), User.status == "active")
        )

    def call_list(self, campaign):
        size = self.request.registry.settings["phonebank.list_size"]
        # Not called yet first, then those called longest ago; those done with last.
        done = case((PhonebankCall.outcome.in_(FINAL), 1), else_=0)
        called = case((PhonebankCall.id.is_(None), 0), else_=1)
        stmt = (self._call_list_query(campaign)
                .order_by(done, called, PhonebankCall.called_at, User.display_name, User.id)
                .limit(size))
        return self.dbsession.execute(stmt).all()

    def counts(self, campaign):
        """(members on the whole call list, those done with), whatever the list's length."""
        rows = self._call_list_query(campaign).subquery()
        total, done = self.dbsession.execute(
            select(func.count(), func.sum(case((rows.c.outcome.in_(FINAL), 1), else_=0)))
            .select_from(rows)).one()
        return total, done or 0

    def callee(self, campaign, user_id):
        """The row of the call list for this member, or None when they are not on it."""
        stmt = self._call_list_query(campaign).where(User.id == user_id)
        return self.dbsession.execute(stmt).first()

    def log_call(self, campaign, caller, callee_id, outcome, note=""):
        self._check_caller(self.groups.get(campaign.group_id), caller)
        if campaign.closed_at is not None:
            raise PhonebankError(_("This campaign is closed: calls are no longer logged."))
        if outcome not in OUTCOMES:
            raise PhonebankError(_("Choose how the call went."))
        if self.callee(campaign, callee_id) is None:
            raise PhonebankError(_("This member is not on the call list any more."))
        call = PhonebankCall(campaign_id=campaign.id, callee_id=callee_id, caller_id=caller.id,
                             outcome=outcome, note=(note or "").strip()[:500])
        self.dbsession.add(call)
        self.dbsession.flush()
        publish(self.request, CallLogged(actor_id=caller.id, campaign_id=campaign.id,
                                         call_id=call.id))
        return call

    def progress(self, campaign):
        totals = dict(self.dbsession.execute(
            select(PhonebankCall.outcome, func.count())
            .where(PhonebankCall.campaign_id == campaign.id)
            .group_by(PhonebankCall.outcome)).all())
        calls = func.count(PhonebankCall.id)
        callers = self.dbsession.execute(
            select(User.display_name, calls,
                   func.sum(case((PhonebankCall.outcome == REACHED, 1), else_=0)))
            .select_from(PhonebankCall)
            .outerjoin(User, User.id == PhonebankCall.caller_id)
            .where(PhonebankCall.campaign_id == campaign.id)
            .group_by(PhonebankCall.caller_id, User.display_name)
            .order_by(calls.desc(), User.display_name)).all()
        return totals, callers


    # -- telling the members a campaign starts --------------------------------------------

    def _to_tell(self, campaign):
        """Members who agreed to be called and may see the campaign (the content type's
        condition, with ``User`` standing for each of them), active, its author aside."""
        group = self.groups.get(campaign.group_id)
        if group is None:
            return None
        shown = select(PhonebankCampaign.id).where(PhonebankCampaign.id == campaign.id,
                                                   self.visible(User))
        return (select(User.id).join(PhonebankConsent, PhonebankConsent.user_id == User.id)
                .where(User.id.in_(self.groups.member_ids(group)), may_receive_mail(),
                       User.id != campaign.created_by_id, shown.exists()))

    def defer_notices(self, campaign_id) -> int:
        """Split the notice of a new campaign into jobs of ``CHUNK`` members (by user id),
        each keyed by the campaign and its first member: asked twice, it asks for nothing
        more. Returns how many jobs it asked for."""
        campaign = self.get_campaign(campaign_id)
        if campaign is None or campaign.closed_at is not None:
            return 0  # gone or closed since: nothing to tell
        query = self._to_tell(campaign)
        ids = self.dbsession.scalars(query.order_by(User.id)).all() if query is not None else []
        asked = 0
        for start in range(0, len(ids), CHUNK):
            first, last = ids[start], ids[min(start + CHUNK, len(ids)) - 1]
            asked += defer(self.request, NOTIFY_TASK,
                           {"campaign_id": campaign.id, "first_id": first, "last_id": last},
                           key=f"{NOTIFY_TASK}:{campaign.id}:{first}") is not None
        return asked

    def send_notices(self, campaign_id, first_id, last_id) -> int:
        """Mail the members ``first_id`` to ``last_id`` still to be told, chosen now."""
        campaign = self.get_campaign(campaign_id)
        query = self._to_tell(campaign) if campaign is not None else None
        if query is None or campaign.closed_at is not None:
            return 0
        group = self.groups.get(campaign.group_id)
        members = self.dbsession.execute(
            select(User.id, User.email, User.locale, User.display_name)
            .where(User.id.in_(query.where(User.id.between(first_id, last_id))))
            .order_by(User.id)).all()
        subject = _("${group} will call its members: ${title}",
                    mapping={"group": group.name, "title": campaign.title})
        for member in members:
            self.request.send_mail(
                member.email, subject, "phonebank/mail/campaign.txt.jinja2",
                {"name": member.display_name, "group": group, "campaign": campaign,
                 "url": self.request.route_url("phonebank_index")},
                locale=member.locale, user_id=member.id, about=(CONTENT_TYPE, campaign.id))
        return len(members)


def phonebank_service_factory(context, request):
    return PhonebankService(request)
