"""The content contract: every kind of thing a member can see, and who may see it.

Each plugin registers its kinds of content (a profile, a group, a topic, a post, an event, a
petition, a poll...) with ``config.add_content_type(...)``: a name (``forums.topic``), a
title, the model, how to build its address, whose it is, its dates, its text for search,
and **one SQL condition** saying which rows a viewer may see::

    def visible(request, viewer):          # viewer: a User, or None for a stranger
        return Topic.group_id.is_(None) | Topic.group_id.in_(groups.content_visible_ids(viewer))

    config.add_content_type("forums.topic", _("Topic"), Topic, visible=visible,
                            url=lambda request, topic: request.route_url(...),
                            label=lambda topic: topic.title, owner="author_id",
                            created="created_at", text=lambda topic: topic.title)

That condition is the kind's only privacy rule. Pages, lists, counts, feeds, mail recipients
(checked again when the mail leaves, see ``core.mail``), the activity stream, search and the
API all filter with it, through the functions below, so a rule cannot drift between two
surfaces, and a group that turns hidden hides its content everywhere at once. The condition
is evaluated when the question is asked (never stored), and must be correct for every viewer:
strangers, members, suspended or deleted members (who see nothing a stranger does not),
moderators and admins.

A kind opts in to comments (the comments plugin, when it is on) with ``comments=``: ``True``,
or a ``Comments`` saying when the kind takes new comments and who moderates them besides the
site's moderators, the content's owner and, with ``group``, the moderators of its group::

    config.add_content_type(..., comments=Comments(
        group="group_id", open=lambda request, poll: poll.is_closed(utcnow()),
        moderators=lambda request, poll, actor: polls(request).may_organise(poll, actor)))

The comments of a row are seen by exactly those who may see the row: the kind's condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.extensions import plugin_of, register_item, registered, registered_map

CONTENT_TYPES = "cortege content types"


@dataclass(frozen=True)
class Comments:
    """How a kind of content takes comments; every part is optional."""

    group: str | None = None  # attribute holding the group id: its moderators moderate
    open: Callable | None = None  # open(request, row) -> whether new comments are taken now
    moderators: Callable | None = None  # moderators(request, row, actor) -> bool


@dataclass(frozen=True)
class ContentType:
    name: str
    title: Any
    model: type
    visible: Callable  # visible(request, viewer) -> SQL condition on ``model``
    url: Callable  # url(request, row) -> absolute address
    label: Callable | None = None  # label(row) -> the row's title, as people read it
    owner: str | None = None  # attribute holding the owner's user id
    created: str | None = None  # attribute holding the creation time
    updated: str | None = None  # attribute holding the last change
    text: Callable | None = None  # text(row) -> what search indexes
    plugin: str = "core"
    comments: Comments | None = None  # how it takes comments, if it does

    def condition(self, request, viewer):
        return self.visible(request, _viewer(viewer))


def _viewer(viewer):
    """Suspended and deleted members see what a stranger sees. ``User`` itself (each user of
    the query the condition goes into: how mail recipients are chosen) is passed on as it
    is; the query keeps to active accounts itself (``may_receive_mail``)."""
    if viewer is None or isinstance(viewer, type):
        return viewer
    return viewer if getattr(viewer, "status", "active") == "active" else None


def add_content_type(config, name: str, title, model, *, visible, url, label=None,
                     owner=None, created=None, updated=None, text=None,
                     comments: Comments | bool | None = None) -> None:
    """Register a kind of content; see the module's docstring."""
    resolve = config.maybe_dotted
    if comments is True:
        comments = Comments()
    item = ContentType(name, title, resolve(model), resolve(visible), resolve(url),
                       resolve(label), owner, created, updated, resolve(text),
                       plugin_of(config), comments or None)
    register_item(config, CONTENT_TYPES, name, item, title=str(title))


def content_types(registry) -> list[ContentType]:
    return registered(registry, CONTENT_TYPES)


def content_type(registry, name: str) -> ContentType:
    kind = registered_map(registry, CONTENT_TYPES).get(name)
    if kind is None:
        raise LookupError(f"No content type is called {name!r}; is its plugin on?")
    return kind


def visible_condition(request, name: str, viewer):
    """The SQL condition of the rows of ``name`` that ``viewer`` may see."""
    return content_type(request.registry, name).condition(request, viewer)


def visible_ids(request, name: str, viewer):
    """A SELECT of the ids of the rows of ``name`` that ``viewer`` may see."""
    kind = content_type(request.registry, name)
    return select(kind.model.id).where(kind.condition(request, viewer))


def visible_select(request, name: str, viewer, *columns):
    """``SELECT model (or columns) WHERE visible``: add order, filters and keyset bounds."""
    kind = content_type(request.registry, name)
    return select(*(columns or (kind.model,))).where(kind.condition(request, viewer))


def _row_id(row_id) -> int | None:
    try:
        row_id = int(row_id)
    except (TypeError, ValueError):
        return None
    return row_id if 0 < row_id < 2**31 else None


def may_see(request, name: str, row_id, viewer) -> bool:
    """Whether ``viewer`` may see the row ``row_id`` of ``name`` now (False if it is gone or
    its plugin is off)."""
    kind = registered_map(request.registry, CONTENT_TYPES).get(name)
    row_id = _row_id(row_id)
    if kind is None or row_id is None:
        return False
    found = request.dbsession.execute(
        select(kind.model.id).where(kind.model.id == row_id, kind.condition(request, viewer))
    ).first()
    return found is not None


def get_visible(request, name: str, row_id, viewer):
    """The row ``row_id`` of ``name`` if ``viewer`` may see it, else None."""
    kind = registered_map(request.registry, CONTENT_TYPES).get(name)
    row_id = _row_id(row_id)
    if kind is None or row_id is None:
        return None
    return request.dbsession.scalars(
        select(kind.model).where(kind.model.id == row_id, kind.condition(request, viewer))
    ).first()


def includeme(config):
    config.add_directive("add_content_type", add_content_type, action_wrap=False)
