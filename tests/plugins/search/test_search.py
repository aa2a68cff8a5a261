"""Search: what it finds, in which order, in both languages, accents or not; the index kept
by events and rebuilt on demand; bad input; a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow
from tests.plugins.search.conftest import counts, found


def test_a_topic_written_on_the_site_is_found_through_its_events(login, make_user, make_forum,
                                                                  testapp):
    make_forum("Debates")
    browser = login(make_user())
    form = browser.get("/forums/debates/new").forms["topic-form"]
    form["title"] = "Free public transport"
    form["body"] = "Some towns did it: Dunkerque, Tallinn."
    form.submit().follow()
    page = testapp.get("/search", params={"q": "tallinn"})
    assert found(page) == ["Free public transport"]
    snippet = page.html.select_one(".search-result__snippet")
    assert snippet.select_one("mark").get_text() == "Tallinn"
    assert counts(page) == {"all": "1", "forums.topic": "1"}


def test_the_header_of_every_page_has_the_search_box(testapp):
    page = testapp.get("/")
    box = page.html.select_one(".site-header form.search-box")
    assert box is not None and box["action"].endswith("/search") and box["method"] == "get"


def test_titles_rank_above_bodies_and_newer_above_older(make_user, make_forum, make_topic,
                                                        indexed, testapp, dbsession):
    forum, author = make_forum(), make_user()
    old = make_topic(forum, author, "Housing", "About rent control and more.")
    new = make_topic(forum, author, "Housing", "About rent control and more.")
    titled = make_topic(forum, author, "Rent control now", "A campaign.")
    old.last_post_at = utcnow() - dt.timedelta(days=30)
    indexed(old, new, titled)
    page = testapp.get("/search", params={"q": "rent control"})
    assert found(page) == ["Rent control now", "Housing", "Housing"]
    links = [a["href"] for a in page.html.select(".search-result__title a")]
    assert f"/{new.id}-" in links[1] and f"/{old.id}-" in links[2]


def test_accents_are_ignored_both_ways(make_user, make_forum, make_topic, indexed, testapp):
    forum, author = make_forum(), make_user()
    indexed(make_topic(forum, author, "Élection du bureau", "Vote à main levée."),
            make_topic(forum, author, "Election day", "Polling stations open at eight."))
    assert sorted(found(testapp.get("/search", params={"q": "election"}))) == [
        "Election day", "Élection du bureau"]
    assert sorted(found(testapp.get("/search", params={"q": "ÉLECTION"}))) == [
        "Election day", "Élection du bureau"]
    assert found(testapp.get("/search", params={"q": "levee"})) == ["Élection du bureau"]


def test_words_are_found_in_french_and_in_english_forms(make_user, make_forum, make_topic,
                                                        indexed, testapp):
    forum, author = make_forum(), make_user()
    indexed(make_topic(forum, author, "Les grèves de décembre", "Manifestations à Lyon."),
            make_topic(forum, author, "Organising drives", "We organised the workers."))
    assert found(testapp.get("/search", params={"q": "grève"})) == ["Les grèves de décembre"]
    assert found(testapp.get("/search", params={"q": "manifestation"})) == [
        "Les grèves de décembre"]
    assert found(testapp.get("/search", params={"q": "organise"})) == ["Organising drives"]
    assert found(testapp.get("/search", params={"q": "worker"})) == ["Organising drives"]


def test_phrases_exclusions_and_alternatives(make_user, make_forum, make_topic, indexed,
                                             testapp):
    forum, author = make_forum(), make_user()
    indexed(make_topic(forum, author, "Rent strike", "Tenants unite."),
            make_topic(forum, author, "Strike fund", "Money for rent."),
            make_topic(forum, author, "Picnic", "Bring bread."))
    assert found(testapp.get("/search", params={"q": '"rent strike"'})) == ["Rent strike"]
    assert found(testapp.get("/search", params={"q": "strike -tenants"})) == ["Strike fund"]
    assert sorted(found(testapp.get("/search", params={"q": "picnic or tenants"}))) == [
        "Picnic", "Rent strike"]


def test_members_and_groups_are_found_by_name_and_tabs_filter_by_kind(
        make_user, make_group, make_forum, make_topic, indexed, testapp):
    member = make_user(display_name="Louise Michel")
    group = make_group("Amis de Louise Michel")
    topic = make_topic(make_forum(), member, "Louise Michel's letters", "Read them.")
    indexed(member, group, topic)
    page = testapp.get("/search", params={"q": "louise michel"})
    assert counts(page) == {"all": "3", "profiles.profile": "1", "groups.group": "1",
                            "forums.topic": "1"}
    page = testapp.get("/search", params={"q": "louise michel", "kind": "groups.group"})
    assert found(page) == ["Amis de Louise Michel"]
    assert page.html.select_one('.search-tabs a[aria-current="page"]')["data-kind"] == \
        "groups.group"


def test_similar_names_are_found_on_postgresql(make_user, indexed, testapp, postgresql):
    if not postgresql:
        pytest.skip("trigram similarity is PostgreSQL's")
    indexed(make_user(display_name="Jeanne Dupont"))
    assert found(testapp.get("/search", params={"q": "Dupond"})) == ["Jeanne Dupont"]


def test_results_are_paginated_by_key(make_user, make_forum, make_topic, indexed, testapp,
                                      app):
    """Twenty a page: twenty-five equally relevant results, newest first, over two pages."""
    forum, author = make_forum(), make_user()
    topics = [make_topic(forum, author, f"Assembly {n}", "General assembly minutes.")
              for n in range(25)]
    for n, topic in enumerate(topics):
        topic.last_post_at = utcnow() - dt.timedelta(hours=n)
    indexed(*topics)
    seen = []
    url = "/search?q=assembly"
    for _page in range(3):
        page = testapp.get(url)
        seen += found(page)
        more = page.html.select_one('a[rel="next"]')
        if more is None:
            break
        url = more["href"]
    assert seen == [f"Assembly {n}" for n in range(25)]


def test_pages_hold_two_results_when_asked(search_service, make_user, make_forum, make_topic,
                                           indexed):
    forum, author = make_forum(), make_user()
    topics = [make_topic(forum, author, f"Meeting {n}", "Minutes.") for n in range(5)]
    for n, topic in enumerate(topics):
        topic.last_post_at = utcnow() - dt.timedelta(hours=n)
    indexed(*topics)
    first = search_service.search(None, "meeting", limit=2)
    second = search_service.search(None, "meeting", after=first.next_cursor, limit=2)
    third = search_service.search(None, "meeting", after=second.next_cursor, limit=2)
    titles = [item.row.title for item in first.items + second.items + third.items]
    assert titles == [f"Meeting {n}" for n in range(5)]
    assert third.next_cursor is None
    assert first.counts == {"forums.topic": 5}


def test_reindex_builds_the_index_from_the_rows(make_user, make_forum, make_topic, make_post,
                                                make_group, reindex, testapp, dbsession):
    forum, author = make_forum(), make_user(display_name="Rosa Parks")
    topic = make_topic(forum, author, "Bus boycott", "Montgomery, 1955.")
    make_post(topic, author, "We walked for a year in Montgomery.")
    make_group("Montgomery Improvement Association")
    assert found(testapp.get("/search", params={"q": "montgomery"})) == []
    built = reindex()
    assert built["forums.topic"] == 1 and built["forums.post"] == 1
    assert built["groups.group"] == 1 and built["profiles.profile"] >= 1
    page = testapp.get("/search", params={"q": "montgomery"})
    assert counts(page) == {"all": "3", "forums.topic": "1", "forums.post": "1",
                            "groups.group": "1"}
    topic.title = "The bus boycott"
    assert reindex("forums.topic") == {"forums.topic": 1}
    assert "The bus boycott" in found(testapp.get("/search", params={"q": "montgomery"}))


def test_hostile_queries_and_cursors_are_answered(make_user, make_forum, make_topic, indexed,
                                                  testapp):
    indexed(make_topic(make_forum(), make_user(), "Ordinary", "Words."))
    for query in ['"', 'NEAR(a b)', '* : ^', 'a AND OR NOT', '-', '"unclosed', "x" * 5000,
                  "title:words", "'; DROP TABLE search_entry; --", "(((", "OR OR"]:
        assert testapp.get("/search", params={"q": query}).status_int == 200
    for cursor in ["x", "1_2", "nan_1_1", "1e999_1_1", "1_99999999999999999999_1", "1_1_-4"]:
        assert testapp.get("/search", params={"q": "words", "after": cursor}).status_int == 200
    assert found(testapp.get("/search", params={"q": "words", "kind": "nope"})) == ["Ordinary"]
    assert testapp.get("/search").status_int == 200


def test_snippets_escape_what_members_wrote(make_user, make_forum, make_topic, indexed,
                                            testapp):
    indexed(make_topic(make_forum(), make_user(), "<b>Bold</b> claim",
                       "<script>alert(1)</script> solidarity"))
    page = testapp.get("/search", params={"q": "solidarity"})
    assert "<script>alert" not in page.text
    assert page.html.select_one(".search-result__snippet mark").get_text() == "solidarity"


def test_the_results_page_keeps_to_a_fixed_number_of_queries(make_user, make_forum,
                                                             make_topic, make_group, indexed,
                                                             login, max_queries):
    forum, author = make_forum(), make_user(display_name="Ada Lovelace")
    rows = [make_topic(forum, author, f"Analytical engine {n}", "Notes.") for n in range(25)]
    rows.append(make_group("Analytical engine society"))
    indexed(author, *rows)
    browser = login(make_user())
    with max_queries(16):
        page = browser.get("/search", params={"q": "analytical engine"})
    assert len(found(page)) == 20


def test_the_last_word_may_be_the_beginning_of_one(make_user, make_forum, make_topic,
                                                   indexed, testapp):
    indexed(make_user(display_name="Jeanne Dupont"),
            make_topic(make_forum(), make_user(), "Assemblée générale", "Ordre du jour."))
    assert found(testapp.get("/search", params={"q": "jeanne dupo"})) == ["Jeanne Dupont"]
    assert found(testapp.get("/search", params={"q": "assemb"})) == ["Assemblée générale"]
    assert found(testapp.get("/search", params={"q": '"assemblée gén"'})) == []
