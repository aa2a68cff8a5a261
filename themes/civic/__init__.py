"""Civic: a second theme on top of the default one, with its own colours, logo and home page."""

from core.i18n import _
from core.themes import Theme

theme = Theme(
    name="civic",
    title=_("Civic"),
    parent="default",
    templates="themes.civic:templates",
    static="themes.civic:static",
    stylesheets=("civic.css",),
)
