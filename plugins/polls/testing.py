"""Test fixtures for polls, for this plugin's tests and any other's (``pytest11`` entry point
``cortege_polls``; installed with Cortège, so nothing to import):

``make_poll``  ``make_poll(options=("Yes", "No"), kind="single", method="plurality",
               opens_in=-1, closes_in=7, group=None, **columns)``: a poll opened
               ``opens_in`` days from now (a day ago by default) that closes in
               ``closes_in`` days (negative: already closed), of the site or of ``group`` (a
               groups ``Group`` row), flushed. Secret ballots that cannot be changed unless
               told otherwise; any ``Poll`` column may be given (``title=...``,
               ``anonymous=False``, ``results="live"``, ``group_id=...``).

It also registers the content sample of ``polls.poll`` for the cross-plugin privacy test
(``core.testing.register_content_sample``): a poll whose question holds the marker, looked
for on its page and on the list of polls (members only: strangers are asked to log in).
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.testing import register_content_sample


def new_poll(options=("Yes", "No"), kind="single", method="plurality", opens_in=-1,
             closes_in=7, group=None, **columns):
    """A Poll row with its options, not yet added to a session."""
    from core.db import utcnow
    from plugins.polls.models import Option, Poll

    now = utcnow()
    count = len(options)
    columns.setdefault("min_choices", 0 if kind == "approval" else 1)
    columns.setdefault("max_choices", 1 if kind == "single" else count)
    columns.setdefault("changeable", False)
    columns.setdefault("title", "What shall we do?")
    columns.setdefault("description", "")
    opens_at = now + dt.timedelta(days=opens_in)
    closes_at = now + dt.timedelta(days=closes_in)
    # What has already happened counts as announced (no event waits for the periodic task).
    columns.setdefault("opening_published", opens_at <= now)
    columns.setdefault("closing_published", closes_at <= now)
    if group is not None:
        columns["group_id"] = group.id
    poll = Poll(kind=kind, method=method, opens_at=opens_at, closes_at=closes_at, **columns)
    poll.options = [Option(position=i, label=label) for i, label in enumerate(options)]
    return poll


@pytest.fixture
def make_poll(dbsession):
    def factory(options=("Yes", "No"), kind="single", method="plurality", opens_in=-1,
                closes_in=7, group=None, **columns):
        poll = new_poll(options, kind, method, opens_in, closes_in, group, **columns)
        dbsession.add(poll)
        dbsession.flush()
        return poll

    return factory


def _sample(dbsession, *, owner, group, marker):
    poll = new_poll(group=group, title=f"Poll {marker}", author_id=owner.id if owner else None)
    dbsession.add(poll)
    dbsession.flush()
    return poll


register_content_sample("polls.poll", _sample,
                        lambda poll: [f"/tools/polls/{poll.id}", "/tools/polls"])
