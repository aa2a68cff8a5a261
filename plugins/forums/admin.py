"""The admin panel where admins arrange categories and site forums (/admin/forums)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import func, select

from core.admin.views import admin_panels
from plugins.forums import _
from plugins.forums.forms import CategoryForm, ForumForm
from plugins.forums.models import Category, Forum, Topic
from plugins.forums.services import MANAGE, slugify

# Words of the forums' own addresses, which no forum may take as its slug.
RESERVED = frozenset({"search", "reports", "unsubscribe", "post", "topic"})


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("forums_admin"))


def _categories(db) -> list[Category]:
    return list(db.scalars(select(Category).order_by(Category.position, Category.id)))


def _forum_form(request, categories, **kw) -> ForumForm:
    form = ForumForm(request, **kw)
    form.category.choices = [(0, request.localizer.translate(_("No category")))] + [
        (c.id, c.title) for c in categories]
    return form


def _free_slug(db, title: str) -> str:
    base = slugify(title, "forum")
    if base in RESERVED or base.startswith("group-"):
        base = f"forum-{base}"
    slug, number = base, 1
    while db.scalar(select(Forum.id).where(Forum.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


@view_config(route_name="forums_admin", renderer="forums/admin.jinja2", permission=MANAGE)
def panel(request):
    db = request.dbsession
    categories = _categories(db)
    category_form = CategoryForm(request, prefix="category")
    forum_form = _forum_form(request, categories, prefix="forum")
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "category" and category_form.validate():
            last = db.scalar(select(func.max(Category.position))) or 0
            db.add(Category(title=category_form.title.data.strip(),
                            description=category_form.description.data or "",
                            position=last + 1))
            return _back(request, _("The category is added."))
        if kind == "forum" and forum_form.validate():
            last = db.scalar(select(func.max(Forum.position))) or 0
            db.add(Forum(slug=_free_slug(db, forum_form.title.data), position=last + 1,
                         title=forum_form.title.data.strip(),
                         description=forum_form.description.data or "",
                         category_id=forum_form.category.data or None,
                         closed=forum_form.closed.data, topic_count=0, post_count=0))
            return _back(request, _("The forum is added."))
        request.response.status_int = 400
    forums = list(db.scalars(select(Forum).where(Forum.group_id.is_(None))
                             .order_by(Forum.position, Forum.id)))
    return {"panels": admin_panels(request), "categories": categories, "forums": forums,
            "category_form": category_form, "forum_form": forum_form}


def _reorder(items, item, action) -> None:
    index = items.index(item)
    other = index + (-1 if action == "up" else 1)
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, each in enumerate(items, start=1):
            each.position = position


@view_config(route_name="forums_admin_item", renderer="forums/admin_edit.jinja2",
             permission=MANAGE)
def item(request):
    db = request.dbsession
    kind, action = request.matchdict["kind"], request.matchdict["action"]
    if kind not in ("category", "forum"):
        raise HTTPNotFound()
    model = Category if kind == "category" else Forum
    found = db.get(model, int(request.matchdict["id"]))
    if found is None or (model is Forum and found.group_id is not None):
        raise HTTPNotFound()
    categories = _categories(db)
    if action in ("up", "down") and request.method == "POST":
        siblings = categories if model is Category else list(db.scalars(
            select(Forum).where(Forum.group_id.is_(None)).order_by(Forum.position, Forum.id)))
        _reorder(siblings, found, action)
        return _back(request, _("The order is saved."))
    if action == "delete" and request.method == "POST":
        if model is Forum and db.scalar(select(Topic.id).where(Topic.forum_id == found.id)
                                        .limit(1)) is not None:
            return _back(request, _("This forum has topics: close it, or move its topics "
                                    "first."))
        if model is Category:
            db.execute(Forum.__table__.update().where(Forum.category_id == found.id)
                       .values(category_id=None))
        db.delete(found)
        return _back(request, _("Deleted."))
    if action != "edit":
        raise HTTPNotFound()
    if model is Category:
        form = CategoryForm(request, obj=found)
    else:
        form = _forum_form(request, categories, data={
            "title": found.title, "description": found.description,
            "category": found.category_id or 0, "closed": found.closed})
    if request.method == "POST":
        if form.validate():
            found.title = form.title.data.strip()
            found.description = form.description.data or ""
            if model is Forum:
                found.category_id = form.category.data or None
                found.closed = form.closed.data
            return _back(request, _("Your changes are saved."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "form": form, "item": found, "kind": kind}


def includeme(config):
    config.add_route("forums_admin", "/admin/forums")
    config.add_route("forums_admin_item",
                     r"/admin/forums/{kind}/{id:\d+}/{action}", ids="id")
    config.add_admin_panel("forums", _("Forums"), "forums_admin", permission=MANAGE, order=150)
    config.scan(".admin")
