"""The forums' pages: index, forum, topic, writing, moderation, reports, search; and setup.

Views read the request, ask the service (``IForumService``) as ``request.user`` and render
or redirect. The service checks every rule: what it refuses (``core.errors.ActionError``)
is shown next to the form, or, where there is no form, by the site's error page with its
status (``core.views.action_refused``).
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from core.errors import ActionError, Forbidden
from core.extensions import plugin_enabled
from core.mentions import render_member_text
from core.rendering import member_name
from core.security import ACCOUNT, VIEW
from plugins.forums import _
from plugins.forums.forms import EditForm, MoveForm, ReplyForm, ReportForm, TopicForm
from plugins.forums.interfaces import IForumService
from plugins.forums.models import Forum
from plugins.forums.services import TOPIC_ACTIONS
from plugins.groups.interfaces import group_service


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


def _forum_or_404(request) -> Forum:
    """The forum named in the URL if the viewer may see it (a group's forum without a row
    yet comes unsaved: its first topic makes it)."""
    forum = forums(request).forum_by_slug(request.matchdict["forum"], request.user)
    if forum is None:
        raise HTTPNotFound()
    return forum


def _topic_or_404(request):
    topic = forums(request).topic(int(request.matchdict["id"]), request.user)
    if topic is None:
        raise HTTPNotFound()
    return topic


def _post_or_404(request):
    post = forums(request).post(int(request.matchdict["id"]), request.user)
    if post is None:
        raise HTTPNotFound()
    return post


def _refused(request, error: ActionError):
    """What a form shows when the service refused: the sentence, and the status."""
    request.response.status_int = error.status
    return error.message


def topic_list_values(request, forum: Forum, group=None) -> dict:
    service = forums(request)
    user = request.user
    stickies, page = service.topics(forum, user, request.GET.get("after"),
                                    _settings(request, "topics_per_page"))
    base = service.forum_url(forum, group) if forum.id else None
    moderator = service.may_moderate(forum, user) if forum.id else False
    return {
        "forum": forum,
        "group": group,
        "title": forum_title(request, forum, group),
        "stickies": stickies,
        "page": page,
        "next_url": f"{base}?after={page.next_cursor}" if base and page.next_cursor else None,
        "first_url": base if request.GET.get("after") else None,
        "may_post": service.may_post(forum, user),
        "moderator": moderator,
        "subscribed": service.subscription(user, forum=forum) is not None,
        "reports": service.open_report_count(user) if moderator else 0,
        "new_url": request.route_url("forums_new_topic", forum=forum.slug),
        "forum_context": service.context(forum),
    }


@view_config(route_name="forums_index", renderer="forums/index.jinja2", permission=VIEW)
def index(request):
    service = forums(request)
    return {"categories": service.categories(request.user),
            "reports": service.open_report_count(request.user)
            if service.may_see_queue(request.user) else 0}


@view_config(route_name="forums_forum", renderer="forums/forum.jinja2", permission=VIEW)
def forum_page(request):
    forum = _forum_or_404(request)
    if forum.group_id is not None:
        return HTTPSeeOther(forums(request).forum_url(forum))
    return topic_list_values(request, forum)


@view_config(route_name="forums_forum_subscription", request_method="POST",
             permission=ACCOUNT)
def forum_subscription(request):
    forum = _forum_or_404(request)
    service = forums(request)
    if request.POST.get("subscribe") == "1":
        service.subscribe(request.user, forum=forum)
        _flash(request, _("You will get an email for each new post in this forum."))
    else:
        service.unsubscribe(request.user, forum=forum)
        _flash(request, _("You will no longer get emails for this forum."))
    return HTTPSeeOther(service.forum_url(forum))


@view_config(route_name="forums_new_topic", renderer="forums/new_topic.jinja2",
             permission=ACCOUNT)
def new_topic(request):
    forum = _forum_or_404(request)
    service = forums(request)
    if not service.may_post(forum, request.user):
        raise Forbidden(_("You may not write in this forum."))
    group = _group(request, forum)
    form = TopicForm(request, data={"subscribe": _settings(request, "subscribe_authors")})
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                topic = service.create_topic(request.user, forum, form.title.data,
                                             form.body.data, subscribe=form.subscribe.data)
            except ActionError as exc:
                error = _refused(request, exc)
            else:
                _flash(request, _("Your topic is published."))
                return HTTPSeeOther(service.topic_url(topic))
        else:
            request.response.status_int = 400
    return {"form": form, "forum": forum, "group": group, "error": error,
            "title": forum_title(request, forum, group),
            "back": service.forum_url(forum, group)}


def _post_values(request, page):
    service = forums(request)
    signed_in = request.user is not None
    return [{
        "post": post, "author": author, "html": render_member_text(request, post.body),
        "may_edit": signed_in and service.may_edit(post, request.user),
        "may_delete": signed_in and service.may_delete(post, request.user),
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
    user = request.user
    topic = _topic_or_404(request)
    forum = topic.forum
    if request.matchdict["forum"] != forum.slug or request.matchdict["slug"] != topic.slug:
        return HTTPSeeOther(service.topic_url(topic, forum, _query=request.GET))
    limit = _settings(request, "posts_per_page")
    page = service.posts(topic, user, request.GET.get("after"), limit)
    if page.items:
        service.mark_read(user, topic, page.items[-1][0].id)
    group = _group(request, forum)
    moderator = service.may_moderate(forum, user)
    may_reply = service.may_reply(topic, user)
    latest = None
    if page.next_cursor and topic.last_post_id:
        cursor = service.cursor_ending_at(topic, topic.last_post_id, user, limit)
        latest = service.topic_url(topic, forum, _query={"after": cursor} if cursor else {})
    move_form = None
    if moderator:
        move_form = MoveForm(request)
        move_form.forum.choices = [(f.id, f.title) for f in service.move_targets(topic)]
    return {
        "topic": topic, "forum": forum, "group": group,
        "forum_title": forum_title(request, forum, group),
        "forum_url": service.forum_url(forum, group),
        "posts": _post_values(request, page),
        "next_url": service.topic_url(topic, forum, _query={"after": page.next_cursor})
        if page.next_cursor else None,
        "first_url": service.topic_url(topic, forum) if request.GET.get("after") else None,
        "latest_url": latest,
        "moderator": moderator,
        "pins_everywhere": moderator and group is None and service.site_moderator(user),
        "may_reply": may_reply,
        "form": ReplyForm(request, data={"body": _quote(request, topic),
                                         "subscribe": _settings(request, "subscribe_authors")})
        if may_reply else None,
        "subscribed": service.subscription(user, topic=topic) is not None,
        "move_form": move_form,
        "profiles": plugin_enabled(request.registry, "profiles"),
        "forum_context": service.context(forum),
    }


@view_config(route_name="forums_post", permission=VIEW)
def post_link(request):
    """A post's address: the topic page where it is, at its place."""
    service = forums(request)
    post = _post_or_404(request)
    topic = post.topic
    cursor = service.cursor_ending_at(topic, post.id, request.user,
                                      _settings(request, "posts_per_page"))
    return HTTPSeeOther(service.topic_url(topic, _query={"after": cursor} if cursor else {},
                                          _anchor=f"post-{post.id}"))


