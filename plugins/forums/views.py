"""The forums' pages: index, forum, topic, writing, moderation, reports, search; and setup."""

from __future__ import annotations

import re

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from core.extensions import plugin_enabled
from core.rendering import member_name
from core.security import ACCOUNT, VIEW
from core.text import render_markdown
from plugins.forums import _
from plugins.forums.forms import EditForm, MoveForm, ReplyForm, ReportForm, TopicForm
from plugins.forums.interfaces import ForumError, IForumService
from plugins.forums.models import Forum, Report
from plugins.forums.services import MANAGE, MODERATE, POST
from plugins.groups.events import IGroupDeleted
from plugins.groups.interfaces import group_service, groups_enabled

GROUP_SLUG = re.compile(r"^group-(\d{1,12})$")
TOPIC_ACTIONS = ("close", "open", "stick", "unstick", "super", "unsuper", "hide", "unhide",
                 "move")


def forums(request):
    return request.find_service(IForumService)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def _settings(request, name):
    return request.registry.settings[f"forums.{name}"]


def _group(request, forum: Forum):
    """The group of a group forum (the viewer may see it: checked before), else None."""
    if forum.group_id is None:
        return None
    groups = group_service(request)
    return groups.get(forum.group_id) if groups is not None else None


def forum_title(request, forum: Forum, group=None) -> str:
    if forum.group_id is None:
        return forum.title
    group = group or _group(request, forum)
    return request.localizer.translate(_("Forum of ${group}", mapping={
        "group": group.name if group is not None else ""}))


def forum_url(request, forum: Forum, group=None) -> str:
    """A site forum's page, or a group forum's tab on its group."""
    if forum.group_id is None:
        return request.route_url("forums_forum", forum=forum.slug)
    group = group or _group(request, forum)
    return request.route_url("groups_tab", slug=group.slug, tab="forum")


def _forum_or_404(request, create: bool = False) -> Forum:
    """The forum named in the URL if the viewer may see it; a group's forum is made when its
    first topic is posted."""
    service = forums(request)
    slug = request.matchdict["forum"]
    forum = service.forum_by_slug(slug)
    match = GROUP_SLUG.match(slug)
    if forum is None and match and groups_enabled(request.registry):
        groups = group_service(request)
        group = groups.get(int(match.group(1)))
        if group is not None and groups.can_see_content(group, request.user):
            forum = service.forum_of_group(group.id, create=create)
            if forum is None:
                forum = Forum(slug=slug, title="", group_id=group.id, closed=False,
                              topic_count=0, post_count=0)
            return forum
    if forum is None or not service.may_see_forum(forum, request.user):
        raise HTTPNotFound()
    return forum


def _topic_or_404(request, topic_id=None):
    topic = forums(request).topic(int(topic_id or request.matchdict["id"]), request.user)
    if topic is None:
        raise HTTPNotFound()
    return topic


def _post_or_404(request):
    post = forums(request).post(int(request.matchdict["id"]), request.user)
    if post is None:
        raise HTTPNotFound()
    return post


def topic_list_values(request, forum: Forum, group=None) -> dict:
    service = forums(request)
    stickies, page = service.topics(forum, request.user, request.GET.get("after"),
                                    _settings(request, "topics_per_page"))
    base = forum_url(request, forum, group) if forum.id else None
    return {
        "forum": forum,
        "group": group,
        "title": forum_title(request, forum, group),
        "stickies": stickies,
        "page": page,
        "next_url": f"{base}?after={page.next_cursor}" if base and page.next_cursor else None,
        "first_url": base if request.GET.get("after") else None,
        "may_post": service.may_post(forum),
        "moderator": service.may_moderate(forum) if forum.id else False,
        "subscribed": forum.id is not None and service.subscription(
            request.user, forum=forum) is not None,
        "reports": service.open_report_count(request.user)
        if forum.id and service.may_moderate(forum) else 0,
        "new_url": request.route_url("forums_new_topic", forum=forum.slug),
    }


@view_config(route_name="forums_index", renderer="forums/index.jinja2", permission=VIEW)
def index(request):
    service = forums(request)
    return {"categories": service.categories(),
            "reports": service.open_report_count(request.user)
            if service.may_see_queue(request.user) else 0}


