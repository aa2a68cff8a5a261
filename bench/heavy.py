"""The heavy pages, found in the seeded database and on the site: the largest public group,
the longest topic, a deep page of the member directory, the site's search for a common and
a rare word, the member's private iCalendar feed. Each is left out when its plugin is off or
the seeded data has none (seed more with ``--seed-args``)."""

from __future__ import annotations

import re

from bench.pages import MEMBER, STRANGER, BenchPage

NEXT_LINK = re.compile(r'<a href="([^"]+)"[^>]*rel="next"|rel="next"[^>]*href="([^"]+)"')
PRIVATE_FEED = re.compile(r'(/agenda/feed/[A-Za-z0-9_-]+\.ics)')
COMMON_WORD = "martin"  # a last name the accounts seeder gives to one member in 24
DIRECTORY_DEPTH = 10


def _one(connection, statement: str):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        return connection.execute(text(statement)).first()
    except DBAPIError:  # the plugin's tables are not there
        connection.rollback()
        return None


def from_database(url: str) -> list[BenchPage]:
    from sqlalchemy import create_engine

    from core.db import normalise_url

    pages = []
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            group = _one(connection, "SELECT slug, member_count FROM groups_group WHERE "
                                     "status = 'public' ORDER BY member_count DESC LIMIT 1")
            if group:
                pages.append(BenchPage(f"heavy/group-{group[1]}-members",
                                       f"/groups/{group[0]}", MEMBER))
            topic = _one(connection, "SELECT t.id, t.slug, f.slug, t.reply_count FROM "
                                     "forums_topic t JOIN forums_forum f ON f.id = t.forum_id "
                                     "WHERE f.group_id IS NULL AND t.hidden = false "
                                     "ORDER BY t.reply_count DESC LIMIT 1")
            if topic:
                pages.append(BenchPage(f"heavy/topic-{topic[3]}-replies",
                                       f"/forums/{topic[2]}/{topic[0]}-{topic[1]}", STRANGER))
            rare = _one(connection, "SELECT username FROM users WHERE status = 'active' "
                                    "ORDER BY id DESC LIMIT 1")
            entries = _one(connection, "SELECT count(*) FROM search_entry")
            if rare and entries is not None:
                pages += [BenchPage("heavy/search-common", f"/search?q={COMMON_WORD}", MEMBER),
                          BenchPage("heavy/search-rare", f"/search?q={rare[0]}", MEMBER)]
    finally:
        engine.dispose()
    return pages


def from_site(fetch_page) -> list[BenchPage]:
    """``fetch_page(page)`` returns the body of a page as its login sees it."""
    pages = []
    path = "/members"
    for _step in range(DIRECTORY_DEPTH):
        found = NEXT_LINK.search(fetch_page(BenchPage("heavy/directory", path, MEMBER)) or "")
        if not found:
            break
        path = (found.group(1) or found.group(2)).replace("&amp;", "&")
        path = path[path.index("/members"):] if "/members" in path else path
    else:
        pages.append(BenchPage(f"heavy/directory-page-{DIRECTORY_DEPTH + 1}", path, MEMBER))
    feed = PRIVATE_FEED.search(fetch_page(BenchPage("heavy/feed", "/agenda/feed", MEMBER)) or "")
    if feed:
        pages.append(BenchPage("heavy/private-ical-feed", feed.group(1), STRANGER))
    return pages
