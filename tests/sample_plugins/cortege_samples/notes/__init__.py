"""Notes: a small but complete plugin, and an extension point (``add_note_badge``)."""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint

_ = TranslationStringFactory("notes")

plugin = Plugin(
    name="notes",
    package=__name__,
    title=_("Notes"),
    description=_("Short notes that members leave for each other."),
    version="1.2",
    settings={
        "max_length": Setting(280, aspositiveint, "Longest note, in characters."),
        "heading": Setting("Notes", str, "Heading of the notes page."),
    },
    includeme="cortege_samples.notes.views:includeme",
)
