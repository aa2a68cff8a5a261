"""Blogs' pages: the Blog tab of profiles (and its forms), the planet tab of bloggers'
groups, its Atom feed and its OPML list."""

from __future__ import annotations

from xml.etree import ElementTree

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config
from wtforms import SelectField, StringField

from core.db import utcnow
from core.forms import Form
from core.input import parse_id
from core.security import ACCOUNT, VIEW
from plugins.blogs import _
from plugins.blogs.models import LEVELS, MEMBERS
from plugins.blogs.services import BlogError, BlogService, encode_cursor

PLANET_PAGE = 30

LEVEL_LABELS = {"public": _("Everyone"), "members": _("Members of the site"),
                "private": _("Only me")}


def blogs(request) -> BlogService:
    return BlogService(request)


class BlogForm(Form):
    url = StringField(_("Address of your blog or of its feed"))
    visibility = SelectField(_("Who sees that this blog is yours"), default=MEMBERS,
                             choices=[(level, level) for level in LEVELS])

    def __init__(self, request, **kwargs):
        super().__init__(request, **kwargs)
        translate = request.localizer.translate
        self.visibility.choices = [(level, translate(LEVEL_LABELS[level])) for level in LEVELS]


def blog_tab(request, member):
    service = blogs(request)
    mine = request.user is not None and request.user.id == member.id
    return {"member": member, "mine": mine, "blogs": service.blogs_of(member, request.user),
            "entries": service.entries_of(member, request.user),
            "form": BlogForm(request) if mine else None, "levels": LEVEL_LABELS,
            "error": None}


def has_blog_tab(request, member) -> bool:
    if request.user is not None and request.user.id == member.id:
        return True
    return bool(blogs(request).blogs_of(member, request.user))


def _profile(request):
    return request.route_url("profiles_tab", username=request.user.username, tab="blog")


@view_config(route_name="blogs_add", request_method="POST", permission=ACCOUNT)
def add(request):
    form = BlogForm(request)
    form.validate()
    try:
        blogs(request).add(request.user, form.url.data, form.visibility.data)
    except BlogError as error:
        request.session.flash(request.localizer.translate(error.message))
    else:
        request.session.flash(request.localizer.translate(_("Your blog is listed.")))
    return HTTPSeeOther(_profile(request))


@view_config(route_name="blogs_change", request_method="POST", permission=ACCOUNT)
def change(request):
    service = blogs(request)
    if request.matchdict["action"] == "remove":
        service.remove(request.user, int(request.matchdict["id"]))
        request.session.flash(request.localizer.translate(_("The blog is off your list.")))
    elif request.matchdict["action"] == "visibility":
        service.set_visibility(request.user, int(request.matchdict["id"]),
                               request.POST.get("visibility", ""))
    else:
        raise HTTPNotFound()
    return HTTPSeeOther(_profile(request))


# -- planets -----------------------------------------------------------------------------------

def is_bloggers_group(request, group) -> bool:
    kind = getattr(group, "type", None)
    return kind is not None and kind.key == request.registry.settings["blogs.group_type"]


def planet_tab(request, group):
    if not is_bloggers_group(request, group):
        return None
    from plugins.groups.interfaces import group_service

    size = PLANET_PAGE
    rows = blogs(request).planet(group, request.user, before=request.GET.get("before"),
                                 limit=size + 1)
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        next_url = request.route_url("groups_tab", slug=group.slug, tab="planet",
                                     _query={"before": encode_cursor(rows[-1][0])})
    return {"rows": rows, "next_url": next_url,
            "manager": group_service(request).is_manager(group, request.user),
            "atom_url": request.route_url("blogs_planet_atom", id=group.id),
            "opml_url": request.route_url("blogs_planet_opml", id=group.id)}


def _planet_group(request):
    from plugins.groups.interfaces import group_service
    from plugins.groups.models import Group

    service = group_service(request)
    group = request.dbsession.get(Group, int(request.matchdict["id"]))
    if group is None or not service.can_see_content(group, request.user) \
            or not is_bloggers_group(request, group):
        raise HTTPNotFound()
    return group


@view_config(route_name="blogs_planet_atom", permission=VIEW)
def planet_atom(request):
    group = _planet_group(request)
    atom = "http://www.w3.org/2005/Atom"
    ElementTree.register_namespace("", atom)
    root = ElementTree.Element(f"{{{atom}}}feed")
    ElementTree.SubElement(root, f"{{{atom}}}title").text = group.name
    ElementTree.SubElement(root, f"{{{atom}}}id").text = request.url
    ElementTree.SubElement(root, f"{{{atom}}}link", href=request.route_url(
        "groups_tab", slug=group.slug, tab="planet"))
    rows = blogs(request).planet(group, request.user)
    updated = rows[0][0].published_at if rows else utcnow()
    ElementTree.SubElement(root, f"{{{atom}}}updated").text = updated.isoformat()
    for entry, feed in rows:
        item = ElementTree.SubElement(root, f"{{{atom}}}entry")
        ElementTree.SubElement(item, f"{{{atom}}}title").text = entry.title or feed.title
        ElementTree.SubElement(item, f"{{{atom}}}id").text = \
            f"{request.route_url('blogs_planet_atom', id=group.id)}#entry-{entry.id}"
        if entry.link:
            ElementTree.SubElement(item, f"{{{atom}}}link", href=entry.link)
        ElementTree.SubElement(item, f"{{{atom}}}updated").text = entry.published_at.isoformat()
        ElementTree.SubElement(ElementTree.SubElement(item, f"{{{atom}}}author"),
                               f"{{{atom}}}name").text = feed.title or feed.host
        ElementTree.SubElement(item, f"{{{atom}}}summary", type="html").text = entry.summary
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/atom+xml", charset="utf-8")


@view_config(route_name="blogs_planet_opml", permission=VIEW)
def planet_opml(request):
    group = _planet_group(request)
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = group.name
    body = ElementTree.SubElement(root, "body")
    for feed in blogs(request).planet_feeds(group, request.user):
        ElementTree.SubElement(body, "outline", type="rss", text=feed.title or feed.host,
                               title=feed.title or feed.host, xmlUrl=feed.url,
                               htmlUrl=feed.site_url or feed.url)
    data = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(data, content_type="text/x-opml", charset="utf-8")


@view_config(route_name="blogs_planet_exclude", request_method="POST", permission=VIEW)
def planet_exclude(request):
    group = _planet_group(request)
    blogs(request).exclude(request.user, group, feed_id=parse_id(request.POST.get("feed")),
                           entry_id=parse_id(request.POST.get("entry")))
    request.session.flash(request.localizer.translate(_("It is left off the planet.")))
    return HTTPSeeOther(request.route_url("groups_tab", slug=group.slug, tab="planet"))


# -- jobs and personal data ---------------------------------------------------------------------

def fetch_due(request):
    blogs(request).fetch_due()


def fetch_one(request, feed_id):
    blogs(request).fetch_feed(feed_id)
