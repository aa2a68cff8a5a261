"""The default theme: the core's templates with a clean, responsive stylesheet."""

from core.i18n import _
from core.themes import Theme

theme = Theme(
    name="default",
    title=_("Default"),
    static="themes.default:static",
    stylesheets=("theme.css",),
)
