"""Atom feeds of the public streams: the site's, a public group's, a member's public
activity. A feed is always what a stranger sees, whoever asks (a feed reader carries no
session, and a feed address passed on must not carry a member's view): on a members-only
site, or for a group whose content strangers may not see, it answers 404."""

from __future__ import annotations

from xml.etree import ElementTree

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from core.accounts.models import User
from core.content import may_see
from core.security import PUBLIC
from plugins.groups.interfaces import group_service
from plugins.social import _
from plugins.social.interfaces import ISocialService

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def social(request):
    return request.find_service(ISocialService)


def _public_or_404(request):
    if request.site_settings.visibility != "public":
        raise HTTPNotFound()


def atom(request, title: str, page_url: str, page) -> Response:
    """The Atom document of a stream's page."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def add(parent, name, text=None, **attributes):
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    add(feed, "title", title)
    add(feed, "id", request.url)
    add(feed, "link", href=request.url, rel="self")
    add(feed, "link", href=page_url, rel="alternate")
    updated = max((item.entry.created_at for item in page.items), default=None)
    add(feed, "updated", (updated.isoformat() if updated else "1970-01-01T00:00:00+00:00"))
    translate = request.localizer.translate
    for item in page.items:
        entry = add(feed, "entry")
        actor = item.actor.display_name if item.actor else request.site_settings.site_name
        words = [actor, translate(item.verb.phrase) if item.verb else ""]
        if item.entry.verb != "social.status":
            words.append(item.label)
        add(entry, "title", " ".join(word for word in words if word))
        add(entry, "id", f"{request.application_url}/activity/entry/{item.entry.id}")
        add(entry, "link", href=item.url, rel="alternate")
        add(entry, "updated", item.entry.created_at.isoformat())
        author = add(entry, "author")
        add(author, "name", actor)
        if item.html:
            add(entry, "content", str(item.html), type="html")
    body = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/atom+xml", charset="utf-8")


@view_config(route_name="social_site_feed", permission=PUBLIC)
def site_feed(request):
    _public_or_404(request)
    page = social(request).stream(None, limit=FEED_SIZE)
    title = " · ".join((request.localizer.translate(_("Activity")),
                        request.site_settings.site_name))
    return atom(request, title, request.route_url("social_site"), page)


@view_config(route_name="social_group_feed", permission=PUBLIC)
def group_feed(request):
    _public_or_404(request)
    groups = group_service(request)
    group = groups.find(request.matchdict["slug"], None) if groups is not None else None
    if group is None or not groups.can_see_content(group, None):
        raise HTTPNotFound()
    page = social(request).stream(None, group=group, limit=FEED_SIZE)
    return atom(request, group.name,
                request.route_url("groups_tab", slug=group.slug, tab="activity"), page)


@view_config(route_name="social_member_feed", permission=PUBLIC)
def member_feed(request):
    _public_or_404(request)
    member = request.dbsession.scalar(select(User).where(
        User.username == request.matchdict["username"]))
    if member is None or not may_see(request, "profiles.profile", member.id, None):
        raise HTTPNotFound()
    page = social(request).stream(None, member=member, limit=FEED_SIZE)
    return atom(request, member.display_name,
                request.route_url("profiles_tab", username=member.username, tab="activity"),
                page)


def includeme(config):
    config.add_route("social_site_feed", "/activity.atom")
    config.add_route("social_group_feed", "/activity/feed/groups/{slug}.atom")
    config.add_route("social_member_feed", "/activity/feed/members/{username}.atom")
    config.scan(".feeds")
