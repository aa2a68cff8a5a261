"""Who may write to whom, blocks, reports, the limits of new accounts, group conversations,
and a member's data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from core.accounts.models import User
from core.testing import TEST_PASSWORD
from plugins.messages.models import Message, Report
from tests.plugins.messages.conftest import bodies, last_conversation, reply, write
from tests.plugins.notifications.conftest import centre


def old(dbsession, *users):
    """Accounts older than the new-account limits."""
    dbsession.execute(update(User).where(User.id.in_([u.id for u in users]))
                      .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)))
    dbsession.flush()


def choose(browser, value):
    form = browser.get("/messages/settings").forms["who-form"]
    form["who_may_write"] = value
    form.submit(status=303)


def test_who_may_write_to_me(make_member, make_group, login, dbsession):
    ana, bob, cy, dee = (make_member(name, display_name=name.title())
                         for name in ("ana", "bob", "cy", "dee"))
    old(dbsession, ana, bob, cy, dee)
    make_group("Lille", admin=cy, members=[bob, dee])
    as_bob = login(bob)
    choose(as_bob, "connections")
    # A stranger to Bob's groups is refused, with a sentence; the profile's Write page says so.
    page = write(login(ana), "bob", "Hi", status=400)
    assert "Bob does not receive messages from you." in page.text
    assert "does not receive messages" in login(ana).get("/messages/new?to=bob").text
    # A member of one of his groups may; the group's admin too.
    write(login(dee), "bob", "Hello from the group")
    choose(as_bob, "nobody")
    write(login(dee), "bob", "Again", status=400)
    write(login(cy), "bob", "The admin of your group may always")
    choose(as_bob, "everyone")
    write(login(ana), "bob", "Now I may")
    # Nonsense is refused.
    form = as_bob.get("/messages/settings").forms["who-form"]
    as_bob.post("/messages/settings", {"csrf_token": form["csrf_token"].value,
                                       "who_may_write": "aliens"}, status=400)


class Blocks:
    """The social layer's answer, as the plugin would give it."""

    def __init__(self, *pairs):
        self.pairs = {frozenset(pair) for pair in pairs}

    def blocked(self, user_id, other_id):
        return frozenset((user_id, other_id)) in self.pairs

    def connected(self, user_id, other_id):
        return False

    def blocked_ids(self, user_id):
        from sqlalchemy import literal, select

        ids = [next(iter(p - {user_id})) for p in self.pairs if user_id in p] or [0]
        return select(User.id).where(User.id.in_(ids), literal(True))


def test_a_block_stops_messages_both_ways(make_member, make_group, login, dbsession,
                                          monkeypatch):
    ana, bob, cy = make_member("ana"), make_member("bob"), make_member("cy")
    old(dbsession, ana, bob, cy)
    write(login(ana), "bob, cy", "Before the block")
    conversation = last_conversation(dbsession)
    import plugins.social.interfaces as social

    monkeypatch.setattr(social, "social_service", lambda request: Blocks((ana.id, bob.id)))
    write(login(ana), "bob", "After", status=400)
    write(login(bob), "ana", "After", status=400)
    reply(login(bob), conversation.id, "Still there?", status=400)
    write(login(ana), "cy", "Cy is not blocked")
    # Even as the admin of his group.
    group = make_group("Lille", admin=ana, members=[bob, cy])
    write(login(ana), "bob", "As your admin", status=400)
    form = login(ana).get(f"/messages/group/{group.slug}").forms["group-message-form"]
    form["subject"], form["body"] = "All", "To every member"
    form.submit(status=303)
    assert "To every member" not in login(bob).get("/messages").text
    assert bodies(login(cy), last_conversation(dbsession).id) == ["To every member"]


