"""What members do with entries: favourites and reactions (counted in SQL), mentions (never
to someone who may not see), reports and moderation, and their personal data."""

from __future__ import annotations

from sqlalchemy import select

from core.events import StoredEvent
from plugins.social.models import Block, Entry, Follow, Mention, Reaction, Report, Status
from tests.plugins.social.conftest import token


def events(dbsession, name):
    return [e.payload for e in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name == name).order_by(StoredEvent.id))]


def entry_of(dbsession, status):
    return dbsession.scalars(select(Entry).where(Entry.subject_kind == "social.status",
                                                 Entry.subject_id == status.id)).one()


def react(browser, entry, kind, status=303):
    page = browser.get("/activity")
    return browser.post(f"/activity/entry/{entry.id}/react",
                        {"csrf_token": token(page), "kind": kind, "next": "/activity"},
                        status=status)


def moderate(browser, entry, action, status=303):
    page = browser.get("/activity")
    return browser.post(f"/activity/entry/{entry.id}/{action}",
                        {"csrf_token": token(page), "next": "/activity"}, status=status)


def test_favourites_and_reactions_are_counted_and_taken_back(make_user, login, make_status,
                                                             dbsession):
    ada = make_user("ada")
    entry = entry_of(dbsession, make_status(ada, "March on Saturday"))
    browsers = [login(make_user()) for _ in range(3)]
    for browser in browsers:
        react(browser, entry, "in")
    react(browsers[0], entry, "favourite")
    react(browsers[1], entry, "applause")
    dbsession.refresh(entry)
    assert (entry.favourite_count, entry.in_count, entry.applause_count) == (1, 3, 1)
    page = browsers[0].get("/activity")
    button = page.html.select_one(f"#entry-{entry.id} .social-react--favourite")
    assert button["aria-pressed"] == "true" and button.text.split()[-1] == "1"
    react(browsers[0], entry, "in")  # a second click takes it back
    dbsession.refresh(entry)
    assert entry.in_count == 2
    react(browsers[0], entry, "nonsense")
    assert len(dbsession.scalars(select(Reaction)).all()) == 4


def test_the_favourites_tab_is_the_members_own(make_user, login, make_status, testapp,
                                               dbsession):
    ada, bob = make_user("ada"), make_user("bob")
    entry = entry_of(dbsession, make_status(bob, "Worth keeping"))
    make_status(bob, "Not kept")
    browser = login(ada)
    react(browser, entry, "favourite")
    page = browser.get("/members/ada/favourites")
    assert "Worth keeping" in page.text and "Not kept" not in page.text
    login(bob).get("/members/ada/favourites", status=404)
    testapp.get("/members/ada/favourites", status=404)


def test_no_one_reacts_to_what_they_may_not_see(make_user, login, make_status, make_group,
                                                add_member, dbsession):
    ada = make_user("ada")
    group = make_group(status="private")
    add_member(group, ada)
    entry = entry_of(dbsession, make_status(ada, "Inside", group=group))
    react(login(make_user()), entry, "favourite", status=404)
    assert dbsession.scalars(select(Reaction)).all() == []


def test_mentions_reach_only_those_who_may_see_the_status(make_user, login, post_status,
                                                          make_group, add_member, dbsession):
    ada, bob, cy, dan = (make_user(n) for n in ("ada", "bob", "cyd", "dan"))
    group = make_group(status="hidden")
    add_member(group, ada)
    add_member(group, bob)
    dbsession.add(Block(user_id=dan.id, blocked_id=ada.id))
    dbsession.flush()
    post_status(ada, "@bob @cyd @dan see you there", group=group)
    post_status(ada, "Hello @cyd and @dan, and @nobody")
    mentioned = [(e["user_id"], e["content_id"]) for e in events(dbsession, "core.mentioned")]
    inside, outside = dbsession.scalars(select(Status.id).order_by(Status.id)).all()
    # Cy may not see the hidden group's status; Dan blocked Ada.
    assert mentioned == [(bob.id, inside), (cy.id, outside)]
    assert {m.user_id for m in dbsession.scalars(select(Mention))} == {bob.id, cy.id}
    # A mention brings the status to the personal stream of whoever may see it.
    assert "see you there" in login(bob).get("/activity/mine").text
    as_cy = login(cy).get("/activity/mine").text
    assert "see you there" not in as_cy and "Hello" in as_cy


def test_a_report_reaches_the_group_moderators_who_hide_it(make_user, login, make_status,
                                                           make_group, add_member, dbsession,
                                                           testapp):
    author, reader, moderator, other_mod = (make_user(n) for n in ("au", "re", "mo", "om"))
    group = make_group(status="public")
    other = make_group(status="public")
    add_member(group, author)
    add_member(group, moderator, role="moderator")
    add_member(other, other_mod, role="moderator")
    status = make_status(author, "Something rude", group=group)
    entry = entry_of(dbsession, status)
    as_reader = login(reader)
    page = as_reader.get(f"/activity/entry/{entry.id}/report?next=/activity")
    form = page.forms["report-form"]
    form["reason"] = "Insults"
    form.submit(status=303)
    assert dbsession.scalars(select(Report.reason)).all() == ["Insults"]
    # Only moderators of the group (and the site's) see the report.
    assert "Something rude" in login(moderator).get("/activity/reports").text
    login(other_mod).get("/activity/reports", status=200)
    assert "Something rude" not in login(other_mod).get("/activity/reports").text
    as_reader.get("/activity/reports", status=403)
    moderate(login(other_mod), entry, "hide", status=403)
    moderate(as_reader, entry, "hide", status=403)
    moderate(login(moderator), entry, "hide")
    assert "Something rude" not in testapp.get("/activity").text
    testapp.get(f"/activity/status/{status.id}", status=404)
    assert events(dbsession, "social.entry_moderated") == [
        {"actor_id": moderator.id, "entry_id": entry.id, "owner_id": author.id,
         "outcome": "hidden"}]
    assert dbsession.scalars(select(Report.resolved)).all() == [True]


