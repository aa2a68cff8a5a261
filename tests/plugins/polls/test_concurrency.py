"""Ballots cast at the same moment are all counted, and each member's once (tallies and
turnout are derived from the rows; requests in threads, on a database that commits)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.db import utcnow
from plugins.polls.models import LIVE, Ballot, Option, Participation, Poll
from tests.plugins.polls.conftest import token


def test_ballots_at_once_are_all_counted_once(committed_site):
    now = utcnow()
    poll = Poll(title="Which day?", description="", kind="single", method="plurality",
                min_choices=1, max_choices=1, opens_at=now - dt.timedelta(days=1),
                closes_at=now + dt.timedelta(days=1), anonymous=True, changeable=False,
                results=LIVE)
    poll.options = [Option(position=0, label="Monday"), Option(position=1, label="Friday")]
    committed_site.add(poll)
    monday = poll.options[0].id
    browsers = [committed_site.login(committed_site.make_user()) for _ in range(10)]

    def vote(browser):
        page = browser.get(f"/tools/polls/{poll.id}")
        data = {"csrf_token": token(page), "choice": str(monday)}
        # Two ballots from the same member at once: one counts, the other is refused.
        return sorted(response.status_int for response in committed_site.at_once(
            lambda _n: browser.post(f"/tools/polls/{poll.id}", data, expect_errors=True),
            range(2)))

    statuses = committed_site.at_once(vote, browsers)

    assert all(pair[0] in (200, 303) and pair[1] in (303, 400) for pair in statuses), statuses
    with committed_site.session() as session:
        ballots = session.scalar(select(func.count()).select_from(Ballot).where(
            Ballot.poll_id == poll.id))
        voters = session.scalar(select(func.count()).select_from(Participation).where(
            Participation.poll_id == poll.id))
    assert ballots == voters == 10
