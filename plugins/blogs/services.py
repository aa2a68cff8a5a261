"""The blogs service: listing blogs, fetching feeds, reading entries and planets."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import logging

import feedparser
import nh3
from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from core.accounts.models import User
from core.db import utcnow
from core.errors import ActionError, Forbidden, NotFound, RateLimited
from core.jobs import defer
from core.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from plugins.blogs import _
from plugins.blogs.fetch import FetchError, Refused, check_url, discover, fetch
from plugins.blogs.models import LEVELS, MEMBERS, PUBLIC, URL_LENGTH, Blog, Entry, Exclusion, Feed

log = logging.getLogger(__name__)

FETCH_TASK = "blogs.fetch"
ENTRIES_KEPT = 50  # newest entries taken from one fetch
TITLE_LENGTH = 300
SUMMARY_LENGTH = 20_000
LINK_REL = "nofollow ugc noopener noreferrer"


def encode_cursor(entry) -> str:
    """Where a page of entries (newest first) stops: its last entry's time and id."""
    return f"{int(entry.published_at.timestamp() * 1_000_000)}-{entry.id}"


def decode_cursor(cursor):
    try:
        micro, entry_id = (int(part) for part in str(cursor).split("-", 1))
        moment = dt.datetime.fromtimestamp(micro / 1_000_000, dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return (moment, entry_id) if 0 < entry_id < 2**31 else None


class BlogError(ActionError):
    """A blog refused, with a sentence saying why."""


def clean_html(text: str) -> str:
    """An entry's HTML as it may show here: the tags of members' Markdown, links opening
    elsewhere without a hold on this page."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel=LINK_REL,
                     set_tag_attribute_values={"a": {"target": "_blank"}},
                     strip_comments=True)[:SUMMARY_LENGTH]


def plain(text: str, most: int = TITLE_LENGTH) -> str:
    return " ".join(html.unescape(nh3.clean(text or "", tags=set())).split())[:most]


def safe_link(url: str) -> str:
    try:
        check_url(url)
    except FetchError:
        return ""
    return url[:URL_LENGTH]


class BlogService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings

    # -- fetching -----------------------------------------------------------------------------

    def _fetch(self, url, etag=None, last_modified=None):
        s = self.settings
        return fetch(url, etag, last_modified, timeout=s["blogs.timeout"],
                     deadline=s["blogs.timeout"] * 3, max_bytes=s["blogs.max_bytes"],
                     max_redirects=s["blogs.max_redirects"],
                     allowed=frozenset(s["blogs.allowed_private"]))

    def find_feed(self, url: str):
        """The feed of ``url`` (a feed, or a page naming one): its response and the parsed
        feed; BlogError otherwise."""
        try:
            response = self._fetch(url)
            parsed = feedparser.parse(response.body)
            if not parsed.entries and not parsed.feed.get("title"):
                candidates = discover(response.body, response.url)
                if not candidates:
                    raise BlogError(_("No feed found at this address: give the address of "
                                      "the blog's feed, or of a page that names it."),
                                    field="url")
                response = self._fetch(candidates[0])
                parsed = feedparser.parse(response.body)
                if not parsed.entries and not parsed.feed.get("title"):
                    raise BlogError(_("The feed this page names cannot be read."), field="url")
            return response, parsed
        except Refused:
            raise BlogError(_("This address cannot be fetched."), field="url") from None
        except FetchError as error:
            log.info("feed discovery of %s failed: %s", url, error)
            raise BlogError(_("The blog could not be reached; check the address and try "
                              "again later."), field="url") from None

    def fetch_feed(self, feed_id: int) -> None:
        """A job: fetch one feed, store its new entries, and say when to fetch it again."""
        feed = self.db.get(Feed, feed_id)
        if feed is None:
            return
        now = utcnow()
        try:
            response = self._fetch(feed.url, feed.etag, feed.last_modified)
            if response.not_modified:
                self._fetched(feed, now)
                return
            if response.status != 200:
                raise FetchError(f"the site answered {response.status}")
            parsed = feedparser.parse(response.body)
            if not parsed.entries and parsed.bozo:
                raise FetchError("the feed cannot be read")
        except FetchError as error:
            feed.failures += 1
            feed.last_error = str(error)[:300]
            hours = min(self.settings["blogs.max_backoff_hours"],
                        self.settings["blogs.interval_minutes"] / 60 * 2 ** feed.failures)
            feed.next_fetch_at = now + dt.timedelta(hours=hours)
            feed.fetched_at = now
            return
        feed.etag = (response.headers.get("etag") or "")[:300] or None
        feed.last_modified = (response.headers.get("last-modified") or "")[:100] or None
        feed.title = plain(parsed.feed.get("title", "")) or feed.title
        feed.site_url = safe_link(parsed.feed.get("link", "")) or feed.site_url
        self.store_entries(feed, parsed.entries, now)
        self._fetched(feed, now)

    def _fetched(self, feed: Feed, now) -> None:
        feed.failures = 0
        feed.last_error = ""
        feed.fetched_at = now
        feed.next_fetch_at = now + dt.timedelta(minutes=self.settings["blogs.interval_minutes"])

    def store_entries(self, feed: Feed, entries, now) -> None:
        known = set(self.db.scalars(select(Entry.guid).where(Entry.feed_id == feed.id)))
        for item in list(entries)[:ENTRIES_KEPT]:
            link = safe_link(item.get("link", ""))
            guid = (item.get("id") or link or plain(item.get("title", "")))[:500]
            if not guid or guid in known:
                continue
            known.add(guid)
            content = item.get("content") or []
            body = content[0].get("value", "") if content else item.get("summary", "")
            stamp = item.get("published_parsed") or item.get("updated_parsed")
            published = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC) \
                if stamp else now
            self.db.add(Entry(feed_id=feed.id, guid=guid, link=link,
                              title=plain(item.get("title", "")), summary=clean_html(body),
                              published_at=min(published, now), fetched_at=now))
        self.db.flush()

    def fetch_due(self) -> int:
        """Hand out the feeds whose time has come, at most ``per_site`` of one site, each
        site's spread a minute apart; returns how many."""
        now = utcnow()
        due = self.db.scalars(select(Feed).where(Feed.next_fetch_at <= now)
                              .order_by(Feed.next_fetch_at, Feed.id)
                              .limit(self.settings["blogs.batch"])).all()
        per_site: dict[str, int] = {}
        handed = 0
        for feed in due:
            rank = per_site.get(feed.host, 0)
            if rank >= self.settings["blogs.per_site"]:
                continue
            per_site[feed.host] = rank + 1
            # Not handed out again before the job has had its time.
            feed.next_fetch_at = now + dt.timedelta(minutes=15)
            defer(self.request, FETCH_TASK, {"feed_id": feed.id},
                  key=f"blogs.fetch:{feed.id}:{int(now.timestamp())}", delay=60 * rank)
            handed += 1
        self.db.flush()
        return handed

    # -- members' blogs -----------------------------------------------------------------------

    def add(self, actor, url: str, visibility: str = MEMBERS) -> Blog:
        if actor is None or not actor.can_log_in:
            raise Forbidden(_("Log in to list your blogs."))
        if visibility not in LEVELS:
            raise BlogError(_("Choose who sees that this blog is yours."), field="visibility")
        url = (url or "").strip()
        if not url or len(url) > URL_LENGTH:
            raise BlogError(_("Give the address of your blog."), field="url")
        if not url.startswith(("http://", "https://")):
            url = "https://" + url
        count = self.db.scalar(select(func.count()).select_from(Blog)
                               .where(Blog.user_id == actor.id))
        if count >= self.settings["blogs.blogs_per_member"]:
            raise BlogError(_("You already list ${most} blogs.",
                              mapping={"most": self.settings["blogs.blogs_per_member"]}),
                            field="url")
        verdict = self.request.ratelimiter.hit("10/hour", "blogs-add", str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("Wait ${seconds} seconds, then try again.",
                                mapping={"seconds": verdict.retry_after}))
        response, parsed = self.find_feed(url)
        feed_url = response.url
        feed = self.db.scalar(select(Feed).where(Feed.url == feed_url))
        now = utcnow()
        if feed is None:
            feed = Feed(url=feed_url, host=check_url(feed_url)[1], next_fetch_at=now,
                        title=plain(parsed.feed.get("title", "")),
                        site_url=safe_link(parsed.feed.get("link", "")), failures=0,
                        last_error="",
                        etag=(response.headers.get("etag") or "")[:300] or None,
                        last_modified=(response.headers.get("last-modified") or "")[:100]
                        or None)
            self.db.add(feed)
            self.db.flush()
            self.store_entries(feed, parsed.entries, now)
            self._fetched(feed, now)
        existing = self.db.scalar(select(Blog).where(Blog.user_id == actor.id,
                                                     Blog.feed_id == feed.id))
        if existing is not None:
            existing.visibility = visibility
            return existing
        blog = Blog(user_id=actor.id, feed_id=feed.id, visibility=visibility, created_at=now)
        self.db.add(blog)
        self.db.flush()
        return blog

    def _own(self, actor, blog_id) -> Blog:
        blog = self.db.get(Blog, blog_id)
        if blog is None or actor is None or blog.user_id != actor.id:
            raise NotFound(_("This blog is not in your list."))
        return blog

    def remove(self, actor, blog_id: int) -> None:
        blog = self._own(actor, blog_id)
        feed_id = blog.feed_id
        self.db.delete(blog)
        self.db.flush()
        if not self.db.scalar(select(exists().where(Blog.feed_id == feed_id))):
            self.db.execute(delete(Feed).where(Feed.id == feed_id))

    def set_visibility(self, actor, blog_id: int, visibility: str) -> None:
        blog = self._own(actor, blog_id)
        if visibility not in LEVELS:
            raise BlogError(_("Choose who sees that this blog is yours."), field="visibility")
        blog.visibility = visibility

    # -- who sees the link between a member and a blog ---------------------------------------

    def levels(self, viewer) -> tuple[str, ...]:
        if viewer is not None and viewer.can_log_in:
            return (PUBLIC, MEMBERS)
        if self.request.site_settings.visibility != "public":
            return ()
        return (PUBLIC,)

    def shown(self, viewer, blog=Blog):
        """The condition on ``blog``: ``viewer`` may know that it is its member's."""
        condition = blog.visibility.in_(self.levels(viewer))
        if viewer is not None and viewer.can_log_in:
            condition = or_(condition, blog.user_id == viewer.id)
        return condition

    def blogs_of(self, member, viewer) -> list[tuple[Blog, Feed]]:
        return [tuple(row) for row in self.db.execute(
            select(Blog, Feed).join(Feed, Feed.id == Blog.feed_id)
            .where(Blog.user_id == member.id, self.shown(viewer)).order_by(Blog.id))]

    def entries_of(self, member, viewer, limit: int = 20) -> list[tuple[Entry, Feed]]:
        return [tuple(row) for row in self.db.execute(
            select(Entry, Feed).join(Feed, Feed.id == Entry.feed_id)
            .join(Blog, Blog.feed_id == Feed.id)
            .where(Blog.user_id == member.id, self.shown(viewer))
            .order_by(Entry.published_at.desc(), Entry.id.desc()).limit(limit))]

    # -- planets ------------------------------------------------------------------------------

    def planet(self, group, viewer, before=None, limit: int = 30):
        """The entries of the blogs of the group's members, newest first: only blogs whose
        member lets ``viewer`` know they are theirs, and none the group's admins left out.
        Rows: (entry, feed, author or None)."""
        from plugins.groups.models import Membership

        member_blog = aliased(Blog)
        shown_blogs = (select(member_blog.feed_id)
                       .join(Membership, and_(Membership.user_id == member_blog.user_id,
                                              Membership.group_id == group.id,
                                              Membership.state == "member"))
                       .where(self.shown(viewer, member_blog),
                              member_blog.visibility != "private"))
        query = (select(Entry, Feed).join(Feed, Feed.id == Entry.feed_id)
                 .where(Entry.feed_id.in_(shown_blogs),
                        ~exists().where(Exclusion.group_id == group.id,
                                        or_(Exclusion.feed_id == Entry.feed_id,
                                            Exclusion.entry_id == Entry.id))))
        bound = decode_cursor(before)
        if bound is not None:
            moment, entry_id = bound
            query = query.where(or_(Entry.published_at < moment,
                                    and_(Entry.published_at == moment, Entry.id < entry_id)))
        return [tuple(row) for row in self.db.execute(
            query.order_by(Entry.published_at.desc(), Entry.id.desc()).limit(limit))]

    def planet_feeds(self, group, viewer) -> list[Feed]:
        from plugins.groups.models import Membership

        return list(self.db.scalars(
            select(Feed).where(Feed.id.in_(
                select(Blog.feed_id).join(Membership, and_(
                    Membership.user_id == Blog.user_id, Membership.group_id == group.id,
                    Membership.state == "member"))
                .where(self.shown(viewer), Blog.visibility != "private")),
                ~exists().where(Exclusion.group_id == group.id,
                                Exclusion.feed_id == Feed.id))
            .order_by(Feed.title, Feed.id)))

    def exclude(self, actor, group, feed_id=None, entry_id=None) -> None:
        from plugins.groups.interfaces import group_service

        if not group_service(self.request).is_manager(group, actor):
            raise Forbidden(_("Only the group's admins may do this."))
        if (feed_id is None) == (entry_id is None):
            raise NotFound(_("There is nothing to leave out here."))
        self.db.add(Exclusion(group_id=group.id, feed_id=feed_id, entry_id=entry_id,
                              excluded_by_id=actor.id, created_at=utcnow()))
        self.db.flush()

    # -- personal data ------------------------------------------------------------------------

    def export(self, user) -> dict:
        return {"blogs": [{"feed": feed.url, "site": feed.site_url, "shown_to": blog.visibility,
                           "since": blog.created_at.isoformat()}
                          for blog, feed in self.db.execute(
                              select(Blog, Feed).join(Feed, Feed.id == Blog.feed_id)
                              .where(Blog.user_id == user.id).order_by(Blog.id))]}

    def erase(self, user) -> None:
        for blog_id in list(self.db.scalars(select(Blog.id).where(Blog.user_id == user.id))):
            self.remove(user, blog_id)
        self.db.execute(update(Exclusion).where(Exclusion.excluded_by_id == user.id)
                        .values(excluded_by_id=None))


__all__ = ["BlogError", "BlogService", "User"]
