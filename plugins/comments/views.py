"""Pages of comments: the box under a content, the thread's own page, and the actions on a
comment (edit, delete, report, hide, show) and on a thread (close, reopen)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.content import content_type
from core.errors import Forbidden
from core.input import parse_id
from core.mentions import render_member_text
from core.security import VIEW
from plugins.comments import _
from plugins.comments.forms import CommentForm, ReportForm
from plugins.comments.interfaces import CommentError, ICommentService
from plugins.comments.models import Comment

BOXES = (
    # (plugin, region, content type, the region's context key of the content)
    ("agenda", "agenda.event.after_rsvp", "agenda.event", "event"),
    ("petitions", "petitions.petition.aside", "petitions.petition", "petition"),
    ("polls", "polls.poll.aside", "polls.poll", "poll"),
    ("social", "social.status.after", "social.status", "status"),
)


def comments(request):
    return request.find_service(ICommentService)


def content_url(request, kind_name: str, row) -> str:
    return content_type(request.registry, kind_name).url(request, row)


def blank_form(request) -> CommentForm:
    """An empty comment form, even on a page answering another form's POST."""
    form = CommentForm(request)
    form.body.data = form.parent.data = ""
    form.body.errors = []
    return form


def thread_values(request, kind_name: str, row, after=None, form=None, error=None,
                  limit=None) -> dict:
    """What the box and the thread's page show."""
    service = comments(request)
    user = request.user
    page = service.thread(kind_name, row, user, after=after, limit=limit)
    return {
        "kind": kind_name, "row": row, "page": page,
        "count": service.counts(kind_name, [row.id], user).get(row.id, 0),
        "moderator": service.may_moderate(kind_name, row, user),
        "may_comment": service.may_comment(kind_name, row, user),
        "closed": service.closed(kind_name, row),
        "is_open": service.is_open(kind_name, row),
        "form": form or blank_form(request),
        "error": error,
        "thread_url": request.route_url("comments_thread", kind=kind_name, id=row.id),
        "content_url": content_url(request, kind_name, row),
        "post_url": request.route_url("comments_thread", kind=kind_name, id=row.id),
        "next_url": page.next_cursor and request.route_url(
            "comments_thread", kind=kind_name, id=row.id, _query={"after": page.next_cursor}),
    }


def box(kind_name: str, key: str):
    """A region item's view showing the comments of the region's ``key`` (a row of
    ``kind_name`` that the page has already found visible to its reader)."""

    def view(request, **context):
        row = context.get(key)
        if row is None or comments(request).kind(kind_name) is None:
            return None
        return thread_values(request, kind_name, row,
                             limit=request.registry.settings["comments.box_size"])

    return view


def add_comments_box(config, region: str, kind_name: str, key: str, order: int = 200) -> None:
    """Show the comment box of ``kind_name`` in ``region``, whose context holds the row
    under ``key``: how a plugin puts comments on its page (the kind opts in with
    ``add_content_type(..., comments=...)``)."""
    config.add_region_item(region, "comments", template="comments/box.jinja2",
                           view=box(kind_name, key), order=order)


def _content(request):
    row = comments(request).content(request.matchdict["kind"], request.matchdict["id"],
                                    request.user)
    if row is None:
        raise HTTPNotFound()
    return request.matchdict["kind"], row


def _found(request):
    found = comments(request).comment(request.matchdict["id"], request.user)
    if found is None:
        raise HTTPNotFound()
    return found


def _back(request, kind_name, row, anchor="comments"):
    return HTTPSeeOther(content_url(request, kind_name, row) + "#" + anchor)


def _to_comment(request, comment: Comment, kind_name, row):
    """To the comment: under its content when the box shows it, else on the comments' page
    that holds it."""
    settings = request.registry.settings
    after = comments(request).cursor_for(comment, request.user, settings["comments.page_size"],
                                         settings["comments.box_size"])
    if after is None:
        return _back(request, kind_name, row, f"comment-{comment.id}")
    query = {"after": after} if after != "0" else {}
    return HTTPSeeOther(request.route_url("comments_thread", kind=kind_name, id=row.id,
                                          _query=query, _anchor=f"comment-{comment.id}"))


def _flash(request, message) -> None:
    request.session.flash(request.localizer.translate(message))


@view_config(route_name="comments_thread", request_method="GET",
             renderer="comments/thread.jinja2", permission=VIEW)
def thread(request):
    kind_name, row = _content(request)
    values = thread_values(request, kind_name, row, after=request.GET.get("after"))
    values["title"] = _title(content_type(request.registry, kind_name), row)
    return values


@view_config(route_name="comments_thread", request_method="POST",
             renderer="comments/thread.jinja2", permission=VIEW)
