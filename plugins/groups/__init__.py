"""Groups: local sections, watch groups, thematic and bloggers' groups, with privacy that holds.

Other plugins extend it with ``config.add_group_tab`` (a tab on every group's page), protect
group content with the group principals (``group:<id>:member``, ``group:<id>:moderator``,
``group:<id>:admin``) and filter every listing of group content with
``IGroupService.content_visible_ids``. A group itself is the content type ``groups.group``
(``content.py``); what happens to groups and memberships is published as domain events
(``events.py``), and the mail it causes is written by subscribers (``mail.py``). Tests get
``make_group`` and ``add_member`` from ``testing.py``, a pytest plugin.

Page regions (``config.add_region_item``), each given ``group``:

- ``groups.group.header``: in a group's header, beside its name, for whoever may know of the
  group (a private group's outsiders too: show nothing of its content there);
- ``groups.group.home``: on a group's home page, below its description, rendered only for
  those who may see the group's content.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint, asrate, choice

_ = TranslationStringFactory("groups")


plugin = Plugin(
    name="groups",
    package=__name__,
    title=_("Groups"),
    description=_("Local sections, watch groups, thematic and bloggers' groups: public, "
                  "private or hidden, with their members, roles, invitations and requests."),
    version="1.0",
    requires=("profiles",),
    settings={
        "creators": Setting(
            "members", choice("members", "admins"),
            "Who may create a group: 'members' (every member) or 'admins' (site admins)."),
        "directory_page_size": Setting(20, aspositiveint, "Groups per page of the directory."),
        "members_page_size": Setting(30, aspositiveint, "Members per page of a members tab."),
        "create_rate": Setting("5/day", asrate, "Groups one member may create."),
        "invite_rate": Setting("50/hour", asrate, "Invitations (each one a mail) one member "
                               "may send."),
        "request_rate": Setting("20/hour", asrate, "Requests to join private groups (each one "
                                "mails the group's admins) one member may send."),
        "cover_directory": Setting(
            "", str, "Folder for group covers (group avatars go with the members' avatars); "
            "by default 'group-covers' inside cortege.uploads_directory."),
    },
    includeme="plugins.groups.routes:includeme",
)
