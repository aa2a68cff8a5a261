"""The admin panel where admins arrange categories and site forums (/admin/forums).

The service (``IForumService``) checks that the actor may manage the forums and makes the
changes; these views read the forms and show the outcome.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.admin.views import admin_panels
from core.errors import ActionError
from plugins.forums import _
from plugins.forums.forms import CategoryForm, ForumForm
from plugins.forums.interfaces import IForumService
from plugins.forums.models import Category, Forum
from plugins.forums.services import MANAGE


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("forums_admin"))


def _forum_form(request, categories, **kw) -> ForumForm:
    form = ForumForm(request, **kw)
    form.category.choices = [(0, request.localizer.translate(_("No category")))] + [
        (c.id, c.title) for c in categories]
    return form


@view_config(route_name="forums_admin", renderer="forums/admin.jinja2", permission=MANAGE)
def panel(request):
    service = request.find_service(IForumService)
    categories = service.categories_in_order()
    category_form = CategoryForm(request, prefix="category")
    forum_form = _forum_form(request, categories, prefix="forum")
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "category" and category_form.validate():
            service.add_category(request.user, category_form.title.data,
                                 category_form.description.data)
            return _back(request, _("The category is added."))
        if kind == "forum" and forum_form.validate():
            service.add_forum(request.user, forum_form.title.data, forum_form.description.data,
                              forum_form.category.data, forum_form.closed.data)
            return _back(request, _("The forum is added."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "categories": categories,
            "forums": service.site_forums(), "category_form": category_form,
            "forum_form": forum_form}


@view_config(route_name="forums_admin_item", renderer="forums/admin_edit.jinja2",
             permission=MANAGE)
def item(request):
    service = request.find_service(IForumService)
    kind, action = request.matchdict["kind"], request.matchdict["action"]
    if kind not in ("category", "forum"):
        raise HTTPNotFound()
    model = Category if kind == "category" else Forum
    found = request.dbsession.get(model, int(request.matchdict["id"]))
    if found is None or (model is Forum and found.group_id is not None):
        raise HTTPNotFound()
    if action in ("up", "down") and request.method == "POST":
        service.reorder(request.user, found, action)
        return _back(request, _("The order is saved."))
    if action == "delete" and request.method == "POST":
        try:
            service.delete_item(request.user, found)
        except ActionError as exc:
            return _back(request, exc.message)
        return _back(request, _("Deleted."))
    if action != "edit":
        raise HTTPNotFound()
    if model is Category:
        form = CategoryForm(request, obj=found)
    else:
        form = _forum_form(request, service.categories_in_order(), data={
            "title": found.title, "description": found.description,
            "category": found.category_id or 0, "closed": found.closed})
    if request.method == "POST":
        if form.validate():
            values = {} if model is Category else {"category_id": form.category.data,
                                                   "closed": form.closed.data}
            service.update_item(request.user, found, form.title.data, form.description.data,
                                **values)
            return _back(request, _("Your changes are saved."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "form": form, "item": found, "kind": kind}


def includeme(config):
    config.add_route("forums_admin", "/admin/forums")
    config.add_route("forums_admin_item",
                     r"/admin/forums/{kind}/{id:\d+}/{action}", ids="id")
    config.add_admin_panel("forums", _("Forums"), "forums_admin", permission=MANAGE, order=150)
    config.scan(".admin")
