"""Demo content: members of the first group agree to be called, and it runs a campaign."""

from __future__ import annotations

from core.accounts.models import User
from core.db import metadata
from sqlalchemy import select

SCRIPT = """1. Say who you are and which group you call for.
2. Ask whether they can come to Saturday's market leafleting (10:00, covered market).
3. Note their answer, thank them, and say goodbye."""


def seed_phonebank(context) -> None:
    from phonebank.forms import CONSENT_WORDING
    from phonebank.models import PhonebankCampaign, PhonebankConsent

    dbsession = context.dbsession
    if dbsession.scalar(select(PhonebankCampaign.id).limit(1)) is not None:
        return
    # The groups plugin's tables, read by name: a seeder may look at what another one wrote.
    groups, memberships = metadata.tables["groups_group"], metadata.tables["groups_membership"]
    group_id = dbsession.scalar(select(groups.c.id).order_by(groups.c.id).limit(1))
    if group_id is None:
        return
    member_ids = dbsession.scalars(
        select(memberships.c.user_id).where(memberships.c.group_id == group_id)
        .order_by(memberships.c.user_id).limit(8)).all()
    wording = context.request.localizer.translate(CONSENT_WORDING)
    for number, user_id in enumerate(member_ids):
        dbsession.add(PhonebankConsent(user_id=user_id, phone=f"+33 6 00 00 00 {number:02d}",
                                       wording=wording))
    organiser = dbsession.scalar(select(User.id).where(User.role == "admin").limit(1))
    dbsession.add(PhonebankCampaign(group_id=group_id, title="Saturday's market leafleting",
                                    script=SCRIPT, created_by_id=organiser))
    dbsession.flush()
    context.note(f"Phone bank: {len(member_ids)} members agreed to be called, one campaign.")


def includeme(config):
    config.add_seeder("phonebank", seed_phonebank)
