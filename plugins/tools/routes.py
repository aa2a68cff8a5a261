"""What the tools hub adds to the site: its directive, page, menu entry and group tab."""

from plugins.groups.interfaces import groups_enabled
from plugins.tools import _
from plugins.tools.views import group_tab


def includeme(config):
    config.include("plugins.tools.hub")
    config.add_route("tools", "/tools")
    config.add_nav_item("main", "tools", _("Tools"), "tools", order=60)
    if groups_enabled(config.registry) and hasattr(config, "add_group_tab"):
        config.add_group_tab("tools", _("Tools"), group_tab, order=50,
                             renderer="tools/group_tab.jinja2")
    config.scan(".views")
