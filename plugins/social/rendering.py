"""Status updates as HTML: Markdown through the core's sanitiser, ``@username`` as links to
the members' pages, and a preview of the first link to a page of the site itself.

Previews are read from the site's own database, never fetched: a link to a page of the site
(an event, a topic, a post, a petition, a poll, a status update: ``PREVIEW_ROUTES``) shows
that page's title, and only when the reader may see it by its content type's condition; the
previews of a whole page of a stream are read together (``previews``), one query per kind.
Links elsewhere stay plain links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup
from pyramid.interfaces import IRoutesMapper

from core.content import CONTENT_TYPES, content_type
from core.extensions import registered_map
from core.mentions import render_member_text

# The pages a preview can show, by route: (content type, the placeholder holding the id).
PREVIEW_ROUTES = {
    "agenda_event": ("agenda.event", "id"),
    "forums_topic": ("forums.topic", "id"),
    "forums_post": ("forums.post", "id"),
    "petitions_show": ("petitions.petition", "id"),
    "polls_poll": ("polls.poll", "id"),
    "social_status": ("social.status", "id"),
}
_HREF = re.compile(r'<a href="([^"]+)"')
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+")


@dataclass(frozen=True)
class Preview:
    kind: object  # the content type's title
    label: str
    url: str


def render_status(request, body: str):
    """The status's HTML, and the site's page its first links lead to as (content type,
    id), or None: ``previews`` reads those of a whole page at once."""
    html = str(render_member_text(request, body))
    links = [href.replace("&amp;", "&") for href in _HREF.findall(html)]
    links += [url.rstrip(".,;:!?") for url in _BARE_URL.findall(body)]
    target = None
    for href in links[:3]:
        target = internal_target(request, href)
        if target is not None:
            break
    return Markup(html), target


def previews(request, targets) -> dict:
    """{(content type, id): Preview} of the ``targets`` the reader may see: one query per
    content type."""
    from sqlalchemy import select

    by_kind: dict[str, set[int]] = {}
    for name, row_id in targets:
        by_kind.setdefault(name, set()).add(row_id)
    found = {}
    for name, ids in by_kind.items():
        kind = content_type(request.registry, name)
        rows = request.dbsession.scalars(select(kind.model).where(
            kind.model.id.in_(ids), kind.condition(request, request.user)))
        for row in rows:
            found[name, row.id] = Preview(kind.title, kind.label(row) if kind.label else "",
                                          kind.url(request, row))
    return found


def internal_target(request, href: str):
    """(content type, id) of the page of this site at ``href``, or None."""
    from core.input import parse_id

    parts = urlsplit(href)
    own = urlsplit(request.application_url)
    if parts.scheme and (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
        return None
    if not parts.scheme and (parts.netloc or not parts.path.startswith("/")):
        return None
    path = parts.path
    if own.path and path.startswith(own.path.rstrip("/")):
        path = path[len(own.path.rstrip("/")):] or "/"
    mapper = request.registry.queryUtility(IRoutesMapper)
    if mapper is None:
        return None
    for route in mapper.get_routes():
        if route.name not in PREVIEW_ROUTES:
            continue
        matched = route.match(path)
        if matched is None:
            continue
        name, key = PREVIEW_ROUTES[route.name]
        row_id = parse_id(matched.get(key))
        if name not in registered_map(request.registry, CONTENT_TYPES) or row_id is None:
            return None
        return name, row_id
    return None
