"""What the groups add to the site: their service, directives, routes, regions, tabs and data."""

from core.security import ACCOUNT
from plugins.groups import _
from plugins.groups.interfaces import IGroupService
from plugins.groups.views import (
    dashboard_widget,
    erase_groups,
    export_groups,
    find_principals,
    profile_groups_tab,
)


def includeme(config):
    from plugins.groups import admin, seed, tabs
    from plugins.groups.services import group_service_factory

    config.include(tabs)
    config.include("plugins.groups.events")
    config.include("plugins.groups.content")
    config.include("plugins.groups.mail")
    config.register_service_factory(group_service_factory, IGroupService)
    config.add_principal_finder("groups", find_principals)
    config.add_route("groups_directory", "/groups")
    config.add_route("groups_new", "/groups/new")
    config.add_route("groups_mine", "/groups/mine")
    config.add_route("groups_cover_file", "/group-covers/{name}")
    config.add_route("groups_group", "/groups/{slug}")
    config.add_route("groups_edit", "/groups/{slug}/edit")
    config.add_route("groups_delete", "/groups/{slug}/delete")
    config.add_route("groups_image", "/groups/{slug}/image")
    config.add_route("groups_membership", "/groups/{slug}/membership")
    config.add_route("groups_invite", "/groups/{slug}/invite")
    config.add_route("groups_manage", "/groups/{slug}/manage")
    config.add_route("groups_people", "/groups/{slug}/{list:members|requests|invitations|banned}")
    config.add_route("groups_tab", "/groups/{slug}/{tab}")
    config.add_region("groups.group.header", _("A group's header, beside its name"))
    config.add_region("groups.group.home", _("A group's home page, below its description, "
                                              "for those who may see its content"))
    config.add_nav_item("main", "groups", _("Groups"), "groups_directory", order=20)
    config.add_nav_item("user", "my-groups", _("My groups"), "groups_mine", permission=ACCOUNT,
                        order=20, icon="users")
    config.add_dashboard_widget("groups", _("My groups"), "groups/widget.jinja2",
                                dashboard_widget, permission=ACCOUNT, order=20)
    config.add_profile_tab("groups", _("Groups"), profile_groups_tab,
                           "groups/profile_tab.jinja2", order=20)
    config.add_personal_data_provider("groups", export=export_groups, erase=erase_groups)
    config.include(admin)
    config.include(seed)
    config.scan(".views")
    config.include("plugins.groups.home")