@view_config(route_name="forums_forum", renderer="forums/forum.jinja2", permission=VIEW)
def forum_page(request):
    forum = _forum_or_404(request)
    if forum.group_id is not None:
        return HTTPSeeOther(forum_url(request, forum))
    return topic_list_values(request, forum)


@view_config(route_name="forums_forum_subscription", request_method="POST",
             permission=ACCOUNT)
def forum_subscription(request):
    forum = _forum_or_404(request, create=True)
    service = forums(request)
    if request.POST.get("subscribe") == "1":
        service.subscribe(request.user, forum=forum)
        _flash(request, _("You will get an email for each new post in this forum."))
    else:
        service.unsubscribe(request.user, forum=forum)
        _flash(request, _("You will no longer get emails for this forum."))
    return HTTPSeeOther(forum_url(request, forum))


@view_config(route_name="forums_new_topic", renderer="forums/new_topic.jinja2",
             permission=ACCOUNT)
def new_topic(request):
    forum = _forum_or_404(request, create=request.method == "POST")
    service = forums(request)
    if not service.may_post(forum):
        raise HTTPForbidden()
    group = _group(request, forum)
    form = TopicForm(request, data={"subscribe": _settings(request, "subscribe_authors")})
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                topic = service.create_topic(forum, request.user, form.title.data,
                                             form.body.data, subscribe=form.subscribe.data)
            except ForumError as exc:
                error = exc.message
                request.response.status_int = 429
            else:
                _flash(request, _("Your topic is published."))
                return HTTPSeeOther(service.topic_url(topic, forum))
        else:
            request.response.status_int = 400
    return {"form": form, "forum": forum, "group": group, "error": error,
            "title": forum_title(request, forum, group), "back": forum_url(request, forum, group)}


def _post_values(request, page):
    service = forums(request)
    signed_in = request.user is not None
    return [{
        "post": post, "author": author, "html": render_markdown(post.body),
        "may_edit": signed_in and service.may_edit(post),
        "may_delete": signed_in and service.may_delete(post),
    } for post, author in page.items]


def _quote(request, topic):
    """The reply form's first text when the member quotes a post of this topic."""
    quoted = request.GET.get("quote", "")
    if not quoted.isdigit():
        return ""
    post = forums(request).post(int(quoted), request.user)
    if post is None or post.topic_id != topic.id:
        return ""
    name = member_name(request, post.author)
    lines = "\n".join(f"> {line}" for line in post.body.splitlines())
    return f"> **{name}**:\n{lines}\n\n"


@view_config(route_name="forums_topic", renderer="forums/topic.jinja2", permission=VIEW)
def topic_page(request):
    service = forums(request)
    topic = _topic_or_404(request)
    forum = topic.forum
    if request.matchdict["forum"] != forum.slug or request.matchdict["slug"] != topic.slug:
        return HTTPSeeOther(service.topic_url(topic, forum, _query=request.GET))
    limit = _settings(request, "posts_per_page")
    page = service.posts(topic, request.GET.get("after"), limit)
    if page.items:
        service.mark_read(request.user, topic, page.items[-1][0].id)
    group = _group(request, forum)
    moderator = service.may_moderate(forum)
    may_reply = service.may_reply(topic)
    latest = None
    if page.next_cursor and topic.last_post_id:
        cursor = service.cursor_ending_at(topic, topic.last_post_id, limit)
        latest = service.topic_url(topic, forum, _query={"after": cursor} if cursor else {})
    move_form = None
    if moderator:
        move_form = MoveForm(request)
        move_form.forum.choices = [(f.id, f.title) for f in service.site_forums()
                                   if f.id != forum.id] if forum.group_id is None else []
    return {
        "topic": topic, "forum": forum, "group": group,
        "forum_title": forum_title(request, forum, group),
        "forum_url": forum_url(request, forum, group),
        "posts": _post_values(request, page),
        "next_url": service.topic_url(topic, forum, _query={"after": page.next_cursor})
        if page.next_cursor else None,
        "first_url": service.topic_url(topic, forum) if request.GET.get("after") else None,
        "latest_url": latest,
        "moderator": moderator,
        "may_reply": may_reply,
        "form": ReplyForm(request, data={"body": _quote(request, topic),
                                         "subscribe": _settings(request, "subscribe_authors")})
        if may_reply else None,
        "subscribed": service.subscription(request.user, topic=topic) is not None,
        "move_form": move_form,
        "profiles": plugin_enabled(request.registry, "profiles"),
    }


