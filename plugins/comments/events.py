"""What happens to comments, as domain events (see ``core.events``): ids, never rows.

Each is published by ``CommentService`` in the transaction that makes the change, and
carries the content's kind (a content type's name, ``core.content``) and id:

``CommentPosted``   a comment or a reply (``parent_id``) was written; ``owner_id`` is the
                    content's owner (None when the kind names none); the participants are
                    ``ICommentService.participant_ids(kind, content_id)``
``CommentEdited``   its author or a moderator changed its text
``CommentDeleted``  its author or a moderator deleted it
``CommentHidden``   a moderator hid it (``hidden``) or showed it again

Whoever acts on them (notifications) checks, when it acts, that the person it tells may see
the content (``core.content.may_see``): a comment is seen by exactly those who see its
content, and the content may have turned private since.
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class ICommentEvent(IDomainEvent):
    """Something that happened to a comment."""

    comment_id = Attribute("The comment's id")
    kind = Attribute("The content type of what it comments on")
    content_id = Attribute("The id of what it comments on")


class ICommentPosted(ICommentEvent):
    parent_id = Attribute("The comment it replies to, or None")
    owner_id = Attribute("The content's owner, or None")


class ICommentEdited(ICommentEvent):
    """Its text changed."""


class ICommentDeleted(ICommentEvent):
    """It is gone."""


class ICommentHidden(ICommentEvent):
    hidden = Attribute("True when hidden, False when shown again")


@dataclass(frozen=True, kw_only=True)
class _CommentEvent(DomainEvent):
    comment_id: int
    kind: str
    content_id: int


@implementer(ICommentPosted)
@dataclass(frozen=True, kw_only=True)
class CommentPosted(_CommentEvent):
    name = "comments.comment_posted"
    parent_id: int | None = None
    owner_id: int | None = None


@implementer(ICommentEdited)
@dataclass(frozen=True, kw_only=True)
class CommentEdited(_CommentEvent):
    name = "comments.comment_edited"


@implementer(ICommentDeleted)
@dataclass(frozen=True, kw_only=True)
class CommentDeleted(_CommentEvent):
    name = "comments.comment_deleted"


@implementer(ICommentHidden)
@dataclass(frozen=True, kw_only=True)
class CommentHidden(_CommentEvent):
    name = "comments.comment_hidden"
    hidden: bool = True


EVENTS = (CommentPosted, CommentEdited, CommentDeleted, CommentHidden)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
