"""The social layer's rules: status updates, activity entries and the streams that read them.

Every stream is one query on ``social_entry``, newest first, bounded by key (``before`` an
entry id), and filtered by ``entry_visible(viewer)``: the entry's subject must pass its
content type's condition now (``core.content``), its group's content must be visible to the
viewer, the entry must not be hidden by a moderator, and its actor must not be blocked either
way. Nothing about visibility is stored with an entry, so a group turning hidden, a topic
hidden by a moderator or a block hides the entries at once, everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    and_,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.exc import IntegrityError
from zope.interface import implementer

from core.accounts.models import User
from core.content import CONTENT_TYPES, content_type, may_see
from core.db import utcnow
from core.errors import Forbidden, NotFound, RateLimited
from core.events import publish
from core.extensions import registered_map
from core.mentions import publish_mentions
from plugins.groups.interfaces import group_service
from plugins.social import _
from plugins.social.events import (
    ConnectionAccepted,
    ConnectionRequested,
    EntryModerated,
    MemberFollowed,
    StatusPosted,
)
from plugins.social.interfaces import ISocialService, SocialError
from plugins.social.models import (
    Block,
    Connection,
    Entry,
    Follow,
    Mention,
    Preferences,
    Reaction,
    Report,
    Status,
)
from plugins.social.verbs import STATUS, VERBS

CONTENT_TYPE = "social.status"
MODERATE = "social.moderate"
# The reactions to an entry, and the column counting each.
REACTIONS = {"favourite": "favourite_count", "in": "in_count", "applause": "applause_count"}
FOLLOWS_VISIBILITY = ("everyone", "members", "connections")
STATUS_MAX = 2000


def visible_statuses(request, viewer):
    """The content type's condition: a status update of a profile for whoever may see the
    site, one of a group for whoever may see the group's content; never a hidden one, nor
    one of a member the viewer blocked or who blocked the viewer."""
    if viewer is None and request.site_settings.visibility != "public":
        return false()
    groups = group_service(request)
    where = Status.group_id.is_(None)
    if groups is not None:
        where = or_(where, Status.group_id.in_(groups.content_visible_ids(viewer)))
    where = and_(where, Status.hidden.is_(False))
    if viewer is not None and not isinstance(viewer, type):
        where = and_(where, Status.author_id.not_in(blocked_select(viewer.id)))
    return where


def blocked_select(user_id):
    """SELECT of the ids of the members ``user_id`` blocked or who blocked them."""
    return select(Block.blocked_id).where(Block.user_id == user_id).union(
        select(Block.user_id).where(Block.blocked_id == user_id))


@dataclass
class Page:
    """A page of a stream: the entries shown, and the key of the next page (or None)."""

    items: list = field(default_factory=list)
    next_before: int | None = None
    mine: set = field(default_factory=set)  # (entry id, reaction) of the reader's reactions
    moderation: set = field(default_factory=set)  # ids the reader may delete or hide


@dataclass
class Shown:
    """An entry ready to be shown: the row, its actor, its subject's label and address, the
    group it happened in, and for a status update its rendered text."""

    entry: Entry
    verb: object
    actor: User | None
    label: str
    url: str
    group: object = None
    html: object = None
    target: tuple | None = None  # the site's page the status links to: (content type, id)
    previews: list = field(default_factory=list)


@implementer(ISocialService)
class SocialService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.settings = request.registry.settings

    # -- the interface other plugins use -----------------------------------------------------

    def connected(self, user_id, other_id) -> bool:
        if user_id is None or other_id is None or user_id == other_id:
            return False
        return self.dbsession.execute(select(Connection.id).where(
            Connection.state == "accepted",
            or_(and_(Connection.requester_id == user_id, Connection.addressee_id == other_id),
                and_(Connection.requester_id == other_id, Connection.addressee_id == user_id)),
        )).first() is not None

    def connection_ids(self, user_id):
        accepted = Connection.state == "accepted"
        return select(Connection.addressee_id).where(
            accepted, Connection.requester_id == user_id).union(
            select(Connection.requester_id).where(accepted, Connection.addressee_id == user_id))

    def blocked(self, user_id, other_id) -> bool:
        if user_id is None or other_id is None or user_id == other_id:
            return False
        return self.dbsession.execute(select(Block.id).where(
            or_(and_(Block.user_id == user_id, Block.blocked_id == other_id),
                and_(Block.user_id == other_id, Block.blocked_id == user_id)),
        )).first() is not None

    def blocked_ids(self, user_id):
        return blocked_select(user_id)

    def follower_ids(self, subject_kind, subject_id):
        return select(Follow.user_id).where(Follow.subject_kind == subject_kind,
                                            Follow.subject_id == subject_id)

    # -- follows, connections, blocks --------------------------------------------------------

    def _hit(self, actor, what: str) -> None:
        verdict = self.request.ratelimiter.hit(self.settings["social.action_rate"],
                                               "social-action", str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("That was a lot at once; wait a little and try again."))

    def _other(self, actor, other):
        self._check_actor(actor)
        if other is None or other.status != "active":
            raise NotFound(_("This member is not here."))
        if other.id == actor.id:
            raise SocialError(_("That is you."))

    def follows(self, user, subject_kind, subject_id) -> bool:
        if user is None:
            return False
        return self.dbsession.execute(select(Follow.id).where(
            Follow.user_id == user.id, Follow.subject_kind == subject_kind,
            Follow.subject_id == subject_id)).first() is not None

    def follow_member(self, actor, other) -> None:
        self._other(actor, other)
        if self.blocked(actor.id, other.id):
            raise SocialError(_("You cannot follow this member."))
        self._follow(actor, "member", other.id)

    def follow_group(self, actor, group) -> None:
        self._check_actor(actor)
        self._follow(actor, "group", group.id)

    def _follow(self, actor, kind, subject_id) -> None:
        if self.follows(actor, kind, subject_id):
            return
        self._hit(actor, "follow")
        self.dbsession.add(Follow(user_id=actor.id, subject_kind=kind, subject_id=subject_id))
        self.dbsession.flush()
        publish(self.request, MemberFollowed(actor_id=actor.id, subject_kind=kind,
                                             subject_id=subject_id))

    def unfollow(self, actor, subject_kind, subject_id) -> None:
        self._check_actor(actor)
        self.dbsession.execute(delete(Follow).where(
            Follow.user_id == actor.id, Follow.subject_kind == subject_kind,
            Follow.subject_id == subject_id))

    def connection(self, user, other) -> Connection | None:
        """The connection or request between the two, either way, or None."""
        if user is None or other is None:
            return None
        return self.dbsession.scalars(select(Connection).where(
            or_(and_(Connection.requester_id == user.id, Connection.addressee_id == other.id),
                and_(Connection.requester_id == other.id, Connection.addressee_id == user.id)),
        )).first()

    def request_connection(self, actor, other) -> Connection:
        """Ask ``other`` to connect; if they had asked already, that accepts their request."""
        self._other(actor, other)
        if self.blocked(actor.id, other.id):
            raise SocialError(_("You cannot connect with this member."))
        existing = self.connection(actor, other)
        if existing is not None:
            if existing.state == "pending" and existing.addressee_id == actor.id:
                return self.accept(actor, other)
            return existing
        self._hit(actor, "connect")
        connection = Connection(requester_id=actor.id, addressee_id=other.id)
        self.dbsession.add(connection)
        self.dbsession.flush()
        publish(self.request, ConnectionRequested(actor_id=actor.id, other_id=other.id,
                                                  connection_id=connection.id))
        return connection

    def _pending_from(self, requester, addressee) -> Connection:
        connection = self.connection(requester, addressee)
        if connection is None or connection.state != "pending" \
                or connection.requester_id != requester.id:
            raise SocialError(_("There is no such request."))
        return connection

    def accept(self, actor, other) -> Connection:
        self._other(actor, other)
        connection = self._pending_from(other, actor)
        connection.state = "accepted"
        connection.accepted_at = utcnow()
        self.dbsession.flush()
        publish(self.request, ConnectionAccepted(actor_id=actor.id, other_id=other.id,
                                                 connection_id=connection.id))
        return connection

    def decline(self, actor, other) -> None:
        self._other(actor, other)
        self.dbsession.delete(self._pending_from(other, actor))

    def withdraw(self, actor, other) -> None:
        self._other(actor, other)
        self.dbsession.delete(self._pending_from(actor, other))

    def disconnect(self, actor, other) -> None:
        self._other(actor, other)
        connection = self.connection(actor, other)
        if connection is None or connection.state != "accepted":
            raise SocialError(_("You are not connected with this member."))
        self.dbsession.delete(connection)

    def block(self, actor, other) -> None:
        """Block ``other``: follows and connections between the two end, and neither can
        follow, connect with or mention the other, nor see the other's status updates."""
        self._other(actor, other)
        if self.dbsession.execute(select(Block.id).where(
                Block.user_id == actor.id, Block.blocked_id == other.id)).first() is not None:
            return
        self._hit(actor, "block")
        self.dbsession.add(Block(user_id=actor.id, blocked_id=other.id))
        pair = or_(and_(Follow.user_id == actor.id, Follow.subject_id == other.id),
                   and_(Follow.user_id == other.id, Follow.subject_id == actor.id))
        self.dbsession.execute(delete(Follow).where(Follow.subject_kind == "member", pair))
        connection = self.connection(actor, other)
        if connection is not None:
            self.dbsession.delete(connection)
        self.dbsession.flush()

    def unblock(self, actor, other) -> None:
        self._check_actor(actor)
        self.dbsession.execute(delete(Block).where(Block.user_id == actor.id,
                                                   Block.blocked_id == other.id))

    def has_blocked(self, user, other) -> bool:
        """Whether ``user`` blocked ``other`` (one way: what the block button shows)."""
        if user is None or other is None:
            return False
        return self.dbsession.execute(select(Block.id).where(
            Block.user_id == user.id, Block.blocked_id == other.id)).first() is not None

    def pending_for(self, user):
        """Requests waiting for ``user``'s answer, oldest first, with their senders."""
        return self.dbsession.execute(
            select(Connection, User).join(User, User.id == Connection.requester_id)
            .where(Connection.addressee_id == user.id, Connection.state == "pending",
                   User.status == "active").order_by(Connection.id)).all()

    def people(self, ids_select, before=None, limit=50):
        """Active members among ``ids_select``, by id, a keyset page (id above ``after``)."""
        query = select(User).where(User.id.in_(ids_select), User.status == "active")
        if before is not None:
            query = query.where(User.id > before)
        rows = self.dbsession.scalars(query.order_by(User.id).limit(limit + 1)).all()
        return rows[:limit], rows[limit - 1].id if len(rows) > limit else None

    def following_ids(self, user_id, subject_kind="member"):
        return select(Follow.subject_id).where(Follow.user_id == user_id,
                                               Follow.subject_kind == subject_kind)

    def preferences(self, user) -> Preferences:
        prefs = self.dbsession.get(Preferences, user.id)
        return prefs if prefs is not None else Preferences(
            user_id=user.id, share_rsvps=False, announce_arrival=False,
            follows_visibility="members", seen_entry_id=0)

    def save_preferences(self, actor, values: dict) -> Preferences:
        self._check_actor(actor)
        prefs = self.dbsession.get(Preferences, actor.id)
        if prefs is None:
            prefs = Preferences(user_id=actor.id)
            self.dbsession.add(prefs)
        if values.get("follows_visibility") not in FOLLOWS_VISIBILITY:
            raise SocialError(_("Choose who sees your follows."))
        prefs.share_rsvps = bool(values.get("share_rsvps"))
        prefs.follows_visibility = values["follows_visibility"]
        announce = bool(values.get("announce_arrival"))
        if announce and not prefs.announce_arrival:
            self.record_once("accounts.arrived", actor.id, "profiles.profile", actor.id)
        elif not announce and prefs.announce_arrival:
            self.dbsession.execute(delete(Entry).where(Entry.verb == "accounts.arrived",
                                                       Entry.actor_id == actor.id))
        prefs.announce_arrival = announce
        self.dbsession.flush()
        return prefs

    def may_see_follows(self, member, viewer) -> bool:
        """Whether ``viewer`` may see whom ``member`` follows and who follows them."""
        if viewer is not None and viewer.id == member.id:
            return True
        level = self.preferences(member).follows_visibility
        if level == "everyone":
            return True
        if viewer is None or self.blocked(member.id, viewer.id):
            return False
        return level == "members" or self.connected(member.id, viewer.id)

    # -- status updates ----------------------------------------------------------------------

    def _check_actor(self, actor):
        if actor is None or actor.status != "active":
            raise Forbidden(_("Log in with an active account to do this."))

    def post_status(self, actor, body: str, group=None) -> Status:
        """Post ``body`` on the actor's profile, or in ``group`` (the actor must be a member)."""
        self._check_actor(actor)
        body = (body or "").strip()
        if not body:
            raise SocialError(_("Write something first."), field="body")
        if len(body) > STATUS_MAX:
            raise SocialError(_("A status update holds at most ${count} characters.",
                                mapping={"count": STATUS_MAX}), field="body")
        if group is not None:
            groups = group_service(self.request)
            if groups is None or groups.role(group, actor) is None:
                raise Forbidden(_("Only the group's members may post in it."))
        verdict = self.request.ratelimiter.hit(self.settings["social.post_rate"],
                                               "social-post", str(actor.id))
        if not verdict.allowed:
            raise RateLimited(_("You have posted a lot just now; wait a little and try again."))
        status = Status(author_id=actor.id, group_id=group.id if group else None, body=body)
        self.dbsession.add(status)
        self.dbsession.flush()
        entry = self.record(STATUS, actor.id, CONTENT_TYPE, status.id, status.group_id)
        self.mention(actor, CONTENT_TYPE, status.id, body, entry)
        publish(self.request, StatusPosted(actor_id=actor.id, status_id=status.id,
                                           group_id=status.group_id))
        return status

    def mention(self, actor, kind: str, row_id: int, body: str, entry=None,
                publish: bool = True) -> list[int]:
        """Tell the members ``body`` names, except those who may not see the content (by
        ``kind``'s condition: outside its group...) and those blocked either way: a mention
        must never carry what its reader may not see. With ``entry``, it joins their
        personal streams."""
        from core.mentions import mentioned_usernames

        keys = mentioned_usernames(body)
        if not keys or actor is None:
            return []
        named = self.dbsession.scalars(select(User).where(User.username_key.in_(keys),
                                                          User.status == "active")).all()
        blocked = set(self.dbsession.scalars(blocked_select(actor.id)))
        skip = {user.id for user in named
                if user.id in blocked or not may_see(self.request, kind, row_id, user)}
        if publish:
            mentioned = publish_mentions(self.request, actor, kind, row_id, body, already=skip)
        else:  # told already by the plugin that owns the content: only the streams learn it
            mentioned = [user.id for user in named if user.id not in skip | {actor.id}]
        if entry is not None:
            for user_id in mentioned:
                self.dbsession.add(Mention(entry_id=entry.id, user_id=user_id))
        return mentioned

    # -- favourites and reactions ------------------------------------------------------------

    def react(self, actor, entry, kind: str) -> bool:
        """Add ``actor``'s ``kind`` (favourite, in, applause) to ``entry``, or take it back
        when it is there; True when it is there afterwards. Counts change in SQL."""
        self._check_actor(actor)
        if kind not in REACTIONS:
            raise SocialError(_("There is no such reaction."))
        column = REACTIONS[kind]
        found = self.dbsession.scalars(select(Reaction).where(
            Reaction.entry_id == entry.id, Reaction.user_id == actor.id,
            Reaction.kind == kind)).first()
        if found is not None:
            deleted = self.dbsession.execute(delete(Reaction).where(Reaction.id == found.id))
            if deleted.rowcount:
                self.dbsession.execute(update(Entry).where(Entry.id == entry.id).values(
                    {column: getattr(Entry, column) - 1}))
            return False
        self._hit(actor, "react")
        try:
            with self.dbsession.begin_nested():
                self.dbsession.add(Reaction(entry_id=entry.id, user_id=actor.id, kind=kind))
        except IntegrityError:
            return True  # a second click that raced the first
        self.dbsession.execute(update(Entry).where(Entry.id == entry.id).values(
            {column: getattr(Entry, column) + 1}))
        return True

    def reactions_of(self, user, entry_ids) -> set[tuple[int, str]]:
        """(entry id, kind) of ``user``'s reactions among ``entry_ids``: one query."""
        if user is None or not entry_ids:
            return set()
        return set(self.dbsession.execute(select(Reaction.entry_id, Reaction.kind).where(
            Reaction.user_id == user.id, Reaction.entry_id.in_(entry_ids))).all())

    # -- reports and moderation --------------------------------------------------------------

    def site_moderator(self, actor) -> bool:
        if actor is None or actor.status != "active":
            return False
        if actor.is_admin:
            return True
        return actor is self.request.user and bool(self.request.has_permission(MODERATE))

    def moderated_group_ids(self, actor):
        """SELECT of the ids of the groups ``actor`` moderates (or administers)."""
        from plugins.groups.models import Membership

        return select(Membership.group_id).where(
            Membership.user_id == actor.id, Membership.state == "member",
            Membership.role.in_(("moderator", "admin")))

    def may_moderate(self, actor, entry) -> bool:
        if self.site_moderator(actor):
            return True
        if actor is None or entry.group_id is None or group_service(self.request) is None:
            return False
        return entry.group_id in set(self.dbsession.scalars(self.moderated_group_ids(actor)))

    def moderation_of(self, actor, entries) -> set[int]:
        """Ids of ``entries`` that ``actor`` may hide or delete: their own, and those they
        moderate; one query at most."""
        if actor is None or actor.status != "active":
            return set()
        own = {e.id for e in entries if e.actor_id == actor.id}
        if self.site_moderator(actor):
            return {e.id for e in entries}
        group_ids = {e.group_id for e in entries if e.group_id}
        if not group_ids or group_service(self.request) is None:
            return own
        moderated = set(self.dbsession.scalars(self.moderated_group_ids(actor)))
        return own | {e.id for e in entries if e.group_id in moderated}

    def report(self, actor, entry, reason: str) -> None:
        self._check_actor(actor)
        reason = (reason or "").strip()[:500]
        if self.dbsession.execute(select(Report.id).where(
                Report.entry_id == entry.id, Report.reporter_id == actor.id)).first():
            return
        self._hit(actor, "report")
        self.dbsession.add(Report(entry_id=entry.id, reporter_id=actor.id, reason=reason))
        self.dbsession.flush()

    def hide(self, actor, entry) -> None:
        if not self.may_moderate(actor, entry):
            raise Forbidden(_("Only the moderators may hide this."))
        entry.hidden = True
        if entry.subject_kind == CONTENT_TYPE:
            self.dbsession.execute(update(Status).where(Status.id == entry.subject_id)
                                   .values(hidden=True))
        self._resolve(entry)
        publish(self.request, EntryModerated(actor_id=actor.id, entry_id=entry.id,
                                             owner_id=entry.actor_id, outcome="hidden"))

    def delete(self, actor, entry) -> None:
        """Delete an entry (and the status update it shows): its author, or a moderator."""
        own = actor is not None and entry.actor_id == actor.id
        if not own and not self.may_moderate(actor, entry):
            raise Forbidden(_("Only its author and the moderators may delete this."))
        self._check_actor(actor)
        if not own:
            publish(self.request, EntryModerated(actor_id=actor.id, entry_id=entry.id,
                                                 owner_id=entry.actor_id, outcome="deleted"))
        if entry.subject_kind == CONTENT_TYPE:
            self.dbsession.execute(delete(Status).where(Status.id == entry.subject_id))
        self.dbsession.execute(delete(Entry).where(Entry.id == entry.id))

    def dismiss(self, actor, entry) -> None:
        if not self.may_moderate(actor, entry):
            raise Forbidden(_("Only the moderators may do this."))
        self._resolve(entry)

    def _resolve(self, entry) -> None:
        self.dbsession.execute(update(Report).where(Report.entry_id == entry.id)
                               .values(resolved=True))

    def reported(self, actor, before=None, limit=20) -> Page:
        """Entries with open reports that ``actor`` moderates and may see (hidden ones too),
        newest report first."""
        query = (select(Entry).where(self.entry_visible(actor, with_hidden=True),
                                     Entry.id.in_(select(Report.entry_id).where(
                                         Report.resolved.is_(False)))))
        if not self.site_moderator(actor):
            query = query.where(Entry.group_id.in_(self.moderated_group_ids(actor)))
        if before is not None:
            query = query.where(Entry.id < before)
        rows = self.dbsession.scalars(query.order_by(Entry.id.desc()).limit(limit + 1)).all()
        more = len(rows) > limit
        return Page(self.shown(rows[:limit]), rows[limit - 1].id if more else None)

    # -- entries -----------------------------------------------------------------------------

    def record(self, verb: str, actor_id, subject_kind: str, subject_id: int,
               group_id=None) -> Entry:
        entry = Entry(verb=verb, actor_id=actor_id, subject_kind=subject_kind,
                      subject_id=subject_id, group_id=group_id)
        self.dbsession.add(entry)
        self.dbsession.flush()
        return entry

    def record_once(self, verb, actor_id, subject_kind, subject_id, group_id=None):
        """Record unless the same actor already has the same entry on the same subject (an
        answer changed back and forth, a poll closed twice)."""
        found = self.dbsession.execute(select(Entry.id).where(
            Entry.subject_kind == subject_kind, Entry.subject_id == subject_id,
            Entry.verb == verb, Entry.actor_id == actor_id if actor_id else
            Entry.actor_id.is_(None))).first()
        if found is None:
            self.record(verb, actor_id, subject_kind, subject_id, group_id)

    def forget_subject(self, subject_kind: str, subject_id: int) -> None:
        self.dbsession.execute(delete(Entry).where(Entry.subject_kind == subject_kind,
                                                   Entry.subject_id == subject_id))

    def forget_group(self, group_id: int) -> None:
        self.dbsession.execute(delete(Follow).where(Follow.subject_kind == "group",
                                                    Follow.subject_id == group_id))
        self.dbsession.execute(delete(Entry).where(Entry.group_id == group_id))
        self.dbsession.execute(delete(Status).where(Status.group_id == group_id))

    # -- reading -----------------------------------------------------------------------------

    def kinds(self) -> dict:
        """The content types entries may name, among those registered now."""
        known = registered_map(self.request.registry, CONTENT_TYPES)
        names = {verb.subject for verb in VERBS.values()}
        return {name: known[name] for name in names if name in known}

    def entry_visible(self, viewer, with_hidden=False):
        """The condition on ``Entry`` of the entries ``viewer`` may see now (with those a
        moderator hid, for the moderators' queue)."""
        from core.content import _viewer

        viewer = _viewer(viewer)
        parts = []
        for name, kind in sorted(self.kinds().items()):
            model = kind.model
            # OFFSET 0 keeps PostgreSQL from turning the EXISTS into a hash of every visible
            # row of the kind: a stream reads a page by key, and asks of each row it meets.
            parts.append(and_(Entry.subject_kind == name, exists(
                select(model.id).where(model.id == Entry.subject_id,
                                       kind.condition(self.request, viewer)).offset(0))))
        if not parts:
            return false()
        where = or_(*parts) if with_hidden else and_(Entry.hidden.is_(False), or_(*parts))
        groups = group_service(self.request)
        if groups is not None:
            where = and_(where, or_(Entry.group_id.is_(None),
                                    Entry.group_id.in_(groups.content_visible_ids(viewer))))
        else:
            where = and_(where, Entry.group_id.is_(None))
        if viewer is not None:
            where = and_(where, or_(Entry.actor_id.is_(None),
                                    Entry.actor_id.not_in(blocked_select(viewer.id))))
        return where

    def personal_ids(self, viewer, before=None):
        """What a member's own stream gathers, as a SELECT of entry ids: their own entries,
        those of the members they follow or are connected with, of the groups they belong
        to or follow, and the entries that mention them. Each part reads its own index
        (``(actor_id, id)``, ``(group_id, id)``), so the stream starts from these entries
        rather than from the whole table, however few of the site's entries they are."""
        from plugins.groups.models import Membership

        accepted = Connection.state == "accepted"
        people = union(  # one flat UNION: SQLite takes no nested compound SELECT
            select(Follow.subject_id).where(Follow.user_id == viewer.id,
                                            Follow.subject_kind == "member"),
            select(Connection.addressee_id).where(accepted,
                                                  Connection.requester_id == viewer.id),
            select(Connection.requester_id).where(accepted,
                                                  Connection.addressee_id == viewer.id),
            select(literal(viewer.id)))
        groups = select(Follow.subject_id).where(Follow.user_id == viewer.id,
                                                 Follow.subject_kind == "group")
        if group_service(self.request) is not None:
            groups = groups.union(select(Membership.group_id).where(
                Membership.user_id == viewer.id, Membership.state == "member"))
        parts = [select(Entry.id).where(Entry.actor_id.in_(people)),
                 select(Entry.id).where(Entry.group_id.in_(groups)),
                 select(Mention.entry_id.label("id")).where(Mention.user_id == viewer.id)]
        if before is not None:
            parts = [part.where(part.selected_columns[0] < before) for part in parts]
        return union(*parts)

    def stream(self, viewer, *, member=None, group=None, personal=False, verbs=None,
               before=None, limit=20, favourites_of=None) -> Page:
        """A page of entries ``viewer`` may see, newest first: the site's, a member's, a
        group's or the viewer's own stream, of some verbs only when ``verbs`` is given."""
        if self.dbsession.get_bind().dialect.name == "postgresql":
            # The planner prices a page of a stream by every condition it might check, and
            # would compile it (JIT) for longer than it takes to read the page by key.
            self.dbsession.execute(text("SET LOCAL jit = off"))
        query = select(Entry).where(self.entry_visible(viewer))
        if member is not None:
            query = query.where(Entry.actor_id == member.id)
        if group is not None:
            query = query.where(Entry.group_id == group.id)
        if personal:
            mine = self.personal_ids(viewer, before).subquery()
            query = query.join(mine, mine.c.id == Entry.id)
        if favourites_of is not None:
            from plugins.social.models import Reaction

            query = query.where(Entry.id.in_(select(Reaction.entry_id).where(
                Reaction.user_id == favourites_of.id, Reaction.kind == "favourite")))
        if verbs:
            query = query.where(Entry.verb.in_(verbs))
        if before is not None:
            query = query.where(Entry.id < before)
        rows = self.dbsession.scalars(query.order_by(Entry.id.desc()).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(self.shown(rows), rows[-1].id if more and rows else None,
                    self.reactions_of(viewer, [row.id for row in rows]),
                    self.moderation_of(viewer, rows))

    def new_count(self, viewer, most: int = 99) -> int:
        """How many entries of ``viewer``'s own stream are newer than those they marked as
        seen, counted by the streams' rule (never more than ``most``)."""
        prefs = self.dbsession.get(Preferences, viewer.id)
        seen = prefs.seen_entry_id if prefs is not None else 0
        newer = (select(Entry.id).where(Entry.id > seen, self.entry_visible(viewer),
                                        Entry.id.in_(self.personal_ids(viewer)),
                                        Entry.actor_id != viewer.id)
                 .limit(most + 1).subquery())
        return self.dbsession.scalar(select(func.count()).select_from(newer))

    def mark_seen(self, actor, upto: int) -> None:
        """The member has seen their stream up to the entry ``upto``."""
        self._check_actor(actor)
        prefs = self.dbsession.get(Preferences, actor.id)
        if prefs is None:
            prefs = Preferences(user_id=actor.id)
            self.dbsession.add(prefs)
        prefs.seen_entry_id = max(prefs.seen_entry_id or 0, upto)
        self.dbsession.flush()

    def shown(self, entries) -> list[Shown]:
        """The entries with what showing them needs: one query per kind of subject on the
        page, one for the actors, one for the groups."""
        from plugins.social.rendering import previews, render_status

        by_kind: dict[str, set[int]] = {}
        for entry in entries:
            by_kind.setdefault(entry.subject_kind, set()).add(entry.subject_id)
        subjects = {}
        for name, ids in by_kind.items():
            kind = content_type(self.request.registry, name)
            for row in self.dbsession.scalars(select(kind.model).where(kind.model.id.in_(ids))):
                subjects[name, row.id] = (kind, row)
        actor_ids = {entry.actor_id for entry in entries if entry.actor_id}
        actors = {user.id: user for user in self.dbsession.scalars(
            select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
        group_ids = {entry.group_id for entry in entries if entry.group_id}
        groups = {}
        if group_ids and group_service(self.request) is not None:
            from plugins.groups.models import Group

            groups = {g.id: g for g in self.dbsession.scalars(
                select(Group).where(Group.id.in_(group_ids)))}
        result = []
        for entry in entries:
            found = subjects.get((entry.subject_kind, entry.subject_id))
            if found is None:
                continue
            kind, row = found
            shown = Shown(entry, VERBS.get(entry.verb), actors.get(entry.actor_id),
                          kind.label(row) if kind.label else "", kind.url(self.request, row),
                          groups.get(entry.group_id))
            if entry.subject_kind == CONTENT_TYPE:
                shown.html, shown.target = render_status(self.request, row.body)
            result.append(shown)
        found = previews(self.request, {item.target for item in result if item.target})
        for item in result:
            if item.target in found:
                item.previews = [found[item.target]]
        return result

    def visible_query(self, viewer, entry_id):
        """SELECT of ``entry_id`` when ``viewer`` may see it, hidden or not."""
        return select(Entry.id).where(Entry.id == entry_id,
                                      self.entry_visible(viewer, with_hidden=True))

    def visible_entry(self, entry_id, viewer) -> Entry | None:
        return self.dbsession.scalars(select(Entry).where(
            Entry.id == entry_id, self.entry_visible(viewer))).first()

    def status_entry(self, status_id) -> Entry | None:
        return self.dbsession.scalars(select(Entry).where(
            Entry.subject_kind == CONTENT_TYPE, Entry.subject_id == status_id)).first()

    def sees_status(self, status_id, viewer) -> bool:
        return may_see(self.request, CONTENT_TYPE, status_id, viewer)

    # -- personal data -----------------------------------------------------------------------

    def export(self, user) -> dict:
        """Everything the social layer holds about ``user``."""
        def of(model, where):
            return self.dbsession.scalars(select(model).where(where).order_by(model.id))

        def when(value):
            return value.isoformat() if value else None

        prefs = self.dbsession.get(Preferences, user.id)
        return {
            "status_updates": [
                {"id": s.id, "group_id": s.group_id, "body": s.body,
                 "created_at": when(s.created_at), "hidden": s.hidden}
                for s in of(Status, Status.author_id == user.id)],
            "activity": [
                {"id": e.id, "verb": e.verb, "subject": e.subject_kind,
                 "subject_id": e.subject_id, "group_id": e.group_id,
                 "created_at": when(e.created_at)}
                for e in of(Entry, Entry.actor_id == user.id)],
            "follows": [{"kind": f.subject_kind, "id": f.subject_id,
                         "since": when(f.created_at)}
                        for f in of(Follow, Follow.user_id == user.id)],
            "connections": [
                {"with": c.addressee_id if c.requester_id == user.id else c.requester_id,
                 "asked_by_me": c.requester_id == user.id, "state": c.state,
                 "since": when(c.accepted_at or c.created_at)}
                for c in of(Connection, or_(Connection.requester_id == user.id,
                                            Connection.addressee_id == user.id))],
            "blocked": [b.blocked_id for b in of(Block, Block.user_id == user.id)],
            "reactions": [{"entry_id": r.entry_id, "kind": r.kind, "at": when(r.created_at)}
                          for r in of(Reaction, Reaction.user_id == user.id)],
            "reports": [{"entry_id": r.entry_id, "reason": r.reason,
                         "at": when(r.created_at)}
                        for r in of(Report, Report.reporter_id == user.id)],
            "preferences": {"share_rsvps": prefs.share_rsvps,
                            "announce_arrival": prefs.announce_arrival,
                            "follows_visibility": prefs.follows_visibility} if prefs else {},
        }

    def erase(self, user) -> None:
        """Delete what ``user`` wrote and did (their entries and status updates, with the
        reactions and reports on them), their follows, connections, blocks and choices;
        take their reactions off others' counts; keep others' reports, without their name."""
        for kind, column in REACTIONS.items():
            theirs = select(func.count()).where(
                Reaction.entry_id == Entry.id, Reaction.user_id == user.id,
                Reaction.kind == kind).scalar_subquery()
            self.dbsession.execute(update(Entry).where(Entry.id.in_(
                select(Reaction.entry_id).where(Reaction.user_id == user.id,
                                                Reaction.kind == kind)))
                .values({column: getattr(Entry, column) - theirs}))
        mine = select(Entry.id).where(Entry.actor_id == user.id)
        for model in (Reaction, Mention, Report):
            self.dbsession.execute(delete(model).where(model.entry_id.in_(mine)))
        self.dbsession.execute(delete(Reaction).where(Reaction.user_id == user.id))
        self.dbsession.execute(delete(Mention).where(Mention.user_id == user.id))
        self.dbsession.execute(update(Report).where(Report.reporter_id == user.id)
                               .values(reporter_id=None, reason=""))
        self.dbsession.execute(delete(Entry).where(or_(
            Entry.actor_id == user.id,
            and_(Entry.subject_kind == "profiles.profile", Entry.subject_id == user.id))))
        self.dbsession.execute(delete(Status).where(Status.author_id == user.id))
        self.dbsession.execute(delete(Follow).where(or_(
            Follow.user_id == user.id,
            and_(Follow.subject_kind == "member", Follow.subject_id == user.id))))
        self.dbsession.execute(delete(Connection).where(or_(
            Connection.requester_id == user.id, Connection.addressee_id == user.id)))
        self.dbsession.execute(delete(Block).where(or_(Block.user_id == user.id,
                                                       Block.blocked_id == user.id)))
        self.dbsession.execute(delete(Preferences).where(Preferences.user_id == user.id))


def social_service_factory(context, request):
    return SocialService(request)


