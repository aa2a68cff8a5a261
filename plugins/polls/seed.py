"""Demo polls: one open with live results, one closed ranked-choice poll counted by Schulze,
one majority judgment closed with its grades; ``--polls N`` adds N more with ballots."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from plugins.polls.counting import GRADES
from plugins.polls.models import Ballot, Option, Participation, Poll, random_id

DEMOS = [
    {"title": "Which theme for the spring campaign?", "kind": "single", "method": "plurality",
     "options": ["Housing", "Public transport", "Wages", "Climate"], "results": "live",
     "anonymous": True, "opens": -2, "closes": 12},
    {"title": "Order of the speakers at the May Day rally", "kind": "ranked",
     "method": "schulze", "options": ["Camille", "Karim", "Louise", "Nadia"],
     "results": "closing", "anonymous": False, "opens": -20, "closes": -3},
    {"title": "How do you rate the proposals for the local manifesto?", "kind": "judgment",
     "method": "majority_judgment",
     "options": ["Free school meals", "A people's assembly each month", "Cycle lanes"],
     "results": "closing", "anonymous": True, "opens": -15, "closes": -1},
    {"title": "Which days suit the canvassing sessions?", "kind": "approval",
     "method": "plurality", "options": ["Wednesday evening", "Saturday morning",
                                        "Sunday morning"],
     "results": "live", "anonymous": True, "opens": -1, "closes": 20},
]


def _ballot(context, kind: str, option_ids: list[int]):
    rand = context.random
    if kind == "single":
        return [rand.choice(option_ids)]
    if kind == "approval":
        return sorted(rand.sample(option_ids, rand.randint(1, len(option_ids))))
    if kind == "ranked":
        ranking = list(option_ids)
        rand.shuffle(ranking)
        return ranking[:rand.randint(1, len(ranking))]
    return {str(option): min(len(GRADES) - 1, max(0, int(rand.gauss(2.5, 1.6))))
            for option in option_ids}


def _add_poll(context, spec, voters, now):
    dbsession = context.dbsession
    count = len(spec["options"])
    poll = Poll(title=spec["title"], description="", kind=spec["kind"], method=spec["method"],
                min_choices=0 if spec["kind"] == "approval" else 1,
                max_choices=1 if spec["kind"] == "single" else count,
                opens_at=now + dt.timedelta(days=spec["opens"]),
                closes_at=now + dt.timedelta(days=spec["closes"]),
                anonymous=spec["anonymous"], changeable=not spec["anonymous"],
                results=spec["results"], author_id=voters[0] if voters else None,
                # Demo content is there already: its past is not announced as news.
                opening_published=spec["opens"] <= 0, closing_published=spec["closes"] <= 0)
    poll.options = [Option(position=i, label=label) for i, label in enumerate(spec["options"])]
    dbsession.add(poll)
    dbsession.flush()
    option_ids = [option.id for option in poll.options]
    ballots, participations = [], []
    for user_id in voters:
        if context.random.random() < 0.25:  # some members did not vote
            continue
        ballots.append({"id": random_id(), "poll_id": poll.id,
                        "user_id": None if poll.anonymous else user_id,
                        "updated_at": None if poll.anonymous else now,
                        "change_key": None,
                        "choices": _ballot(context, spec["kind"], option_ids)})
        participations.append({"poll_id": poll.id, "user_id": user_id, "voted_at": now})
    context.bulk_insert(Participation.__table__, participations)
    context.bulk_insert(Ballot.__table__, ballots)
    return poll


def seed_polls(context) -> None:
    dbsession = context.dbsession
    if dbsession.scalar(select(Poll.id).limit(1)) is not None:
        context.note("Polls: already seeded.")
        return
    now = utcnow().replace(second=0, microsecond=0)
    voters = dbsession.scalars(
        select(User.id).where(User.status == "active").order_by(User.id).limit(500)).all()
    for spec in DEMOS:
        _add_poll(context, spec, voters, now)
    extra = context.options.get("polls", 0)
    for number in range(extra):
        spec = dict(DEMOS[number % len(DEMOS)], title=f"Consultation {number + 1}")
        _add_poll(context, spec, voters, now)
    context.note(f"Polls: {len(DEMOS) + extra} polls at /tools/polls.")


def includeme(config):
    config.add_seeder("polls", seed_polls,
                      options={"polls": (0, "how many extra polls, each with ballots")})
