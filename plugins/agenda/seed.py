"""Demo events with answers and a weekly series; events in bulk for volume (``--events N``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, select

from core.accounts.models import User
from core.db import utcnow
from core.errors import ActionError
from plugins.agenda.interfaces import IAgendaService
from plugins.agenda.models import GOING, GROUP, MEMBERS, NOT_GOING, PUBLIC, Event, EventType
from plugins.agenda.services import fold, group_service, localise

PLACES = [
    ("Bourse du travail", "3 rue du Château-d'Eau", "75010", "Paris"),
    ("Maison des associations", "28 rue Denfert-Rochereau", "69004", "Lyon"),
    ("Local de la section", "12 cours Julien", "13006", "Marseille"),
    ("Salle Jean-Jaurès", "5 allée Jules-Guesde", "31000", "Toulouse"),
    ("Café associatif Le Pavé", "40 rue de Gand", "59000", "Lille"),
    ("Place du Commerce", "", "44000", "Nantes"),
    ("Médiathèque des Champs-Libres", "10 cours des Alliés", "35000", "Rennes"),
    ("Maison du peuple", "9 avenue Saint-Étienne", "42000", "Saint-Étienne"),
]
DEMO = [
    ("meeting", "Monthly section meeting", ("Agenda: the **spring campaign**, the local "
     "budget and the newsletter.\n\nNew members welcome."), MEMBERS, None),
    ("leafleting", "Leafleting at the Saturday market", ("Meet at the fountain; we bring "
     "leaflets and a table. Wear comfortable shoes."), PUBLIC, 12),
    ("door-to-door", "Door-to-door in the northern estates", ("We go two by two. A short "
     "training before we start."), MEMBERS, 20),
    ("demonstration", "March for public hospitals", ("From the station to the prefecture. "
     "Bring banners and water."), PUBLIC, None),
    ("phone-bank", "Phone bank: calling our supporters", ("Scripts and lists provided; "
     "bring a charged phone."), MEMBERS, 8),
    ("training", "Training: running a public meeting", ("Practical session: booking a room, "
     "chairing, speaking in public."), MEMBERS, 15),
    ("public-meeting", "Public meeting on housing", ("Tenants, associations and elected "
     "representatives debate rents and repairs."), PUBLIC, 80),
    ("social", "Summer picnic", "Everyone brings something to share. Children welcome!",
     PUBLIC, None),
]


def seed_agenda(context) -> None:
    db = context.dbsession
    rand = context.random
    service = context.request.find_service(IAgendaService)
    types = {t.slug: t for t in db.scalars(select(EventType))}
    members = list(db.scalars(select(User).where(User.status == "active")
                              .order_by(User.id).limit(20)))
    if members and types and not db.scalar(select(exists().where(Event.id.isnot(None)))):
        today = utcnow().date()
        group_ids = _demo_groups(context, members)
        for index, (slug, title, description, visibility, capacity) in enumerate(DEMO * 2):
            group_id = group_ids[index // 4 % len(group_ids)] if group_ids and index % 4 == 3 \
                else None
            if group_id is not None:
                visibility = GROUP
            venue, address, postcode, city = PLACES[index % len(PLACES)]
            day = today + dt.timedelta(days=2 + index * 4)
            start = localise(dt.datetime.combine(day, dt.time(10 + index % 9)), "Europe/Paris")
            organiser = members[index % len(members)]
            if group_id is not None:  # an admin may publish in any group
                organiser = next((m for m in members if m.is_admin), organiser)
            try:
                event = service.create(organiser, {
                    "title": title, "description": description, "type_id": types[slug].id,
                    "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
                    "timezone": "Europe/Paris", "venue": venue, "address": address,
                    "postcode": postcode, "city": city, "visibility": visibility,
                    "capacity": capacity, "address_for_attendees": slug == "door-to-door",
                    "show_attendees": slug == "social", "group_id": group_id,
                })
            except ActionError:  # a group the organiser does not belong to
                continue
            for member in rand.sample(members, min(len(members), rand.randint(2, 9))):
                try:
                    service.answer(member, event, GOING if rand.random() < 0.8 else NOT_GOING,
                                   rand.choice((0, 0, 0, 1)))
                except ActionError:  # full, or not for them (a group's event)
                    pass
        first = localise(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(19)),
                         "Europe/Paris")
        service.create(members[0], {
            "title": "Weekly welcome evening", "description": "Come and meet the local team.",
            "type_id": types["meeting"].id, "starts_at": first,
            "ends_at": first + dt.timedelta(hours=2), "timezone": "Europe/Paris",
            "venue": PLACES[0][0], "address": PLACES[0][1], "postcode": PLACES[0][2],
            "city": PLACES[0][3], "visibility": PUBLIC,
        }, repeat="weekly", count=12)
        context.note("Agenda: demo events at /agenda.")
    volume = context.options.get("events", 0)
    if volume:
        _bulk(context, volume, list(types.values()))


def _demo_groups(context, members) -> list[int]:
    """A few groups for demo events, when the groups plugin is on."""
    groups = group_service(context.request)
    if groups is None:
        return []
    admins = [member for member in members if member.is_admin] or members
    return list(context.dbsession.scalars(groups.content_visible_ids(admins[0]).limit(4)))


def _bulk(context, volume: int, types) -> None:
    db = context.dbsession
    rand = context.random
    user_ids = list(db.scalars(select(User.id).where(User.status == "active").limit(5000)))
    if not user_ids or not types:
        return
    now = utcnow().replace(minute=0, second=0, microsecond=0)

    def rows():  # streamed: one batch in memory at a time
        for _number in range(volume):
            start = now + dt.timedelta(hours=rand.randint(-24 * 365, 24 * 365))
            slug_type = rand.choice(types)
            venue, address, postcode, city = rand.choice(PLACES)
            yield {
                "title": f"{slug_type.name} in {city}", "description": "",
                "type_id": slug_type.id, "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2), "timezone": "Europe/Paris",
                "all_day": False, "venue": venue, "address": address, "postcode": postcode,
                "city": city, "city_key": fold(city), "online_url": "",
                "organiser_id": rand.choice(user_ids),
                "visibility": PUBLIC if rand.random() < 0.5 else MEMBERS,
                "capacity": rand.choice((None, 20, 50)), "seats_taken": 0,
                "address_for_attendees": False, "show_attendees": False, "status": "scheduled",
                "created_at": now, "updated_at": now,
            }

    context.bulk_insert(Event.__table__, rows())
    total = db.scalar(select(func.count()).select_from(Event))
    context.note(f"Agenda: added {volume} events ({total} in all).")


def includeme(config):
    config.add_seeder("agenda", seed_agenda,
                      options={"events": (0, "how many extra events to add in bulk")})
