"""A demo bloggers' group: the ``bloggers`` group type if the site has none, a public group of
that type with a few members, and, with ``--feeds URL``, one blog per member whose feed is
``URL/<n>.xml`` (the tests serve them from a feed server of their own; a demo site may point
at any feeds it likes). Entries arrive with the next fetch."""

from __future__ import annotations

from sqlalchemy import func, select

from core.accounts.models import User
from core.db import utcnow
from plugins.blogs.fetch import FetchError, check_url
from plugins.blogs.models import MEMBERS, Blog, Feed

GROUP_NAME = "Blogueuses et blogueurs"


def seed_blogs(context) -> None:
    from plugins.groups.models import Group, GroupType, Membership
    from plugins.groups.services import slugify

    dbsession = context.dbsession
    key = context.request.registry.settings["blogs.group_type"]
    kind = dbsession.scalar(select(GroupType).where(GroupType.key == key))
    if kind is None:
        kind = GroupType(key=key, name="Bloggers", description="Members who blog elsewhere.",
                         position=90)
        dbsession.add(kind)
        dbsession.flush()
    if dbsession.scalar(select(Group).where(Group.type_id == kind.id)) is not None:
        return
    people = list(dbsession.scalars(select(User).where(User.status == "active")
                                    .order_by(User.id).limit(4)))
    if not people:
        return
    now = utcnow()
    group = Group(slug=slugify(GROUP_NAME), name=GROUP_NAME, sort_name=GROUP_NAME.casefold(),
                  description="Les blogs de nos membres, réunis sur une planète.",
                  type_id=kind.id, status="public", created_at=now, last_active_at=now,
                  created_by_id=people[0].id)
    dbsession.add(group)
    dbsession.flush()
    for number, person in enumerate(people):
        dbsession.add(Membership(group_id=group.id, user_id=person.id, state="member",
                                 role="admin" if number == 0 else "member", created_at=now,
                                 updated_at=now))
    dbsession.flush()
    group.member_count = dbsession.scalar(select(func.count()).select_from(Membership).where(
        Membership.group_id == group.id, Membership.state == "member"))
    base = (context.options.get("feeds") or "").rstrip("/")
    if base:
        for number, person in enumerate(people, start=1):
            url = f"{base}/{number}.xml"
            try:
                host = check_url(url)[1]
            except FetchError:
                break
            feed = Feed(url=url, host=host, next_fetch_at=now, failures=0, last_error="")
            dbsession.add(feed)
            dbsession.flush()
            dbsession.add(Blog(user_id=person.id, feed_id=feed.id, visibility=MEMBERS,
                               created_at=now))
    dbsession.flush()
    context.note(f"Added the bloggers' group {GROUP_NAME!r}"
                 + (f" with {len(people)} blogs." if base else "."))


def includeme(config):
    config.add_seeder("blogs", seed_blogs,
                      options={"feeds": ("", ("address under which the demo blogs' feeds "
                                             "(1.xml, 2.xml...) are served"))})
