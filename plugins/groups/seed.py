"""Demo groups of every type and status with their members; and volume for benchmarks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.accounts.models import User
from core.db import utcnow
from plugins.groups import _
from plugins.groups.models import (
    BANNED,
    HIDDEN,
    INVITED,
    MEMBER,
    PRIVATE,
    PUBLIC,
    REQUESTED,
    Group,
    GroupType,
    Membership,
)
from plugins.groups.services import fold

# The types a new site starts with (the migration writes them); their names are translated.
DEFAULT_TYPES = (
    ("local-section", _("Local section"), _("The members of one town or district.")),
    ("watch-group", _("Watch group"), _("Members who follow one subject and alert the others.")),
    ("thematic-group", _("Thematic group"), _("Work on one theme: housing, climate, work...")),
    ("bloggers-group", _("Bloggers' group"), _("Friendly bloggers who write about our ideas.")),
)

DEMO = (
    # name, type key, status, postcode, city
    ("Section de Lille-Centre", "local-section", PUBLIC, "59000", "Lille"),
    ("Section de Marseille 3e", "local-section", PRIVATE, "13003", "Marseille"),
    ("Bureau de la section de Nantes", "local-section", HIDDEN, "44000", "Nantes"),
    ("Veille logement", "watch-group", PUBLIC, "", ""),
    ("Veille élections municipales", "watch-group", PRIVATE, "", ""),
    ("Veille juridique", "watch-group", HIDDEN, "", ""),
    ("Climat et transition", "thematic-group", PUBLIC, "", ""),
    ("Santé et hôpital public", "thematic-group", PRIVATE, "", ""),
    ("Stratégie électorale", "thematic-group", HIDDEN, "", ""),
    ("Blogueuses et blogueurs amis", "bloggers-group", PUBLIC, "", ""),
    ("Atelier d'écriture", "bloggers-group", PRIVATE, "", ""),
    ("Rédaction de la lettre", "bloggers-group", HIDDEN, "", ""),
)
DESCRIPTION = ("Un groupe de démonstration.\n\nNous nous retrouvons **chaque mois** pour "
               "préparer nos actions ; toutes les bonnes volontés sont les bienvenues.")


def seed_demo(context) -> None:
    from plugins.groups.services import secret_slug, slugify

    dbsession = context.dbsession
    if dbsession.scalar(select(func.count()).select_from(Group)):
        return
    types = {t.key: t for t in dbsession.scalars(select(GroupType))}
    users = list(dbsession.scalars(
        select(User).where(User.status == "active").order_by(User.id).limit(14)))
    if len(users) < 6:
        return
    admin_user = next((u for u in users if u.role == "admin"), users[0])
    people = [u for u in users if u.id != admin_user.id and u.role != "moderator"]
    now = utcnow()
    rand = context.random
    for index, (name, type_key, status, postcode, city) in enumerate(DEMO):
        group_type = types.get(type_key)
        created = now - dt.timedelta(days=90 - index * 5)
        slug = secret_slug(slugify(name)) if status == HIDDEN else slugify(name)
        group = Group(slug=slug, name=name, sort_name=fold(name),
                      description=DESCRIPTION, type_id=group_type.id if group_type else None,
                      status=status, postcode=postcode, city=city, created_at=created,
                      last_active_at=created + dt.timedelta(days=rand.randint(0, 60)),
                      created_by_id=people[index % len(people)].id)
        dbsession.add(group)
        dbsession.flush()
        founder = people[index % len(people)]
        chosen = [founder] + rand.sample([p for p in people if p.id != founder.id],
                                         k=min(5, len(people) - 1))
        states = [(MEMBER, "admin"), (MEMBER, "moderator"), (MEMBER, "member"),
                  (MEMBER, "member"), (REQUESTED if status == PRIVATE else INVITED, "member"),
                  (BANNED, "member")]
        for person, (state, role) in zip(chosen, states):
            dbsession.add(Membership(group_id=group.id, user_id=person.id, state=state,
                                     role=role, created_at=created, updated_at=created,
                                     invited_by_id=founder.id if state == INVITED else None))
        dbsession.flush()
        group.member_count = dbsession.scalar(select(func.count()).select_from(Membership).where(
            Membership.group_id == group.id, Membership.state == MEMBER))
    context.note(f"Added {len(DEMO)} demo groups: public, private and hidden, of every type.")


def seed_volume(context) -> None:
    volume = context.options.get("groups", 0)
    per_group = context.options.get("group_members", 10)
    if not volume:
        return
    dbsession = context.dbsession
    rand = context.random
    type_ids = list(dbsession.scalars(select(GroupType.id))) or [None]
    user_ids = list(dbsession.scalars(select(User.id).where(User.status == "active")))
    if not user_ids:
        return
    start = (dbsession.scalar(select(func.max(Group.id))) or 0) + 1
    now = utcnow()
    statuses = (PUBLIC, PUBLIC, PUBLIC, PRIVATE, PRIVATE, HIDDEN)
    words = ("Section", "Veille", "Collectif", "Atelier", "Comité", "Réseau", "Cercle")
    places = ("Lille", "Lyon", "Marseille", "Nantes", "Rennes", "Toulouse", "Brest", "Metz")
    groups, memberships = [], []
    for number in range(start, start + volume):
        name = f"{rand.choice(words)} {rand.choice(places)} {number}"
        created = now - dt.timedelta(minutes=rand.randint(0, 500_000))
        members = rand.sample(user_ids, k=min(per_group, len(user_ids)))
        status = rand.choice(statuses)
        slug = f"groupe-{number}"
        groups.append({
            "id": number, "slug": f"{slug}-{rand.getrandbits(40):010x}" if status == HIDDEN
            else slug, "name": name, "sort_name": fold(name),
            "description": DESCRIPTION, "type_id": rand.choice(type_ids),
            "status": status, "invite_policy": "members", "postcode": "",
            "city": "", "member_count": len(members), "created_at": created,
            "last_active_at": created + dt.timedelta(minutes=rand.randint(0, 5000)),
            "created_by_id": members[0],
        })
        for rank, user_id in enumerate(members):
            memberships.append({
                "group_id": number, "user_id": user_id, "state": MEMBER,
                "role": "admin" if rank == 0 else ("moderator" if rank == 1 else "member"),
                "created_at": created, "updated_at": created,
            })
    context.bulk_insert(Group.__table__, groups)
    context.bulk_insert(Membership.__table__, memberships)
    context.note(f"Added {volume} groups and {len(memberships)} memberships.")


def seed_groups(context) -> None:
    seed_demo(context)
    seed_volume(context)


def includeme(config):
    config.add_seeder("groups", seed_groups, options={
        "groups": (0, "how many extra groups to add in bulk"),
        "group_members": (10, "members in each bulk group"),
    })
