"""Status updates: posting to one's profile or a group, Markdown, mentions as links, previews
of the site's own pages, and refusals."""

from __future__ import annotations

from sqlalchemy import select

from plugins.social.models import Entry, Status


def test_a_member_posts_on_their_profile_and_it_shows_in_the_streams(
        make_user, login, post_status, testapp, dbsession):
    ada = make_user("ada")
    browser = login(ada)
    post_status(browser, "Leaflets at **noon** on the square.")
    status = dbsession.scalars(select(Status).where(Status.author_id == ada.id)).one()
    assert status.group_id is None
    entry = dbsession.scalars(select(Entry).where(Entry.subject_id == status.id)).one()
    assert entry.verb == "social.status"
    page = testapp.get("/activity")
    assert "<strong>noon</strong>" in page.text
    assert f'id="entry-{entry.id}"' in page.text
    assert "<strong>noon</strong>" in testapp.get("/members/ada/activity").text
    assert "<strong>noon</strong>" in browser.get("/").text  # the personal stream
    assert "<strong>noon</strong>" in testapp.get(f"/activity/status/{status.id}").text


def test_markdown_is_sanitised(make_user, login, post_status, testapp):
    ada = make_user("ada")
    post_status(ada, "<script>alert(1)</script> [x](javascript:alert(1)) hi")
    page = testapp.get("/activity")
    assert "<script>alert" not in page.text
    assert "href=\"javascript" not in page.text


def test_only_members_post_in_a_group(make_user, login, post_status, make_group, add_member,
                                      dbsession):
    ada, bob = make_user("ada"), make_user("bob")
    group = make_group(status="public")
    add_member(group, ada)
    post_status(ada, "Meeting on Thursday.", group=group)
    assert dbsession.scalars(select(Status.group_id)).one() == group.id
    post_status(bob, "Not a member here.", group=group, status=403)
    assert dbsession.scalar(select(Status.id).where(Status.author_id == bob.id)) is None


def test_empty_and_long_posts_are_refused_with_a_sentence(make_user, login, post_status,
                                                          dbsession):
    ada = make_user("ada")
    browser = login(ada)
    page = post_status(browser, "   ").follow()
    assert "Write something first." in page.text
    page = post_status(browser, "x" * 2001).follow()
    assert "at most 2000 characters" in page.text
    assert dbsession.scalar(select(Status.id)) is None


def test_posting_is_rate_limited(make_user, login, post_status, dbsession):
    ada = make_user("ada")
    browser = login(ada)
    for number in range(10):
        post_status(browser, f"Update {number}")
    page = post_status(browser, "One too many").follow()
    assert "wait a little" in page.text
    assert len(dbsession.scalars(select(Status.id)).all()) == 10


def test_mentions_link_to_profiles(make_user, login, post_status, testapp):
    make_user("bob")
    post_status(make_user("ada"), "Thanks @bob for the banners! `@code` stays")
    page = testapp.get("/activity")
    assert 'class="mention" href="http://localhost/members/bob">@bob</a>' in page.text
    assert "<code>@code</code>" in page.text


def test_links_to_the_site_show_a_preview_only_to_those_who_may_see_it(
        make_user, login, post_status, make_poll, make_group, add_member, testapp):
    ada, bob = make_user("ada"), make_user("bob")
    public_poll = make_poll(title="Which day for the march?")
    hidden = make_group(status="hidden")
    add_member(hidden, ada)
    secret_poll = make_poll(title="Secret strategy", group=hidden)
    post_status(ada, f"Vote: http://localhost/tools/polls/{public_poll.id}")
    post_status(ada, f"And http://localhost/tools/polls/{secret_poll.id} too, "
                     "and https://example.org/elsewhere")
    as_ada = login(ada).get("/activity")
    assert "Which day for the march?" in as_ada.text
    assert "Secret strategy" in as_ada.text
    as_bob = login(bob).get("/activity")
    assert "Which day for the march?" in as_bob.text
    assert "Secret strategy" not in as_bob.text


def test_a_status_page_of_a_hidden_group_is_404_outside(make_user, login, make_status,
                                                        make_group, add_member, testapp):
    ada, bob = make_user("ada"), make_user("bob")
    group = make_group(status="hidden")
    add_member(group, ada)
    status = make_status(ada, "Inside only", group=group)
    testapp.get(f"/activity/status/{status.id}", status=404)
    login(bob).get(f"/activity/status/{status.id}", status=404)
    assert "Inside only" in login(ada).get(f"/activity/status/{status.id}").text
