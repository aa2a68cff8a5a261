"""Private messages: conversations between members, and a group's admins writing to its members.

A conversation has two or more participants; each keeps their own read mark, archive and
"delete for me". Who may write to whom is the recipient's choice (everyone, their connections
and the members of their groups, or nobody), and the admins of their groups always may; a
block (the social layer's) stops messages both ways. A group's admins write to all its
members; each reply goes to everyone or to the admins only, as its writer chooses. Members
report messages to the site's moderators. New accounts have limits: links, and recipients a
day. New messages reach the notifications plugin when it is on.

Page regions: the "Write" button goes into ``profiles.profile.header``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint, asrate

_ = TranslationStringFactory("messages")


plugin = Plugin(
    name="messages",
    package=__name__,
    title=_("Private messages"),
    description=_("Conversations between members, and group admins writing to their "
                  "groups, with blocks, reports and limits for new accounts."),
    version="1.0",
    optional=("profiles", "groups", "social", "notifications"),
    migrations="plugins.messages:migrations",
    settings={
        "send_rate": Setting("30/hour", asrate, "How many messages one member may send."),
        "new_account_days": Setting(7, aspositiveint,
                                    "Days during which an account counts as new."),
        "new_account_links": Setting(1, aspositiveint,
                                     "Links a new account may put in one message."),
        "new_account_daily_recipients": Setting(
            10, aspositiveint, "Members a new account may start conversations with in a day."),
        "most_recipients": Setting(20, aspositiveint,
                                   "Recipients of one conversation (group messages aside)."),
        "page_size": Setting(30, aspositiveint, "Conversations or messages per page."),
    },
    includeme="plugins.messages.routes:includeme",
)
