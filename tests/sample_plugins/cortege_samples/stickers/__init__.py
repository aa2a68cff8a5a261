"""Stickers: extends the notes plugin through its own extension point."""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin

_ = TranslationStringFactory("notes")


def count_notes(request, notes):
    return {"count": len(notes)}


def explode(request, notes):
    raise RuntimeError("this box fails, as the tests ask")


def only_with_notes(request, notes):
    return bool(notes)


def includeme(config):
    config.add_note_badge("pinned", _("Pinned"))
    # Boxes on the notes page, through its region: a template with values from a view, one
    # that fails (the page still answers), one for writers only, one shown only when there
    # are notes, and one whose view returns its HTML.
    config.add_region_item("notes.page.aside", "count", template="notes/count.jinja2",
                           view=count_notes, order=10)
    config.add_region_item("notes.page.aside", "broken", template="notes/count.jinja2",
                           view=explode, order=20)
    config.add_region_item("notes.page.aside", "writers", template="notes/writers.jinja2",
                           permission="notes.write", order=30)
    config.add_region_item("notes.page.aside", "busy", view=lambda request, notes:
                           '<p class="busy">Busy page</p>', condition=only_with_notes,
                           order=40)
    # A box on another bundled plugin's page (the agenda's, when it is on).
    config.add_region_item("agenda.event.aside", "sticker",
                           view=lambda request, event: '<p class="sticker">Stuck here</p>')


plugin = Plugin(
    name="stickers",
    title="Stickers",
    description="Badges on notes.",
    version="0.3",
    requires=("notes",),
    includeme=includeme,
)
