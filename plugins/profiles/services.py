"""Profiles as the person asking may see them: pages, directory, editing, avatars, admin.

Which members have a page a viewer may see is the content type ``profiles.profile``
(``plugins.profiles.content``); which answers of a page they see is ``visibility.Viewer``.
Every change takes the acting member (``actor``) and checks what they may do: a member edits
their own profile, site admins edit any and define the fields.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from pyramid.decorator import reify
from sqlalchemy import delete, func, select, tuple_, union, update
from sqlalchemy.orm import contains_eager
from zope.interface import implementer

from core.accounts import username_key
from core.accounts.models import User
from core.content import visible_condition
from core.db import utcnow
from core.errors import Forbidden
from core.events import publish
from core.extensions import plugin_enabled
from core.pagination import decode_cursor, encode_cursor
from plugins.profiles import _, avatars
from plugins.profiles.content import NAME
from plugins.profiles.events import ProfileUpdated
from plugins.profiles.fieldtypes import field_types, fold
from plugins.profiles.interfaces import IProfileService
from plugins.profiles.models import (
    MEMBERS,
    PUBLIC,
    VISIBILITIES,
    Field,
    FieldGroup,
    Profile,
    Value,
)
from plugins.profiles.visibility import Viewer

SORTS = ("name", "newest", "active")
COUNT_LIMIT = 1000
NAME_LENGTH = 80


class FieldError(ValueError):
    """A field definition refused: ``field`` names the form input, ``message`` says why."""

    def __init__(self, field: str, message):
        super().__init__(field, message)
        self.field = field
        self.message = message


@dataclass
class Card:
    """One member in the directory, with the card values the viewer may see."""

    user: User
    profile: Profile
    values: list = dataclass_field(default_factory=list)


@dataclass
class DirectoryPage:
    cards: list[Card]
    next_cursor: str | None
    sort: str
    count: int | None = None  # members found, counted with the first page of a search


def sort_name(display_name: str) -> str:
    return fold(display_name)[:NAME_LENGTH]


@implementer(IProfileService)
class ProfileService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession
        self.settings = request.registry.settings
        self.types = field_types(request.registry)
        self._profiles: dict[int, Profile | None] = {}

    # -- fields ---------------------------------------------------------------------------

    @reify
    def viewer(self) -> Viewer:
        return Viewer.of(self.request)

    @reify
    def groups(self) -> list[FieldGroup]:
        """Every group with its fields, in order, in one query."""
        stmt = (
            select(FieldGroup)
            .outerjoin(FieldGroup.fields)
            .options(contains_eager(FieldGroup.fields))
            .order_by(FieldGroup.position, FieldGroup.id, Field.position, Field.id)
        )
        return list(self.dbsession.scalars(stmt).unique())

    @property
    def fields(self) -> list[Field]:
        """Fields whose type is available (a type's plugin may have been switched off)."""
        return [f for group in self.groups for f in group.fields if f.type in self.types]

    def field(self, field_id) -> Field | None:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        return None

    def type_of(self, field: Field):
        return self.types[field.type]

    # -- members and their pages ----------------------------------------------------------

    def _visible(self):
        """The condition of ``profiles.profile`` for the person asking."""
        return visible_condition(self.request, NAME, self.viewer.user)

    def member(self, username: str):
        key = username_key((username or "")[:100])
        row = self.dbsession.execute(
            select(User, Profile)
            .outerjoin(Profile, Profile.user_id == User.id)
            .where(User.username_key == key, self._visible())
        ).first()
        if row is None:
            return None
        self._profiles[row.User.id] = row.Profile
        return row.User

    def profile(self, user) -> Profile | None:
        if user.id not in self._profiles:
            self._profiles[user.id] = self.dbsession.get(Profile, user.id)
        return self._profiles[user.id]

    def _strings(self, user_ids, field_ids=None) -> dict[tuple[int, int], list[str]]:
        """{(user id, field id): [stored strings]} of what the viewer may see."""
        stmt = select(Value.user_id, Value.field_id, Value.value).where(
            Value.user_id.in_(list(user_ids)), self.viewer.clause()
        )
        if field_ids is not None:
            stmt = stmt.where(Value.field_id.in_(list(field_ids)))
        found: dict[tuple[int, int], list[str]] = {}
        for user_id, field_id, value in self.dbsession.execute(stmt.order_by(Value.id)):
            found.setdefault((user_id, field_id), []).append(value)
        return found

    def sections(self, member) -> list:
        strings = self._strings([member.id])
        result = []
        for group in self.groups:
            shown = []
            for field in group.fields:
                values = strings.get((member.id, field.id))
                if values and field.type in self.types:
                    shown.append((field, self.type_of(field).display(self.request, values)))
            if shown:
                result.append((group, shown))
        return result

    def avatar_token(self, user_id):
        return select(Profile.avatar).where(Profile.user_id == user_id).scalar_subquery()

    def avatar(self, member, size: int = 128) -> dict:
        profile = self.profile(member)
        if profile is not None and profile.avatar:
            size = size if size in avatars.SIZES else avatars.SIZES[0]
            return {"url": self.request.route_url(
                "profiles_avatar_file", name=avatars.file_name(profile.avatar, size))}
        return {"initials": avatars.initials(member.display_name),
                "colour": avatars.colour(member.id)}

    # -- directory ------------------------------------------------------------------------

    def sorts(self) -> tuple[str, ...]:
        """Strangers do not learn when members were last active."""
        return SORTS if self.viewer.is_member else ("name", "newest")

    def filter_fields(self) -> list[Field]:
        return [f for f in self.fields if self.type_of(f).filterable]

    def _conditions(self, query: str, filters: dict | None) -> list:
        conditions = [self._visible()]
        text = fold(query or "")
        if text:
            # One set of candidates, each part on its own index (trigram ones on PostgreSQL):
            # names and usernames from the site's search index when search is on.
            names = self._names_matching(query)
            if names is None:
                names = (select(Profile.user_id)
                         .where(Profile.sort_name.contains(text, autoescape=True)),
                         select(User.id).where(User.username_key.contains(text, autoescape=True)))
            conditions.append(User.id.in_(union(
                *names,
                select(Value.user_id).where(Value.search.contains(text, autoescape=True),
                                            self.viewer.clause()),
            )))
        for field_id, raw in (filters or {}).items():
            field = self.field(field_id)
            if field is None or not self.type_of(field).filterable:
                continue
            key = self.type_of(field).filter_key(raw, field)
            if key is None:
                continue
            conditions.append(User.id.in_(
                select(Value.user_id).where(
                    Value.field_id == field.id, Value.search == key, self.viewer.clause()
                )
            ))
        return conditions

    def _names_matching(self, query: str):
        """The search index's members whose name or username matches (a tuple of one
        SELECT), or None when the search plugin is off."""
        if not plugin_enabled(self.request.registry, "search"):
            return None
        from plugins.search.interfaces import ISearchService

        ids = self.request.find_service(ISearchService).matching_ids(NAME, query)
        return (ids,) if ids is not None else ()

    def directory(self, query: str = "", filters: dict | None = None, sort: str = "name",
                  after: str | None = None) -> DirectoryPage:
        if sort not in self.sorts():
            sort = "name"
        limit = self.settings["profiles.directory_page_size"]
        if sort == "name":
            columns, ascending = (Profile.sort_name, Profile.user_id), True
        elif sort == "newest":
            columns, ascending = (User.created_at, User.id), False
        else:
            columns, ascending = (Profile.last_active_at, Profile.user_id), False
        cursor = decode_cursor(after, "str" if sort == "name" else "date")
        # The first page of a search counts what it found in the same query.
        counted = bool(query or filters) and cursor is None
        stmt = (select(User, Profile, *([func.count().over()] if counted else []))
                .join(Profile, Profile.user_id == User.id)
                .where(*self._conditions(query, filters)))
        if cursor is not None:
            position = tuple_(*columns)
            stmt = stmt.where(position > cursor if ascending else position < cursor)
        order = [c.asc() if ascending else c.desc() for c in columns]
        rows = self.dbsession.execute(stmt.order_by(*order).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        count = (rows[0][2] if rows else 0) if counted else None
        cards = []
        for user, profile, *_count in rows:
            self._profiles[user.id] = profile
            cards.append(Card(user, profile))
        card_fields = [f for f in self.fields if f.in_directory]
        if cards and card_fields:
            strings = self._strings([c.user.id for c in cards], [f.id for f in card_fields])
            for card in cards:
                for f in card_fields:
                    values = strings.get((card.user.id, f.id))
                    if values:
                        card.values.append((f, self.type_of(f).display(self.request, values)))
        next_cursor = None
        if more:
            last = rows[-1]
            key_column = columns[0]
            source = last.Profile if key_column.class_ is Profile else last.User
            next_cursor = encode_cursor(getattr(source, key_column.key), last.User.id)
        return DirectoryPage(cards, next_cursor, sort, count)

    def count(self, query: str = "", filters: dict | None = None) -> int:
        """How many members match, counted up to COUNT_LIMIT + 1 (shown as "more than")."""
        matches = (select(User.id).join(Profile, Profile.user_id == User.id)
                   .where(*self._conditions(query, filters)).limit(COUNT_LIMIT + 1))
        return self.dbsession.scalar(select(func.count()).select_from(matches.subquery()))

    # -- a member's own data --------------------------------------------------------------

    def ensure_profile(self, user) -> Profile:
        profile = self.profile(user)
        if profile is None:
            profile = Profile(user_id=user.id, sort_name=sort_name(user.display_name),
                              last_active_at=user.created_at or utcnow())
            self.dbsession.add(profile)
            self.dbsession.flush()
            self._profiles[user.id] = profile
        return profile

    def own_values(self, user) -> dict[int, tuple[list[str], str | None]]:
        """{field id: ([strings], chosen visibility)} of every value the member gave."""
        found: dict[int, tuple[list[str], str | None]] = {}
        rows = self.dbsession.execute(
            select(Value.field_id, Value.value, Value.chosen_visibility)
            .where(Value.user_id == user.id).order_by(Value.id)
        )
        for field_id, value, chosen in rows:
            strings, _chosen = found.setdefault(field_id, ([], chosen))
            strings.append(value)
        return found

    @staticmethod
    def effective_visibility(field: Field, chosen: str | None) -> str:
        if field.member_chooses_visibility and chosen in VISIBILITIES:
            return chosen
        return field.default_visibility

    # -- who may change what --------------------------------------------------------------

    @staticmethod
    def may_edit(actor, member) -> bool:
        """The member themselves (from registration on, until suspended or deleted), or an
        active site admin (``profiles.manage`` is the admins' alone)."""
        if actor is None or actor.status in ("suspended", "deleted"):
            return False
        return actor.id == member.id or (actor.can_log_in and actor.is_admin)

    def _editing(self, actor, member):
        if not self.may_edit(actor, member):
            raise Forbidden(_("Only the member and the site's admins may change this profile."))
        return actor

    @staticmethod
    def _managing(actor):
        if actor is None or not actor.can_log_in or not actor.is_admin:
            raise Forbidden(_("Only the site's admins may define the profile fields."))
        return actor

    def _updated(self, actor, member) -> None:
        publish(self.request, ProfileUpdated(actor_id=actor.id, user_id=member.id))

    def save_values(self, user, values: dict, visibilities: dict | None = None,
                    existing: dict | None = None, *, actor) -> None:
        """Replace the member's values of the fields in ``values`` ({Field: form data})."""
        self._editing(actor, user)
        visibilities = visibilities or {}
        if existing is None:
            existing = self.own_values(user)
        self.ensure_profile(user)
        fields = [f for f in values if f.type in self.types]
        if not fields:
            return
        self.dbsession.execute(delete(Value).where(
            Value.user_id == user.id, Value.field_id.in_([f.id for f in fields])))
        rows = []
        for field in fields:
            kind = self.type_of(field)
            chosen = visibilities.get(field)
            if chosen not in VISIBILITIES:
                chosen = existing.get(field.id, ([], None))[1]
            visibility = self.effective_visibility(field, chosen)
            for string in kind.to_strings(values[field]):
                rows.append(Value(user_id=user.id, field_id=field.id, value=string,
                                  search=kind.search_key(string), visibility=visibility,
                                  chosen_visibility=chosen))
        self.dbsession.add_all(rows)
        self.profile(user).updated_at = utcnow()
        self.dbsession.flush()
        self._updated(actor, user)

    @property
    def avatar_directory(self) -> str:
        return avatars.avatar_directory(self.settings)

    def set_avatar(self, user, upload, *, actor) -> None:
        self._editing(actor, user)
        limit = self.settings["profiles.avatar_max_bytes"]
        data = upload.file.read(limit + 1)
        sizes = avatars.make_sizes(data, limit, self.settings["profiles.avatar_max_pixels"])
        profile = self.ensure_profile(user)
        old = profile.avatar
        profile.avatar = avatars.store(self.avatar_directory, sizes)
        self.dbsession.flush()
        avatars.delete(self.avatar_directory, old)
        self._updated(actor, user)

    def remove_avatar(self, user, *, actor) -> None:
        self._editing(actor, user)
        profile = self.profile(user)
        if profile is not None and profile.avatar:
            avatars.delete(self.avatar_directory, profile.avatar)
            profile.avatar = None
            self.dbsession.flush()
            self._updated(actor, user)

    def touch(self, user) -> None:
        now = utcnow()
        result = self.dbsession.execute(
            update(Profile).where(Profile.user_id == user.id)
            .values(last_active_at=now, sort_name=sort_name(user.display_name),
                    updated_at=Profile.updated_at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:
            self.dbsession.add(Profile(user_id=user.id, sort_name=sort_name(user.display_name),
                                       last_active_at=now))
            self.dbsession.flush()

    def export(self, user) -> dict:
        fields = {f.id: f for group in self.groups for f in group.fields}
        values = []
        rows = self.dbsession.scalars(
            select(Value).where(Value.user_id == user.id).order_by(Value.field_id, Value.id))
        for value in rows:
            field = fields.get(value.field_id)
            values.append({
                "group": field.group.name if field else None,
                "field": field.name if field else None,
                "value": value.value,
                "visibility": value.visibility,
            })
        profile = self.profile(user)
        avatar = None
        if profile is not None and profile.avatar:
            path = os.path.join(self.avatar_directory,
                                avatars.file_name(profile.avatar, avatars.SIZES[0]))
            try:
                with open(path, "rb") as handle:
                    avatar = {"file": os.path.basename(path), "content_type": "image/jpeg",
                              "base64": base64.b64encode(handle.read()).decode()}
            except FileNotFoundError:
                avatar = None
        return {
            "fields": values,
            "avatar": avatar,
            "last_active_at": profile.last_active_at.isoformat() if profile else None,
        }

    def erase(self, user) -> None:
        self.dbsession.execute(delete(Value).where(Value.user_id == user.id))
        profile = self.profile(user)
        if profile is not None:
            avatars.delete(self.avatar_directory, profile.avatar)
            self.dbsession.delete(profile)
            self._profiles[user.id] = None
        self.dbsession.flush()

    # -- what admins do with fields -------------------------------------------------------

    def add_group(self, name: str, description: str = "", *, actor) -> FieldGroup:
        self._managing(actor)
        position = (self.dbsession.scalar(select(func.max(FieldGroup.position))) or 0) + 1
        group = FieldGroup(name=name, description=description, position=position)
        self.dbsession.add(group)
        self.dbsession.flush()
        return group

    def update_group(self, group: FieldGroup, name: str, description: str = "", *,
                     actor) -> None:
        self._managing(actor)
        group.name = name
        group.description = description
        self.dbsession.flush()

    def delete_group(self, group: FieldGroup, *, actor) -> None:
        self._managing(actor)
        ids = [f.id for f in group.fields]
        if ids:
            self.dbsession.execute(delete(Value).where(Value.field_id.in_(ids)))
        self.dbsession.delete(group)
        self.dbsession.flush()

    def check_field(self, values: dict) -> None:
        kind = self.types.get(values.get("type"))
        if kind is None:
            raise FieldError("type", _("Choose a field type."))
        if values.get("default_visibility") not in VISIBILITIES:
            raise FieldError("default_visibility", _("Choose who sees this field by default."))
        if values.get("political") and values["default_visibility"] == PUBLIC:
            raise FieldError("default_visibility", _(
                "A field that reveals political commitment cannot be public by default; "
                "choose members or only the member."))
        if kind.has_options and not values.get("options"):
            raise FieldError("options", _("Give at least one choice, one per line."))

    def add_field(self, group: FieldGroup, *, actor, **values) -> Field:
        self._managing(actor)
        values.setdefault("default_visibility", MEMBERS)
        self.check_field(values)
        position = (self.dbsession.scalar(
            select(func.max(Field.position)).where(Field.group_id == group.id)) or 0) + 1
        field = Field(group_id=group.id, position=position, **values)
        self.dbsession.add(field)
        self.dbsession.flush()
        return field

    def update_field(self, field: Field, *, actor, **values) -> None:
        self._managing(actor)
        merged = {"type": field.type, "default_visibility": field.default_visibility,
                  "political": field.political, "options": field.options, **values}
        self.check_field(merged)
        for key, value in values.items():
            setattr(field, key, value)
        self.dbsession.flush()
        self.apply_visibility(field)

    def apply_visibility(self, field: Field) -> None:
        """Recompute the effective visibility of every value of ``field``."""
        stmt = update(Value).where(Value.field_id == field.id)
        if field.member_chooses_visibility:
            stmt = stmt.values(visibility=func.coalesce(Value.chosen_visibility,
                                                        field.default_visibility))
        else:
            stmt = stmt.values(visibility=field.default_visibility)
        self.dbsession.execute(stmt.execution_options(synchronize_session=False))

    def delete_field(self, field: Field, *, actor) -> None:
        self._managing(actor)
        self.dbsession.execute(delete(Value).where(Value.field_id == field.id))
        self.dbsession.delete(field)
        self.dbsession.flush()

    def move(self, item, siblings: list, step: int, *, actor) -> None:
        """Swap ``item`` with its neighbour ``step`` places away, renumbering the list."""
        self._managing(actor)
        ordered = list(siblings)
        index = ordered.index(item)
        target = index + step
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, sibling in enumerate(ordered, start=1):
            sibling.position = position
        self.dbsession.flush()


def profile_service_factory(context, request):
    return ProfileService(request)
