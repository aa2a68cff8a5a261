"""Mentions: ``@username`` in what members write.

Any plugin that stores text members write (a post, a status update, a comment) calls
``publish_mentions(request, actor, content_type, content_id, text)`` when it saves it: one
``MemberMentioned`` domain event per active member named, the author excepted, at most
``MOST`` per text. Whoever acts on a mention (notifications) subscribes to
``IMemberMentioned`` and checks, when it acts, that the mentioned member may see the content
(``core.content.may_see``): a mention never carries content to someone who may not see it.
``mention_links`` turns the mentions of rendered HTML into links to the members' pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent, publish
from core.extensions import register_item, registered
from core.text import render_markdown

# A username as registration allows it, after "@" that does not follow a word character
# (so that an email address is not a mention).
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9][A-Za-z0-9_.-]{1,28}[A-Za-z0-9])(?![\w-])")
MOST = 20


class IMemberMentioned(IDomainEvent):
    """A member was named (``@username``) in some content."""

    user_id = Attribute("The mentioned member's id")
    content_type = Attribute("The content type of what mentions them (core.content)")
    content_id = Attribute("Its id")


@implementer(IMemberMentioned)
@dataclass(frozen=True, kw_only=True)
class MemberMentioned(DomainEvent):
    name = "core.mentioned"
    user_id: int
    content_type: str
    content_id: int


_TAG = re.compile(r"(<[^>]+>)")
MENTION_FILTERS = "cortege mention filters"


def link_mentions(request, html: str) -> Markup:
    """``@username`` in the text of ``html`` (not inside links or code) as links to the
    member's profile, when the profiles plugin is on; ``html`` is sanitised HTML."""
    if request.registry.introspector.get("routes", "profiles_member") is None:
        return Markup(html)
    parts, inside = [], 0
    for chunk in _TAG.split(str(html)):
        if chunk.startswith("<"):
            name = chunk[1:].split()[0].rstrip(">").lower() if len(chunk) > 2 else ""
            if name in ("a", "code", "pre"):
                inside += 1
            elif name in ("/a", "/code", "/pre"):
                inside = max(0, inside - 1)
            parts.append(chunk)
        elif inside:
            parts.append(chunk)
        else:
            parts.append(MENTION.sub(lambda match: _mention_link(request, match), chunk))
    return Markup("".join(parts))


def _mention_link(request, match) -> str:
    url = request.route_url("profiles_member", username=match.group(1))
    return f'<a class="mention" href="{url}">@{match.group(1)}</a>'


def render_member_text(request, text: str | None) -> Markup:
    """Member-written Markdown as sanitised HTML with its ``@username`` mentions as links:
    what every page that shows posts, replies, comments or status updates uses."""
    return link_mentions(request, str(render_markdown(text)))


def mentioned_usernames(text: str) -> list[str]:
    """The usernames ``text`` mentions, in order, each once, keyed as usernames are."""
    from core.accounts.services import username_key

    seen, names = set(), []
    for match in MENTION.finditer(text or ""):
        key = username_key(match.group(1))
        if key not in seen:
            seen.add(key)
            names.append(key)
    return names[:MOST]


def publish_mentions(request, actor, content_type: str, content_id: int, text: str,
                     already: set[int] | None = None) -> list[int]:
    """Publish a ``MemberMentioned`` for each active member ``text`` names who may see the
    content (not the actor, nor the ids in ``already``, e.g. those mentioned before an edit,
    nor those a mention filter leaves out); returns their ids."""
    from core.accounts.models import User

    keys = mentioned_usernames(text)
    if not keys:
        return []
    from core.content import may_see

    named = request.dbsession.scalars(
        select(User).where(User.username_key.in_(keys), User.status == "active")).all()
    # Only those who may see the content hear of it: a mention never carries it further.
    ids = [user.id for user in named if may_see(request, content_type, content_id, user)]
    skip = set(already or ()) | ({actor.id} if actor is not None else set())
    for leave_out in registered(request.registry, MENTION_FILTERS):
        skip |= set(leave_out(request, actor, [i for i in ids if i not in skip]))
    mentioned = [user_id for user_id in ids if user_id not in skip]
    for user_id in mentioned:
        publish(request, MemberMentioned(actor_id=actor.id if actor else None, user_id=user_id,
                                         content_type=content_type, content_id=content_id))
    return mentioned


def add_mention_filter(config, name: str, leave_out) -> None:
    """``leave_out(request, actor, user_ids)`` returns the ids, among members a text names,
    who must not be told (the social layer leaves out members blocked either way); every
    mention of every plugin goes through ``publish_mentions``, hence through the filters."""
    register_item(config, MENTION_FILTERS, name, config.maybe_dotted(leave_out))


def includeme(config):
    config.add_domain_event(MemberMentioned)
    config.add_directive("add_mention_filter", add_mention_filter, action_wrap=False)
