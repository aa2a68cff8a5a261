"""The social layer: what members, their groups and the site are doing, and answers to it.

Status updates, activity entries written from every plugin's domain events, and the streams
that read them (the site's, a member's personal stream on the dashboard, a member's on their
profile, a group's); follows, connections and blocks (``ISocialService``); favourites and
reactions; reports and moderation; Atom feeds of the public streams.

Entries are filtered on read through the content contract (see ``plugins.social.models``
for why they do not fan out on write). Events: ``plugins.social.events``; the interface other
plugins use: ``plugins.social.interfaces``; test fixtures: ``plugins.social.testing``.

Regions: ``social.status.after``, below a status update on its own page (``status`` in the
context); the comments plugin puts its box there.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint, asrate

_ = TranslationStringFactory("social")

plugin = Plugin(
    name="social",
    package=__name__,
    title=_("Social layer"),
    description=_("Activity streams, status updates, follows, connections, favourites and "
                  "reactions."),
    version="1.0",
    requires=("profiles",),
    optional=("groups", "forums", "agenda", "petitions", "polls"),
    migrations="plugins.social:migrations",
    settings={
        "page_size": Setting(20, aspositiveint, "Entries per page of a stream."),
        "post_rate": Setting("10/minute", asrate, "How often a member may post a status "
                             "update (a rate of the limits library)."),
        "action_rate": Setting("60/minute", asrate, "How often a member may follow, connect, "
                               "block, react or report."),
    },
    includeme="plugins.social.routes:includeme",
)
