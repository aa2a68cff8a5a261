"""Profiles: a page per member, fields that admins define, avatars and the member directory.

Other plugins extend it with two directives: ``config.add_profile_tab`` (a tab on every
member's page) and ``config.add_profile_field_type`` (a new kind of profile field). A member's
page is the content type ``profiles.profile`` (``content.py``); a changed profile is the event
``profiles.updated`` (``events.py``). Tests get ``make_member`` from ``testing.py``.

Page regions (``config.add_region_item``) of a member's page, each given ``member``:

- ``profiles.profile.header``: in the header, below the member's name;
- ``profiles.profile.sidebar``: beside the profile and its tabs (left out when empty).
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint

_ = TranslationStringFactory("profiles")

plugin = Plugin(
    name="profiles",
    package=__name__,
    title=_("Profiles"),
    description=_("Member pages, profile fields with their visibility, avatars and the "
                  "member directory."),
    version="1.0",
    settings={
        "avatar_directory": Setting(
            "", str, "Folder for avatar images; by default 'avatars' inside "
            "cortege.uploads_directory."),
        "avatar_max_bytes": Setting(
            5 * 1024 * 1024, aspositiveint, "Largest avatar upload accepted, in bytes."),
        "avatar_max_pixels": Setting(
            40_000_000, aspositiveint, "Largest avatar image accepted, in pixels."),
        "activity_minutes": Setting(
            15, aspositiveint,
            "A member's last-active time is written at most once per this many minutes."),
        "directory_page_size": Setting(
            24, aspositiveint, "Members per page of the directory."),
    },
    includeme="plugins.profiles.routes:includeme",
)