def test_authors_and_site_moderators_delete(make_user, login, make_status, dbsession):
    ada, bob = make_user("ada"), make_user("bob")
    site_moderator = make_user("sitemod", role="moderator")
    mine = entry_of(dbsession, make_status(ada, "Typo in it"))
    theirs = entry_of(dbsession, make_status(bob, "Spam"))
    as_ada = login(ada)
    moderate(as_ada, theirs, "delete", status=403)
    moderate(as_ada, mine, "delete")
    moderate(login(site_moderator), theirs, "delete")
    assert dbsession.scalars(select(Entry)).all() == []
    assert dbsession.scalars(select(Status)).all() == []
    assert [e["outcome"] for e in events(dbsession, "social.entry_moderated")] == ["deleted"]


def test_export_then_erase(make_user, login, make_status, dbsession, social_service):
    ada, bob = make_user("ada"), make_user("bob")
    own = entry_of(dbsession, make_status(ada, "My words"))
    others = entry_of(dbsession, make_status(bob, "Bob's words"))
    browser = login(ada)
    react(browser, others, "applause")
    react(login(bob), own, "favourite")
    dbsession.add_all([Follow(user_id=ada.id, subject_kind="member", subject_id=bob.id),
                       Block(user_id=ada.id, blocked_id=make_user().id),
                       Report(entry_id=others.id, reporter_id=ada.id, reason="why")])
    dbsession.flush()
    data = browser.get("/account/export.json").json["social"]
    assert [s["body"] for s in data["status_updates"]] == ["My words"]
    assert data["reactions"][0]["kind"] == "applause"
    assert data["follows"] == [{"kind": "member", "id": bob.id,
                                "since": data["follows"][0]["since"]}]
    assert len(data["blocked"]) == 1 and data["reports"][0]["reason"] == "why"

    own_id = own.id
    social_service.erase(ada)
    dbsession.expire_all()
    assert dbsession.get(Entry, own_id) is None
    assert dbsession.get(Entry, others.id).applause_count == 0
    assert dbsession.scalars(select(Status.body)).all() == ["Bob's words"]
    assert dbsession.scalars(select(Follow)).all() == []
    assert dbsession.scalars(select(Block)).all() == []
    assert [(r.reporter_id, r.reason) for r in dbsession.scalars(select(Report))] == [(None, "")]
    assert social_service.export(ada)["status_updates"] == []


def test_mentions_in_forum_replies_reach_only_those_who_may_see_them(
        make_user, make_group, add_member, group_forum, make_topic, make_post, registry,
        dbsession, login):
    from core.events import publish
    from core.jobs import job_request
    from core.mentions import publish_mentions
    from plugins.forums.events import PostCreated

    ada, bob, cyd = make_user("ada"), make_user("bob"), make_user("cyd")
    group = make_group(status="private")
    add_member(group, ada)
    add_member(group, bob)
    forum = group_forum(group)
    topic = make_topic(forum, ada, "Strike fund")
    reply = make_post(topic, ada, "What do @bob and @cyd think?")
    with job_request(registry) as request, request.tm:  # as the forums' service does
        publish_mentions(request, ada, "forums.post", reply.id, reply.body)
        publish(request, PostCreated(actor_id=ada.id, forum_id=forum.id, group_id=group.id,
                                     topic_id=topic.id, post_id=reply.id))
    assert [(e["user_id"], e["content_type"]) for e in events(dbsession, "core.mentioned")] \
        == [(bob.id, "forums.post")]
    # Bob, a member, finds the reply in his own stream; Cyd, named but outside, nothing.
    assert "Strike fund" in login(bob).get("/activity/mine").text
    assert "Strike fund" not in login(cyd).get("/activity/mine").text


def test_a_block_stops_mentions_from_every_plugin(make_user, make_forum, make_topic, registry,
                                                   dbsession):
    from core.jobs import job_request
    from core.mentions import publish_mentions

    ada, bob, cyd = make_user("ada"), make_user("bob"), make_user("cyd")
    dbsession.add(Block(user_id=bob.id, blocked_id=ada.id))
    dbsession.flush()
    topic = make_topic(make_forum("Debates"), ada, "Rents", "Ask @bob and @cyd")
    with job_request(registry) as request, request.tm:
        told = publish_mentions(request, ada, "forums.post", topic.first_post_id,
                                "Ask @bob and @cyd")
    assert told == [cyd.id]
    assert [e["user_id"] for e in events(dbsession, "core.mentioned")] == [cyd.id]
