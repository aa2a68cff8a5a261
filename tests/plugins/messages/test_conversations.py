"""Two or more members write to each other: the inbox, replies, read state, archive, delete
for me, and nobody else reads a word."""

from __future__ import annotations

from tests.plugins.messages.conftest import bodies, last_conversation, reply, write
from tests.plugins.notifications.conftest import centre


def test_two_members_exchange_messages(make_member, login, dbsession, outbox, max_queries):
    ana = make_member("ana", display_name="Ana")
    bob = make_member("bob", display_name="Bob", email="bob@example.org")
    as_ana, as_bob = login(ana), login(bob)
    profile = as_ana.get("/members/bob")
    page = profile.click(href="/messages/new").maybe_follow()
    form = page.forms["message-form"]
    assert form["to"].value == "bob"
    form["subject"], form["body"] = "Leaflets", "Can you bring the leaflets?"
    form.submit(status=303)
    conversation = last_conversation(dbsession)
    # Bob hears of it: the inbox shows it unread, the bell and a mail (his default).
    inbox = as_bob.get("/messages")
    assert inbox.html.select_one(f"#conversation-{conversation.id}.conversation-item--unread")
    assert centre(as_bob) == ["Ana wrote to you"]
    assert [m.recipients for m in outbox if "Ana wrote to you" in m.subject] == [
        ["bob@example.org"]]
    assert bodies(as_bob, conversation.id) == ["Can you bring the leaflets?"]
    # Reading it marks it read.
    assert not as_bob.get("/messages").html.select(".conversation-item--unread")
    reply(as_bob, conversation.id, "Yes, tomorrow.")
    assert bodies(as_ana, conversation.id) == ["Can you bring the leaflets?", "Yes, tomorrow."]
    with max_queries(12):
        as_ana.get("/messages")
    with max_queries(14):
        as_ana.get(f"/messages/{conversation.id}")


def test_nobody_else_reads_a_conversation(make_member, login, dbsession, testapp):
    ana, bob, eve = make_member("ana"), make_member("bob"), make_member("eve")
    write(login(ana), "bob", "Secret plans")
    conversation = last_conversation(dbsession)
    as_eve = login(eve)
    as_eve.get(f"/messages/{conversation.id}", status=404)
    assert "Secret plans" not in as_eve.get("/messages").text
    page = login(ana).get(f"/messages/{conversation.id}")
    token = page.forms["reply-form"]["csrf_token"].value
    for path in ("reply", "archive", "delete"):
        as_eve.post(f"/messages/{conversation.id}/{path}", {"csrf_token": token, "body": "x"},
                    status=(403, 404, 400))
    assert testapp.get(f"/messages/{conversation.id}").status_int in (302, 303)
    assert bodies(login(bob), conversation.id) == ["Secret plans"]


def test_three_members_archive_and_delete_for_me(make_member, login, dbsession):
    ana, bob, cy = make_member("ana"), make_member("bob"), make_member("cy")
    as_ana, as_bob, as_cy = login(ana), login(bob), login(cy)
    write(as_ana, "bob, cy", "Meeting at 6?")
    conversation = last_conversation(dbsession)
    reply(as_cy, conversation.id, "Fine by me.")
    assert bodies(as_bob, conversation.id) == ["Meeting at 6?", "Fine by me."]
    # Archive: out of the inbox, in the archive; a new message brings it back.
    as_bob.get(f"/messages/{conversation.id}").forms["archive-form"].submit(status=303)
    assert f"conversation-{conversation.id}" not in as_bob.get("/messages").text
    assert f"conversation-{conversation.id}" in as_bob.get("/messages?archived=1").text
    reply(as_ana, conversation.id, "See you.")
    assert f"conversation-{conversation.id}" in as_bob.get("/messages").text
    # Delete for me: gone for Bob, kept by the others; a new message comes alone.
    as_bob.get(f"/messages/{conversation.id}").forms["delete-form"].submit(status=303)
    assert f"conversation-{conversation.id}" not in as_bob.get("/messages").text
    assert len(bodies(as_ana, conversation.id)) == 3
    reply(as_cy, conversation.id, "One more thing.")
    assert bodies(as_bob, conversation.id) == ["One more thing."]
