"""What the profiles add to the site: their service, directives, routes, regions and data."""

from core.security import ACCOUNT
from plugins.profiles import _
from plugins.profiles.interfaces import IProfileService
from plugins.profiles.views import MANAGE, erase_profile, export_profile


def includeme(config):
    from plugins.profiles import activity, admin, fieldtypes, registration, seed, tabs
    from plugins.profiles.services import profile_service_factory
    from plugins.profiles.visibility import SEE_ALL

    config.include(fieldtypes)
    config.include(tabs)
    config.include("plugins.profiles.events")
    config.include("plugins.profiles.content")
    config.register_service_factory(profile_service_factory, IProfileService)
    config.declare_permission(SEE_ALL, _("See every profile field, whatever its visibility"),
                              roles=())
    config.declare_permission(MANAGE, _("Manage profile fields and edit any profile"),
                              roles=())
    config.add_route("profiles_directory", "/members")
    config.add_route("profiles_me", "/members/me")
    config.add_route("profiles_edit", "/members/{username}/edit")
    config.add_route("profiles_avatar", "/members/{username}/avatar")
    config.add_route("profiles_member", "/members/{username}")
    config.add_route("profiles_tab", "/members/{username}/{tab}")
    config.add_route("profiles_avatar_file", "/avatars/{name}")
    config.add_region("profiles.profile.header", _("A member's page, below their name"))
    config.add_region("profiles.profile.sidebar", _("A member's page, beside their profile"))
    config.add_nav_item("main", "members", _("Members"), "profiles_directory", order=10)
    config.add_nav_item("user", "profile", _("My profile"), "profiles_me", permission=ACCOUNT,
                        order=10, icon="user")
    config.add_personal_data_provider("profiles", export=export_profile, erase=erase_profile)
    config.include(admin)
    config.include(activity)
    config.include(registration)
    config.include(seed)
    config.scan(".views")