@view_config(route_name="forums_post", permission=VIEW)
def post_link(request):
    """A post's address: the topic page where it is, at its place."""
    service = forums(request)
    post = _post_or_404(request)
    topic = post.topic
    cursor = service.cursor_ending_at(topic, post.id, _settings(request, "posts_per_page"))
    return HTTPSeeOther(service.topic_url(topic, _query={"after": cursor} if cursor else {},
                                          _anchor=f"post-{post.id}"))


@view_config(route_name="forums_reply", renderer="forums/reply.jinja2", permission=ACCOUNT,
             request_method="POST")
def reply(request):
    service = forums(request)
    topic = _topic_or_404(request)
    if not service.may_reply(topic):
        raise HTTPForbidden()
    form = ReplyForm(request)
    error = None
    if form.validate():
        try:
            post = service.reply(topic, request.user, form.body.data,
                                 subscribe=form.subscribe.data)
        except ForumError as exc:
            error = exc.message
            request.response.status_int = 429
        else:
            return HTTPSeeOther(request.route_url("forums_post", id=post.id))
    else:
        request.response.status_int = 400
    return {"form": form, "topic": topic, "error": error,
            "topic_url": service.topic_url(topic)}


@view_config(route_name="forums_topic_subscription", request_method="POST",
             permission=ACCOUNT)
def topic_subscription(request):
    service = forums(request)
    topic = _topic_or_404(request)
    if request.POST.get("subscribe") == "1":
        service.subscribe(request.user, topic=topic)
        _flash(request, _("You will get an email for each new reply to this topic."))
    else:
        service.unsubscribe(request.user, topic=topic)
        _flash(request, _("You will no longer get emails for this topic."))
    return HTTPSeeOther(service.topic_url(topic))


@view_config(route_name="forums_topic_moderate", request_method="POST", permission=ACCOUNT)
def moderate_topic(request):
    service = forums(request)
    topic = _topic_or_404(request)
    forum = topic.forum
    action = request.matchdict["action"]
    if action not in TOPIC_ACTIONS:
        raise HTTPNotFound()
    if not service.may_moderate(forum):
        raise HTTPForbidden()
    if action == "super" and not service.site_moderator(request.user):
        raise HTTPForbidden()
    target = None
    if action == "move":
        form = MoveForm(request)
        form.forum.choices = [(f.id, f.title) for f in service.site_forums()]
        if forum.group_id is not None or not form.validate():
            _flash(request, _("Choose one of the site's forums."))
            return HTTPSeeOther(service.topic_url(topic))
        target = request.dbsession.get(Forum, form.forum.data)
    service.moderate_topic(topic, action, target)
    messages = {
        "close": _("The topic is closed: no new replies."), "open": _("The topic is open."),
        "stick": _("The topic stays at the top of its forum."),
        "unstick": _("The topic is no longer stuck."),
        "super": _("The topic stays at the top of every forum."),
        "unsuper": _("The topic stays at the top of its forum only."),
        "hide": _("The topic is hidden; only moderators see it."),
        "unhide": _("The topic is visible again."), "move": _("The topic is moved."),
    }
    _flash(request, messages[action])
    return HTTPSeeOther(service.topic_url(topic, target or forum))


@view_config(route_name="forums_post_edit", renderer="forums/edit.jinja2", permission=ACCOUNT)
def edit_post(request):
    service = forums(request)
    post = _post_or_404(request)
    if not service.may_edit(post):
        _flash(request, _("Posts can be edited only by their authors, within ${minutes} "
                          "minutes of posting.", mapping={
                              "minutes": _settings(request, "edit_minutes")}))
        return HTTPSeeOther(request.route_url("forums_post", id=post.id))
    form = EditForm(request, data={"body": post.body, "title": post.topic.title})
    if request.method == "POST":
        if form.validate():
            service.edit(post, form.body.data, form.title.data if post.is_first else None)
            _flash(request, _("Your changes are saved."))
            return HTTPSeeOther(request.route_url("forums_post", id=post.id))
        request.response.status_int = 400
    return {"form": form, "post": post, "topic": post.topic,
            "topic_url": service.topic_url(post.topic)}


