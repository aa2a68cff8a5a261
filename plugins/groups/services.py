"""Groups as the person asking may see them, and every change to groups and memberships.

Two rules decide who sees what: ``listed_ids`` (who may know of a group: the condition of the
content type ``groups.group``) and ``content_visible_ids`` (who may see what a group holds),
SELECTs of group ids that every listing, in this plugin and in others, puts in its WHERE
clause.

Every change takes the acting member (``actor``) and checks what they may do here, whoever
calls: a view, a job, a command. It publishes what happened (``plugins.groups.events``) in
the same transaction; the mail it causes is written by subscribers (``plugins.groups.mail``).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, false, func, or_, select, tuple_, update
from zope.interface import implementer

from core.accounts import username_key
from core.accounts.models import User, admin_condition, for_viewer, may_receive_mail
from core.db import lock, utcnow
from core.errors import Forbidden, NotFound, RateLimited
from core.events import publish
from core.pagination import decode_cursor, encode_cursor
from core.text import fold
from plugins.groups import _
from plugins.groups import events as ev
from plugins.groups.content import NAME as CONTENT_TYPE
from plugins.groups.interfaces import GroupError, IGroupService
from plugins.groups.models import (
    BANNED,
    HIDDEN,
    INVITE_POLICIES,
    INVITED,
    MEMBER,
    PRIVATE,
    PUBLIC,
    REQUESTED,
    ROLE_RANK,
    ROLES,
    STATUSES,
    Group,
    GroupType,
    Membership,
)

SORTS = ("active", "newest", "name", "members")
SLUG_LENGTH = 80
NAME_LENGTH = 120
SECRET_ENDING = 10  # random hexadecimal digits that end a hidden group's address
RESERVED_SLUGS = frozenset({"new", "mine", "admin", "types"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Who may invite, by the group's invitation policy: the least role it takes.
INVITERS = {"members": "member", "moderators": "moderator", "admins": "admin"}


def slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(words)[:SLUG_LENGTH].strip("-")


def secret_slug(slug: str) -> str:
    """``slug`` with a random ending: a hidden group's address, which nobody can guess."""
    base = slug[:SLUG_LENGTH - SECRET_ENDING - 1].rstrip("-")
    return f"{base}-{secrets.token_hex(SECRET_ENDING // 2)}"


@dataclass
class Page:
    items: list
    next_cursor: str | None


