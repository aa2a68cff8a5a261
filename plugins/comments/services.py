"""The comments service: the rules of who comments, edits, moderates and sees what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import and_, delete, exists, false, func, or_, select, update
from sqlalchemy.orm import aliased
from zope.interface import implementer

from core.accounts.models import User
from core.content import CONTENT_TYPES, ContentType, content_types
from core.db import utcnow
from core.errors import Forbidden, NotFound, RateLimited
from core.events import publish
from core.extensions import registered_map
from core.input import parse_id
from core.mentions import mentioned_usernames, publish_mentions, render_member_text
from core.security import actor_may, principals_of
from plugins.comments import _
from plugins.comments.events import CommentDeleted, CommentEdited, CommentHidden, CommentPosted
from plugins.comments.interfaces import CommentError, ICommentService
from plugins.comments.models import (
    BODY_LENGTH,
    REASON_LENGTH,
    ClosedThread,
    Comment,
    CommentReport,
)

CONTENT_TYPE = "comments.comment"
POST = "comments.post"
MODERATE = "comments.moderate"


def active(user):
    """Suspended and deleted members act and see as strangers; ``User`` itself (each
    recipient of a query) is passed on."""
    if user is None or isinstance(user, type):
        return user
    return user if user.can_log_in else None


@dataclass
class Entry:
    """A comment as a thread shows it, with what its reader may do with it."""

    comment: Comment
    author: User | None
    html: Markup
    may_edit: bool = False
    may_delete: bool = False
    reports: list[str] = field(default_factory=list)
    replies: list[Entry] = field(default_factory=list)


@dataclass
class Page:
    items: list
    next_cursor: str | None


@implementer(ICommentService)
class CommentService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings

    # -- kinds and contents -------------------------------------------------------------------

    def kinds(self) -> list[ContentType]:
        return [kind for kind in content_types(self.request.registry) if kind.comments]

    def kind(self, name: str) -> ContentType | None:
        kind = registered_map(self.request.registry, CONTENT_TYPES).get(name)
        return kind if kind is not None and kind.comments else None

    def content(self, kind_name: str, content_id, viewer):
        kind = self.kind(kind_name)
        content_id = parse_id(content_id)
        if kind is None or content_id is None:
            return None
        return self.db.scalars(select(kind.model).where(
            kind.model.id == content_id, kind.condition(self.request, active(viewer)))).first()

    # -- who sees what ------------------------------------------------------------------------

    def _kind_condition(self, kind: ContentType, viewer):
        return and_(Comment.kind == kind.name, Comment.content_id.in_(
            select(kind.model.id).where(kind.condition(self.request, viewer))))

    def _shown(self, viewer):
        shown = Comment.deleted.is_(False)
        if isinstance(viewer, User) and viewer.is_admin:
            return shown
        return and_(shown, Comment.hidden.is_(False))

    def visible(self, viewer):
        viewer = active(viewer)
        kinds = [self._kind_condition(kind, viewer) for kind in self.kinds()]
        if not kinds:
            return false()
        return and_(or_(*kinds), self._shown(viewer))

    def counts(self, kind_name: str, content_ids, viewer) -> dict[int, int]:
        kind = self.kind(kind_name)
        ids = [content_id for content_id in content_ids if content_id is not None]
        if kind is None or not ids:
            return {}
        viewer = active(viewer)
        rows = self.db.execute(
            select(Comment.content_id, func.count()).where(
                Comment.content_id.in_(ids), self._kind_condition(kind, viewer),
                self._shown(viewer)).group_by(Comment.content_id))
        return {content_id: number for content_id, number in rows}

    def comment(self, comment_id, viewer):
        comment_id = parse_id(comment_id)
        comment = self.db.get(Comment, comment_id) if comment_id is not None else None
        if comment is None or comment.deleted:
            return None
        kind = self.kind(comment.kind)
        row = kind and self.content(kind.name, comment.content_id, viewer)
        if row is None:
            return None
        if comment.hidden and not self.may_moderate(kind.name, row, viewer):
            return None
        return comment, kind, row

    # -- who may do what ----------------------------------------------------------------------

    def may_moderate(self, kind_name: str, row, actor) -> bool:
        kind = self.kind(kind_name)
        actor = active(actor)
        if kind is None or actor is None or isinstance(actor, type):
            return False
        if actor.is_admin or actor_may(self.request, actor, MODERATE):
            return True
        if kind.owner and getattr(row, kind.owner, None) == actor.id:
            return True
        options = kind.comments
        group_id = getattr(row, options.group, None) if options.group else None
        if group_id is not None and f"group:{group_id}:moderator" in self._principals(actor):
            return True
        return bool(options.moderators and options.moderators(self.request, row, actor))

    def _principals(self, actor) -> list[str]:
        if actor is self.request.user:
            return self.request.effective_principals
        return principals_of(self.request, actor)

    def closed(self, kind_name: str, row) -> bool:
        return self.db.get(ClosedThread, (kind_name, row.id)) is not None

    def is_open(self, kind_name: str, row) -> bool:
        kind = self.kind(kind_name)
        if kind is None or self.closed(kind_name, row):
            return False
        return kind.comments.open is None or bool(kind.comments.open(self.request, row))

    def may_comment(self, kind_name: str, row, actor) -> bool:
        actor = active(actor)
        if actor is None or isinstance(actor, type) or not self.is_open(kind_name, row):
            return False
        if not actor_may(self.request, actor, POST):
            return False
        return self._member_of_its_group(kind_name, row, actor)

    def _member_of_its_group(self, kind_name: str, row, actor) -> bool:
        """The content of a group is commented on by the group's members (and moderators of
        the content)."""
        options = self.kind(kind_name).comments
        group_id = getattr(row, options.group, None) if options.group else None
        if group_id is None or actor.is_admin:
            return True
        return (f"group:{group_id}:member" in self._principals(actor)
                or self.may_moderate(kind_name, row, actor))

    def may_edit(self, comment: Comment, actor, moderator: bool) -> bool:
        actor = active(actor)
        if actor is None or comment.deleted:
            return False
        if moderator:
            return True
        if comment.author_id != actor.id or comment.hidden:
            return False
        minutes = self.settings["comments.edit_minutes"]
        return minutes > 0 and utcnow() - comment.created_at <= dt.timedelta(minutes=minutes)

    def may_delete(self, comment: Comment, actor, moderator: bool) -> bool:
        actor = active(actor)
        return actor is not None and not comment.deleted and (
            moderator or comment.author_id == actor.id)

    # -- reading ------------------------------------------------------------------------------

    def thread(self, kind_name: str, row, viewer, after=None, limit=None) -> Page:
        """The content's comments; ``row`` must be one ``viewer`` may see (``content``)."""
        limit = limit or self.settings["comments.page_size"]
        moderator = self.may_moderate(kind_name, row, viewer)
        author = aliased(User)
        query = (select(Comment, author).outerjoin(author, author.id == Comment.author_id)
                 .where(Comment.kind == kind_name, Comment.content_id == row.id,
                        Comment.parent_id.is_(None)))
        if not moderator:
            query = query.where(Comment.hidden.is_(False))
        start = parse_id(after)
        if start is not None:
            query = query.where(Comment.id > start)
        rows = list(self.db.execute(query.order_by(Comment.id).limit(limit + 1)))
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = str(rows[-1][0].id)
        entries = [self._entry(comment, user, viewer, moderator) for comment, user in rows]
        if entries:
            by_id = {entry.comment.id: entry for entry in entries}
            replies = (select(Comment, author).outerjoin(author, author.id == Comment.author_id)
                       .where(Comment.parent_id.in_(list(by_id)), Comment.deleted.is_(False)))
            if not moderator:
                replies = replies.where(Comment.hidden.is_(False))
            for comment, user in self.db.execute(replies.order_by(Comment.id)):
                by_id[comment.parent_id].replies.append(
                    self._entry(comment, user, viewer, moderator))
            if moderator:
                self._add_reports(entries)
        return Page(entries, next_cursor)

    def _entry(self, comment, author, viewer, moderator) -> Entry:
        html = Markup("") if comment.deleted else render_member_text(self.request, comment.body)
        return Entry(comment, author, html, self.may_edit(comment, viewer, moderator),
                     self.may_delete(comment, viewer, moderator))

    def _add_reports(self, entries: list[Entry]) -> None:
        every = {entry.comment.id: entry for entry in entries}
        for entry in entries:
            every.update({reply.comment.id: reply for reply in entry.replies})
        reports = self.db.execute(
            select(CommentReport.comment_id, CommentReport.reason)
            .where(CommentReport.comment_id.in_(list(every)), CommentReport.resolved_at.is_(None))
            .order_by(CommentReport.id))
        for comment_id, reason in reports:
            every[comment_id].reports.append(reason)

    def cursor_for(self, comment: Comment, viewer, per_page: int, first: int):
        """Where ``comment`` shows: None when among the first ``first`` threads (the box),
        else the cursor (``after``) of the page of ``per_page`` threads that holds it."""
        top_id = comment.parent_id or comment.id
        query = select(Comment.id).where(
            Comment.kind == comment.kind, Comment.content_id == comment.content_id,
            Comment.parent_id.is_(None))
        if not self.may_moderate(comment.kind, self.content(comment.kind, comment.content_id,
                                                             viewer), viewer):
            query = query.where(Comment.hidden.is_(False))
        before = self.db.scalar(select(func.count()).select_from(
            query.where(Comment.id < top_id).subquery()))
        if before < first:
            return None
        skip = before - before % per_page
        if skip == 0:
            return "0"
        return str(self.db.scalar(query.where(Comment.id < top_id).order_by(Comment.id)
                                  .offset(skip - 1).limit(1)))

    def participant_ids(self, kind_name: str, content_id: int) -> list[int]:
        kind = self.kind(kind_name)
        if kind is None:
            return []
        ids = []
        if kind.owner:
            owner = self.db.scalar(select(getattr(kind.model, kind.owner))
                                   .where(kind.model.id == content_id))
            if owner is not None:
                ids.append(owner)
        authors = self.db.scalars(
            select(Comment.author_id).where(
                Comment.kind == kind_name, Comment.content_id == content_id,
                Comment.author_id.is_not(None), Comment.deleted.is_(False))
            .group_by(Comment.author_id).order_by(Comment.author_id))
        return ids + [author for author in authors if author not in ids]

    # -- writing ------------------------------------------------------------------------------

    def _check_body(self, body: str) -> str:
        body = (body or "").strip()
        if not body:
            raise CommentError(_("Write something first."), field="body")
        if len(body) > BODY_LENGTH:
            raise CommentError(_("Keep the comment under ${most} characters.",
                                 mapping={"most": BODY_LENGTH}), field="body")
        return body

    def _limit(self, rate: str, key: str, actor) -> None:
        verdict = self.request.ratelimiter.hit(rate, key, str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("You are going too fast. Wait ${seconds} seconds, then try "
                                "again.", mapping={"seconds": verdict.retry_after}))

    def post(self, actor, kind_name: str, row, body: str, parent=None) -> Comment:
        actor = active(actor)
        if actor is None or self.content(kind_name, getattr(row, "id", None), actor) is None:
            raise NotFound(_("This page does not exist, or you may not see it."))
        if not self.is_open(kind_name, row):
            raise Forbidden(_("Comments are closed here."))
        if not self.may_comment(kind_name, row, actor):
            raise Forbidden(_("You may not comment here."))
        if parent is not None:
            if parent.parent_id is not None:  # one level: a reply to a reply joins its thread
                parent = self.db.get(Comment, parent.parent_id)
            if (parent is None or parent.kind != kind_name or parent.content_id != row.id
                    or parent.deleted or parent.hidden):
                raise NotFound(_("This comment does not exist, or you may not see it."))
        body = self._check_body(body)
        if not self.may_moderate(kind_name, row, actor):
            self._limit(self.settings["comments.post_rate"], "comments-post", actor)
        comment = Comment(kind=kind_name, content_id=row.id, author_id=actor.id, body=body,
                          parent_id=parent.id if parent is not None else None,
                          created_at=utcnow(), hidden=False, deleted=False)
        self.db.add(comment)
        self.db.flush()
        kind = self.kind(kind_name)
        owner_id = getattr(row, kind.owner, None) if kind.owner else None
        publish(self.request, CommentPosted(
            actor_id=actor.id, comment_id=comment.id, kind=kind_name, content_id=row.id,
            parent_id=comment.parent_id, owner_id=owner_id))
        publish_mentions(self.request, actor, CONTENT_TYPE, comment.id, body)
        return comment

    def _found(self, comment: Comment, actor):
        found = self.comment(comment.id, actor) if active(actor) is not None else None
        if found is None:
            raise NotFound(_("This comment does not exist, or you may not see it."))
        return found

    def _event_keys(self, comment: Comment, actor) -> dict:
        return {"actor_id": actor.id, "comment_id": comment.id, "kind": comment.kind,
                "content_id": comment.content_id}

    def edit(self, actor, comment: Comment, body: str) -> None:
        _comment, kind, row = self._found(comment, actor)
        if not self.may_edit(comment, actor, self.may_moderate(kind.name, row, actor)):
            raise Forbidden(_("Comments can be edited only by their authors, within ${minutes} "
                              "minutes of writing them.",
                              mapping={"minutes": self.settings["comments.edit_minutes"]}))
        body = self._check_body(body)
        before = set(self.db.scalars(select(User.id).where(
            User.username_key.in_(mentioned_usernames(comment.body)))))
        comment.body = body
        comment.edited_at = utcnow()
        self.db.flush()
        publish(self.request, CommentEdited(**self._event_keys(comment, actor)))
        publish_mentions(self.request, actor, CONTENT_TYPE, comment.id, body, already=before)

    def delete(self, actor, comment: Comment):
        """Returns the content's row, to go back to."""
        _comment, kind, row = self._found(comment, actor)
        if not self.may_delete(comment, actor, self.may_moderate(kind.name, row, actor)):
            raise Forbidden(_("Only its author or a moderator may delete this comment."))
        publish(self.request, CommentDeleted(**self._event_keys(comment, actor)))
        parent_id = comment.parent_id
        if self._has_replies(comment.id):
            comment.deleted, comment.body = True, ""
            self.db.execute(delete(CommentReport).where(CommentReport.comment_id == comment.id))
        else:
            self.db.delete(comment)
        self.db.flush()
        if parent_id is not None:  # an emptied comment whose last reply went goes too
            parent = self.db.get(Comment, parent_id)
            if parent is not None and parent.deleted and not self._has_replies(parent_id):
                self.db.delete(parent)
                self.db.flush()
        return row

    def _has_replies(self, comment_id: int) -> bool:
        return bool(self.db.scalar(select(exists().where(
            Comment.parent_id == comment_id, Comment.deleted.is_(False)))))

    # -- moderation ---------------------------------------------------------------------------

    def report(self, actor, comment: Comment, reason: str) -> CommentReport:
        self._found(comment, actor)
        reason = (reason or "").strip()
        if not reason:
            raise CommentError(_("Say in a few words why moderators should look at it."),
                               field="reason")
        if len(reason) > REASON_LENGTH:
            raise CommentError(_("Keep the reason under ${most} characters.",
                                 mapping={"most": REASON_LENGTH}), field="reason")
        self._limit(self.settings["comments.report_rate"], "comments-report", actor)
        existing = self.db.scalar(select(CommentReport).where(
            CommentReport.comment_id == comment.id, CommentReport.reporter_id == actor.id,
            CommentReport.resolved_at.is_(None)))
        if existing is not None:
            existing.reason = reason
            return existing
        report = CommentReport(comment_id=comment.id, reporter_id=actor.id, reason=reason,
                               created_at=utcnow())
        self.db.add(report)
        self.db.flush()
        return report

    def _moderated(self, actor, comment: Comment):
        _comment, kind, row = self._found(comment, actor)
        if not self.may_moderate(kind.name, row, actor):
            raise Forbidden(_("Only the moderators of this page may do this."))
        return kind, row

    def _resolve(self, actor, comment: Comment, outcome: str) -> None:
        self.db.execute(update(CommentReport).where(
            CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
            .values(resolved_at=utcnow(), resolved_by_id=actor.id, outcome=outcome)
            .execution_options(synchronize_session=False))

    def set_hidden(self, actor, comment: Comment, hidden: bool):
        _kind, row = self._moderated(actor, comment)
        if comment.hidden != hidden:
            comment.hidden = hidden
            self.db.flush()
            publish(self.request, CommentHidden(**self._event_keys(comment, actor),
                                                hidden=hidden))
        if hidden:
            self._resolve(actor, comment, "hidden")
        return row

    def dismiss_reports(self, actor, comment: Comment):
        _kind, row = self._moderated(actor, comment)
        self._resolve(actor, comment, "dismissed")
        return row

    def set_closed(self, actor, kind_name: str, row, closed: bool) -> None:
        if active(actor) is None or self.content(kind_name, row.id, actor) is None:
            raise NotFound(_("This page does not exist, or you may not see it."))
        if not self.may_moderate(kind_name, row, actor):
            raise Forbidden(_("Only the moderators of this page may do this."))
        existing = self.db.get(ClosedThread, (kind_name, row.id))
        if closed and existing is None:
            self.db.add(ClosedThread(kind=kind_name, content_id=row.id, closed_by_id=actor.id,
                                     closed_at=utcnow()))
        elif not closed and existing is not None:
            self.db.delete(existing)
        self.db.flush()

    # -- housekeeping and personal data -------------------------------------------------------

    def sweep(self) -> int:
        """Delete the comments (and switches) of contents that are gone; returns how many."""
        gone = 0
        for kind in self.kinds():
            ids = select(kind.model.id)
            result = self.db.execute(delete(Comment).where(
                Comment.kind == kind.name, Comment.content_id.not_in(ids))
                .execution_options(synchronize_session=False))
            gone += result.rowcount or 0
            self.db.execute(delete(ClosedThread).where(
                ClosedThread.kind == kind.name, ClosedThread.content_id.not_in(ids)))
        return gone

    def export(self, user) -> dict:
        comments = self.db.scalars(select(Comment).where(Comment.author_id == user.id,
                                                         Comment.deleted.is_(False))
                                   .order_by(Comment.id))
        reports = self.db.scalars(select(CommentReport).where(
            CommentReport.reporter_id == user.id).order_by(CommentReport.id))
        return {
            "comments": [{
                "id": c.id, "on": c.kind, "content_id": c.content_id, "reply_to": c.parent_id,
                "text": c.body, "created_at": c.created_at.isoformat(),
                "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                "hidden_by_moderators": c.hidden,
            } for c in comments],
            "reports": [{"comment_id": r.comment_id, "reason": r.reason,
                         "created_at": r.created_at.isoformat()} for r in reports],
        }

    def erase(self, user) -> None:
        """Forget the member's reports; their comments stay, shown as by a former member, as
        forum posts do, so that discussions keep their sense."""
        self.db.execute(delete(CommentReport).where(CommentReport.reporter_id == user.id))
        self.db.execute(update(CommentReport).where(CommentReport.resolved_by_id == user.id)
                        .values(resolved_by_id=None))
        self.db.execute(update(ClosedThread).where(ClosedThread.closed_by_id == user.id)
                        .values(closed_by_id=None))
        self.db.flush()


def comment_service_factory(context, request) -> CommentService:
    return CommentService(request)


def visible_comments(request, viewer):
    """The condition of the ``comments.comment`` content type."""
    return CommentService(request).visible(viewer)


def comment_url(request, comment) -> str:
    return request.route_url("comments_comment", id=comment.id)

