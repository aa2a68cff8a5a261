from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import delete, select

from core.extensions import register_item, registered
from cortege_samples.notes import _
from cortege_samples.notes.models import Note


def add_note_badge(config, name, title):
    """The extension point other plugins use: a badge shown on the notes page."""
    register_item(config, "notes badges", name, {"name": name, "title": title})


@view_config(route_name="notes", renderer="notes/list.jinja2")
def notes(request):
    if request.method == "POST":
        if not request.has_permission("notes.write"):
            from pyramid.httpexceptions import HTTPForbidden

            raise HTTPForbidden()
        body = request.POST.get("body", "").strip()
        limit = request.registry.settings["notes.max_length"]
        if body and len(body) <= limit:
            from cortege_samples.notes.events import NoteAdded

            note = Note(author_id=request.user.id, body=body)
            request.dbsession.add(note)
            request.dbsession.flush()
            request.publish(NoteAdded(actor_id=request.user.id, note_id=note.id))
            return HTTPSeeOther(request.route_url("notes"))
    rows = request.dbsession.scalars(select(Note).order_by(Note.id)).all()
    return {"notes": rows, "badges": registered(request.registry, "notes badges"),
            "heading": request.registry.settings["notes.heading"]}


def export_notes(request, user):
    rows = request.dbsession.scalars(select(Note).where(Note.author_id == user.id)).all()
    return [{"body": note.body} for note in rows]


def erase_notes(request, user):
    request.dbsession.execute(delete(Note).where(Note.author_id == user.id))


def seed_notes(context):
    for number in range(context.options.get("notes", 0) or 3):
        context.dbsession.add(Note(body=f"Sample note {number + 1}"))
    context.note("Notes seeded.")


def includeme(config):
    config.add_directive("add_note_badge", add_note_badge, action_wrap=False)
    config.add_route("notes", "/notes")
    config.declare_permission("notes.write", _("Write notes"), roles=("member",))
    config.add_nav_item("main", "notes", _("Notes"), "notes", order=50)
    config.add_personal_data_provider("notes", export=export_notes, erase=erase_notes)
    config.add_seeder("notes", seed_notes, options={"notes": (0, "how many notes")})
    config.add_admin_panel("notes", _("Notes"), "notes")
    config.add_region("notes.page.aside", _("Beside the notes"))
    config.include(".events")
    config.scan(".views")