def test_a_group_admin_writes_to_all_and_replies_go_to_all_or_admins(make_member, make_group,
                                                                     login, dbsession):
    admin, second, plain, other, outsider = (
        make_member(name, display_name=name.title())
        for name in ("admin1", "admin2", "plain", "other", "outsider"))
    group = make_group("Lille", status="private", admin=admin,
                       members=[(second, "admin"), plain, other])
    browsers = {user.username: login(user) for user in (admin, second, plain, other, outsider)}
    browsers["plain"].get(f"/messages/group/{group.slug}", status=404)
    page = browsers["admin1"].get(f"/groups/{group.slug}")
    form = page.click(href=f"/messages/group/{group.slug}").forms["group-message-form"]
    form["subject"], form["body"] = "Assembly", "Thursday at 7."
    form.submit(status=303)
    conversation = last_conversation(dbsession)
    assert conversation.group_id == group.id
    for name in ("admin2", "plain", "other"):
        assert bodies(browsers[name], conversation.id) == ["Thursday at 7."]
    browsers["outsider"].get(f"/messages/{conversation.id}", status=404)
    reply(browsers["plain"], conversation.id, "I will come.", audience="all")
    reply(browsers["plain"], conversation.id, "Between us: I'll be late.", audience="admins")
    assert bodies(browsers["other"], conversation.id) == ["Thursday at 7.", "I will come."]
    expected = ["Thursday at 7.", "I will come.", "Between us: I'll be late."]
    for name in ("admin1", "admin2", "plain"):
        assert bodies(browsers[name], conversation.id) == expected
    # The admins-only reply rings the admins' bell, not the other members'.
    assert centre(browsers["admin2"]) == ["Plain wrote to you", "Plain wrote to you",
                                          "Admin1 wrote to you"]
    assert centre(browsers["other"]) == ["Plain wrote to you", "Admin1 wrote to you"]


def test_report_to_the_moderators(make_member, login, dbsession):
    ana, bob = make_member("ana"), make_member("bob", display_name="Bob")
    moderator = make_member("modo", role="moderator")
    old(dbsession, ana, bob)
    write(login(bob), "ana", "Buy my pills")
    conversation = last_conversation(dbsession)
    message = dbsession.scalars(select(Message)).one()
    as_ana = login(ana)
    page = as_ana.get(f"/messages/{conversation.id}").click(href="/report")
    form = page.forms["report-form"]
    form["reason"] = "Spam"
    form.submit(status=303)
    # Only moderators read reports; Bob cannot report his own message, nor Eve a stranger's.
    login(bob).get("/messages/reports", status=403)
    login(make_member("eve")).get(f"/messages/message/{message.id}/report", status=404)
    queue = login(moderator).get("/messages/reports")
    assert "Buy my pills" in queue.text and "Spam" in queue.text
    form = next(f for f in queue.forms.values() if "/messages/reports/" in (f.action or ""))
    form.submit("outcome", value="removed", status=303)
    assert bodies(as_ana, conversation.id) == []
    assert "removed by the moderators" in as_ana.get(f"/messages/{conversation.id}").text
    assert dbsession.scalars(select(Report)).one().outcome == "removed"
    assert centre(as_ana)[0] == "The moderators handled a message you reported"


def test_new_accounts_have_limits(make_member, login, dbsession, app):
    newcomer = make_member("newcomer")
    people = [make_member(f"p{n}") for n in range(11)]
    browser = login(newcomer)
    page = write(browser, "p0", "See http://a.example and http://b.example", status=400)
    assert "at most 1 links" in page.text or "at most 1 link" in page.text
    write(browser, "p0", "See http://a.example")
    write(browser, ", ".join(p.username for p in people[1:10]), "Hello all")
    page = write(browser, "p10", "One too many", status=400)
    assert "at most 10 members a day" in page.text
    # An older account has none of these limits.
    old(dbsession, newcomer)
    write(browser, "p10", "See http://a.example and http://b.example")


def test_sending_too_fast_is_refused(make_member, login, dbsession, app):
    ana, bob = make_member("ana"), make_member("bob")
    old(dbsession, ana, bob)
    write(login(ana), "bob", "First")
    conversation = last_conversation(dbsession)
    browser = login(ana)
    for number in range(29):
        reply(browser, conversation.id, f"Message {number}")
    page = reply(browser, conversation.id, "Too many", status=429)
    assert "too fast" in page.text


@pytest.mark.parametrize("erase", [False, True])
def test_export_and_erasure(make_member, login, dbsession, erase):
    ana, bob = make_member("ana", display_name="Ana"), make_member("bob", display_name="Bob")
    old(dbsession, ana, bob)
    write(login(ana), "bob", "My words", subject="Plans")
    conversation = last_conversation(dbsession)
    reply(login(bob), conversation.id, "Bob's words")
    browser = login(ana)
    if not erase:
        data = json.loads(browser.get("/account/export.json").text)["messages"]
        [exported] = data["conversations"]
        assert exported["subject"] == "Plans"
        assert [(m["from"], m["body"]) for m in exported["messages"]] == [
            ("me", "My words"), ("Bob", "Bob's words")]
        return
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    page = login(bob).get(f"/messages/{conversation.id}")
    assert "My words" not in page.text
    assert "former member" in page.text
    assert bodies(login(bob), conversation.id) == ["Bob's words"]
