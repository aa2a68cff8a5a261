"""Demo petitions with confirmed signatures; ``--signatures N`` adds N more in bulk."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from core.seeding import FIRST_NAMES, LAST_NAMES
from plugins.petitions.models import Petition, Signature

DEMO = [
    ("Keep the night buses running", "the transport authority", 500, True, False,
     ("The night buses are the only way home for thousands of workers. "
     "We ask that **every night line** keeps running all year round.")),
    ("Open the school yards to the neighbourhood", "the city council", 300, False, True,
     ("School yards stand empty every evening and every weekend.\n\n"
     "Open them to families, with the help of the neighbourhood associations.")),
    ("A public inquiry on rents", "the housing minister", 2000, True, True,
     "Rents have risen faster than wages for ten years. We want a public inquiry."),
]
CONSENT = ("I agree that the organisers of this petition keep what I give in this form "
           "(name, email address) to count my signature.")


def seed_petitions(context):
    dbsession = context.dbsession
    rand = context.random
    petitions = list(dbsession.scalars(select(Petition).order_by(Petition.id).limit(1)))
    if not petitions:
        author = dbsession.scalar(select(User).where(User.role == "admin").order_by(User.id))
        today = utcnow().date()
        for number, (title, addressee, goal, postcode, comment, text) in enumerate(DEMO):
            petition = Petition(
                author_id=author.id if author else None, title=title, text=text,
                addressee=addressee, goal=goal, ask_postcode=postcode, ask_comment=comment,
                show_names=True, ends_on=today + dt.timedelta(days=30 * (number + 1)))
            dbsession.add(petition)
            petitions.append(petition)
        group_petition = _group_petition(context, author, today)
        dbsession.flush()
        if group_petition is not None:
            petitions.append(group_petition)
        for petition in petitions:
            count = rand.randint(20, 60)
            context.bulk_insert(Signature.__table__, _rows(rand, petition.id, 1, count))
        context.note(f"Petitions: {len(petitions)} demo petitions with signatures, at "
                     f"/tools/petitions.")
    volume = context.options.get("signatures", 0)
    if volume:
        start = (dbsession.scalar(select(Signature.id).order_by(Signature.id.desc()).limit(1))
                 or 0) + 1
        context.bulk_insert(Signature.__table__, _rows(rand, petitions[0].id, start, volume))
        context.note(f"Petitions: added {volume} signatures to petition {petitions[0].id}.")


def _group_petition(context, author, today):
    """With groups on, a petition of the first public group, to show a group-run instance."""
    from plugins.petitions.services import group_service

    groups = group_service(context.request)
    if groups is None:
        return None
    visible = groups.content_visible_ids(None)
    group_id = context.dbsession.scalar(visible.order_by(visible.selected_columns[0]).limit(1))
    if group_id is None:
        return None
    petition = Petition(
        author_id=author.id if author else None, group_id=group_id,
        title="A safe cycle lane on the main road", addressee="the mayor", goal=150,
        text="Our section asks for a **protected** cycle lane from the station to the schools.",
        ask_postcode=False, ask_comment=True, show_names=True,
        ends_on=today + dt.timedelta(days=45))
    context.dbsession.add(petition)
    return petition


def _rows(rand, petition_id, start, count):
    now = utcnow()
    rows = []
    for number in range(start, start + count):
        first, last = rand.choice(FIRST_NAMES), rand.choice(LAST_NAMES)
        email = f"signer{petition_id}-{number}@example.net"
        rows.append({
            "petition_id": petition_id, "name": f"{first} {last}", "email": email,
            "email_key": email, "postcode": None, "comment": None,
            "show_name": rand.random() < 0.6, "locale": rand.choice(("en", "fr")),
            "consent_text": CONSENT, "consented_at": now, "created_at": now,
            "confirmed_at": now, "token_hash": None,
        })
    return rows