@view_config(route_name="forums_post_delete", request_method="POST", permission=ACCOUNT)
def delete_post(request):
    service = forums(request)
    post = _post_or_404(request)
    if not service.may_delete(post):
        raise HTTPForbidden()
    topic = post.topic
    first = post.is_first
    try:
        forum = service.delete(post)
    except ForumError as exc:
        _flash(request, exc.message)
        return HTTPSeeOther(request.route_url("forums_post", id=post.id))
    if first:
        _flash(request, _("The topic is deleted."))
        return HTTPSeeOther(forum_url(request, forum))
    _flash(request, _("The reply is deleted."))
    return HTTPSeeOther(service.topic_url(topic))


@view_config(route_name="forums_post_hide", request_method="POST", permission=ACCOUNT)
def hide_post(request):
    service = forums(request)
    post = _post_or_404(request)
    if not service.may_moderate(post.topic.forum):
        raise HTTPForbidden()
    if request.matchdict["action"] not in ("hide", "unhide"):
        raise HTTPNotFound()
    hide = request.matchdict["action"] == "hide"
    service.set_hidden(post, hide)
    _flash(request, _("The post is hidden; only moderators see it.") if hide
           else _("The post is visible again."))
    return HTTPSeeOther(request.route_url("forums_post", id=post.id))


@view_config(route_name="forums_post_report", renderer="forums/report.jinja2",
             permission=ACCOUNT)
def report_post(request):
    service = forums(request)
    post = _post_or_404(request)
    form = ReportForm(request)
    if request.method == "POST":
        if form.validate():
            service.report(post, request.user, form.reason.data.strip())
            _flash(request, _("Thank you: moderators will look at this post."))
            return HTTPSeeOther(request.route_url("forums_post", id=post.id))
        request.response.status_int = 400
    return {"form": form, "post": post, "html": render_markdown(post.body),
            "topic_url": service.topic_url(post.topic)}


@view_config(route_name="forums_reports", renderer="forums/reports.jinja2", permission=ACCOUNT)
def reports(request):
    service = forums(request)
    if not service.may_see_queue(request.user):
        raise HTTPForbidden()
    page = service.queue(request.user, request.GET.get("after"))
    return {"page": page, "render": render_markdown,
            "next_url": request.route_url("forums_reports", _query={"after": page.next_cursor})
            if page.next_cursor else None}


@view_config(route_name="forums_report_resolve", request_method="POST", permission=ACCOUNT)
def resolve_report(request):
    service = forums(request)
    report = request.dbsession.get(Report, int(request.matchdict["id"]))
    post = report and service.post(report.post_id, request.user)
    if report is None or post is None or not service.may_moderate(post.topic.forum):
        raise HTTPNotFound()
    outcome = request.matchdict["outcome"]
    if outcome not in ("hide", "dismiss"):
        raise HTTPNotFound()
    service.resolve(report, request.user, outcome)
    _flash(request, _("The post is hidden and the report closed.") if outcome == "hide"
           else _("The report is dismissed."))
    return HTTPSeeOther(request.route_url("forums_reports"))


@view_config(route_name="forums_unsubscribe", renderer="forums/unsubscribed.jinja2",
             permission=NO_PERMISSION_REQUIRED)
def unsubscribe(request):
    """The link in every mail: one click, no login, and the subscription is gone."""
    service = forums(request)
    subscription = service.by_token(request.matchdict["token"])
    if subscription is not None:
        request.dbsession.delete(subscription)
        request.dbsession.flush()
    return {"done": subscription is not None}


@view_config(route_name="forums_search", renderer="forums/search.jinja2", permission=VIEW)
def search(request):
    service = forums(request)
    text = request.GET.get("q", "").strip()[:200]
    page = service.search(request.user, text, request.GET.get("after"))
    return {"q": text, "page": page, "render": render_markdown,
            "topic_url": service.topic_url,
            "next_url": request.route_url("forums_search", _query={
                "q": text, "after": page.next_cursor}) if page.next_cursor else None}


# Other plugins' pages

