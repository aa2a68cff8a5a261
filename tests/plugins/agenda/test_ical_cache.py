"""Calendar apps ask for the same feed again and again: each feed carries an ETag and the
last change of its events, answers 304 while nothing changed, and is written again when an
event changes."""

from __future__ import annotations

import datetime as dt

from plugins.agenda import ical
from plugins.agenda.models import PUBLIC


def test_a_feed_answers_304_until_an_event_changes(testapp, make_event, dbsession,
                                                   monkeypatch):
    event = make_event(title="Rally", visibility=PUBLIC)
    first = testapp.get("/agenda.ics")
    assert first.etag and first.last_modified and b"Rally" in first.body
    testapp.get("/agenda.ics", headers={"If-None-Match": f'"{first.etag}"'}, status=304)

    def written_again(*args):
        raise AssertionError("the same feed was written again")

    monkeypatch.setattr(ical, "ical_event", written_again)
    assert testapp.get("/agenda.ics").body == first.body  # from memory
    monkeypatch.undo()

    event.title = "Rally moved"
    event.updated_at = event.updated_at + dt.timedelta(seconds=1)
    dbsession.flush()
    changed = testapp.get("/agenda.ics", headers={"If-None-Match": f'"{first.etag}"'})
    assert changed.status_int == 200 and b"Rally moved" in changed.body
    assert changed.etag != first.etag


def test_each_viewer_gets_the_feed_of_what_they_may_see(testapp, login, make_user,
                                                        make_event):
    make_event(title="Open", visibility=PUBLIC)
    make_event(title="Members only")
    stranger = testapp.get("/agenda.ics")
    member = login(make_user()).get("/agenda.ics", headers={
        "If-None-Match": f'"{stranger.etag}"'})
    assert member.status_int == 200 and b"Members only" in member.body
    assert b"Members only" not in stranger.body and member.etag != stranger.etag
