"""Test fixtures for the social layer, for this plugin's tests and any other's (``pytest11``
entry point ``cortege_social``):

``make_status``  ``make_status(author, body="...", group=None)``: a status update and its
                 activity entry, flushed, as the service writes them (no rate limit, no
                 events).
``record_entry`` ``record_entry(verb, actor, subject_kind, subject_id, group=None)``: an
                 activity entry, flushed.

It also registers the content sample of ``social.status`` for the cross-plugin privacy test
(``core.testing.register_content_sample``): a status update holding the marker, looked for
on its page and in the streams that list it (the site's, the author's, the group's).
"""

from __future__ import annotations

import pytest

from core.testing import register_content_sample


def new_status(dbsession, author, body, group=None):
    from plugins.social.models import Entry, Status

    status = Status(author_id=author.id, group_id=group.id if group else None, body=body)
    dbsession.add(status)
    dbsession.flush()
    dbsession.add(Entry(verb="social.status", actor_id=author.id, subject_kind="social.status",
                        subject_id=status.id, group_id=status.group_id))
    dbsession.flush()
    return status


@pytest.fixture
def make_status(dbsession):
    def factory(author, body="Out on the square tonight.", group=None):
        return new_status(dbsession, author, body, group)

    return factory


@pytest.fixture
def record_entry(dbsession):
    from plugins.social.models import Entry

    def factory(verb, actor, subject_kind, subject_id, group=None):
        entry = Entry(verb=verb, actor_id=actor.id if actor else None, subject_kind=subject_kind,
                      subject_id=subject_id, group_id=group.id if group else None)
        dbsession.add(entry)
        dbsession.flush()
        return entry

    return factory


def _sample(dbsession, *, owner, group, marker):
    status = new_status(dbsession, owner, f"Status {marker}", group)
    status.sample_paths = [f"/activity/status/{status.id}", "/activity",
                           f"/members/{owner.username}/activity"]
    if group is not None:
        status.sample_paths.append(f"/groups/{group.slug}/activity")
    return status


register_content_sample("social.status", _sample, lambda status: status.sample_paths)
