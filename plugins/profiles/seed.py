"""Demo profiles: field groups, varied answers and pictures; answers in bulk for volume."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw
from sqlalchemy import exists, select

from core.accounts.models import User
from core.db import utcnow
from plugins.profiles import avatars
from plugins.profiles.fieldtypes import field_types
from plugins.profiles.interfaces import IProfileService
from plugins.profiles.models import MEMBERS, PRIVATE, PUBLIC, Profile, Value
from plugins.profiles.services import sort_name

CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Nantes", "Rennes", "Grenoble",
          "Montpellier", "Strasbourg", "Bordeaux", "Saint-Étienne", "Besançon", "Limoges"]
CAUSES = ["Climate", "Housing", "Public services", "Workers' rights", "Feminism",
          "Anti-racism", "Education", "Health", "Europe", "Democracy"]
ROLES = ["Supporter", "Party member", "Union member", "Elected representative"]
BIOS = [
    "Neighbourhood organiser. I run the **tenants' association** on my street.",
    "Teacher and union delegate; happy to help with leaflets and *door-to-door* rounds.",
    "Nurse. Public hospitals deserve better, and I say so.",
    "Student, new here. Ask me about the climate march.",
    "Retired railway worker; I still know every timetable by heart.",
]
DEMO_FIELDS = [
    ("Who I am", "Where I act, and a few words about me.", [
        {"name": "City", "type": "city", "in_directory": True, "default_visibility": PUBLIC,
         "at_registration": True},
        {"name": "Postcode", "type": "postcode", "default_visibility": MEMBERS},
        {"name": "About me", "type": "textarea", "default_visibility": PUBLIC,
         "help_text": "A few words; Markdown is welcome."},
        {"name": "Website", "type": "url", "default_visibility": PUBLIC},
    ]),
    ("Commitments", "What I fight for.", [
        {"name": "Causes", "type": "multichoice", "options": CAUSES, "political": True,
         "in_directory": True, "default_visibility": MEMBERS},
        {"name": "Commitment", "type": "choice", "options": ROLES, "political": True,
         "default_visibility": PRIVATE},
        {"name": "Available to volunteer", "type": "checkbox", "default_visibility": MEMBERS},
        {"name": "Active since", "type": "date", "default_visibility": MEMBERS},
        {"name": "Hours a month", "type": "number", "default_visibility": PRIVATE},
    ]),
    ("Contact", "", [
        {"name": "Phone", "type": "phone", "default_visibility": PRIVATE},
    ]),
]
DEMO_AVATARS = 6


def demo_fields(service, admin) -> None:
    """The demo fields, defined by ``admin`` (the accounts seeder made one)."""
    if service.groups or admin is None:
        return
    for group_name, description, fields in DEMO_FIELDS:
        group = service.add_group(group_name, description, actor=admin)
        for values in fields:
            service.add_field(group, actor=admin, **values)
    del service.groups  # reified: read the new ones


def _answer(rand, field):
    kind = field.type
    if kind == "city":
        return [rand.choice(CITIES)]
    if kind == "postcode":
        return [f"{rand.randint(1, 95):02d}{rand.randint(0, 999):03d}"]
    if kind == "textarea":
        return [rand.choice(BIOS)] if rand.random() < 0.6 else []
    if kind == "url":
        return ["https://example.org/~militant"] if rand.random() < 0.2 else []
    if kind == "multichoice":
        return rand.sample(field.options, rand.randint(1, 3)) if field.options else []
    if kind == "choice":
        return [rand.choice(field.options)] if field.options else []
    if kind == "checkbox":
        return ["yes"] if rand.random() < 0.5 else []
    if kind == "date":
        return [(dt.date(2026, 1, 1) - dt.timedelta(days=rand.randint(30, 9000))).isoformat()]
    if kind == "number":
        return [str(rand.randint(1, 40))]
    if kind == "phone":
        pairs = " ".join(str(rand.randint(10, 99)) for _ in range(4))
        return [f"+33 6 {pairs}"] if rand.random() < 0.5 else []
    return []


def _picture(rand, size: int = 320) -> bytes:
    """A simple generated picture: a coloured background and a few shapes."""
    colour = tuple(rand.randint(40, 220) for _ in range(3))
    image = Image.new("RGB", (size, size + 80), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y, r = rand.randint(0, size), rand.randint(0, size), rand.randint(30, 120)
        draw.ellipse((x - r, y - r, x + r, y + r),
                     fill=tuple(rand.randint(0, 255) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed_profiles(context) -> None:
    request = context.request
    service = request.find_service(IProfileService)
    dbsession = context.dbsession
    rand = context.random
    demo_fields(service, dbsession.scalars(
        select(User).where(User.role == "admin", User.status == "active").order_by(User.id)
        .limit(1)).first())
    now = utcnow()

    # Streamed: one batch of rows in memory at a time, whatever the volume.
    missing = dbsession.execute(
        select(User.id, User.display_name, User.created_at)
        .where(~exists().where(Profile.user_id == User.id)).order_by(User.id)
    ).all()
    profiles = context.bulk_insert(Profile.__table__, ({
        "user_id": user_id, "sort_name": sort_name(name), "avatar": None,
        "last_active_at": max(created or now, now - dt.timedelta(minutes=rand.randint(1, 90000))),
        "updated_at": now,
    } for user_id, name, created in missing))
    del missing

    types = field_types(request.registry)
    fields = service.fields
    unanswered = dbsession.scalars(
        select(User.id).where(~exists().where(Value.user_id == User.id), User.status == "active")
        .order_by(User.id)
    ).all()

    def rows():
        for user_id in unanswered:
            for field in fields:
                kind = types[field.type]
                for string in _answer(rand, field):
                    yield {"user_id": user_id, "field_id": field.id, "value": string,
                           "search": kind.search_key(string),
                           "visibility": field.default_visibility, "chosen_visibility": None}

    answers = context.bulk_insert(Value.__table__, rows())

    directory = avatars.avatar_directory(request.registry.settings)
    pictured = 0
    for user_id in unanswered[1:DEMO_AVATARS * 2:2]:  # every other demo member
        profile = dbsession.get(Profile, user_id)
        if profile is not None and not profile.avatar:
            sizes = avatars.make_sizes(_picture(rand), 10 * 1024 * 1024, 10_000_000)
            profile.avatar = avatars.store(directory, sizes)
            pictured += 1
    dbsession.flush()
    context.note(f"Profiles: {profiles} profiles, {answers} answers, "
                 f"{pictured} pictures.")


def includeme(config):
    config.add_seeder("profiles", seed_profiles)