@view_config(route_name="forums_reply", renderer="forums/reply.jinja2", permission=ACCOUNT,
             request_method="POST")
def reply(request):
    service = forums(request)
    topic = _topic_or_404(request)
    if not service.may_reply(topic, request.user):
        raise Forbidden(_("This topic is closed: no new replies.") if topic.closed
                        else _("You may not write in this forum."))
    form = ReplyForm(request)
    error = None
    if form.validate():
        try:
            post = service.reply(request.user, topic, form.body.data,
                                 subscribe=form.subscribe.data)
        except ActionError as exc:
            error = _refused(request, exc)
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


MODERATION_MESSAGES = {
    "close": _("The topic is closed: no new replies."), "open": _("The topic is open."),
    "stick": _("The topic stays at the top of its forum."),
    "unstick": _("The topic is no longer stuck."),
    "super": _("The topic stays at the top of every forum."),
    "unsuper": _("The topic stays at the top of its forum only."),
    "hide": _("The topic is hidden; only moderators see it."),
    "unhide": _("The topic is visible again."), "move": _("The topic is moved."),
}


@view_config(route_name="forums_topic_moderate", request_method="POST", permission=ACCOUNT)
def moderate_topic(request):
    service = forums(request)
    topic = _topic_or_404(request)
    action = request.matchdict["action"]
    if action not in TOPIC_ACTIONS:
        raise HTTPNotFound()
    target = None
    if action == "move":
        form = MoveForm(request)
        form.forum.choices = [(f.id, f.title) for f in service.move_targets(topic)]
        target = request.dbsession.get(Forum, form.forum.data) if form.validate() else None
    try:
        service.moderate_topic(request.user, topic, action, target)
    except ActionError as exc:
        if exc.field != "forum":
            raise
        _flash(request, exc.message)
        return HTTPSeeOther(service.topic_url(topic))
    _flash(request, MODERATION_MESSAGES[action])
    return HTTPSeeOther(service.topic_url(topic, target or topic.forum))


