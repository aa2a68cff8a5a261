"""Activity entries from every plugin's domain events, and the streams that show them: the
site's, a member's tab, a group's tab (and its home), the dashboard; kind filters and "load
more" by key; bounded queries."""

from __future__ import annotations

from sqlalchemy import select

from core.events import publish
from core.jobs import job_request
from plugins.social.models import Entry, Follow, Preferences


def entries(dbsession, verb=None):
    query = select(Entry).order_by(Entry.id)
    if verb:
        query = query.where(Entry.verb == verb)
    return dbsession.scalars(query).all()


def test_joining_a_group_through_its_page_is_an_entry(make_user, login, make_group, testapp,
                                                      dbsession):
    from tests.plugins.social.conftest import token

    ada = make_user("ada")
    group = make_group(name="Riverside", status="public")
    browser = login(ada)
    page = browser.get(f"/groups/{group.slug}")
    browser.post(f"/groups/{group.slug}/membership",
                 {"csrf_token": token(page), "action": "join"}, status=303)
    [entry] = entries(dbsession, "groups.joined")
    assert (entry.actor_id, entry.subject_id, entry.group_id) == (ada.id, group.id, group.id)
    page = testapp.get(f"/groups/{group.slug}")  # the group's home shows its stream
    assert 'id="group-activity"' in page.text and f'id="entry-{entry.id}"' in page.text
    assert "joined the group" in testapp.get("/activity").text


def _publish(registry, event):
    with job_request(registry) as request, request.tm:
        publish(request, event)


def test_every_plugin_event_becomes_an_entry(registry, make_user, dbsession, make_poll,
                                             make_petition, make_event, make_forum,
                                             make_topic, testapp, login):
    from plugins.agenda.events import EventChanged, EventPublished, RsvpAnswered
    from plugins.forums.events import PostCreated, TopicCreated
    from plugins.petitions.events import GoalReached, PetitionLaunched
    from plugins.polls.events import PollClosed, PollOpened

    ada, bob = make_user("ada"), make_user("bob")
    poll = make_poll(title="Which day?", author_id=ada.id)
    petition = make_petition(title="Save the river", author=ada)
    event = make_event(organiser=ada, title="Picnic", visibility="public")
    forum = make_forum("Debates")
    topic = make_topic(forum, ada, "Strike fund", "Let us talk", replies=[(bob, "Yes")])
    from plugins.forums.models import Post

    first, reply = dbsession.scalars(select(Post).where(Post.topic_id == topic.id)
                                     .order_by(Post.id)).all()
    dbsession.add(Preferences(user_id=bob.id, share_rsvps=True))
    dbsession.flush()
    for published in (
        PollOpened(actor_id=None, poll_id=poll.id), PollClosed(actor_id=ada.id, poll_id=poll.id),
        PetitionLaunched(actor_id=ada.id, petition_id=petition.id),
        GoalReached(actor_id=None, petition_id=petition.id),
        EventPublished(actor_id=ada.id, event_id=event.id),
        EventChanged(actor_id=ada.id, event_id=event.id, fields=("title",)),
        RsvpAnswered(actor_id=bob.id, event_id=event.id, user_id=bob.id, status="going"),
        RsvpAnswered(actor_id=ada.id, event_id=event.id, user_id=ada.id, status="going"),
        TopicCreated(actor_id=ada.id, forum_id=forum.id, topic_id=topic.id,
                     post_id=first.id),
        PostCreated(actor_id=ada.id, forum_id=forum.id, topic_id=topic.id,
                    post_id=first.id, is_first=True),
        PostCreated(actor_id=bob.id, forum_id=forum.id, topic_id=topic.id, post_id=reply.id),
    ):
        _publish(registry, published)
    verbs = [(e.verb, e.actor_id) for e in entries(dbsession)]
    assert verbs == [
        ("polls.opened", ada.id), ("polls.closed", ada.id), ("petitions.launched", ada.id),
        ("petitions.goal", ada.id), ("agenda.published", ada.id), ("agenda.changed", ada.id),
        # Bob shares his answers, Ada does not; an opening post is the topic itself.
        ("agenda.going", bob.id), ("forums.topic", ada.id), ("forums.reply", bob.id)]
    page = login(bob).get("/activity")
    for words in ("opened the poll", "closed the poll", "Which day?", "launched the petition",
                  "Save the river", "published the event", "Picnic", "is going to",
                  "started the topic", "Strike fund", "replied in"):
        assert words in page.text, words
    # Polls are for members: a stranger sees the rest of the stream, not the poll.
    page = testapp.get("/activity")
    assert "Picnic" in page.text
    assert 'href="http://localhost/tools/polls/' not in page.text


def test_kind_filters_and_load_more_by_key(make_user, make_status, testapp, registry, app,
                                           make_poll):
    ada = make_user("ada")
    statuses = [make_status(ada, f"Update number {n}.") for n in range(25)]
    registry.settings["social.page_size"] = 10
    try:
        page = testapp.get("/activity")
        assert "Update number 24." in page.text and "Update number 15." in page.text
        assert "Update number 14." not in page.text
        page = page.click(linkid="load-more")
        assert "Update number 14." in page.text and "Update number 15." not in page.text
        page = page.click(linkid="load-more")
        assert "Update number 0." in page.text
        assert 'id="load-more"' not in page.text
        page = testapp.get("/activity?kind=polls")
        assert "Update number" not in page.text and 'id="stream-empty"' in page.text
        page = testapp.get("/activity?kind=status&before=notanumber")
        assert "Update number 24." in page.text
        testapp.get("/activity?kind=%00", status=400)
    finally:
        registry.settings["social.page_size"] = 20
    assert statuses


