"""Pages of private messages: the inbox, a conversation, writing, settings, reports."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import select

from core.accounts.models import User
from core.db import try_write_at_commit
from core.errors import ActionError, NotFound
from core.extensions import plugin_enabled
from core.input import parse_id
from core.security import ACCOUNT
from core.text import single_line
from plugins.messages import _
from plugins.messages.models import CONNECTIONS, EVERYONE, NOBODY
from plugins.messages.services import (
    MODERATE,
    IMessageService,
)

WHO_TITLES = {
    EVERYONE: _("Every member"),
    CONNECTIONS: _("My connections and the members of my groups"),
    NOBODY: _("Nobody"),
}


def messages(request):
    return request.find_service(IMessageService)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def _refused(request, exc: ActionError, values: dict, renderer: str):
    from pyramid.renderers import render_to_response

    values["error"] = request.localizer.translate(exc.message)
    response = render_to_response(renderer, values, request=request)
    response.status = exc.status
    return response


@view_config(route_name="messages_inbox", renderer="messages/inbox.jinja2", permission=ACCOUNT)
def inbox(request):
    service = messages(request)
    size = request.registry.settings["messages.page_size"]
    archived = request.GET.get("archived") == "1"
    rows = service.inbox(request.user, archived, parse_id(request.GET.get("before")), size + 1)
    more = len(rows) > size
    rows = rows[:size]
    people = service.participants([conversation for conversation, _p in rows])
    return {"rows": rows, "people": people, "archived": archived,
            "next_before": rows[-1][1].last_message_id if more else None}


def _recipients(request, text: str) -> list:
    names = [name.strip().lstrip("@") for name in (text or "").replace(";", ",").split(",")]
    names = [name for name in names if name][:50]
    if not names:
        return []
    from core.accounts.services import username_key

    keys = {username_key(name) for name in names}
    found = request.dbsession.scalars(select(User).where(User.username_key.in_(keys),
                                                         User.status == "active")).all()
    if len(found) < len(keys):
        missing = sorted(keys - {user.username_key for user in found})
        raise ActionError(_("No member is called ${name}.", mapping={"name": missing[0]}))
    return list(found)


@view_config(route_name="messages_new", renderer="messages/new.jinja2", permission=ACCOUNT)
def new(request):
    values = {"to": single_line(request.params.get("to", ""))[:500],
              "subject": single_line(request.POST.get("subject", ""))[:200],
              "body": request.POST.get("body", ""), "error": None}
    if request.method == "GET" and values["to"]:
        try:
            refused = [user for user in _recipients(request, values["to"])
                       if not messages(request).may_write_to(request.user, user)]
        except ActionError as exc:
            refused, values["error"] = [], request.localizer.translate(exc.message)
        if refused:
            values["error"] = request.localizer.translate(_(
                "${name} does not receive messages from you.",
                mapping={"name": refused[0].display_name}))
    if request.method == "POST":
        try:
            conversation = messages(request).start(
                request.user, _recipients(request, values["to"]), values["subject"],
                values["body"])
        except ActionError as exc:
            return _refused(request, exc, values, "messages/new.jinja2")
        _flash(request, _("Your message is sent."))
        return HTTPSeeOther(request.route_url("messages_show", id=conversation.id))
    return values


def _conversation(request):
    found = messages(request).get(request.matchdict["id"], request.user)
    if found is None:
        raise HTTPNotFound()
    return found


def _show_values(request, conversation, participant):
    service = messages(request)
    size = request.registry.settings["messages.page_size"]
    rows = service.messages(conversation, participant, parse_id(request.GET.get("before")),
                            size + 1)
    more = len(rows) > size
    rows = rows[:size]
    group = None
    if conversation.group_id and plugin_enabled(request.registry, "groups"):
        from plugins.groups.interfaces import group_service

        group = group_service(request).get(conversation.group_id)
    return {"conversation": conversation, "participant": participant,
            "rows": list(reversed(rows)), "next_before": rows[-1][0].id if more else None,
            "people": service.participants([conversation])[conversation.id],
            "group": group, "error": None, "body": ""}


@view_config(route_name="messages_show", renderer="messages/show.jinja2", permission=ACCOUNT,
             request_method="GET")
def show(request):
    conversation, participant = _conversation(request)
    if participant.last_read_id < participant.last_message_id:
        service = messages(request)
        try_write_at_commit(request, lambda: service.mark_read(participant),
                            "conversation read")
    return _show_values(request, conversation, participant)


@view_config(route_name="messages_reply", permission=ACCOUNT, request_method="POST")
def reply(request):
    conversation, participant = _conversation(request)
    body = request.POST.get("body", "")
    try:
        messages(request).reply(request.user, conversation, body,
                                admins_only=request.POST.get("audience") == "admins")
    except ActionError as exc:
        values = _show_values(request, conversation, participant)
        values["body"] = body
        return _refused(request, exc, values, "messages/show.jinja2")
    return HTTPSeeOther(request.route_url("messages_show", id=conversation.id,
                                          _anchor="latest"))


@view_config(route_name="messages_archive", permission=ACCOUNT, request_method="POST")
def archive(request):
    conversation, _participant = _conversation(request)
    keep = request.POST.get("action") != "unarchive"
    messages(request).archive(request.user, conversation, keep)
    _flash(request, _("The conversation is archived.") if keep else
           _("The conversation is back in your inbox."))
    return HTTPSeeOther(request.route_url("messages_inbox"))


@view_config(route_name="messages_delete", permission=ACCOUNT, request_method="POST")
def delete(request):
    conversation, _participant = _conversation(request)
    messages(request).delete_for_me(request.user, conversation)
    _flash(request, _("The conversation is deleted for you. The others keep it."))
    return HTTPSeeOther(request.route_url("messages_inbox"))


@view_config(route_name="messages_report", renderer="messages/report.jinja2",
             permission=ACCOUNT)
def report(request):
    service = messages(request)
    found = service.visible_message(request.matchdict["id"], request.user)
    if found is None:
        raise HTTPNotFound()
    message, conversation, _participant = found
    values = {"message": message, "conversation": conversation, "error": None}
    if request.method == "POST":
        try:
            service.report(request.user, message.id, request.POST.get("reason", ""))
        except ActionError as exc:
            return _refused(request, exc, values, "messages/report.jinja2")
        _flash(request, _("Thank you. The moderators will read this message."))
        return HTTPSeeOther(request.route_url("messages_show", id=conversation.id))
    return values


@view_config(route_name="messages_settings", renderer="messages/settings.jinja2",
             permission=ACCOUNT)
def settings(request):
    service = messages(request)
    if request.method == "POST":
        try:
            service.set_who_may_write(request.user, request.POST.get("who_may_write"))
        except ActionError as exc:
            return _refused(request, exc, {"chosen": service.who_may_write(request.user),
                                           "choices": list(WHO_TITLES.items())},
                            "messages/settings.jinja2")
        _flash(request, _("Your choice is saved."))
        return HTTPSeeOther(request.route_url("messages_settings"))
    return {"chosen": service.who_may_write(request.user), "choices": list(WHO_TITLES.items()),
            "error": None}


@view_config(route_name="messages_reports", renderer="messages/reports.jinja2",
             permission=MODERATE)
def reports(request):
    size = request.registry.settings["messages.page_size"]
    rows = messages(request).open_reports(parse_id(request.GET.get("before")), size + 1)
    more = len(rows) > size
    rows = rows[:size]
    ids = {row[1].sender_id for row in rows} | {row[0].reporter_id for row in rows}
    ids.discard(None)
    people = {user.id: user for user in request.dbsession.scalars(
        select(User).where(User.id.in_(sorted(ids))))} if ids else {}
    return {"rows": rows, "people": people, "next_before": rows[-1][0].id if more else None}


@view_config(route_name="messages_resolve", permission=MODERATE, request_method="POST")
def resolve(request):
    try:
        messages(request).resolve(request.user, request.matchdict["id"],
                                  request.POST.get("outcome", ""))
    except NotFound:
        raise HTTPNotFound() from None
    _flash(request, _("The report is handled."))
    return HTTPSeeOther(request.route_url("messages_reports"))


@view_config(route_name="messages_group", renderer="messages/group.jinja2", permission=ACCOUNT)
def group_message(request):
    from plugins.groups.interfaces import group_service

    groups = group_service(request)
    group = groups.find(request.matchdict["slug"], request.user) if groups else None
    if group is None or groups.role(group, request.user) != "admin":
        raise HTTPNotFound()
    values = {"group": group, "subject": single_line(request.POST.get("subject", ""))[:200],
              "body": request.POST.get("body", ""), "error": None}
    if request.method == "POST":
        try:
            conversation = messages(request).start_group(request.user, group,
                                                         values["subject"], values["body"])
        except ActionError as exc:
            return _refused(request, exc, values, "messages/group.jinja2")
        _flash(request, _("Your message is sent to the members of the group."))
        return HTTPSeeOther(request.route_url("messages_show", id=conversation.id))
    return values


def write_button(request, member, **context):
    """The "Write" button on another active member's page, for members. It costs the page no
    query: whether the member receives messages from the writer is said when they write."""
    if request.user is None or member.id == request.user.id or member.status != "active":
        return None
    return {"url": request.route_url("messages_new", _query={"to": member.username})}


def conversation_url(request, conversation):
    return request.route_url("messages_show", id=conversation.id)


def conversation_label(conversation):
    return conversation.subject


def export(request, user):
    return messages(request).export_for(user)


def erase(request, user):
    messages(request).erase_for(user)


def group_button(request, group=None, **context):
    """"Write to the members" in a group's header, for its admins."""
    if request.user is None or group is None or not plugin_enabled(request.registry, "groups"):
        return None
    from plugins.groups.interfaces import group_service

    if group_service(request).role(group, request.user) != "admin":
        return None
    return {"url": request.route_url("messages_group", slug=group.slug)}