@view_config(route_name="forums_post_edit", renderer="forums/edit.jinja2", permission=ACCOUNT)
def edit_post(request):
    service = forums(request)
    post = _post_or_404(request)
    if not service.may_edit(post, request.user):
        _flash(request, _("Posts can be edited only by their authors, within ${minutes} "
                          "minutes of posting.", mapping={
                              "minutes": _settings(request, "edit_minutes")}))
        return HTTPSeeOther(request.route_url("forums_post", id=post.id))
    form = EditForm(request, data={"body": post.body, "title": post.topic.title})
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                service.edit(request.user, post, form.body.data,
                             form.title.data if post.is_first else None)
            except ActionError as exc:
                error = _refused(request, exc)
            else:
                _flash(request, _("Your changes are saved."))
                return HTTPSeeOther(request.route_url("forums_post", id=post.id))
        else:
            request.response.status_int = 400
    return {"form": form, "post": post, "topic": post.topic, "error": error,
            "topic_url": service.topic_url(post.topic)}


@view_config(route_name="forums_post_delete", request_method="POST", permission=ACCOUNT)
def delete_post(request):
    service = forums(request)
    post = _post_or_404(request)
    topic = post.topic
    first = post.is_first
    try:
        forum = service.delete(request.user, post)
    except ActionError as exc:
        if exc.status != 400:
            raise
        _flash(request, exc.message)
        return HTTPSeeOther(request.route_url("forums_post", id=post.id))
    if first:
        _flash(request, _("The topic is deleted."))
        return HTTPSeeOther(service.forum_url(forum))
    _flash(request, _("The reply is deleted."))
    return HTTPSeeOther(service.topic_url(topic))


@view_config(route_name="forums_post_hide", request_method="POST", permission=ACCOUNT)
def hide_post(request):
    service = forums(request)
    post = _post_or_404(request)
    if request.matchdict["action"] not in ("hide", "unhide"):
        raise HTTPNotFound()
    hide = request.matchdict["action"] == "hide"
    service.set_hidden(request.user, post, hide)
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
            service.report(request.user, post, form.reason.data)
            _flash(request, _("Thank you: moderators will look at this post."))
            return HTTPSeeOther(request.route_url("forums_post", id=post.id))
        request.response.status_int = 400
    return {"form": form, "post": post, "html": render_member_text(request, post.body),
            "topic_url": service.topic_url(post.topic)}


@view_config(route_name="forums_reports", renderer="forums/reports.jinja2", permission=ACCOUNT)
def reports(request):
    service = forums(request)
    if not service.may_see_queue(request.user):
        raise Forbidden(_("Only the forums' moderators see the reports."))
    page = service.queue(request.user, request.GET.get("after"))
    return {"page": page, "render": lambda body: render_member_text(request, body),
            "next_url": request.route_url("forums_reports", _query={"after": page.next_cursor})
            if page.next_cursor else None}


@view_config(route_name="forums_report_resolve", request_method="POST", permission=ACCOUNT)
def resolve_report(request):
    outcome = request.matchdict["outcome"]
    forums(request).resolve(request.user, int(request.matchdict["id"]), outcome)
    _flash(request, _("The post is hidden and the report closed.") if outcome == "hide"
           else _("The report is dismissed."))
    return HTTPSeeOther(request.route_url("forums_reports"))


@view_config(route_name="forums_unsubscribe", renderer="forums/unsubscribed.jinja2",
             permission=NO_PERMISSION_REQUIRED)
def unsubscribe(request):
    """The link in every mail: one click, no login, and the subscription is gone."""
    return {"done": forums(request).unsubscribe_by_token(request.matchdict["token"])}


@view_config(route_name="forums_search", renderer="forums/search.jinja2", permission=VIEW)
def search(request):
    service = forums(request)
    text = request.GET.get("q", "").strip()[:200]
    page = service.search(request.user, text, request.GET.get("after"))
    return {"q": text, "page": page, "render": lambda body: render_member_text(request, body),
            "topic_url": service.topic_url,
            "next_url": request.route_url("forums_search", _query={
                "q": text, "after": page.next_cursor}) if page.next_cursor else None}


# Other plugins' pages

def group_forum_tab(request, group):
    """Groups' Forum tab: the group's topics by last activity."""
    service = forums(request)
    forum = service.forum_of_group(group.id) or Forum(
        slug=f"group-{group.id}", title="", description="", group_id=group.id, closed=False,
        topic_count=0, post_count=0)
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
    return {"page": page, "member": member, "render": lambda body: render_member_text(request, body),
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