def group_forum_tab(request, group):
    """Groups' Forum tab: the group's topics by last activity."""
    service = forums(request)
    forum = service.forum_of_group(group.id) or Forum(
        slug=f"group-{group.id}", title="", group_id=group.id, closed=False, topic_count=0,
        post_count=0)
    return topic_list_values(request, forum, group)


def _member_page(request, member, tab, page):
    return request.route_url("profiles_tab", username=member.username, tab=tab,
                             _query={"after": page.next_cursor}) if page.next_cursor else None


def member_topics_tab(request, member):
    service = forums(request)
    page = service.topics_by(member, request.user, request.GET.get("after"))
    return {"page": page, "member": member, "topic_url": service.topic_url,
            "count": service.count_by(member, request.user)["topics"],
            "next_url": _member_page(request, member, "topics", page)}


def member_replies_tab(request, member):
    service = forums(request)
    page = service.replies_by(member, request.user, request.GET.get("after"))
    return {"page": page, "member": member, "render": render_markdown,
            "count": service.count_by(member, request.user)["replies"],
            "topic_url": service.topic_url,
            "next_url": _member_page(request, member, "replies", page)}


def export_forums(request, user):
    return forums(request).export(user)


def erase_forums(request, user):
    forums(request).erase(user)


def forget_group(request, event):
    """A group is being deleted: its forum goes with it, in the same transaction."""
    forums(request).forget_group(event.group_id)


def includeme(config):
    from plugins.forums import admin, seed
    from plugins.forums.services import forum_service_factory

    config.register_service_factory(forum_service_factory, IForumService)
    config.declare_permission(POST, _("Start topics and reply in the site's forums"),
                              roles=("member",))
    config.declare_permission(MODERATE, _("Moderate the site's forums"), roles=("moderator",))
    config.declare_permission(MANAGE, _("Manage forum categories and forums"), roles=())
    config.add_route("forums_index", "/forums")
    config.add_route("forums_search", "/forums/search")
    config.add_route("forums_reports", "/forums/reports")
    config.add_route("forums_report_resolve", r"/forums/reports/{id:\d+}/{outcome}", ids="id")
    config.add_route("forums_unsubscribe", "/forums/unsubscribe/{token}")
    config.add_route("forums_post", r"/forums/post/{id:\d+}", ids="id")
    config.add_route("forums_post_edit", r"/forums/post/{id:\d+}/edit", ids="id")
    config.add_route("forums_post_delete", r"/forums/post/{id:\d+}/delete", ids="id")
    config.add_route("forums_post_report", r"/forums/post/{id:\d+}/report", ids="id")
    config.add_route("forums_post_hide", r"/forums/post/{id:\d+}/{action}", ids="id")
    config.add_route("forums_reply", r"/forums/topic/{id:\d+}/reply", ids="id")
    config.add_route("forums_topic_subscription", r"/forums/topic/{id:\d+}/subscription", ids="id")
    config.add_route("forums_topic_moderate", r"/forums/topic/{id:\d+}/{action}", ids="id")
    config.add_route("forums_forum", "/forums/{forum}")
    config.add_route("forums_new_topic", "/forums/{forum}/new")
    config.add_route("forums_forum_subscription", "/forums/{forum}/subscription")
    config.add_route("forums_topic", r"/forums/{forum}/{id:\d+}-{slug}", ids="id")
    config.add_nav_item("main", "forums", _("Forums"), "forums_index", order=20)
    config.add_personal_data_provider("forums", export=export_forums, erase=erase_forums)
    if plugin_enabled(config.registry, "profiles"):
        config.add_profile_tab("topics", _("Topics"), member_topics_tab,
                               "forums/member_topics.jinja2", order=40)
        config.add_profile_tab("replies", _("Replies"), member_replies_tab,
                               "forums/member_replies.jinja2", order=41)
    if groups_enabled(config.registry) and hasattr(config, "add_group_tab"):
        config.add_group_tab("forum", _("Forum"), group_forum_tab, order=20,
                             renderer="forums/group_tab.jinja2")
    if groups_enabled(config.registry):
        config.add_event_subscriber(IGroupDeleted, forget_group, name="forums.forget_group",
                                    sync=True)
    config.include(admin)
    config.include(seed)
    config.scan(".views")
