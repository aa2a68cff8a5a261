"""The forums' rules: who sees and does what, lists by key, counters, mail, personal data.

Views, jobs, commands and other plugins reach it with ``request.find_service(IForumService)``.

**Who sees what** is the three content types' conditions (``topic_condition`` and its
siblings, registered in ``plugins.forums.content``), built on one block, ``visible(column,
viewer)``: site content, or content of a group whose content ``viewer`` may see by the groups
plugin's rule, so that a group forum follows its group's status exactly. Hidden topics and
posts are seen by those who moderate their forum. Every page, list, count, search and mail
recipient query of this module filters with them (through ``core.content``).

**Who does what**: every method that changes something takes the acting member first
(``actor``, a User or None) and checks the rules itself, whoever calls it (a view, a job, a
command), raising ``ForumError`` or ``core.errors.NotFound``, ``Forbidden``,
``RateLimited``; then it publishes the events of ``plugins.forums.events``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from pyramid.authorization import ALL_PERMISSIONS, Allow, Deny, Everyone
from sqlalchemy import (
    Integer,
    and_,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.orm import aliased
from zope.interface import implementer

from core.accounts.models import User, may_receive_mail
from core.content import visible_condition
from core.db import lock, try_write_at_commit, utcnow
from core.errors import Forbidden, NotFound, RateLimited
from core.events import publish
from core.extensions import plugin_enabled
from core.mail import recipient_locale
from core.mentions import publish_mentions
from core.pagination import decode_cursor, encode_cursor
from core.security import actor_may, principals_of, site_acl
from plugins.forums import _
from plugins.forums import events as ev
from plugins.forums.interfaces import ForumError, IForumService
from plugins.forums.models import Category, Forum, Post, ReadMark, Report, Subscription, Topic
from plugins.forums.writing import (
    SLUG_LENGTH,
    forum_of_group,
    slugify,
    write_reply,
    write_topic,
)
from plugins.groups.interfaces import group_service

MODERATE = "forums.moderate"
POST = "forums.post"
MANAGE = "forums.manage"
FORUM, TOPIC, POST_KIND = "forums.forum", "forums.topic", "forums.post"
GROUP_MODERATOR = re.compile(r"^group:(\d+):moderator$")
URL = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
TITLE_LENGTH = 200
BODY_LENGTH = 20000
TOPIC_ACTIONS = ("close", "open", "stick", "unstick", "super", "unsuper", "hide", "unhide",
                 "move")
# Moderators' switches on a topic: (column, value, event published when it changes).
TOPIC_FLAGS = {
    "close": ("closed", True, ev.TopicClosed), "open": ("closed", False, ev.TopicReopened),
    "stick": ("sticky", True, None), "unstick": ("sticky", False, None),
    "hide": ("hidden", True, ev.TopicHidden), "unhide": ("hidden", False, ev.TopicShown),
}


def decode_id(cursor: str | None) -> int | None:
    return int(cursor) if cursor and re.fullmatch(r"\d{1,12}", cursor) else None


def active(user):
    """Suspended and deleted members act and see as strangers."""
    return user if user is not None and user.can_log_in else None


class ForumContext:
    """The ACL of one forum: site roles for a site forum; for a group's forum, its members post
    and its moderators moderate (site admins do everything)."""

    def __init__(self, request, forum: Forum):
        self.request = request
        self.forum = forum

    @property
    def __acl__(self):
        acl = site_acl(self.request)
        group_id = self.forum.group_id
        if group_id is None:
            return acl
        return [
            (Allow, "role:admin", ALL_PERMISSIONS),
            (Allow, f"group:{group_id}:moderator", MODERATE),
            (Allow, f"group:{group_id}:member", POST),
            (Deny, Everyone, MODERATE),
            (Deny, Everyone, POST),
            *acl,
        ]


@dataclass
class TopicRow:
    topic: Topic
    forum: Forum
    author: User
    last_poster: User | None
    unread: bool = False


@dataclass
class Page:
    items: list
    next_cursor: str | None


@implementer(IForumService)
class ForumService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings
        self._principals: dict[int, list[str]] = {}

    # -- the visibility rule ------------------------------------------------------------------
    # ``viewer`` is a User, None (a stranger), or ``User`` itself: every user of the query the
    # condition goes into, which is how mail recipients are chosen with the pages' rule.

    def visible(self, group_column, viewer):
        """The condition on a ``group_id`` column: site content (for strangers, only on a
        public site), or content of a group whose content ``viewer`` may see (none when the
        groups plugin is off)."""
        site = group_column.is_(None)
        if viewer is None and self.request.site_settings.visibility != "public":
            site = false()
        groups = group_service(self.request)
        if groups is None:
            return site
        return or_(site, group_column.in_(groups.content_visible_ids(viewer)))

    def moderates(self, group_column, viewer):
        """The condition on a ``group_id`` column: ``viewer`` moderates that forum (site
        moderators the site's forums, a group's moderators its forum, admins every forum).
        False for ``User`` itself: no mail is ever sent about hidden content."""
        if viewer is User:
            return false()
        viewer = active(viewer)
        if viewer is None:
            return false()
        if viewer.is_admin:
            return true()
        conditions = [false()]
        if actor_may(self.request, viewer, MODERATE):
            conditions.append(group_column.is_(None))
        groups = self.moderated_group_ids(viewer)
        if groups:
            conditions.append(group_column.in_(groups))
        return or_(*conditions)

    def forum_condition(self, viewer):
        """``forums.forum``: site forums, and the forums of groups whose content
        ``viewer`` may see."""
        return self.visible(Forum.group_id, viewer)

    def topic_condition(self, viewer):
        """``forums.topic``: in a forum ``viewer`` may see, and not hidden unless they
        moderate it."""
        return and_(self.visible(Topic.group_id, viewer),
                    or_(Topic.hidden.is_(False), self.moderates(Topic.group_id, viewer)))

    def post_condition(self, viewer):
        """``forums.post``: in a forum ``viewer`` may see, and neither the post nor its topic
        hidden, unless they moderate the forum."""
        shown = aliased(Topic)
        return and_(self.visible(Post.group_id, viewer), or_(
            self.moderates(Post.group_id, viewer),
            and_(Post.hidden.is_(False),
                 exists().where(shown.id == Post.topic_id, shown.hidden.is_(False)))))

    def may_see_forum(self, forum: Forum, viewer) -> bool:
        """For a forum row or a group's forum not yet made (``id`` None): the same rule."""
        viewer = active(viewer)
        column = literal(forum.group_id, Integer) if forum.group_id is not None else \
            literal(None, Integer)
        return bool(self.db.scalar(select(true()).where(self.visible(column, viewer))))

    # -- what an actor may do -----------------------------------------------------------------

    def context(self, forum: Forum) -> ForumContext:
        return ForumContext(self.request, forum)

    def principals(self, actor) -> list[str]:
        if actor is None:
            return [Everyone]
        if actor is self.request.user:
            return self.request.effective_principals
        if actor.id not in self._principals:
            self._principals[actor.id] = principals_of(self.request, actor)
        return self._principals[actor.id]

    def may_moderate(self, forum: Forum, actor) -> bool:
        actor = active(actor)
        return actor is not None and actor_may(self.request, actor, MODERATE,
                                             self.context(forum))

    def may_post(self, forum: Forum, actor) -> bool:
        actor = active(actor)
        if actor is None or not actor_may(self.request, actor, POST, self.context(forum)):
            return False
        return not forum.closed or self.may_moderate(forum, actor)

    def may_reply(self, topic: Topic, actor) -> bool:
        if not self.may_post(topic.forum, actor):
            return False
        return not (topic.closed or topic.hidden) or self.may_moderate(topic.forum, actor)

    def may_edit(self, post: Post, actor) -> bool:
        actor = active(actor)
        if actor is None:
            return False
        if self.may_moderate(post.topic.forum, actor):
            return True
        if post.author_id != actor.id or post.hidden:
            return False
        minutes = self.settings["forums.edit_minutes"]
        return minutes > 0 and utcnow() - post.created_at <= dt.timedelta(minutes=minutes)

    def may_delete(self, post: Post, actor) -> bool:
        actor = active(actor)
        return actor is not None and (post.author_id == actor.id
                                      or self.may_moderate(post.topic.forum, actor))

    def site_moderator(self, actor) -> bool:
        """Whether ``actor`` moderates the site's forums (and may pin topics everywhere)."""
        actor = active(actor)
        return actor is not None and actor_may(self.request, actor, MODERATE)

    def moderated_group_ids(self, actor) -> list[int]:
        ids = []
        for principal in self.principals(active(actor)):
            match = GROUP_MODERATOR.match(principal)
            if match:
                ids.append(int(match.group(1)))
        return ids

    def _refuse_unless(self, allowed: bool, message=None) -> None:
        if not allowed:
            raise Forbidden(message or _("Only the forum's moderators may do this."))

    # -- forums -------------------------------------------------------------------------------

    def categories(self, viewer) -> list[tuple[Category, list[tuple[Forum, User | None]]]]:
        """Categories with the site forums ``viewer`` may see and their last posters, in two
        queries."""
        categories = list(self.db.scalars(select(Category).order_by(Category.position,
                                                                    Category.id)))
        poster = aliased(User)
        rows = self.db.execute(
            select(Forum, poster).outerjoin(poster, poster.id == Forum.last_poster_id)
            .where(Forum.group_id.is_(None), visible_condition(self.request, FORUM, viewer))
            .order_by(Forum.position, Forum.id)).all()
        by_category: dict = {}
        for forum, user in rows:
            by_category.setdefault(forum.category_id, []).append((forum, user))
        result = [(category, by_category.get(category.id, [])) for category in categories]
        if by_category.get(None):
            result.append((None, by_category[None]))
        return result

    def forum_by_slug(self, slug: str, viewer) -> Forum | None:
        """The forum of that address if ``viewer`` may see it; for a group whose forum has no
        row yet (``group-<id>``), an unsaved one that its first topic will make."""
        slug = (slug or "")[:SLUG_LENGTH]
        forum = self.db.scalar(select(Forum).where(
            Forum.slug == slug, visible_condition(self.request, FORUM, viewer)))
        if forum is not None:
            return forum
        match = re.fullmatch(r"group-(\d{1,9})", slug)
        if match is None or group_service(self.request) is None:
            return None
        unsaved = Forum(slug=slug, title="", description="", group_id=int(match.group(1)),
                        closed=False, topic_count=0, post_count=0)
        if self.db.scalar(select(Forum.id).where(Forum.slug == slug)) is not None:
            return None  # the row exists, and the viewer may not see it
        return unsaved if self.may_see_forum(unsaved, viewer) else None

    def forum_of_group(self, group_id: int, create: bool = False) -> Forum | None:
        return forum_of_group(self.db, group_id, create)

    def site_forums(self) -> list[Forum]:
        return list(self.db.scalars(select(Forum).where(Forum.group_id.is_(None))
                                    .order_by(Forum.position, Forum.id)))

    def forum_url(self, forum: Forum, group=None) -> str:
        """A site forum's page, or a group forum's tab on its group."""
        if forum.group_id is None:
            return self.request.route_url("forums_forum", forum=forum.slug)
        groups = group_service(self.request)
        group = group or (groups.get(forum.group_id) if groups is not None else None)
        return self.request.route_url("groups_tab", slug=group.slug, tab="forum")

    # -- topics -------------------------------------------------------------------------------

    def _topic_rows(self, query) -> list[TopicRow]:
        author, poster = aliased(User), aliased(User)
        rows = self.db.execute(
            query.add_columns(Forum, author, poster).join(Forum, Forum.id == Topic.forum_id)
            .join(author, author.id == Topic.author_id)
            .outerjoin(poster, poster.id == Topic.last_poster_id)).all()
        return [TopicRow(*row) for row in rows]

    def topics(self, forum: Forum, viewer, after: str | None = None,
               limit: int = 30) -> tuple[list[TopicRow], Page]:
        """(stickies, page): the topics stuck on the first page (super-stickies of the whole
        site first), then the forum's topics by last activity, paginated by key."""
        if forum.id is None:  # a group's forum before its first topic
            return [], Page([], None)
        shown = visible_condition(self.request, TOPIC, viewer)
        cursor = decode_cursor(after, "date")
        stickies: list[TopicRow] = []
        if cursor is None:
            stickies = self._topic_rows(
                select(Topic).where(Topic.super_sticky.is_(True), Topic.forum_id != forum.id,
                                    shown)
                .order_by(Topic.last_post_at.desc(), Topic.id.desc()).limit(10))
            stickies += self._topic_rows(
                select(Topic).where(Topic.forum_id == forum.id, Topic.sticky.is_(True), shown)
                .order_by(Topic.super_sticky.desc(), Topic.last_post_at.desc(),
                          Topic.id.desc()).limit(50))
        query = select(Topic).where(Topic.forum_id == forum.id, Topic.sticky.is_(False), shown)
        if cursor is not None:
            query = query.where(tuple_(Topic.last_post_at, Topic.id) < cursor)
        rows = self._topic_rows(query.order_by(Topic.last_post_at.desc(), Topic.id.desc())
                                .limit(limit + 1))
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1].topic
            next_cursor = encode_cursor(last.last_post_at, last.id)
        self.mark_unread(viewer, stickies + rows)
        return stickies, Page(rows, next_cursor)

    def mark_unread(self, viewer, rows: list[TopicRow]) -> None:
        """Set ``unread`` on rows whose topic has posts the member has not been shown."""
        if viewer is None or not rows:
            return
        marks = dict(self.db.execute(
            select(ReadMark.topic_id, ReadMark.last_post_id).where(
                ReadMark.user_id == viewer.id,
                ReadMark.topic_id.in_([row.topic.id for row in rows]))).all())
        for row in rows:
            topic = row.topic
            mark = marks.get(topic.id)
            if mark is None:
                row.unread = topic.last_post_at > viewer.created_at
            else:
                row.unread = (topic.last_post_id or 0) > mark

    def topic(self, topic_id: int, viewer) -> Topic | None:
        """The topic with its forum if ``viewer`` may see it, else None."""
        row = self.db.execute(select(Topic, Forum).join(Forum, Forum.id == Topic.forum_id)
                              .where(Topic.id == topic_id,
                                     visible_condition(self.request, TOPIC, viewer))).first()
        return row[0] if row is not None else None

    def posts(self, topic: Topic, viewer, after: str | None = None, limit: int = 25) -> Page:
        """A page of the topic's posts that ``viewer`` may see, in order, with their authors
        (one query)."""
        query = select(Post, User).join(User, User.id == Post.author_id).where(
            Post.topic_id == topic.id, visible_condition(self.request, POST_KIND, viewer))
        start = decode_id(after)
        if start is not None:
            query = query.where(Post.id > start)
        rows = self.db.execute(query.order_by(Post.id).limit(limit + 1)).all()
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = str(rows[-1][0].id)
        return Page([tuple(row) for row in rows], next_cursor)

    def cursor_ending_at(self, topic: Topic, post_id: int, viewer, limit: int) -> str | None:
        """The cursor of the page whose last post is ``post_id`` (the latest page)."""
        query = select(Post.id).where(Post.topic_id == topic.id, Post.id <= post_id,
                                      visible_condition(self.request, POST_KIND, viewer))
        before = self.db.scalar(query.order_by(Post.id.desc()).offset(limit).limit(1))
        return str(before) if before is not None else None

    def post(self, post_id: int, viewer) -> Post | None:
        """The post with its topic and forum loaded, if ``viewer`` may see it."""
        row = self.db.execute(
            select(Post, Topic, Forum).join(Topic, Topic.id == Post.topic_id)
            .join(Forum, Forum.id == Topic.forum_id)
            .where(Post.id == post_id, visible_condition(self.request, POST_KIND, viewer))
        ).first()
        return row[0] if row is not None else None

    # -- unread marks -------------------------------------------------------------------------

    def mark_read(self, user, topic: Topic, last_post_id: int | None) -> None:
        """Remember the last post shown, when it moves forward. Written as the request
        commits, and only if the database can take it then: a page is never refused for its
        read mark, and holds no write lock while it renders."""
        if user is None or not last_post_id:
            return
        mark = self.db.get(ReadMark, (user.id, topic.id))
        if mark is not None and mark.last_post_id >= last_post_id:
            return
        user_id, topic_id = user.id, topic.id

        def write():
            if mark is None:  # the same member opening the topic twice at once: one insert
                self.db.add(ReadMark(user_id=user_id, topic_id=topic_id,
                                     last_post_id=last_post_id))
                self.db.flush()
            else:  # forward only, even from two pages at once
                self.db.execute(update(ReadMark).where(
                    ReadMark.user_id == user_id, ReadMark.topic_id == topic_id,
                    ReadMark.last_post_id < last_post_id).values(last_post_id=last_post_id)
                    .execution_options(synchronize_session=False))
                self.db.expire(mark, ["last_post_id"])

        try_write_at_commit(self.request, write, f"read mark of member {user_id}")

    # -- writing ------------------------------------------------------------------------------

    def _check_text(self, body: str, title: str | None = None, titled: bool = False) -> None:
        if titled and not (title or "").strip():
            raise ForumError(_("Give the topic a title."), field="title")
        if title is not None and len(title.strip()) > TITLE_LENGTH:
            raise ForumError(_("Keep the title under ${most} characters.",
                               mapping={"most": TITLE_LENGTH}), field="title")
        if not (body or "").strip():
            raise ForumError(_("Write something first."), field="body")
        if len(body) > BODY_LENGTH:
            raise ForumError(_("Keep the text under ${most} characters.",
                               mapping={"most": BODY_LENGTH}), field="body")

    def check_posting(self, actor, body: str) -> None:
        """Flood control and the link limit for new members."""
        settings = self.settings
        if not self.site_moderator(actor):
            days = settings["forums.new_member_days"]
            most = settings["forums.new_member_links"]
            if days > 0 and utcnow() - actor.created_at < dt.timedelta(days=days):
                found = len(URL.findall(body or ""))
                if found > most:
                    raise ForumError(_(
                        "During their first ${days} days, members may put at most ${most} "
                        "links in a post; this one has ${found}. Remove some and post again.",
                        mapping={"days": days, "most": most, "found": found}), field="body")
        verdict = self.request.ratelimiter.hit(settings["forums.post_rate"], "forums-post",
                                               str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("You are posting too fast. Wait ${seconds} seconds, then send "
                                "your text again.", mapping={"seconds": verdict.retry_after}))

    def _may_write_in(self, forum: Forum, actor) -> None:
        if active(actor) is None or not self.may_see_forum(forum, actor):
            raise NotFound(_("This forum does not exist, or you may not see it."))
        if not actor_may(self.request, actor, POST, self.context(forum)):
            raise Forbidden(_("You may not write in this forum."))
        if forum.closed and not self.may_moderate(forum, actor):
            raise Forbidden(_("This forum is closed: only moderators may post."))

    def create_topic(self, actor, forum: Forum, title: str, body: str,
                     subscribe: bool | None = None) -> Topic:
        """A new topic with its opening post, by ``actor``; a group's forum is made with its
        first topic."""
        self._may_write_in(forum, actor)
        self._check_text(body, title, titled=True)
        self.check_posting(actor, body)
        if forum.id is None:
            forum = self.forum_of_group(forum.group_id, create=True)
        topic = write_topic(self.db, forum, actor.id, title, body)
        if self._subscribing(subscribe):
            self.subscribe(actor, topic=topic)
        keys = {"actor_id": actor.id, "forum_id": forum.id, "group_id": forum.group_id,
                "topic_id": topic.id, "post_id": topic.first_post_id}
        publish(self.request, ev.TopicCreated(**keys))
        publish(self.request, ev.PostCreated(**keys, is_first=True))
        publish_mentions(self.request, actor, POST_KIND, topic.first_post_id, body)
        return topic

    def reply(self, actor, topic: Topic, body: str, subscribe: bool | None = None) -> Post:
        if active(actor) is None or self.topic(topic.id, actor) is None:
            raise NotFound(_("This topic does not exist, or you may not see it."))
        forum = topic.forum
        self._may_write_in(forum, actor)
        if not self.may_reply(topic, actor):
            raise Forbidden(_("This topic is closed: no new replies."))
        self._check_text(body)
        self.check_posting(actor, body)
        post = write_reply(self.db, topic, actor.id, body)
        if self._subscribing(subscribe):
            self.subscribe(actor, topic=topic)
        self.mark_read(actor, topic, post.id)
        publish(self.request, ev.PostCreated(**self._keys(post, topic, actor)))
        publish_mentions(self.request, actor, POST_KIND, post.id, body)
        return post

    def _subscribing(self, subscribe: bool | None) -> bool:
        return self.settings["forums.subscribe_authors"] if subscribe is None else subscribe

    @staticmethod
    def _keys(post: Post | None, topic: Topic, actor) -> dict:
        keys = {"actor_id": actor.id if actor is not None else None, "forum_id": topic.forum_id,
                "group_id": topic.group_id, "topic_id": topic.id}
        if post is not None:
            keys["post_id"] = post.id
        return keys

    def edit(self, actor, post: Post, body: str, title: str | None = None) -> None:
        """Change a post's text (and, for an opening post, its topic's title)."""
        if not self.may_edit(post, actor):
            raise Forbidden(_("Posts can be edited only by their authors, within ${minutes} "
                              "minutes of posting.",
                              mapping={"minutes": self.settings["forums.edit_minutes"]}))
        self._check_text(body, title if post.is_first else None)
        topic = post.topic
        post.body = body
        post.edited_at = utcnow()
        if title and title.strip() and post.is_first:
            topic.title = title.strip()
            topic.slug = slugify(title)
        self.db.flush()
        publish(self.request, ev.PostEdited(**self._keys(post, topic, actor)))
        if post.is_first:
            publish(self.request, ev.TopicEdited(**self._keys(None, topic, actor)))

    def delete(self, actor, post: Post) -> Forum:
        """Delete a reply, or a topic without replies from others (by its opening post)."""
        if not self.may_delete(post, actor):
            raise Forbidden(_("Only the author or a moderator may delete this post."))
        topic = post.topic
        forum = topic.forum
        keys = self._keys(post, topic, actor)
        if post.is_first:
            others = self.db.scalar(select(func.count()).select_from(Post).where(
                Post.topic_id == topic.id, Post.author_id != post.author_id))
            if others and not self.may_moderate(forum, actor):
                raise ForumError(_("Others have answered this topic, so it stays; you may "
                                   "edit your text or ask a moderator."))
            self.db.execute(delete(Report).where(Report.post_id.in_(
                select(Post.id).where(Post.topic_id == topic.id))))
            self.db.execute(delete(Post).where(Post.topic_id == topic.id))
            self.db.execute(delete(ReadMark).where(ReadMark.topic_id == topic.id))
            self.db.execute(delete(Subscription).where(Subscription.topic_id == topic.id))
            self.db.delete(topic)
            self.db.flush()
            keys.pop("post_id")
            publish(self.request, ev.TopicDeleted(**keys))
        else:
            self.db.delete(post)
            self.db.flush()
            self.refresh_topic(topic)
            publish(self.request, ev.PostDeleted(**keys))
        self.refresh_forum(forum)
        return forum

    # -- counters -----------------------------------------------------------------------------

    def refresh_topic(self, topic: Topic) -> None:
        """Recount one topic's visible replies and find its last visible post."""
        lock(self.db, topic)
        visible = and_(Post.topic_id == topic.id, Post.hidden.is_(False))
        topic.reply_count = self.db.scalar(select(func.count()).select_from(Post).where(
            visible, Post.is_first.is_(False))) or 0
        last = self.db.execute(select(Post.id, Post.author_id, Post.created_at).where(visible)
                               .order_by(Post.id.desc()).limit(1)).first()
        if last is not None:
            topic.last_post_id, topic.last_poster_id, topic.last_post_at = last
        self.db.flush()

    def refresh_forum(self, forum: Forum) -> None:
        """Recount a forum's visible topics and posts from the topic rows (no count of posts)."""
        lock(self.db, forum)
        visible = and_(Topic.forum_id == forum.id, Topic.hidden.is_(False))
        count, replies = self.db.execute(
            select(func.count(), func.coalesce(func.sum(Topic.reply_count), 0))
            .where(visible)).one()
        forum.topic_count, forum.post_count = count, count + replies
        last = self.db.execute(select(Topic.id, Topic.last_post_id, Topic.last_poster_id,
                                      Topic.last_post_at).where(visible)
                               .order_by(Topic.last_post_at.desc(), Topic.id.desc())
                               .limit(1)).first()
        if last is None:
            forum.last_post_id = forum.last_topic_id = forum.last_poster_id = None
            forum.last_post_at = None
        else:
            forum.last_topic_id, forum.last_post_id, forum.last_poster_id, \
                forum.last_post_at = last
        self.db.flush()

    # -- moderation ---------------------------------------------------------------------------

    def move_targets(self, topic: Topic) -> list[Forum]:
        """The forums a topic may move to: the site's other forums (a group's topics stay)."""
        if topic.group_id is not None:
            return []
        return [forum for forum in self.site_forums() if forum.id != topic.forum_id]

    def moderate_topic(self, actor, topic: Topic, action: str,
                       target: Forum | None = None) -> None:
        """Close, open, pin, pin everywhere, hide, show or move a topic, as a moderator."""
        if action not in TOPIC_ACTIONS:
            raise NotFound(_("This action is unknown."))
        forum = topic.forum
        self._refuse_unless(self.may_moderate(forum, actor))
        if action in ("super", "unsuper"):
            self._refuse_unless(self.site_moderator(actor) and topic.group_id is None,
                                _("Only the site's moderators pin topics on every forum."))
        keys = self._keys(None, topic, actor)
        if action in TOPIC_FLAGS:
            name, value, event = TOPIC_FLAGS[action]
            changed = getattr(topic, name) != value
            setattr(topic, name, value)
            if action == "unstick":
                topic.super_sticky = False
            self.db.flush()
            if name == "hidden" and changed:
                self.refresh_forum(forum)
            if event is not None and changed:
                publish(self.request, event(**keys))
        elif action in ("super", "unsuper"):
            topic.super_sticky = topic.sticky = action == "super"
            self.db.flush()
        else:
            if target is None or target.id not in {f.id for f in self.move_targets(topic)}:
                raise ForumError(_("Choose one of the site's forums."), field="forum")
            topic.forum_id, topic.group_id = target.id, target.group_id
            topic.super_sticky = False
            self.db.execute(update(Post).where(Post.topic_id == topic.id)
                            .values(forum_id=target.id, group_id=target.group_id))
            self.db.execute(update(Report).where(Report.post_id.in_(
                select(Post.id).where(Post.topic_id == topic.id))).values(
                group_id=target.group_id))
            self.db.flush()
            self.db.expire(topic, ["forum"])
            for changed in sorted((forum, target), key=lambda row: row.id):  # always one order
                self.refresh_forum(changed)
            publish(self.request, ev.TopicMoved(**{**keys, "forum_id": target.id,
                                                   "group_id": target.group_id},
                                                from_forum_id=forum.id))

    def set_hidden(self, actor, post: Post, hidden: bool) -> None:
        """Hide a post from all but moderators, or show it again; hiding the opening post
        hides its topic."""
        if post.is_first:
            self.moderate_topic(actor, post.topic, "hide" if hidden else "unhide")
            return
        self._refuse_unless(self.may_moderate(post.topic.forum, actor))
        if post.hidden == hidden:
            return
        post.hidden = hidden
        self.db.flush()
        self.refresh_topic(post.topic)
        self.refresh_forum(post.topic.forum)
        event = ev.PostHidden if hidden else ev.PostShown
        publish(self.request, event(**self._keys(post, post.topic, actor)))

    # -- reports ------------------------------------------------------------------------------

    def report(self, actor, post: Post, reason: str) -> Report:
        """Flag a post for the moderators of its forum."""
        if active(actor) is None or self.post(post.id, actor) is None:
            raise NotFound(_("This post does not exist, or you may not see it."))
        reason = (reason or "").strip()
        if not reason:
            raise ForumError(_("Say in a few words why moderators should look at it."),
                             field="reason")
        existing = self.db.scalar(select(Report).where(
            Report.post_id == post.id, Report.reporter_id == actor.id,
            Report.resolved_at.is_(None)))
        if existing is not None:
            existing.reason = reason
            return existing
        report = Report(post_id=post.id, group_id=post.group_id, reporter_id=actor.id,
                        reason=reason, created_at=utcnow())
        self.db.add(report)
        self.db.flush()
        return report

    def _queue_condition(self, viewer):
        """Reports on posts ``viewer`` may see, in forums they moderate."""
        return and_(self.moderates(Report.group_id, viewer),
                    visible_condition(self.request, POST_KIND, viewer))

    def may_see_queue(self, viewer) -> bool:
        return active(viewer) is not None and (self.site_moderator(viewer)
                                               or bool(self.moderated_group_ids(viewer)))

    def queue(self, viewer, after: str | None = None, limit: int = 30) -> Page:
        """Open reports on posts that ``viewer`` moderates, oldest first."""
        reporter, author = aliased(User), aliased(User)
        query = (select(Report, Post, Topic, reporter, author)
                 .join(Post, Post.id == Report.post_id).join(Topic, Topic.id == Post.topic_id)
                 .join(reporter, reporter.id == Report.reporter_id)
                 .join(author, author.id == Post.author_id)
                 .where(Report.resolved_at.is_(None), self._queue_condition(viewer)))
        start = decode_id(after)
        if start is not None:
            query = query.where(Report.id > start)
        rows = [tuple(row) for row in self.db.execute(query.order_by(Report.id).limit(limit + 1))]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = str(rows[-1][0].id)
        return Page(rows, next_cursor)

    def open_report_count(self, viewer) -> int:
        return self.db.scalar(select(func.count()).select_from(Report)
                              .join(Post, Post.id == Report.post_id)
                              .where(Report.resolved_at.is_(None),
                                     self._queue_condition(viewer))) or 0

    def resolve(self, actor, report_id: int, outcome: str) -> None:
        """Close the open reports of a post, hiding it (``hide``) or not (``dismiss``)."""
        report = self.db.get(Report, report_id)
        post = report and self.post(report.post_id, actor)
        if post is None or outcome not in ("hide", "dismiss") or \
                not self.may_moderate(post.topic.forum, actor):
            raise NotFound(_("This report does not exist, or it is not yours to handle."))
        if outcome == "hide":
            self.set_hidden(actor, post, True)
        self.db.execute(update(Report).where(Report.post_id == report.post_id,
                                             Report.resolved_at.is_(None))
                        .values(resolved_at=utcnow(), resolved_by_id=actor.id,
                                outcome="hidden" if outcome == "hide" else "dismissed"))
        self.db.flush()

    # -- subscriptions ------------------------------------------------------------------------

    def subscription(self, user, topic: Topic | None = None,
                     forum: Forum | None = None) -> Subscription | None:
        if user is None or (forum is not None and forum.id is None):
            return None
        where = (Subscription.topic_id == topic.id) if topic is not None else (
            Subscription.forum_id == forum.id)
        return self.db.scalar(select(Subscription).where(Subscription.user_id == user.id, where))

    def subscribe(self, actor, topic: Topic | None = None, forum: Forum | None = None) -> None:
        """Follow a topic or a forum (a group's forum is made when it has no row yet)."""
        seen = self.topic(topic.id, actor) if topic is not None else (
            forum if self.may_see_forum(forum, actor) else None)
        if active(actor) is None or seen is None:
            raise NotFound(_("This forum does not exist, or you may not see it."))
        if forum is not None and forum.id is None:
            forum = self.forum_of_group(forum.group_id, create=True)
        if self.subscription(actor, topic, forum) is None:
            self.db.add(Subscription(user_id=actor.id, topic_id=topic.id if topic else None,
                                     forum_id=forum.id if forum else None, created_at=utcnow()))
            self.db.flush()

    def unsubscribe(self, actor, topic: Topic | None = None, forum: Forum | None = None) -> None:
        found = self.subscription(actor, topic, forum)
        if found is not None:
            self.db.delete(found)
            self.db.flush()

    def _sign(self, subscription_id: int, user_id: int) -> str:
        secret = self.settings["cortege.session_secret"].encode()
        return hmac.new(secret, f"forums-unsubscribe:{subscription_id}:{user_id}".encode(),
                        hashlib.sha256).hexdigest()[:32]

    def unsubscribe_token(self, subscription: Subscription) -> str:
        return f"{subscription.id}-{self._sign(subscription.id, subscription.user_id)}"

    def unsubscribe_by_token(self, token: str) -> bool:
        """The link of every mail: the subscription it names is gone; False if none was."""
        match = re.fullmatch(r"(\d{1,12})-([0-9a-f]{32})", token or "")
        if not match:
            return False
        subscription = self.db.get(Subscription, int(match.group(1)))
        if subscription is None or not hmac.compare_digest(
                self._sign(subscription.id, subscription.user_id), match.group(2)):
            return False
        self.db.delete(subscription)
        self.db.flush()
        return True

    # -- mail to subscribers (see plugins.forums.notify) --------------------------------------

    def subscribers(self, post: Post):
        """SELECT of (Subscription, User): who follows the post's topic or its forum, from an
        active account, and may see the post now, by ``forums.post``'s condition (with
        ``User`` itself as the viewer). Asked when the mail is written: a member who left a
        private group, or whose group turned private, gets none."""
        seen = select(Post.id).where(Post.id == post.id,
                                     visible_condition(self.request, POST_KIND, User))
        return (select(Subscription, User).join(User, User.id == Subscription.user_id)
                .where(or_(Subscription.topic_id == post.topic_id,
                           Subscription.forum_id == post.forum_id),
                       may_receive_mail(), exists(seen)))

    def recipient_ids(self, post: Post) -> list[int]:
        """Who would be mailed about ``post`` (its author excepted), by id."""
        query = self.subscribers(post).where(User.id != post.author_id)
        return list(self.db.scalars(query.with_only_columns(User.id).distinct()
                                    .order_by(User.id)))

    def mail_subscribers(self, post_id: int, first_user_id: int = 0,
                         last_user_id: int | None = None) -> int:
        """Mail the post to its subscribers whose ids are in ``[first, last]``, each once, in
        their language, about the post (checked again when the mail leaves). Returns how
        many were written to."""
        post = self.db.get(Post, post_id)
        if post is None:
            return 0
        query = self.subscribers(post).where(User.id != post.author_id,
                                             User.id >= first_user_id)
        if last_user_id is not None:
            query = query.where(User.id <= last_user_id)
        rows = self.db.execute(query.order_by(User.id, Subscription.topic_id.is_(None),
                                              Subscription.id)).all()
        if not rows:
            return 0
        topic = post.topic
        author = self.db.get(User, post.author_id)
        request = self.request
        url = request.route_url("forums_post", id=post.id)
        sent = set()
        for subscription, user in rows:
            if user.id in sent:
                continue
            sent.add(user.id)
            locale = recipient_locale(self.settings, user)
            request.send_mail(
                user.email,
                _("New post in ${title}", mapping={"title": topic.title}),
                "forums/mail/new_post.txt.jinja2",
                {"user": user, "author": author, "topic": topic, "post": post, "url": url,
                 "by_forum": subscription.forum_id is not None,
                 "unsubscribe_url": request.route_url(
                     "forums_unsubscribe", token=self.unsubscribe_token(subscription))},
                locale=locale, user_id=user.id, about=(POST_KIND, post.id))
        return len(sent)

    # -- urls ---------------------------------------------------------------------------------

    def topic_url(self, topic: Topic, forum: Forum | None = None, **kw) -> str:
        forum = forum or topic.forum
        return self.request.route_url("forums_topic", forum=forum.slug, id=topic.id,
                                      slug=topic.slug, **kw)

    # -- search and member lists --------------------------------------------------------------

    def _post_rows(self, viewer, condition, after: str | None, limit: int) -> Page:
        """Posts (newest first) that ``viewer`` may see, with their topics, forums, authors."""
        query = (select(Post, Topic, Forum, User)
                 .join(Topic, Topic.id == Post.topic_id).join(Forum, Forum.id == Topic.forum_id)
                 .join(User, User.id == Post.author_id)
                 .where(condition, visible_condition(self.request, POST_KIND, viewer)))
        start = decode_id(after)
        if start is not None:
            query = query.where(Post.id < start)
        rows = [tuple(row) for row in self.db.execute(query.order_by(Post.id.desc())
                                                      .limit(limit + 1))]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = str(rows[-1][0].id)
        return Page(rows, next_cursor)

    def search(self, viewer, text: str, after: str | None = None, limit: int = 20) -> Page:
        """Posts whose words (or whose topic's title, for opening posts) match ``text``: from
        the site's search index when the search plugin is on (by relevance), else by
        scanning the posts (newest first)."""
        if plugin_enabled(self.request.registry, "search"):
            return self._search_index(viewer, text, after, limit)
        words = [word for word in (text or "").split() if word][:5]
        if not words:
            return Page([], None)
        conditions = [or_(func.lower(Post.body).contains(word.lower(), autoescape=True),
                          and_(Post.is_first.is_(True),
                               func.lower(Topic.title).contains(word.lower(), autoescape=True)))
                      for word in words]
        return self._post_rows(viewer, and_(*conditions), after, limit)

    def _search_index(self, viewer, text, after, limit) -> Page:
        """Topics (shown by their opening posts) and replies from the search index, which
        applies the content types' conditions for ``viewer`` in its own query."""
        from plugins.search.interfaces import ISearchService

        found = self.request.find_service(ISearchService).find(
            viewer, text, kinds=(TOPIC, POST_KIND), after=after, limit=limit)
        topic_ids = [hit.row_id for hit in found.hits if hit.kind == TOPIC]
        post_ids = [hit.row_id for hit in found.hits if hit.kind == POST_KIND]
        if not found.hits:
            return Page([], None)
        rows = {}
        for post, topic, forum, author in self.db.execute(
                select(Post, Topic, Forum, User)
                .join(Topic, Topic.id == Post.topic_id).join(Forum, Forum.id == Topic.forum_id)
                .join(User, User.id == Post.author_id)
                .where(or_(Post.id.in_(post_ids),
                           and_(Topic.id.in_(topic_ids), Post.id == Topic.first_post_id)))):
            key = (TOPIC, topic.id) if post.id == topic.first_post_id and topic.id in topic_ids \
                else (POST_KIND, post.id)
            rows[key] = (post, topic, forum, author)
        items = [rows[(hit.kind, hit.row_id)] for hit in found.hits
                 if (hit.kind, hit.row_id) in rows]
        return Page(items, found.next_cursor)

    def _replies_of(self, member):
        return and_(Post.author_id == member.id, Post.is_first.is_(False))

    def replies_by(self, member, viewer, after: str | None = None, limit: int = 20) -> Page:
        return self._post_rows(viewer, self._replies_of(member), after, limit)

    def topics_by(self, member, viewer, after: str | None = None, limit: int = 20) -> Page:
        query = select(Topic).where(Topic.author_id == member.id,
                                    visible_condition(self.request, TOPIC, viewer))
        start = decode_id(after)
        if start is not None:
            query = query.where(Topic.id < start)
        items = self._topic_rows(query.order_by(Topic.id.desc()).limit(limit + 1))
        next_cursor = None
        if len(items) > limit:
            items = items[:limit]
            next_cursor = str(items[-1].topic.id)
        self.mark_unread(viewer, items)
        return Page(items, next_cursor)

    def count_by(self, member, viewer) -> dict[str, int]:
        """How many topics and replies of ``member`` the viewer may see."""
        topics = self.db.scalar(select(func.count()).select_from(Topic).where(
            Topic.author_id == member.id, visible_condition(self.request, TOPIC, viewer))) or 0
        replies = self.db.scalar(select(func.count()).select_from(Post).where(
            self._replies_of(member), visible_condition(self.request, POST_KIND, viewer))) or 0
        return {"topics": topics, "replies": replies}

    # -- arranging the site's forums (admins) -------------------------------------------------

    def _may_manage(self, actor) -> None:
        if active(actor) is None or not actor_may(self.request, actor, MANAGE):
            raise Forbidden(_("Only admins arrange the forums."))

    def categories_in_order(self) -> list[Category]:
        return list(self.db.scalars(select(Category).order_by(Category.position, Category.id)))

    def add_category(self, actor, title: str, description: str = "") -> Category:
        self._may_manage(actor)
        last = self.db.scalar(select(func.max(Category.position))) or 0
        category = Category(title=title.strip(), description=description or "",
                            position=last + 1)
        self.db.add(category)
        self.db.flush()
        return category

    def add_forum(self, actor, title: str, description: str = "", category_id=None,
                  closed: bool = False) -> Forum:
        self._may_manage(actor)
        last = self.db.scalar(select(func.max(Forum.position))) or 0
        forum = Forum(slug=self._free_slug(title), position=last + 1, title=title.strip(),
                      description=description or "", category_id=category_id or None,
                      closed=closed, topic_count=0, post_count=0)
        self.db.add(forum)
        self.db.flush()
        return forum

    def update_item(self, actor, item, title: str, description: str = "", **values) -> None:
        """Change a category, or a site forum (``category_id``, ``closed``)."""
        self._may_manage(actor)
        item.title = title.strip()
        item.description = description or ""
        if isinstance(item, Forum):
            item.category_id = values.get("category_id") or None
            item.closed = bool(values.get("closed"))
        self.db.flush()

    def reorder(self, actor, item, direction: str) -> None:
        """Move a category, or a site forum, one place ``up`` or ``down``."""
        self._may_manage(actor)
        items = self.categories_in_order() if isinstance(item, Category) else self.site_forums()
        index = items.index(item)
        other = index + (-1 if direction == "up" else 1)
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            for position, each in enumerate(items, start=1):
                each.position = position
        self.db.flush()

    def delete_item(self, actor, item) -> None:
        """Delete a category (its forums stay, without one), or a site forum without
        topics."""
        self._may_manage(actor)
        if isinstance(item, Forum):
            if self.db.scalar(select(Topic.id).where(Topic.forum_id == item.id).limit(1)):
                raise ForumError(_("This forum has topics: close it, or move its topics "
                                   "first."))
        else:
            self.db.execute(update(Forum).where(Forum.category_id == item.id)
                            .values(category_id=None))
        self.db.delete(item)
        self.db.flush()

    # Words of the forums' own addresses, which no forum may take as its slug.
    RESERVED = frozenset({"search", "reports", "unsubscribe", "post", "topic"})

    def _free_slug(self, title: str) -> str:
        base = slugify(title, "forum")
        if base in self.RESERVED or base.startswith("group-"):
            base = f"forum-{base}"
        slug, number = base, 1
        while self.db.scalar(select(Forum.id).where(Forum.slug == slug)) is not None:
            number += 1
            slug = f"{base}-{number}"
        return slug

    # -- a group deleted ----------------------------------------------------------------------

    def forget_group(self, group_id: int) -> None:
        """Delete the forum of group ``group_id`` with its topics, posts, reports, read marks
        and subscriptions (the group is being deleted)."""
        forum_ids = select(Forum.id).where(Forum.group_id == group_id)
        topic_ids = select(Topic.id).where(
            or_(Topic.forum_id.in_(forum_ids), Topic.group_id == group_id))
        post_ids = select(Post.id).where(
            or_(Post.topic_id.in_(topic_ids), Post.group_id == group_id))
        self.db.execute(delete(Report).where(
            or_(Report.post_id.in_(post_ids), Report.group_id == group_id)))
        self.db.execute(delete(ReadMark).where(ReadMark.topic_id.in_(topic_ids)))
        self.db.execute(delete(Subscription).where(or_(
            Subscription.topic_id.in_(topic_ids), Subscription.forum_id.in_(forum_ids))))
        self.db.execute(delete(Post).where(Post.id.in_(post_ids)))
        self.db.execute(delete(Topic).where(Topic.id.in_(topic_ids)))
        self.db.execute(delete(Forum).where(Forum.group_id == group_id))
        self.db.flush()

    # -- personal data ------------------------------------------------------------------------

    def export(self, user) -> dict:
        posts = self.db.execute(
            select(Post, Topic).join(Topic, Topic.id == Post.topic_id)
            .where(Post.author_id == user.id).order_by(Post.id))
        subscriptions = self.db.scalars(select(Subscription).where(
            Subscription.user_id == user.id).order_by(Subscription.id))
        reports = self.db.scalars(select(Report).where(Report.reporter_id == user.id)
                                  .order_by(Report.id))
        return {
            "posts": [{
                "id": p.id, "topic_id": t.id, "topic": t.title, "opens_topic": p.is_first,
                "text": p.body, "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "hidden_by_moderators": p.hidden,
            } for p, t in posts],
            "subscriptions": [{"topic_id": s.topic_id, "forum_id": s.forum_id,
                               "since": s.created_at.isoformat()} for s in subscriptions],
            "reports": [{"post_id": r.post_id, "reason": r.reason,
                         "created_at": r.created_at.isoformat()} for r in reports],
        }

    def erase(self, user) -> None:
        """Forget the member's subscriptions, read marks and reports; their posts stay, shown
        as by a former member, so that discussions keep their sense."""
        self.db.execute(delete(Subscription).where(Subscription.user_id == user.id))
        self.db.execute(delete(ReadMark).where(ReadMark.user_id == user.id))
        self.db.execute(delete(Report).where(Report.reporter_id == user.id))
        self.db.execute(update(Report).where(Report.resolved_by_id == user.id)
                        .values(resolved_by_id=None))
        self.db.flush()


def forum_service_factory(context, request) -> ForumService:
    return ForumService(request)
