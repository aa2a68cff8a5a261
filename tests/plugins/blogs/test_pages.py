"""Blogs through the pages: listing a blog (feed discovery), the Blog tab, fetching in jobs
(conditional, backoff, hostile feeds), the per-site limit, planets and who sees what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.jobs import job_request
from plugins.blogs.models import Blog, Entry, Feed
from plugins.blogs.services import BlogService


def add_blog(browser, member, url, visibility="members", status=303):
    page = browser.get(f"/members/{member.username}/blog")
    form = page.forms["blog-form"]
    form["url"], form["visibility"] = url, visibility
    return form.submit(status=status).follow()


def service_do(registry, action):
    with job_request(registry) as request, request.tm:
        return action(BlogService(request))


def test_a_member_lists_a_blog_by_its_site_and_readers_see_its_entries(
        feeds, make_user, login, testapp, dbsession):
    ana = make_user("ana")
    browser = login(ana)
    page = add_blog(browser, ana, f"{feeds.base}/blog/")
    assert "Your blog is listed." in page.text
    blog = dbsession.scalar(select(Blog).where(Blog.user_id == ana.id))
    feed = dbsession.get(Feed, blog.feed_id)
    assert feed.url == f"{feeds.base}/feed.xml" and feed.title == "Notes from the picket line"
    page = login(make_user()).get(f"/members/{ana.username}/blog")
    entries = page.html.find(id="entries")
    assert "First strike day" in entries.text and "Second strike day" in entries.text
    # Hostile HTML is gone; links open elsewhere without a hold on the page.
    assert entries.find("script") is None and "onclick" not in str(entries)
    assert "javascript:" not in str(entries)
    good = entries.find("a", href="https://example.org/x")
    assert good["target"] == "_blank" and "noopener" in good["rel"]
    # "Members of the site": strangers do not learn that the blog is hers.
    page = testapp.get(f"/members/{ana.username}/blog", expect_errors=True)
    assert "First strike day" not in page.text


def test_a_page_without_a_feed_or_a_private_address_is_refused(feeds, make_user, login,
                                                              dbsession):
    ana = make_user("ana")
    browser = login(ana)
    page = add_blog(browser, ana, f"{feeds.base}/nofeed/")
    assert "No feed found at this address" in page.text
    page = add_blog(browser, ana, f"{feeds.base}/to-private")
    assert "This address cannot be fetched." in page.text
    page = add_blog(browser, ana, "http://localhost/feed.xml")
    assert "This address cannot be fetched." in page.text
    assert dbsession.scalars(select(Blog)).all() == []


def test_fetching_is_conditional_and_backs_off_on_errors(feeds, make_user, login, registry,
                                                        dbsession):
    ana = make_user("ana")
    add_blog(login(ana), ana, f"{feeds.base}/feed.xml")
    feed = dbsession.scalar(select(Feed))
    assert feed.etag == '"v1"'
    feeds.hits.clear()
    service_do(registry, lambda service: service.fetch_feed(feed.id))
    assert feeds.hits[-1][1]["If-None-Match"] == '"v1"'
    dbsession.expire_all()
    assert dbsession.get(Feed, feed.id).failures == 0
    assert len(dbsession.scalars(select(Entry)).all()) == 2
    # A feed that breaks waits longer after each failure.
    feed = dbsession.get(Feed, feed.id)
    feed.url = f"{feeds.base}/broken.xml"
    dbsession.flush()
    waits = []
    for _attempt in range(3):
        service_do(registry, lambda service: service.fetch_feed(feed.id))
        dbsession.expire_all()
        again = dbsession.get(Feed, feed.id)
        waits.append(again.next_fetch_at - again.fetched_at)
    assert waits[0] < waits[1] < waits[2]
    assert dbsession.get(Feed, feed.id).failures == 3
    assert "500" in dbsession.get(Feed, feed.id).last_error


@pytest.mark.parametrize("path", ["/huge.xml", "/slow.xml", "/loop", "/to-metadata"])
def test_hostile_feeds_fail_without_harm(feeds, path, registry, dbsession):
    feed = Feed(url=f"{feeds.base}{path}", host="127.0.0.1", failures=0, last_error="")
    dbsession.add(feed)
    dbsession.flush()
    service_do(registry, lambda service: service.fetch_feed(feed.id))
    dbsession.expire_all()
    assert dbsession.get(Feed, feed.id).failures == 1
    assert dbsession.scalars(select(Entry).where(Entry.feed_id == feed.id)).all() == []


def test_few_feeds_of_one_site_are_fetched_at_once(registry, dbsession):
    from core.jobs import Job

    for number in range(5):
        dbsession.add(Feed(url=f"https://one.example/{number}.xml", host="one.example",
                           failures=0, last_error=""))
    dbsession.add(Feed(url="https://two.example/feed.xml", host="two.example", failures=0,
                       last_error=""))
    dbsession.flush()
    app_settings = registry.settings
    assert app_settings["blogs.per_site"] == 2
    handed = service_do(registry, lambda service: service.fetch_due())
    assert handed == 3
    jobs = dbsession.scalars(select(Job).where(Job.task == "blogs.fetch")).all()
    assert len(jobs) == 3


@pytest.fixture
def planet(make_user, make_group, dbsession, feeds, login):
    from plugins.groups.models import GroupType

    kind = GroupType(key="bloggers", name="Bloggers", description="", position=9)
    dbsession.add(kind)
    dbsession.flush()
    owner, writer = make_user("owner"), make_user("writer")
    group = make_group(status="private", creator=owner, admin=owner, members=[writer],
                       type_id=kind.id)
    add_blog(login(writer), writer, f"{feeds.base}/feed.xml")
    return group, owner, writer


def test_a_planet_shows_its_members_entries_to_those_who_see_the_group(
        planet, make_user, login, testapp):
    group, owner, writer = planet
    path = f"/groups/{group.slug}/planet"
    page = login(writer).get(path)
    assert "First strike day" in page.text
    atom = login(owner).get(f"/blogs/planet/{group.id}.atom")
    assert atom.content_type == "application/atom+xml" and b"First strike day" in atom.body
    opml = login(owner).get(f"/blogs/planet/{group.id}.opml")
    assert f"{planet[0] and ''}".strip() == "" and b"feed.xml" in opml.body
    for browser in (testapp, login(make_user("outsider"))):
        for url in (path, f"/blogs/planet/{group.id}.atom", f"/blogs/planet/{group.id}.opml"):
            page = browser.get(url, expect_errors=True)
            assert page.status_int in (303, 404) and b"First strike day" not in page.body


def test_other_groups_have_no_planet(make_group, make_user, login):
    owner = make_user()
    group = make_group(status="public", creator=owner, admin=owner)
    browser = login(owner)
    assert "/planet" not in browser.get(f"/groups/{group.slug}").text
    browser.get(f"/groups/{group.slug}/planet", status=404)
    browser.get(f"/blogs/planet/{group.id}.atom", status=404)


def test_admins_leave_an_entry_or_a_blog_out(planet, login, dbsession):
    group, owner, writer = planet
    admin = login(owner)
    page = admin.get(f"/groups/{group.slug}/planet")
    first = dbsession.scalar(select(Entry).where(Entry.title == "First strike day"))
    form = next(f for f in page.forms.values() if f.fields.get("entry") and
                f["entry"].value == str(first.id))
    form.submit(status=303)
    page = admin.get(f"/groups/{group.slug}/planet")
    assert "First strike day" not in page.text and "Second strike day" in page.text
    # A member who is not an admin may not.
    member = login(writer)
    token = member.get(f"/groups/{group.slug}/planet").html.find(
        "input", attrs={"name": "csrf_token"})["value"]
    member.post(f"/blogs/planet/{group.id}/exclude", {"feed": str(first.feed_id),
                                                       "csrf_token": token}, status=403)
    form = next(f for f in page.forms.values() if f.fields.get("feed"))
    form.submit(status=303)
    assert "Second strike day" not in admin.get(f"/groups/{group.slug}/planet").text


def test_a_blog_kept_private_stays_off_planets_and_profiles(planet, login, make_user,
                                                          dbsession):
    group, owner, writer = planet
    blog = dbsession.scalar(select(Blog).where(Blog.user_id == writer.id))
    blog.visibility = "private"
    dbsession.flush()
    assert "First strike day" not in login(owner).get(f"/groups/{group.slug}/planet").text
    page = login(make_user()).get(f"/members/{writer.username}/blog", expect_errors=True)
    assert "First strike day" not in page.text
    assert "First strike day" in login(writer).get(f"/members/{writer.username}/blog").text


def test_export_and_erase(planet, login, dbsession):
    _group, _owner, writer = planet
    from core.testing import TEST_PASSWORD

    browser = login(writer)
    data = browser.get("/account/export.json").json["blogs"]
    assert [blog["shown_to"] for blog in data["blogs"]] == ["members"]
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    assert dbsession.scalars(select(Blog)).all() == []
    assert dbsession.scalars(select(Feed)).all() == []


def test_the_seeder_makes_a_bloggers_group_whose_blogs_come_from_the_feed_server(
        feeds, make_user, registry, dbsession, login):
    from core.seeding import SeedContext
    from plugins.blogs.seed import GROUP_NAME, seed_blogs
    from plugins.groups.models import Group
    from tests.plugins.blogs.conftest import rss

    people = [make_user(f"blogger{number}") for number in range(3)]
    for number in range(1, 4):
        feeds.serve(f"/demo/{number}.xml", rss(f"Blog {number}", [
            (f"Entry of blog {number}", f"{feeds.base}/demo/{number}/post", "<p>Hi</p>")]))
    with job_request(registry) as request, request.tm:
        seed_blogs(SeedContext(request, {"feeds": f"{feeds.base}/demo/"}))
        seed_blogs(SeedContext(request, {"feeds": f"{feeds.base}/demo/"}))  # once only
    groups = dbsession.scalars(select(Group).where(Group.name == GROUP_NAME)).all()
    assert len(groups) == 1
    for feed in dbsession.scalars(select(Feed)).all():
        service_do(registry, lambda service, feed_id=feed.id: service.fetch_feed(feed_id))
    page = login(people[0]).get(f"/groups/{groups[0].slug}/planet")
    for number in range(1, 4):
        assert f"Entry of blog {number}" in page.text


def test_the_planet_goes_page_by_page_in_a_bounded_number_of_queries(
        planet, login, dbsession, max_queries):
    import datetime as dt

    from core.db import utcnow

    group, owner, _writer = planet
    feed = dbsession.scalar(select(Feed))
    start = utcnow() - dt.timedelta(days=400)
    for number in range(45):  # some at the same moment, to test the cursor's tie-break
        dbsession.add(Entry(feed_id=feed.id, guid=f"extra-{number}", title=f"Extra {number:02d}",
                            link="", summary="", published_at=start + dt.timedelta(
                                hours=number // 3)))
    dbsession.flush()
    browser = login(owner)
    seen, path = [], f"/groups/{group.slug}/planet"
    while path:
        with max_queries(25):
            page = browser.get(path)
        seen += [h.text.strip() for h in page.html.find(id="entries").find_all("h3")]
        link = page.html.find("a", rel="next")
        path = link["href"] if link else None
    assert len(seen) == 47 and len(set(seen)) == 47
    assert seen[:2] == ["Second strike day", "First strike day"]