@implementer(IGroupService)
class GroupService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.settings = request.registry.settings
        self._memberships: dict[tuple[int, int], Membership | None] = {}

    # -- the visibility rule ----------------------------------------------------------------

    def _site_visible(self, viewer) -> bool:
        return viewer is not None or self.request.site_settings.visibility == "public"

    @staticmethod
    def _member_of(viewer, states=(MEMBER,)):
        return for_viewer(select(Membership.group_id).where(
            Membership.user_id == viewer.id, Membership.state.in_(states)), viewer)

    # ``viewer`` is a User, None (a stranger), or ``User`` itself: every user of the query the
    # condition goes into, which is how mail recipients are chosen with the pages' rule. For a
    # known viewer, admin_condition is a constant that SQLAlchemy folds away.

    def content_visible_ids(self, viewer):
        if viewer is None:
            if not self._site_visible(None):
                return select(Group.id).where(false())
            return select(Group.id).where(Group.status == PUBLIC)
        return for_viewer(select(Group.id).where(or_(
            admin_condition(viewer), Group.status == PUBLIC,
            Group.id.in_(self._member_of(viewer)))), viewer)

    def shown_memberships(self, member, viewer):
        """SELECT of (group_id) of the groups ``member`` belongs to that ``viewer`` may see
        them in: a public group for whoever may see the site, a private or hidden group only
        for those who may see its members (its own members, site admins), every group for the
        member themselves. Every surface that lists or counts a person's groups (the profile's
        tab, the dashboard, "my groups", any export or count shown to others) selects from it.
        """
        stmt = select(Membership.group_id).where(
            Membership.user_id == member.id, Membership.state == MEMBER)
        if viewer is not None and viewer.id == member.id:
            return stmt
        return stmt.where(Membership.group_id.in_(self.content_visible_ids(viewer)))

    def listed_ids(self, viewer):
        return for_viewer(select(Group.id).where(self.visible(viewer)), viewer)

    def visible(self, viewer):
        """Who may know of a group, as a condition on Group: the condition of the content type
        ``groups.group`` (the directory, its counts, a group's page, mail about a group).
        A hidden group is known to its members and to those invited to it."""
        if viewer is None:
            return Group.status != HIDDEN if self._site_visible(None) else false()
        return or_(admin_condition(viewer), Group.status != HIDDEN,
                   Group.id.in_(self._member_of(viewer, (MEMBER, INVITED))))

    def get(self, group_id):
        try:
            return self.dbsession.get(Group, int(group_id))
        except (TypeError, ValueError):
            return None

    def membership(self, group, user) -> Membership | None:
        if user is None:
            return None
        key = (group.id, user.id)
        if key not in self._memberships:
            self._memberships[key] = self.dbsession.get(Membership, key)
        return self._memberships[key]

    def may_know(self, group, viewer) -> bool:
        """Whether ``viewer`` may learn that ``group`` exists (the content type's condition)."""
        from core.content import may_see

        return may_see(self.request, CONTENT_TYPE, group.id, viewer)

    def find(self, slug, viewer=None):
        from core.content import visible_select

        key = (slug or "").strip().lower()[:SLUG_LENGTH]
        if not key:
            return None
        return self.dbsession.scalars(
            visible_select(self.request, CONTENT_TYPE, viewer).where(Group.slug == key)).first()

    def role(self, group, user):
        membership = self.membership(group, user)
        if membership is None or membership.state != MEMBER:
            return None
        return membership.role

    def can_see_content(self, group, user) -> bool:
        if not self._site_visible(user):
            return False
        if group.status == PUBLIC or (user is not None and user.is_admin):
            return True
        return self.role(group, user) is not None

    def member_ids(self, group):
        return select(Membership.user_id).where(
            Membership.group_id == group.id, Membership.state == MEMBER)

    def principals(self, user) -> list[str]:
        rows = self.dbsession.execute(
            select(Membership.group_id, Membership.role)
            .where(Membership.user_id == user.id, Membership.state == MEMBER)
        ).all()
        principals = []
        for group_id, role in rows:
            rank = ROLE_RANK.get(role, 0)
            principals += [f"group:{group_id}:{name}" for name in ROLES if ROLE_RANK[name] <= rank]
        return principals

    # -- what a person may do in a group ----------------------------------------------------

    def is_manager(self, group, user) -> bool:
        """A group admin, or a site admin."""
        return user is not None and (user.is_admin or self.role(group, user) == "admin")

    def is_moderator(self, group, user) -> bool:
        return user is not None and (
            user.is_admin or self.role(group, user) in ("admin", "moderator"))

    def may_invite(self, group, user) -> bool:
        if user is None:
            return False
        if user.is_admin:
            return True
        role = self.role(group, user)
        if role is None:
            return False
        return ROLE_RANK[role] >= ROLE_RANK[INVITERS.get(group.invite_policy, "admin")]

    def may_create(self, user) -> bool:
        if user is None:
            return False
        return user.is_admin or self.settings.get("groups.creators", "members") == "members"

    # -- who may do what: the checks every change starts with ------------------------------

    @staticmethod
    def _person(actor):
        """The actor, or None for a stranger: an account that is not active does nothing."""
        return actor if actor is not None and actor.can_log_in else None

    def _signed_in(self, actor):
        actor = self._person(actor)
        if actor is None:
            raise Forbidden(_("Log in to do this."))
        return actor

    def _known(self, group, actor):
        """The actor, who may know of ``group``; else the group is not found."""
        actor = self._signed_in(actor)
        if not self.may_know(group, actor):
            raise NotFound(_("There is no such group."))
        return actor

    def _in_charge(self, group, actor, admin: bool):
        """The actor, a moderator (``admin`` False) or an admin of ``group``, or a site admin.
        Someone who may not see the group's members is told it is not found."""
        actor = self._known(group, actor)
        if self.is_manager(group, actor) or (not admin and self.is_moderator(group, actor)):
            return actor
        if not self.can_see_content(group, actor):
            raise NotFound(_("Only the group's members see its members."))
        if admin:
            raise Forbidden(_("Only the group's admins may do this."))
        raise Forbidden(_("Only the group's moderators and admins may do this."))

    def _over(self, group, actor, person, admin: bool = False):
        """The actor, in charge of ``group`` and of ``person``'s place in it: a moderator acts
        on plain members (and people asking, invited or banned) only."""
        actor = self._in_charge(group, actor, admin)
        if not self.is_manager(group, actor) and self.role(group, person) in ("admin",
                                                                             "moderator"):
            raise Forbidden(_("Moderators act on plain members only; ask an admin of the "
                              "group."))
        return actor

    def _site_admin(self, actor):
        actor = self._signed_in(actor)
        if not actor.is_admin:
            raise Forbidden(_("Only the site's admins may define the types of groups."))
        return actor

    def _publish(self, event) -> None:
        publish(self.request, event)

    # -- types ------------------------------------------------------------------------------

    def types(self) -> list[GroupType]:
        return list(self.dbsession.scalars(
            select(GroupType).order_by(GroupType.position, GroupType.id)))

    def type_by_key(self, key) -> GroupType | None:
        if not key:
            return None
        return self.dbsession.scalars(select(GroupType).where(GroupType.key == key)).first()

    def add_type(self, name: str, description: str = "", key: str | None = None, *,
                 actor) -> GroupType:
        self._site_admin(actor)
        name = (name or "").strip()[:80]
        key = slugify(key or name)[:40]
        if not name or not key:
            raise GroupError(_("Give the type a name."))
        if self.type_by_key(key) is not None:
            raise GroupError(_("A type with this name already exists."))
        position = self.dbsession.scalar(select(func.coalesce(func.max(GroupType.position), 0)))
        group_type = GroupType(key=key, name=name, description=(description or "")[:500],
                               position=position + 1)
        self.dbsession.add(group_type)
        self.dbsession.flush()
        return group_type

    def update_type(self, group_type: GroupType, name: str, description: str = "", *,
                    actor) -> None:
        self._site_admin(actor)
        name = (name or "").strip()[:80]
        if not name:
            raise GroupError(_("Give the type a name."))
        group_type.name = name
        group_type.description = (description or "")[:500]
        self.dbsession.flush()

    def delete_type(self, group_type: GroupType, *, actor) -> None:
        self._site_admin(actor)
        self.dbsession.execute(update(Group).where(Group.type_id == group_type.id)
                               .values(type_id=None).execution_options(synchronize_session=False))
        self.dbsession.delete(group_type)
        self.dbsession.flush()

    # -- the directory ----------------------------------------------------------------------

    def _search_conditions(self, viewer, query: str, type_id: int | None,
                           listed: bool = True) -> list:
        """``listed=False`` only for a member's own groups, which they may all see."""
        from core.content import visible_condition

        conditions = [visible_condition(self.request, CONTENT_TYPE, viewer)] if listed else []
        text = fold(query)[:100]
        if text:
            conditions.append(or_(
                Group.sort_name.contains(text, autoescape=True),
                func.lower(Group.city).contains(text, autoescape=True),
                Group.postcode.contains(text.upper(), autoescape=True),
            ))
        if type_id is not None:
            conditions.append(Group.type_id == type_id)
        return conditions

    def directory(self, viewer, query: str = "", type_id: int | None = None,
                  sort: str = "active", after: str | None = None, limit: int | None = None,
                  only_member: bool = False) -> tuple[Page, str]:
        if sort not in SORTS:
            sort = "active"
        limit = limit or self.settings["groups.directory_page_size"]
        columns = {
            "active": ((Group.last_active_at, Group.id), False, "date"),
            "newest": ((Group.created_at, Group.id), False, "date"),
            "name": ((Group.sort_name, Group.id), True, "str"),
            "members": ((Group.member_count, Group.id), False, "int"),
        }
        (key_column, id_column), ascending, kind = columns[sort]
        if only_member and viewer is not None:
            # Driven by the member's few memberships, not by a scan of every group.
            mine = self.shown_memberships(viewer, viewer).subquery()
            stmt = select(Group).join(mine, mine.c.group_id == Group.id).where(
                *self._search_conditions(viewer, query, type_id, listed=False))
        else:
            stmt = select(Group).where(*self._search_conditions(viewer, query, type_id))
        cursor = decode_cursor(after, kind)
        if cursor is not None:
            position = tuple_(key_column, id_column)
            stmt = stmt.where(position > cursor if ascending else position < cursor)
        order = [key_column.asc(), id_column.asc()] if ascending else [
            key_column.desc(), id_column.desc()]
        groups = list(self.dbsession.scalars(stmt.order_by(*order).limit(limit + 1)))
        more = len(groups) > limit
        groups = groups[:limit]
        next_cursor = None
        if more:
            last = groups[-1]
            next_cursor = encode_cursor(getattr(last, key_column.key), last.id)
        return Page(groups, next_cursor), sort

    def count(self, viewer, query: str = "", type_id: int | None = None) -> int:
        stmt = select(func.count()).select_from(Group).where(
            *self._search_conditions(viewer, query, type_id))
        return self.dbsession.scalar(stmt)

    def roles_of(self, user, group_ids) -> dict[int, Membership]:
        """{group id: membership} of ``user`` in these groups, in one query."""
        group_ids = list(group_ids)
        if user is None or not group_ids:
            return {}
        rows = self.dbsession.scalars(select(Membership).where(
            Membership.user_id == user.id, Membership.group_id.in_(group_ids)))
        found = {row.group_id: row for row in rows}
        for group_id in group_ids:
            self._memberships[(group_id, user.id)] = found.get(group_id)
        return found

    def groups_of(self, member, viewer, after: str | None = None, limit: int = 50) -> Page:
        """The groups ``member`` belongs to that ``viewer`` may see them in
        (``shown_memberships``), by name."""
        shown = self.shown_memberships(member, viewer).subquery()
        stmt = select(Group).join(shown, shown.c.group_id == Group.id)
        cursor = decode_cursor(after, "str")
        if cursor is not None:
            stmt = stmt.where(tuple_(Group.sort_name, Group.id) > cursor)
        groups = list(self.dbsession.scalars(
            stmt.order_by(Group.sort_name, Group.id).limit(limit + 1)))
        more = len(groups) > limit
        groups = groups[:limit]
        next_cursor = encode_cursor(groups[-1].sort_name, groups[-1].id) if more else None
        return Page(groups, next_cursor)

    # -- members ----------------------------------------------------------------------------

    def people(self, group, state: str = MEMBER, after: str | None = None,
               limit: int | None = None, viewer=None) -> Page:
        """[(Membership, User, avatar token)] in joining order, one query: the people whose
        profiles ``viewer`` may see (the content type ``profiles.profile``)."""
        from core.content import visible_condition
        from plugins.profiles.interfaces import IProfileService

        limit = limit or self.settings["groups.members_page_size"]
        avatar = self.request.find_service(IProfileService).avatar_token(Membership.user_id)
        stmt = (select(Membership, User, avatar)
                .join(User, User.id == Membership.user_id)
                .where(Membership.group_id == group.id, Membership.state == state,
                       visible_condition(self.request, "profiles.profile", viewer)))
        cursor = decode_cursor(after, "date")
        if cursor is not None:
            stmt = stmt.where(tuple_(Membership.created_at, Membership.user_id) > cursor)
        rows = self.dbsession.execute(
            stmt.order_by(Membership.created_at, Membership.user_id).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more:
            last = rows[-1].Membership
            next_cursor = encode_cursor(last.created_at, last.user_id)
        return Page([tuple(row) for row in rows], next_cursor)

    def invitations_for(self, user) -> list[tuple[Membership, Group]]:
        """The invitations waiting for ``user``'s answer, newest first."""
        return [tuple(row) for row in self.dbsession.execute(
            select(Membership, Group).join(Group, Group.id == Membership.group_id)
            .where(Membership.user_id == user.id, Membership.state == INVITED)
            .order_by(Membership.created_at.desc()).limit(100)).all()]

    def state_counts(self, group) -> dict[str, int]:
        rows = self.dbsession.execute(
            select(Membership.state, func.count()).where(Membership.group_id == group.id)
            .group_by(Membership.state)).all()
        return {state: number for state, number in rows}

    def managers(self, group) -> list[User]:
        """The group's admins and moderators who may have mail about it (they answer
        requests): chosen with the rule of the group's page, as each of them sees it."""
        return list(self.dbsession.scalars(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.state == MEMBER,
                   Membership.role.in_(("admin", "moderator")), may_receive_mail(),
                   Membership.group_id.in_(self.listed_ids(User)))
            .order_by(User.id).limit(200)))

    def _admin_count(self, group) -> int:
        return self.dbsession.scalar(select(func.count()).select_from(Membership).where(
            Membership.group_id == group.id, Membership.state == MEMBER,
            Membership.role == "admin"))

    # -- creating and editing ---------------------------------------------------------------

    def _taken_by(self, slug: str, group: Group | None) -> Group | None:
        """The other group that has the address ``slug``, if any."""
        existing = self.dbsession.scalars(select(Group).where(Group.slug == slug)).first()
        return None if existing is None or existing is group else existing

    def _secret_slug(self, slug: str, group: Group | None) -> str:
        """``slug`` with a random ending that no other group has."""
        while True:
            candidate = secret_slug(slug)
            if self._taken_by(candidate, group) is None:
                return candidate

    def check_slug(self, slug: str, group: Group | None = None, actor=None,
                   hidden: bool = False) -> str:
        """The address a group gets when ``actor`` asks for ``slug``.

        Refused, with a sentence, when malformed, reserved, or taken by a group the actor may
        know of. A hidden group's address gets a random ending, so that nobody can guess it
        and no address anyone asks for is ever taken by a hidden group. An address taken by a
        group the actor may not know of (only someone who was shown a hidden group's address
        can ask for it) also gets a random ending, silently: the answer never tells that an
        invisible group exists.
        """
        slug = (slug or "").strip().lower()
        if not _SLUG.match(slug) or len(slug) > SLUG_LENGTH:
            raise GroupError(_("The address may hold lower-case letters, digits and dashes."))
        if slug in RESERVED_SLUGS:
            raise GroupError(_("This address is reserved; choose another."))
        if hidden:
            return self._secret_slug(slug, group)
        existing = self._taken_by(slug, group)
        if existing is None:
            return slug
        if self.may_know(existing, actor):
            raise GroupError(_("Another group already has this address; choose another."))
        return self._secret_slug(slug, group)

    def _apply(self, group: Group, values: dict) -> None:
        name = (values.get("name") or "").strip()[:NAME_LENGTH]
        if not name:
            raise GroupError(_("Give the group a name."))
        status = values.get("status", group.status or PUBLIC)
        if status not in STATUSES:
            raise GroupError(_("Choose public, private or hidden."))
        policy = values.get("invite_policy", group.invite_policy or "members")
        if policy not in INVITE_POLICIES:
            raise GroupError(_("Choose who may invite."))
        group.name = name
        group.sort_name = fold(name)[:NAME_LENGTH]
        group.description = (values.get("description") or "")[:20000]
        group.status = status
        group.invite_policy = policy
        group.type_id = values.get("type_id") or None
        group.postcode = (values.get("postcode") or "").strip().upper()[:12]
        group.city = (values.get("city") or "").strip()[:80]

    def _limit(self, kind: str, user) -> None:
        """Refuse, with when to try again, past the member's rate of ``kind``."""
        verdict = self.request.ratelimiter.hit(self.settings[f"groups.{kind}_rate"],
                                               f"groups-{kind}", str(user.id))
        if not verdict.allowed:
            raise RateLimited(_("You did this too often. Try again in ${seconds} seconds.",
                                mapping={"seconds": verdict.retry_after}))

    def create(self, values: dict, *, actor) -> Group:
        actor = self._signed_in(actor)
        if not self.may_create(actor):
            raise Forbidden(_("Only the site's admins may create groups."))
        self._limit("create", actor)
        slug = self.check_slug(values.get("slug") or slugify(values.get("name", "")),
                               actor=actor, hidden=values.get("status") == HIDDEN)
        now = utcnow()
        group = Group(slug=slug, created_by_id=actor.id, created_at=now, last_active_at=now,
                      member_count=1)
        self._apply(group, values)
        self.dbsession.add(group)
        self.dbsession.flush()
        self._add_member(group, actor, "admin", now)
        self._publish(ev.GroupCreated(actor_id=actor.id, group_id=group.id))
        return group

    def update(self, group: Group, values: dict, *, actor) -> None:
        """Change the group's settings; a group that becomes hidden gets a new address, with
        a random ending, so that its old one leads nowhere."""
        actor = self._in_charge(group, actor, admin=True)
        previous = group.status
        wanted = values.get("slug") or group.slug
        hidden = values.get("status", group.status) == HIDDEN
        if wanted != group.slug or (hidden and group.status != HIDDEN):
            group.slug = self.check_slug(wanted, group, actor, hidden=hidden)
        self._apply(group, values)
        self.dbsession.flush()
        if group.status != previous:
            self._publish(ev.GroupStatusChanged(actor_id=actor.id, group_id=group.id,
                                                status=group.status, previous_status=previous))
        else:
            self._publish(ev.GroupUpdated(actor_id=actor.id, group_id=group.id))

    def delete(self, group: Group, *, actor) -> None:
        """Delete the group and everything it owns, in the request's transaction.

        ``GroupDeleted`` goes to every plugin's subscribers first, while the group's row is
        still there; each deletes its own rows of the group. The pictures' files are removed
        once the transaction has committed, so an aborted deletion keeps them.
        """
        from plugins.groups import images

        actor = self._in_charge(group, actor, admin=True)
        self._publish(ev.GroupDeleted(actor_id=actor.id, group_id=group.id))
        pictures = [(group.avatar, "avatar"), (group.cover, "cover")]
        self.dbsession.execute(delete(Membership).where(Membership.group_id == group.id))
        self.dbsession.delete(group)
        self.dbsession.flush()
        self._memberships = {k: v for k, v in self._memberships.items() if k[0] != group.id}

        def remove_pictures(committed):
            if committed:
                for token, kind in pictures:
                    images.delete(self.settings, token, kind)

        self.request.tm.get().addAfterCommitHook(remove_pictures)

    def touch(self, group: Group) -> None:
        """Record activity in the group (the directory's "recently active" order)."""
        group.last_active_at = utcnow()
        self.dbsession.flush()

    def set_image(self, group: Group, upload, kind: str, *, actor) -> None:
        """Check, crop and store an uploaded avatar or cover; raises AvatarError."""
        from plugins.groups import images

        actor = self._in_charge(group, actor, admin=True)
        data = upload.file.read(self.settings["profiles.avatar_max_bytes"] + 1)
        token = images.save(self.settings, data, kind)
        old = getattr(group, kind)
        setattr(group, kind, token)
        self.dbsession.flush()
        images.delete(self.settings, old, kind)
        self._publish(ev.GroupUpdated(actor_id=actor.id, group_id=group.id))

    def remove_image(self, group: Group, kind: str, *, actor) -> None:
        from plugins.groups import images

        actor = self._in_charge(group, actor, admin=True)
        images.delete(self.settings, getattr(group, kind), kind)
        setattr(group, kind, None)
        self.dbsession.flush()
        self._publish(ev.GroupUpdated(actor_id=actor.id, group_id=group.id))

    # -- memberships ------------------------------------------------------------------------

    def _add_member(self, group, user, role="member", now=None) -> Membership:
        now = now or utcnow()
        membership = self.membership(group, user)
        if membership is None:
            membership = Membership(group_id=group.id, user_id=user.id, created_at=now)
            self.dbsession.add(membership)
            self._memberships[(group.id, user.id)] = membership
        membership.state = MEMBER
        membership.role = role
        membership.updated_at = now
        membership.created_at = now
        self.dbsession.flush()
        return membership

    def _recount(self, group) -> None:
        """Count the members again, the group's row locked first: memberships that change at
        the same moment are then either in this count or counted again after it."""
        lock(self.dbsession, group)
        group.member_count = self.dbsession.scalar(
            select(func.count()).select_from(Membership).where(
                Membership.group_id == group.id, Membership.state == MEMBER))
        self.dbsession.flush()

    def _forget(self, membership: Membership) -> None:
        self.dbsession.delete(membership)
        self._memberships[(membership.group_id, membership.user_id)] = None
        self.dbsession.flush()

    def join(self, group, *, actor) -> str:
        """Join a public group, ask to join a private one, or accept an invitation; returns
        the new state."""
        actor = self._known(group, actor)
        membership = self.membership(group, actor)
        if membership is not None:
            if membership.state == BANNED:
                raise GroupError(_("You may not join this group."))
            if membership.state == MEMBER:
                return MEMBER
            if membership.state == INVITED:
                self.accept(group, actor=actor)
                return MEMBER
            if membership.state == REQUESTED:
                return REQUESTED
        if group.status == PUBLIC:
            self._add_member(group, actor)
            self._recount(group)
            self.touch(group)
            self._publish(ev.MemberJoined(actor_id=actor.id, group_id=group.id,
                                          user_id=actor.id))
            return MEMBER
        if group.status == PRIVATE:
            self._limit("request", actor)
            now = utcnow()
            membership = Membership(group_id=group.id, user_id=actor.id, state=REQUESTED,
                                    created_at=now, updated_at=now)
            self.dbsession.add(membership)
            self._memberships[(group.id, actor.id)] = membership
            self.dbsession.flush()
            self._publish(ev.JoinRequested(actor_id=actor.id, group_id=group.id,
                                           user_id=actor.id))
            return REQUESTED
        raise GroupError(_("This group is open by invitation only."))

    def cancel_request(self, group, *, actor) -> None:
        actor = self._signed_in(actor)
        membership = self.membership(group, actor)
        if membership is not None and membership.state == REQUESTED:
            self._forget(membership)
            self._publish(ev.RequestWithdrawn(actor_id=actor.id, group_id=group.id,
                                              user_id=actor.id))

    def leave(self, group, *, actor) -> None:
        actor = self._signed_in(actor)
        membership = self.membership(group, actor)
        if membership is None or membership.state != MEMBER:
            return
        if membership.role == "admin" and self._admin_count(group) <= 1:
            raise GroupError(_("You are the group's last admin: make another member admin "
                               "before you leave, or delete the group."))
        self._forget(membership)
        self._recount(group)
        self._publish(ev.MemberLeft(actor_id=actor.id, group_id=group.id, user_id=actor.id))

    def _answer(self, group, person, state: str) -> Membership:
        membership = self.membership(group, person)
        if membership is None or membership.state != state:
            raise GroupError(_("There is nothing to answer here any more."))
        return membership

    def approve(self, group, person, *, actor) -> None:
        self._accept_request(group, person, self._over(group, actor, person))

    def _accept_request(self, group, person, actor) -> None:
        membership = self._answer(group, person, REQUESTED)
        membership.state = MEMBER
        membership.role = "member"
        membership.created_at = membership.updated_at = utcnow()
        self._recount(group)
        self._publish(ev.RequestAccepted(actor_id=actor.id, group_id=group.id,
                                         user_id=person.id))

    def reject(self, group, person, *, actor) -> None:
        actor = self._over(group, actor, person)
        self._forget(self._answer(group, person, REQUESTED))
        self._publish(ev.RequestDeclined(actor_id=actor.id, group_id=group.id,
                                         user_id=person.id))

    def person(self, user_id) -> User | None:
        """The account with this id (a form's value), or None."""
        from core.input import parse_id

        user_id = parse_id(user_id)
        return None if user_id is None else self.dbsession.get(User, user_id)

    def person_named(self, username: str) -> User | None:
        """The active member with this username (any letter case, with or without "@")."""
        key = username_key((username or "").strip().lstrip("@")[:40])
        if not key:
            return None
        return self.dbsession.scalars(
            select(User).where(User.username_key == key, User.status == "active")).first()

    def invite(self, group, person, *, actor) -> str:
        """Invite ``person``; returns the state they are in afterwards."""
        actor = self._known(group, actor)
        if not self.may_invite(group, actor):
            if not self.can_see_content(group, actor):
                raise NotFound(_("Only the group's members see its members."))
            raise Forbidden(_("You may not invite people to this group."))
        if person is None or person.status != "active":
            raise GroupError(_("No active member has this username."))
        membership = self.membership(group, person)
        if membership is not None:
            if membership.state == MEMBER:
                raise GroupError(_("${name} is already a member.",
                                   mapping={"name": person.display_name}))
            if membership.state == BANNED:
                raise GroupError(_("${name} is banned from this group; unban them first.",
                                   mapping={"name": person.display_name}))
            if membership.state == INVITED:
                raise GroupError(_("${name} is already invited.",
                                   mapping={"name": person.display_name}))
            if membership.state == REQUESTED:
                # Asked and invited: both sides agree, whoever may invite lets them in.
                self._accept_request(group, person, actor)
                return MEMBER
        self._limit("invite", actor)
        now = utcnow()
        membership = Membership(group_id=group.id, user_id=person.id, state=INVITED,
                                invited_by_id=actor.id, created_at=now, updated_at=now)
        self.dbsession.add(membership)
        self._memberships[(group.id, person.id)] = membership
        self.dbsession.flush()
        self._publish(ev.MemberInvited(actor_id=actor.id, group_id=group.id,
                                       user_id=person.id))
        return INVITED

    def accept(self, group, *, actor) -> None:
        actor = self._signed_in(actor)
        membership = self._answer(group, actor, INVITED)
        inviter_id = membership.invited_by_id
        membership.state = MEMBER
        membership.role = "member"
        membership.created_at = membership.updated_at = utcnow()
        self._recount(group)
        self.touch(group)
        self._publish(ev.InvitationAccepted(actor_id=actor.id, group_id=group.id,
                                            user_id=actor.id, inviter_id=inviter_id))

    def decline(self, group, *, actor) -> None:
        actor = self._signed_in(actor)
        membership = self._answer(group, actor, INVITED)
        inviter_id = membership.invited_by_id
        self._forget(membership)
        self._publish(ev.InvitationDeclined(actor_id=actor.id, group_id=group.id,
                                            user_id=actor.id, inviter_id=inviter_id))

    def cancel_invitation(self, group, person, *, actor) -> None:
        actor = self._over(group, actor, person)
        self._forget(self._answer(group, person, INVITED))
        self._publish(ev.InvitationWithdrawn(actor_id=actor.id, group_id=group.id,
                                             user_id=person.id))

    def set_role(self, group, person, role: str, *, actor) -> None:
        actor = self._over(group, actor, person, admin=True)
        self._set_role(group, person, role, actor.id)

    def promote(self, group, person, *, actor) -> str:
        """One role up (member, moderator, admin); returns the new role."""
        return self._step(group, person, 1, actor)

    def demote(self, group, person, *, actor) -> str:
        """One role down; returns the new role."""
        return self._step(group, person, -1, actor)

    def _step(self, group, person, step: int, actor) -> str:
        actor = self._over(group, actor, person, admin=True)
        current = self.role(group, person) or "member"
        role = ROLES[min(max(ROLES.index(current) + step, 0), len(ROLES) - 1)]
        self._set_role(group, person, role, actor.id)
        return role

    def _set_role(self, group, person, role: str, actor_id: int | None) -> None:
        if role not in ROLES:
            raise GroupError(_("Choose member, moderator or admin."))
        membership = self.membership(group, person)
        if membership is None or membership.state != MEMBER:
            raise GroupError(_("This person is not a member of the group."))
        if membership.role == "admin" and role != "admin" and self._admin_count(group) <= 1:
            raise GroupError(_("A group keeps at least one admin: make another member admin "
                               "first."))
        previous = membership.role
        if previous == role:
            return
        membership.role = role
        membership.updated_at = utcnow()
        self.dbsession.flush()
        self._publish(ev.RoleChanged(actor_id=actor_id, group_id=group.id, user_id=person.id,
                                     role=role, previous_role=previous))

    def remove(self, group, person, *, actor) -> None:
        actor = self._over(group, actor, person)
        membership = self.membership(group, person)
        if membership is None or membership.state != MEMBER:
            raise GroupError(_("This person is not a member of the group."))
        if membership.role == "admin" and self._admin_count(group) <= 1:
            raise GroupError(_("A group keeps at least one admin: make another member admin "
                               "first."))
        self._forget(membership)
        self._recount(group)
        self._publish(ev.MemberRemoved(actor_id=actor.id, group_id=group.id,
                                       user_id=person.id))

    def ban(self, group, person, *, actor) -> None:
        actor = self._over(group, actor, person)
        membership = self.membership(group, person)
        if membership is not None and membership.state == MEMBER and membership.role == "admin" \
                and self._admin_count(group) <= 1:
            raise GroupError(_("A group keeps at least one admin: make another member admin "
                               "first."))
        now = utcnow()
        if membership is None:
            membership = Membership(group_id=group.id, user_id=person.id, created_at=now)
            self.dbsession.add(membership)
            self._memberships[(group.id, person.id)] = membership
        membership.state = BANNED
        membership.role = "member"
        membership.updated_at = now
        self.dbsession.flush()
        self._recount(group)
        self._publish(ev.MemberBanned(actor_id=actor.id, group_id=group.id, user_id=person.id))

    def unban(self, group, person, *, actor) -> None:
        actor = self._over(group, actor, person)
        membership = self.membership(group, person)
        if membership is not None and membership.state == BANNED:
            self._forget(membership)
            self._publish(ev.MemberUnbanned(actor_id=actor.id, group_id=group.id,
                                            user_id=person.id))

    # -- personal data ----------------------------------------------------------------------

    def export(self, user) -> dict:
        rows = self.dbsession.execute(
            select(Membership, Group).join(Group, Group.id == Membership.group_id)
            .where(Membership.user_id == user.id).order_by(Membership.created_at)).all()
        return {
            "memberships": [{
                "group": group.name, "slug": group.slug, "state": membership.state,
                "role": membership.role if membership.state == MEMBER else None,
                "since": membership.created_at.isoformat(),
            } for membership, group in rows],
            "groups_created": [slug for slug in self.dbsession.scalars(
                select(Group.slug).where(Group.created_by_id == user.id).order_by(Group.id))],
        }

    def erase(self, user) -> None:
        group_ids = list(self.dbsession.scalars(select(Membership.group_id).where(
            Membership.user_id == user.id, Membership.state == MEMBER)))
        self.dbsession.execute(delete(Membership).where(Membership.user_id == user.id)
                               .execution_options(synchronize_session=False))
        self.dbsession.execute(update(Membership).where(Membership.invited_by_id == user.id)
                               .values(invited_by_id=None)
                               .execution_options(synchronize_session=False))
        self.dbsession.execute(update(Group).where(Group.created_by_id == user.id)
                               .values(created_by_id=None)
                               .execution_options(synchronize_session=False))
        self._memberships = {k: v for k, v in self._memberships.items() if k[1] != user.id}
        for group_id in group_ids:
            group = self.dbsession.get(Group, group_id)
            if group is not None:
                self._recount(group)
                self._keep_an_admin(group)

    def _keep_an_admin(self, group) -> None:
        """A group whose last admin left the site passes to its longest-standing member."""
        if self._admin_count(group):
            return
        heir = self.dbsession.scalars(
            select(Membership).where(Membership.group_id == group.id,
                                     Membership.state == MEMBER)
            .order_by(Membership.created_at, Membership.user_id).limit(1)).first()
        if heir is not None:
            previous, heir.role = heir.role, "admin"
            self.dbsession.flush()
            # The site hands the group over: no member acted.
            self._publish(ev.RoleChanged(actor_id=None, group_id=group.id,
                                         user_id=heir.user_id, role="admin",
                                         previous_role=previous))


def group_service_factory(context, request):
    return GroupService(request)
