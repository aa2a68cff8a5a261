"""The phone bank's rules: who agreed to be called, who calls, what each call gave."""

from __future__ import annotations

import re

from core.accounts.models import User
from core.db import utcnow
from plugins.groups.interfaces import IGroupService
from sqlalchemy import case, delete, func, select
from zope.interface import implementer

from phonebank import _
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
        if user is None:
            return False
        return user.is_admin or self.groups.role(group, user) in ORGANISER_ROLES

    def campaigns(self, group):
        return self.dbsession.scalars(
            select(PhonebankCampaign).where(PhonebankCampaign.group_id == group.id)
            .order_by(PhonebankCampaign.id.desc()).limit(100)).all()

    def caller_campaigns(self, user):
        if user is None:
            return []
        stmt = (select(PhonebankCampaign).where(PhonebankCampaign.closed_at.is_(None))
                .order_by(PhonebankCampaign.id.desc()).limit(50))
        if not user.is_admin:
            # The group principals say where the member is a moderator (admins are too).
            group_ids = [int(match.group(1)) for principal in self.request.effective_principals
                         if (match := _MODERATOR_PRINCIPAL.match(principal))]
            stmt = stmt.where(PhonebankCampaign.group_id.in_(group_ids))
        campaigns = self.dbsession.scalars(stmt).all()
        groups = {group_id: self.groups.get(group_id)
                  for group_id in {campaign.group_id for campaign in campaigns}}
        return [(campaign, groups[campaign.group_id]) for campaign in campaigns]

    def create_campaign(self, group, user, title, script):
        campaign = PhonebankCampaign(group_id=group.id, title=title.strip(), script=script,
                                     created_by_id=user.id)
        self.dbsession.add(campaign)
        self.dbsession.flush()
        return campaign

    def get_campaign(self, campaign_id):
        return self.dbsession.get(PhonebankCampaign, campaign_id)

    def close(self, campaign):
        campaign.closed_at = campaign.closed_at or utcnow()

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


def phonebank_service_factory(context, request):
    return PhonebankService(request)
