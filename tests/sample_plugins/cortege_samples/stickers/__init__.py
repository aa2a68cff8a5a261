"""Stickers: extends the notes plugin through its own extension point."""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin

_ = TranslationStringFactory("notes")


def includeme(config):
    config.add_note_badge("pinned", _("Pinned"))


plugin = Plugin(
    name="stickers",
    title="Stickers",
    description="Badges on notes.",
    version="0.3",
    requires=("notes",),
    includeme=includeme,
)
