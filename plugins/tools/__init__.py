"""Tools: the hub of militant tools (petitions, consultations, phone banks...).

A tool plugin lists ``tools`` in ``requires`` and declares itself in its ``includeme``::

    config.add_militant_tool(
        name="petitions",                      # unique; its pages live under /tools/petitions/
        title=_("Petitions"),                  # translation strings of the tool's own domain
        description=_("Gather signatures for a cause."),
        icon="petition",                       # a built-in icon name, or an asset spec
                                               # of an SVG ("mytool:static/icon.svg")
        route_name="petitions_index",          # the tool's landing page
        permission="petitions.view",           # who may use it; None: whoever sees the site
        group_instances=True,                  # groups can run their own instances
        order=10,                              # place on /tools and in a group's Tools tab
        group_route_name="petitions_group",    # optional: the tool's page for one group, a
                                               # route whose pattern holds {slug}
    )

The signature is ``add_militant_tool(name, title, description, icon, route_name, permission,
group_instances=False, order=100, group_route_name=None)``. Built-in icons: ``tool``,
``petition``, ``poll``, ``phone``, ``megaphone``, ``calendar``.

``/tools`` lists the tools that the viewer may use (``request.has_permission(permission)``).
When the ``groups`` plugin is on, each group gets a *Tools* tab that lists the tools with
``group_instances=True``, linking to ``group_route_name`` (with the group's ``slug``) or, when
it is not given, to ``route_name`` with ``?group=<slug>``. A tool tells whether groups is on
with ``plugins.groups.interfaces.groups_enabled(registry)``, and reads what is registered with
``militant_tools(request)`` and ``group_tools(request)`` from ``plugins.tools.hub``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin

_ = TranslationStringFactory("tools")

plugin = Plugin(
    name="tools",
    package=__name__,
    title=_("Militant tools"),
    description=_("The hub of tools for action: petitions, consultations and more, for the "
                  "whole site or run by a group."),
    version="1.0",
    optional=("groups",),
    includeme="plugins.tools.routes:includeme",
)
