"""The forums' rules: who sees and does what, lists by key, counters, mail, personal data.

Views and other plugins reach it with ``request.find_service(IForumService)``. One condition,
``visible(column, viewer)``, filters every listing, search, count and email by the groups
plugin's rule, so a group forum follows its group's status exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from pyramid.authorization import ALL_PERMISSIONS, Allow, Deny, Everyone
from sqlalchemy import (
    Integer,
    and_,
    case,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import aliased
from zope.interface import implementer

from core.accounts.models import User, may_receive_mail
from core.db import lock, try_write_at_commit, utcnow
from core.security import site_acl
from plugins.forums import _
from plugins.forums.interfaces import ForumError, IForumService
from plugins.forums.models import Category, Forum, Post, ReadMark, Report, Subscription, Topic
from plugins.groups.interfaces import group_service

MODERATE = "forums.moderate"
POST = "forums.post"
MANAGE = "forums.manage"
GROUP_MODERATOR = re.compile(r"^group:(\d+):moderator$")
URL = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
SLUG_LENGTH = 80


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str, fallback: str = "topic") -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))[:SLUG_LENGTH].strip("-") or fallback


def encode_cursor(moment: dt.datetime, row_id: int) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%d%H%M%S%f}-{row_id}"


def decode_cursor(cursor: str | None):
    match = re.fullmatch(r"(\d{20})-(\d{1,12})", cursor or "")
    if not match:
        return None
    try:
        moment = dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S%f").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return moment, int(match.group(2))


def decode_id(cursor: str | None) -> int | None:
    return int(cursor) if cursor and re.fullmatch(r"\d{1,12}", cursor) else None


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

    # -- the visibility rule ------------------------------------------------------------------

    def visible(self, group_column, viewer):
        """The condition on a ``group_id`` column: site content, or content of a group whose
        content ``viewer`` may see (none when the groups plugin is off)."""
        groups = group_service(self.request)
        if groups is None:
            return group_column.is_(None)
        return or_(group_column.is_(None), group_column.in_(groups.content_visible_ids(viewer)))

    def may_see_forum(self, forum: Forum, viewer) -> bool:
        if forum.group_id is None:
            return True
        groups = group_service(self.request)
        if groups is None:
            return False
        group = groups.get(forum.group_id)
        return group is not None and groups.can_see_content(group, viewer)

    def context(self, forum: Forum) -> ForumContext:
        return ForumContext(self.request, forum)

    def may_moderate(self, forum: Forum) -> bool:
        return self.request.user is not None and bool(
            self.request.has_permission(MODERATE, self.context(forum)))

    def may_post(self, forum: Forum) -> bool:
        if self.request.user is None or not self.request.has_permission(POST, self.context(forum)):
            return False
        return not forum.closed or self.may_moderate(forum)

    def may_reply(self, topic: Topic) -> bool:
        if not self.may_post(topic.forum):
            return False
        return not (topic.closed or topic.hidden) or self.may_moderate(topic.forum)

    def may_edit(self, post: Post) -> bool:
        user = self.request.user
        if user is None:
            return False
        if self.may_moderate(post.topic.forum):
            return True
        if post.author_id != user.id or post.hidden:
            return False
        minutes = self.settings["forums.edit_minutes"]
        return minutes > 0 and utcnow() - post.created_at <= dt.timedelta(minutes=minutes)

    def may_delete(self, post: Post) -> bool:
        user = self.request.user
        return user is not None and (post.author_id == user.id
                                     or self.may_moderate(post.topic.forum))

    def site_moderator(self, user) -> bool:
        return user is not None and user.role in ("moderator", "admin")

    def moderated_group_ids(self) -> list[int]:
        ids = []
        for principal in self.request.effective_principals:
            match = GROUP_MODERATOR.match(principal)
            if match:
                ids.append(int(match.group(1)))
        return ids

    # -- forums -------------------------------------------------------------------------------

    def categories(self) -> list[tuple[Category, list[tuple[Forum, User | None]]]]:
        """Categories with their site forums and last posters, in two queries."""
        categories = list(self.db.scalars(select(Category).order_by(Category.position,
                                                                    Category.id)))
        poster = aliased(User)
        rows = self.db.execute(
            select(Forum, poster).outerjoin(poster, poster.id == Forum.last_poster_id)
            .where(Forum.group_id.is_(None))
            .order_by(Forum.position, Forum.id)).all()
        by_category: dict = {}
        for forum, user in rows:
            by_category.setdefault(forum.category_id, []).append((forum, user))
        result = [(category, by_category.get(category.id, [])) for category in categories]
        if by_category.get(None):
            result.append((None, by_category[None]))
        return result

    def forum_by_slug(self, slug: str) -> Forum | None:
        return self.db.scalar(select(Forum).where(Forum.slug == (slug or "")[:SLUG_LENGTH]))

    def forum_of_group(self, group_id: int, create: bool = False) -> Forum | None:
        forum = self.db.scalar(select(Forum).where(Forum.group_id == group_id))
        if forum is None and create:
            forum = Forum(slug=f"group-{group_id}", title="", group_id=group_id, position=0,
                          closed=False, topic_count=0, post_count=0)
            self.db.add(forum)
            self.db.flush()
        return forum

    def site_forums(self) -> list[Forum]:
        return list(self.db.scalars(select(Forum).where(Forum.group_id.is_(None))
                                    .order_by(Forum.position, Forum.id)))

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
        moderator = self.may_moderate(forum)
        shown = [] if moderator else [Topic.hidden.is_(False)]
        cursor = decode_cursor(after)
        stickies: list[TopicRow] = []
        if cursor is None:
            stickies = self._topic_rows(
                select(Topic).where(Topic.super_sticky.is_(True), Topic.hidden.is_(False),
                                    Topic.forum_id != forum.id,
                                    self.visible(Topic.group_id, viewer))
                .order_by(Topic.last_post_at.desc(), Topic.id.desc()).limit(10))
            stickies += self._topic_rows(
                select(Topic).where(Topic.forum_id == forum.id, Topic.sticky.is_(True), *shown)
                .order_by(Topic.super_sticky.desc(), Topic.last_post_at.desc(),
                          Topic.id.desc()).limit(50))
        query = select(Topic).where(Topic.forum_id == forum.id, Topic.sticky.is_(False), *shown)
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
                              .where(Topic.id == topic_id)).first()
        if row is None:
            return None
        topic, forum = row
        if not self.may_see_forum(forum, viewer):
            return None
        if topic.hidden and not self.may_moderate(forum):
            return None
        return topic

    def posts(self, topic: Topic, after: str | None = None,
              limit: int = 25) -> Page:
        """A page of the topic's posts in order, with their authors (one query)."""
        query = select(Post, User).join(User, User.id == Post.author_id).where(
            Post.topic_id == topic.id)
        if not self.may_moderate(topic.forum):
            query = query.where(Post.hidden.is_(False))
        start = decode_id(after)
        if start is not None:
            query = query.where(Post.id > start)
        rows = self.db.execute(query.order_by(Post.id).limit(limit + 1)).all()
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = str(rows[-1][0].id)
        return Page([tuple(row) for row in rows], next_cursor)

    def cursor_ending_at(self, topic: Topic, post_id: int, limit: int) -> str | None:
        """The cursor of the page whose last post is ``post_id`` (the latest page)."""
        query = select(Post.id).where(Post.topic_id == topic.id, Post.id <= post_id)
        if not self.may_moderate(topic.forum):
            query = query.where(Post.hidden.is_(False))
        before = self.db.scalar(query.order_by(Post.id.desc()).offset(limit).limit(1))
        return str(before) if before is not None else None

    def post(self, post_id: int, viewer) -> Post | None:
        """The post with its topic and forum loaded, if ``viewer`` may see it."""
        post = self.db.get(Post, post_id)
        if post is None:
            return None
        topic = self.topic(post.topic_id, viewer)
        if topic is None or (post.hidden and not self.may_moderate(topic.forum)):
            return None
        return post

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

    def check_posting(self, user, body: str) -> None:
        """Flood control and the link limit for new members; raises ForumError."""
        settings = self.settings
        if not self.site_moderator(user):
            days = settings["forums.new_member_days"]
            most = settings["forums.new_member_links"]
            if days > 0 and utcnow() - user.created_at < dt.timedelta(days=days):
                found = len(URL.findall(body or ""))
                if found > most:
                    raise ForumError(_(
                        "During their first ${days} days, members may put at most ${most} "
                        "links in a post; this one has ${found}. Remove some and post again.",
                        mapping={"days": days, "most": most, "found": found}))
        verdict = self.request.ratelimiter.hit(settings["forums.post_rate"], "forums-post",
                                               str(user.id))
        if not verdict.allowed:
            raise ForumError(_("You are posting too fast. Wait ${seconds} seconds, then send "
                               "your text again.", mapping={"seconds": verdict.retry_after}))

    def create_topic(self, forum: Forum, author, title: str, body: str,
                     subscribe: bool | None = None, quiet: bool = False,
                     now: dt.datetime | None = None) -> Topic:
        """A new topic with its opening post; ``quiet`` (for seeding) skips the posting
        checks and the mail."""
        if not quiet:
            self.check_posting(author, body)
        now = now or utcnow()
        topic = Topic(forum_id=forum.id, group_id=forum.group_id, author_id=author.id,
                      title=title.strip(), slug=slugify(title), created_at=now,
                      closed=False, sticky=False, super_sticky=False, hidden=False,
                      reply_count=0, last_poster_id=author.id, last_post_at=now)
        self.db.add(topic)
        self.db.flush()
        post = Post(topic_id=topic.id, forum_id=forum.id, group_id=forum.group_id,
                    author_id=author.id, is_first=True, body=body, hidden=False, created_at=now)
        self.db.add(post)
        self.db.flush()
        topic.first_post_id = topic.last_post_id = post.id
        self._count_new_post(post, forum, opens_topic=True)
        if self._subscribing(subscribe):
            self.subscribe(author, topic=topic)
        self.db.flush()
        if not quiet:
            self.notify(post, topic, forum)
        return topic

    def reply(self, topic: Topic, author, body: str, subscribe: bool | None = None,
              quiet: bool = False, now: dt.datetime | None = None) -> Post:
        if not quiet:
            self.check_posting(author, body)
        forum = topic.forum
        now = now or utcnow()
        post = Post(topic_id=topic.id, forum_id=forum.id, group_id=forum.group_id,
                    author_id=author.id, is_first=False, body=body, hidden=False,
                    created_at=now)
        self.db.add(post)
        self.db.flush()
        self._count_new_post(post, forum, topic=topic)
        if self._subscribing(subscribe):
            self.subscribe(author, topic=topic)
        self.db.flush()
        self.mark_read(author, topic, post.id)
        if not quiet:
            self.notify(post, topic, forum)
        return post

    def _subscribing(self, subscribe: bool | None) -> bool:
        return self.settings["forums.subscribe_authors"] if subscribe is None else subscribe

    def edit(self, post: Post, body: str, title: str | None = None) -> None:
        post.body = body
        post.edited_at = utcnow()
        if title and post.is_first:
            post.topic.title = title.strip()
            post.topic.slug = slugify(title)
        self.db.flush()

    def delete(self, post: Post) -> Forum:
        """Delete a reply, or a topic without replies from others (by its opening post)."""
        topic = post.topic
        forum = topic.forum
        if post.is_first:
            others = self.db.scalar(select(func.count()).select_from(Post).where(
                Post.topic_id == topic.id, Post.author_id != post.author_id))
            if others and not self.may_moderate(forum):
                raise ForumError(_("Others have answered this topic, so it stays; you may "
                                   "edit your text or ask a moderator."))
            self.db.execute(delete(Report).where(Report.post_id.in_(
                select(Post.id).where(Post.topic_id == topic.id))))
            self.db.execute(delete(Post).where(Post.topic_id == topic.id))
            self.db.execute(delete(ReadMark).where(ReadMark.topic_id == topic.id))
            self.db.execute(delete(Subscription).where(Subscription.topic_id == topic.id))
            self.db.delete(topic)
            self.db.flush()
        else:
            self.db.delete(post)
            self.db.flush()
            self.refresh_topic(topic)
        self.refresh_forum(forum)
        return forum

    # -- counters -----------------------------------------------------------------------------
    # A new post adds to the counters in SQL (``n = n + 1``) and moves the last-post pointers
    # forward only, so that posts written at the same moment are all counted, whatever the
    # order their transactions commit in. Recounts lock the row before counting (``lock``),
    # so that a post committed meanwhile is either counted or adds itself after. Rows are
    # always taken topic first, then forum.

    @staticmethod
    def _pointing_at(model, post: Post) -> dict:
        """Values that point ``model``'s row at ``post``, unless it points at a later one."""
        values = {"last_post_id": post.id, "last_poster_id": post.author_id,
                  "last_post_at": post.created_at}
        if model is Forum:
            values["last_topic_id"] = post.topic_id
        later = or_(model.last_post_id.is_(None), model.last_post_id < post.id)
        return {name: case((later, literal(value, getattr(model, name).type)),
                           else_=getattr(model, name)) for name, value in values.items()}

    def _count_new_post(self, post: Post, forum: Forum, topic: Topic | None = None,
                        opens_topic: bool = False) -> None:
        """Count ``post`` (a reply to ``topic``, or the opening post of a new topic)."""
        unsynchronised = {"synchronize_session": False}
        if topic is not None:
            self.db.execute(update(Topic).where(Topic.id == topic.id).values(
                reply_count=Topic.reply_count + 1, **self._pointing_at(Topic, post))
                .execution_options(**unsynchronised))
            self.db.expire(topic, ["reply_count", "last_post_id", "last_poster_id",
                                   "last_post_at"])
        self.db.execute(update(Forum).where(Forum.id == forum.id).values(
            topic_count=Forum.topic_count + (1 if opens_topic else 0),
            post_count=Forum.post_count + 1, **self._pointing_at(Forum, post))
            .execution_options(**unsynchronised))
        self.db.expire(forum, ["topic_count", "post_count", "last_post_id", "last_topic_id",
                               "last_poster_id", "last_post_at"])

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

    def moderate_topic(self, topic: Topic, action: str, target: Forum | None = None) -> None:
        forum = topic.forum
        flags = {"close": ("closed", True), "open": ("closed", False),
                 "stick": ("sticky", True), "unstick": ("sticky", False),
                 "hide": ("hidden", True), "unhide": ("hidden", False)}
        if action in flags:
            name, value = flags[action]
            setattr(topic, name, value)
            if action == "unstick":
                topic.super_sticky = False
            self.db.flush()
            if name == "hidden":
                self.refresh_forum(forum)
        elif action in ("super", "unsuper"):
            topic.super_sticky = topic.sticky = action == "super"
        elif action == "move" and target is not None and target.id != forum.id:
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
        else:
            raise ForumError(_("This action is unknown."))
        self.db.flush()

    def set_hidden(self, post: Post, hidden: bool) -> None:
        if post.is_first:
            self.moderate_topic(post.topic, "hide" if hidden else "unhide")
            return
        post.hidden = hidden
        self.db.flush()
        self.refresh_topic(post.topic)
        self.refresh_forum(post.topic.forum)

    # -- reports ------------------------------------------------------------------------------

    def report(self, post: Post, reporter, reason: str) -> Report:
        existing = self.db.scalar(select(Report).where(
            Report.post_id == post.id, Report.reporter_id == reporter.id,
            Report.resolved_at.is_(None)))
        if existing is not None:
            existing.reason = reason
            return existing
        report = Report(post_id=post.id, group_id=post.group_id, reporter_id=reporter.id,
                        reason=reason, created_at=utcnow())
        self.db.add(report)
        self.db.flush()
        return report

    def _queue_condition(self, viewer):
        if viewer.is_admin:
            return literal(True)
        conditions = []
        if self.site_moderator(viewer):
            conditions.append(Report.group_id.is_(None))
        groups = self.moderated_group_ids()
        if groups:
            conditions.append(Report.group_id.in_(groups))
        return or_(*conditions) if conditions else false()

    def may_see_queue(self, viewer) -> bool:
        return viewer is not None and (self.site_moderator(viewer)
                                       or bool(self.moderated_group_ids()))

    def queue(self, viewer, after: str | None = None, limit: int = 30) -> Page:
        """Open reports on posts that ``viewer`` moderates, oldest first."""
        reporter, author = aliased(User), aliased(User)
        query = (select(Report, Post, Topic, reporter, author)
                 .join(Post, Post.id == Report.post_id).join(Topic, Topic.id == Post.topic_id)
                 .join(reporter, reporter.id == Report.reporter_id)
                 .join(author, author.id == Post.author_id)
                 .where(Report.resolved_at.is_(None), self._queue_condition(viewer),
                        self.visible(Report.group_id, viewer)))
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
        return self.db.scalar(select(func.count()).select_from(Report).where(
            Report.resolved_at.is_(None), self._queue_condition(viewer),
            self.visible(Report.group_id, viewer))) or 0

    def resolve(self, report: Report, moderator, outcome: str) -> None:
        post = self.db.get(Post, report.post_id)
        if outcome == "hide" and post is not None:
            self.set_hidden(post, True)
        now = utcnow()
        self.db.execute(update(Report).where(Report.post_id == report.post_id,
                                             Report.resolved_at.is_(None))
                        .values(resolved_at=now, resolved_by_id=moderator.id,
                                outcome="hidden" if outcome == "hide" else "dismissed"))
        self.db.flush()

    # -- subscriptions and mail ---------------------------------------------------------------

    def subscription(self, user, topic: Topic | None = None,
                     forum: Forum | None = None) -> Subscription | None:
        if user is None:
            return None
        where = (Subscription.topic_id == topic.id) if topic is not None else (
            Subscription.forum_id == forum.id)
        return self.db.scalar(select(Subscription).where(Subscription.user_id == user.id, where))

    def subscribe(self, user, topic: Topic | None = None, forum: Forum | None = None) -> None:
        if self.subscription(user, topic, forum) is None:
            self.db.add(Subscription(user_id=user.id, topic_id=topic.id if topic else None,
                                     forum_id=forum.id if forum else None, created_at=utcnow()))
            self.db.flush()

    def unsubscribe(self, user, topic: Topic | None = None, forum: Forum | None = None) -> None:
        found = self.subscription(user, topic, forum)
        if found is not None:
            self.db.delete(found)
            self.db.flush()

    def _sign(self, subscription_id: int, user_id: int) -> str:
        secret = self.settings["cortege.session_secret"].encode()
        return hmac.new(secret, f"forums-unsubscribe:{subscription_id}:{user_id}".encode(),
                        hashlib.sha256).hexdigest()[:32]

    def unsubscribe_token(self, subscription: Subscription) -> str:
        return f"{subscription.id}-{self._sign(subscription.id, subscription.user_id)}"

    def by_token(self, token: str) -> Subscription | None:
        match = re.fullmatch(r"(\d{1,12})-([0-9a-f]{32})", token or "")
        if not match:
            return None
        subscription = self.db.get(Subscription, int(match.group(1)))
        if subscription is None or not hmac.compare_digest(
                self._sign(subscription.id, subscription.user_id), match.group(2)):
            return None
        return subscription

    def subscribers(self, topic: Topic, forum: Forum):
        """SELECT of (Subscription, User): who follows the topic or its forum and may see it
        now, with the pages' rule (``visible``), from an active account. Asked when the mail
        is sent: a member who left a private group, or whose group turned private, gets none."""
        return (select(Subscription, User).join(User, User.id == Subscription.user_id)
                .where(or_(Subscription.topic_id == topic.id,
                           Subscription.forum_id == forum.id),
                       may_receive_mail(),
                       self.visible(literal(forum.group_id, Integer), User)))

    def notify(self, post: Post, topic: Topic, forum: Forum) -> int:
        """Mail the topic's and the forum's subscribers, each once, in their language, and
        only those who may still see the forum. Returns how many were written to."""
        if post.hidden or topic.hidden:
            return 0
        rows = self.db.execute(
            self.subscribers(topic, forum).where(User.id != post.author_id)
            .order_by(Subscription.topic_id.is_(None), Subscription.id)).all()
        if not rows:
            return 0
        author = self.db.get(User, post.author_id)
        request = self.request
        settings = self.settings
        url = self.post_url(post, topic, forum)
        sent = set()
        for subscription, user in rows:
            if user.id in sent:
                continue
            sent.add(user.id)
            locale = user.locale if user.locale in settings["cortege.locales"] else \
                settings["pyramid.default_locale_name"]
            request.send_mail(
                user.email,
                _("New post in ${title}", mapping={"title": topic.title}),
                "forums/mail/new_post.txt.jinja2",
                {"user": user, "author": author, "topic": topic, "post": post, "url": url,
                 "by_forum": subscription.forum_id is not None,
                 "unsubscribe_url": request.route_url(
                     "forums_unsubscribe", token=self.unsubscribe_token(subscription))},
                locale=locale)
        return len(sent)

    # -- urls ---------------------------------------------------------------------------------

    def topic_url(self, topic: Topic, forum: Forum | None = None, **kw) -> str:
        forum = forum or topic.forum
        return self.request.route_url("forums_topic", forum=forum.slug, id=topic.id,
                                      slug=topic.slug, **kw)

    def post_url(self, post: Post, topic: Topic, forum: Forum) -> str:
        return self.request.route_url("forums_post", id=post.id)

    # -- search and member lists --------------------------------------------------------------

    def _post_rows(self, viewer, condition, after: str | None, limit: int) -> Page:
        """Posts (newest first) that ``viewer`` may see, with their topics, forums, authors."""
        query = (select(Post, Topic, Forum, User)
                 .join(Topic, Topic.id == Post.topic_id).join(Forum, Forum.id == Topic.forum_id)
                 .join(User, User.id == Post.author_id)
                 .where(condition, Post.hidden.is_(False), Topic.hidden.is_(False),
                        self.visible(Post.group_id, viewer)))
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
        words = [word for word in (text or "").split() if word][:5]
        if not words:
            return Page([], None)
        conditions = [or_(func.lower(Post.body).contains(word.lower(), autoescape=True),
                          and_(Post.is_first.is_(True),
                               func.lower(Topic.title).contains(word.lower(), autoescape=True)))
                      for word in words]
        return self._post_rows(viewer, and_(*conditions), after, limit)

    def replies_by(self, member, viewer, after: str | None = None, limit: int = 20) -> Page:
        return self._post_rows(viewer, and_(Post.author_id == member.id,
                                            Post.is_first.is_(False)), after, limit)

    def topics_by(self, member, viewer, after: str | None = None, limit: int = 20) -> Page:
        query = (select(Topic).where(Topic.author_id == member.id, Topic.hidden.is_(False),
                                     self.visible(Topic.group_id, viewer)))
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
            Topic.author_id == member.id, Topic.hidden.is_(False),
            self.visible(Topic.group_id, viewer))) or 0
        replies = self.db.scalar(
            select(func.count()).select_from(Post).join(Topic, Topic.id == Post.topic_id)
            .where(Post.author_id == member.id, Post.is_first.is_(False),
                   Post.hidden.is_(False), Topic.hidden.is_(False),
                   self.visible(Post.group_id, viewer))) or 0
        return {"topics": topics, "replies": replies}

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
