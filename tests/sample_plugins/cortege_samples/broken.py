"""Plugins and a theme with a deployer's or an author's mistake in them."""

from core.plugin import REQUIRED, Plugin, Setting
from core.themes import Theme


def _nothing(config):
    pass


def _clash(config):
    # The same menu entry as the notes plugin: the configuration must conflict.
    config.add_nav_item("main", "notes", "Other notes", "home")


def _borrow(config):
    # The notes plugin's directive, without listing notes in requires or optional.
    config.add_note_badge("borrowed", "Borrowed")


needs_missing = Plugin(name="needs_missing", title="Needs", description="d", version="1",
                       requires=("nowhere",), includeme=_nothing)
cycle_a = Plugin(name="cycle_a", title="A", description="d", version="1",
                 requires=("cycle_b",), includeme=_nothing)
cycle_b = Plugin(name="cycle_b", title="B", description="d", version="1",
                 requires=("cycle_a",), includeme=_nothing)
strict = Plugin(name="strict", title="Strict", description="d", version="1",
                settings={"api_key": Setting(REQUIRED, str, "the key of the service")},
                includeme=_nothing)
clash = Plugin(name="clash", title="Clash", description="d", version="1", includeme=_clash)
borrower = Plugin(name="borrower", title="Borrower", description="d", version="1",
                  includeme=_borrow)


class NotAPlugin:
    name = "not_a_plugin"
    title = "Missing its includeme"


not_a_plugin = NotAPlugin()
orphan_theme = Theme(name="orphan", title="Orphan", parent="vanished")
