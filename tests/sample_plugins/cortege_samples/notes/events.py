"""The notes' domain event and its subscribers: how a plugin uses the spine."""

from dataclasses import dataclass

from sqlalchemy import true
from zope.interface import Attribute, implementer

from core.errors import ActionError
from core.events import DomainEvent, IDomainEvent
from cortege_samples.notes import _
from cortege_samples.notes.models import Note


class INoteAdded(IDomainEvent):
    note_id = Attribute("The new note's id")


@implementer(INoteAdded)
@dataclass(frozen=True, kw_only=True)
class NoteAdded(DomainEvent):
    name = "notes.added"
    note_id: int


def refuse_shouting(request, event):
    """Synchronous: inside the transaction, it may refuse the change."""
    note = request.dbsession.get(Note, event.note_id)
    if note.body.isupper():
        raise ActionError(_("Please do not shout."))


def thank_the_author(request, event):
    """After commit, in a worker: mail the author, about the note (checked when it leaves)."""
    from core.accounts.models import User

    note = request.dbsession.get(Note, event.note_id)
    author = request.dbsession.get(User, event.actor_id) if event.actor_id else None
    if note is None or author is None:
        return
    request.send_mail(author.email, _("Thank you for your note"), "notes/mail/thanks.txt.jinja2",
                      {"note": note, "author": author}, locale=author.locale,
                      user_id=author.id, about=("notes.note", note.id))


def fragile(request, event):
    """A subscriber that fails on notes that ask for it; it never undoes the note."""
    note = request.dbsession.get(Note, event.note_id)
    if note is not None and "fail" in note.body:
        raise RuntimeError("this subscriber failed, as asked")
    if note is not None:
        note.body = note.body + " ✓"


def visible(request, viewer):
    """Notes are public, except those starting with "secret", which only admins see."""
    if viewer is not None and viewer.is_admin:
        return true()
    return ~Note.body.startswith("secret")


def includeme(config):
    config.add_domain_event(NoteAdded)
    config.add_event_subscriber(INoteAdded, refuse_shouting, name="notes.refuse_shouting",
                                sync=True)
    config.add_event_subscriber(INoteAdded, thank_the_author, name="notes.thank_the_author")
    config.add_event_subscriber(INoteAdded, fragile, name="notes.fragile", max_attempts=3)
    config.add_content_type("notes.note", _("Note"), Note, visible=visible,
                            url=lambda request, note: request.route_url("notes"),
                            label=lambda note: note.body[:40], owner="author_id")
