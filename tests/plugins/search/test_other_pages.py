"""Other plugins' searches read the index: the forums' search page and the member
directory find what the site's search finds, under their own pages' rules."""

from __future__ import annotations

from tests.plugins.viewers import browser_of, viewers_of


def _forum_results(page) -> list[str]:
    return [item.select_one(".forums__result-title").get_text(strip=True)
            for item in page.html.select(".forums__result")]


def test_the_forum_search_reads_the_index(make_user, make_forum, make_group, group_forum,
                                          make_topic, make_post, indexed, login, make_testapp,
                                          add_member, dbsession, max_queries):
    author = make_user()
    site_topic = make_topic(make_forum(), author, "Tramway extension", "Line 3 to the port.")
    reply = make_post(site_topic, author, "The tramway should run at night.")
    group = make_group("Cellule", status="private", admin=author)
    secret = make_topic(group_forum(group), author, "Tramway strike plan", "Secret.")
    people = viewers_of(group, make_user, add_member, dbsession)
    # Not indexed: the forum search no longer scans the posts.
    make_topic(make_forum("Other"), author, "Tramway unindexed", "Nothing.")
    indexed(site_topic, reply, secret)
    for name, expected in (("member", 3), ("admin", 3), ("outsider", 2), ("stranger", 2),
                           ("banned", 2), ("suspended", 2)):
        browser = browser_of(people[name], login, make_testapp)
        with max_queries(14):
            page = browser.get("/forums/search", params={"q": "tramway"})
        titles = _forum_results(page)
        assert len(titles) == expected, name
        assert ("Tramway strike plan" in titles) == (expected == 3), name
        assert "Tramway unindexed" not in titles
    page = login(people["member"]).get("/forums/search", params={"q": "tramway night"})
    assert _forum_results(page) == ["Tramway extension"]  # the reply, under its topic's title


def test_the_member_directory_finds_names_through_the_index(make_member, make_user, indexed,
                                                            login, max_queries):
    found = [make_member(display_name=f"Louise Dupont {n}") for n in range(3)]
    make_member(display_name="Louise Dupont unindexed")
    indexed(*found, make_member(display_name="Jean Moulin"))
    browser = login(make_user())
    with max_queries(12) as counter:
        page = browser.get("/members", params={"q": "dupon"})
    count = page.html.select_one(".directory__count").get_text(strip=True)
    assert count == "3 members found"
    assert "Louise Dupont unindexed" not in page.text
    assert all(f"Louise Dupont {n}" in page.text for n in range(3))
    assert sum("count(*) over" in statement.lower() for statement in counter.statements) == 1