def post(request):
    kind_name, row = _content(request)
    form = CommentForm(request)
    parent = None
    parent_id = parse_id(form.parent.data)
    if parent_id is not None:
        parent = request.dbsession.get(Comment, parent_id)
        if parent is None:
            raise HTTPNotFound()
    try:
        if not form.validate():
            raise CommentError(_("Keep the comment shorter."), field="body")
        comment = comments(request).post(request.user, kind_name, row, form.body.data, parent)
    except CommentError as error:
        request.response.status_int = 400
        values = thread_values(request, kind_name, row, form=form, error=error.message)
        values["title"] = _title(content_type(request.registry, kind_name), row)
        return values
    return _to_comment(request, comment, kind_name, row)


@view_config(route_name="comments_switch", request_method="POST", permission=VIEW)
def switch(request):
    if request.matchdict["action"] not in ("close", "open"):
        raise HTTPNotFound()
    kind_name, row = _content(request)
    closed = request.matchdict["action"] == "close"
    comments(request).set_closed(request.user, kind_name, row, closed)
    _flash(request, _("Comments are closed.") if closed else _("Comments are open again."))
    return _back(request, kind_name, row)


@view_config(route_name="comments_comment", request_method="GET", permission=VIEW)
def permalink(request):
    comment, kind, row = _found(request)
    return _to_comment(request, comment, kind.name, row)


def _title(kind, row) -> str:
    return kind.label(row) if kind.label else ""


def _form_page(request, found, form, act, done, too_long, **values):
    """A comment's form page (edit, report): on POST, ``act(text)`` then back to the comment
    with ``done`` said; a refusal shows again with its sentence (400)."""
    comment, kind, row = found
    error = None
    if request.method == "POST":
        field = next(iter(form))
        try:
            if not form.validate():
                raise CommentError(too_long, field=field.name)
            act(field.data)
        except CommentError as exc:
            request.response.status_int = 400
            error = exc.message
        else:
            _flash(request, done)
            return _back(request, kind.name, row, f"comment-{comment.id}")
    return {"form": form, "comment": comment, "error": error, "title": _title(kind, row),
            "content_url": content_url(request, kind.name, row), **values}


@view_config(route_name="comments_edit", renderer="comments/edit.jinja2", permission=VIEW)
def edit(request):
    found = comment, kind, row = _found(request)
    service = comments(request)
    if not service.may_edit(comment, request.user,
                            service.may_moderate(kind.name, row, request.user)):
        raise Forbidden(_("Comments can be edited only by their authors, within ${minutes} "
                          "minutes of writing them.", mapping={
                              "minutes": request.registry.settings["comments.edit_minutes"]}))
    return _form_page(request, found, CommentForm(request, data={"body": comment.body}),
                      lambda text: service.edit(request.user, comment, text),
                      _("Your changes are saved."), _("Keep the comment shorter."))


@view_config(route_name="comments_delete", renderer="comments/delete.jinja2", permission=VIEW)
def delete(request):
    comment, kind, row = _found(request)
    service = comments(request)
    if request.method == "POST":
        service.delete(request.user, comment)
        _flash(request, _("The comment is deleted."))
        return _back(request, kind.name, row)
    if not service.may_delete(comment, request.user,
                              service.may_moderate(kind.name, row, request.user)):
        raise HTTPNotFound()
    return {"comment": comment, "content_url": content_url(request, kind.name, row),
            "title": _title(kind, row), "html": render_member_text(request, comment.body)}


@view_config(route_name="comments_report", renderer="comments/report.jinja2", permission=VIEW)
def report(request):
    found = comment, _kind, _row = _found(request)
    if request.user is None:
        raise HTTPNotFound()
    return _form_page(request, found, ReportForm(request),
                      lambda text: comments(request).report(request.user, comment, text),
                      _("Thank you: the moderators will look at it."),
                      _("Keep the reason shorter."), html=render_member_text(request, comment.body))


@view_config(route_name="comments_moderate", request_method="POST", permission=VIEW)
def moderate(request):
    action = request.matchdict["action"]
    if action not in ("hide", "show", "dismiss"):
        raise HTTPNotFound()
    comment, kind, row = _found(request)
    service = comments(request)
    if action == "dismiss":
        service.dismiss_reports(request.user, comment)
        _flash(request, _("The reports are dismissed."))
    else:
        service.set_hidden(request.user, comment, action == "hide")
        _flash(request, _("The comment is hidden.") if action == "hide"
               else _("The comment is shown again."))
    return _back(request, kind.name, row, f"comment-{comment.id}")


def sweep(request):
    """Every night, in the worker: comments of contents that are gone go too."""
    comments(request).sweep()


def export_comments(request, user):
    return comments(request).export(user)


def erase_comments(request, user):
    comments(request).erase(user)