def test_the_personal_stream_gathers_follows_groups_and_self(
        make_user, login, make_status, make_group, add_member, dbsession):
    me, friend, stranger, grouped = (make_user(n) for n in ("me", "friend", "other", "grouped"))
    group = make_group(status="public")
    add_member(group, me)
    add_member(group, grouped)
    dbsession.add(Follow(user_id=me.id, subject_kind="member", subject_id=friend.id))
    mine = make_status(me, "my own words")
    followed = make_status(friend, "from a followed member")
    in_group = make_status(grouped, "in my group", group=group)
    other = make_status(stranger, "from nobody I know")
    page = login(me).get("/")
    for status in (mine, followed, in_group):
        assert status.body in page.text
    assert other.body not in page.text
    assert other.body not in login(me).get("/activity/mine").text


def test_streams_take_a_bounded_number_of_queries(make_user, make_status, make_group,
                                                  add_member, login, max_queries, make_poll,
                                                  dbsession):
    """Whatever a page holds (authors, groups, previews of the site's pages), one query per
    kind of thing, not one per entry."""
    group = make_group(status="public")
    reader = make_user("reader")
    add_member(group, reader)
    poll = make_poll(title="Which day?")
    for number in range(30):
        author = make_user()
        add_member(group, author)
        dbsession.add(Follow(user_id=reader.id, subject_kind="member", subject_id=author.id))
        make_status(author, f"Status {number} http://localhost/activity/status/{number + 1} "
                            f"http://localhost/tools/polls/{poll.id}",
                    group=group if number % 2 else None)
    browser = login(reader)
    make_status(reader, "The reader's own")
    for path in ("/activity", f"/groups/{group.slug}/activity", "/", "/activity/mine",
                 "/activity.atom"):
        with max_queries(18):
            page = browser.get(path)
        assert "Status 29" in page.text, path
    with max_queries(18):
        assert "The reader's own" in browser.get("/members/reader/activity").text


def test_atom_feeds_of_public_streams_show_what_a_stranger_sees(
        make_user, login, make_status, make_group, add_member, testapp, dbsession):
    from xml.etree import ElementTree

    ada = make_user("ada")
    public, private = make_group(status="public"), make_group(status="private")
    add_member(public, ada)
    add_member(private, ada)
    make_status(ada, "Out in the **open**", group=public)
    make_status(ada, "Behind closed doors", group=private)
    make_status(ada, "On my profile")
    browser = login(ada)  # a logged-in reader gets the stranger's feed all the same
    feed = browser.get("/activity.atom")
    assert feed.content_type == "application/atom+xml"
    root = ElementTree.fromstring(feed.body)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = [e.findtext("a:content", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert contents == ["<p>On my profile</p>\n", "<p>Out in the <strong>open</strong></p>\n"]
    assert "Behind closed doors" not in browser.get("/activity/feed/members/ada.atom").text
    assert "On my profile" in testapp.get("/activity/feed/members/ada.atom").text
    assert "Out in the" in testapp.get(f"/activity/feed/groups/{public.slug}.atom").text
    browser.get(f"/activity/feed/groups/{private.slug}.atom", status=404)
    testapp.get("/activity/feed/members/nobody.atom", status=404)
    assert 'id="feed-link"' in testapp.get("/activity").text
    # A group turning private takes its feed away.
    public.status = "private"
    dbsession.flush()
    testapp.get(f"/activity/feed/groups/{public.slug}.atom", status=404)
    assert "Out in the" not in testapp.get("/activity.atom").text


def test_new_since_the_last_visit_counts_only_what_the_reader_may_see(
        make_user, login, make_status, make_group, add_member, dbsession):
    from tests.plugins.social.conftest import token

    me, ada = make_user("meg"), make_user("ada")
    group = make_group(status="public")
    add_member(group, me)
    add_member(group, ada)
    for number in range(3):
        make_status(ada, f"News {number}", group=group)
    make_status(me, "My own news")
    browser = login(me)
    page = browser.get("/")
    assert "3 new since your last visit" in page.html.find(id="new-badge").text
    browser.post("/activity/seen", {"csrf_token": token(page), "upto": "notanid"}, status=404)
    page.forms["new-badge"].submit(status=303)
    assert browser.get("/").html.find(id="new-badge") is None
    make_status(ada, "Later news", group=group)
    assert "1 new" in browser.get("/activity/mine").html.find(id="new-badge").text
    # The group turning hidden: Meg, a member, still counts its news; once she has left it,
    # its news counts no more.
    group.status = "hidden"
    dbsession.flush()
    assert "1 new" in browser.get("/").html.find(id="new-badge").text
    from sqlalchemy import delete

    from plugins.groups.models import Membership

    dbsession.execute(delete(Membership).where(Membership.user_id == me.id))
    dbsession.flush()
    assert browser.get("/").html.find(id="new-badge") is None
