"""Notifications: what concerns a member, in a notification centre and by mail.

Any plugin declares its kinds of notification with ``config.add_notification_type(name,
title, default_channels, message=...)`` and sends them with ``notify(request, type,
recipient_ids, subject=(content type, id), actor_id=...)`` from a subscriber or a job: the
recipients are split into jobs of ``notifications.chunk`` members, each of which keeps those
who may see the subject then (``core.content.may_see``) and whose preference for the type is
not "off", writes their notifications and mails those who chose mail at once. Daily and
weekly digests leave at each member's local morning, with what they may still see then. The
centre shows only what its reader may see when they read it.

Page regions: the bell goes into ``core.header``. The bundled sources (forums, groups,
agenda, polls, petitions, mentions, the social layer) are in ``plugins.notifications.sources``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, asint, aspositiveint

_ = TranslationStringFactory("notifications")


def ashour(value) -> int:
    """An hour of the day, 0 to 23."""
    hour = asint(value)
    if not 0 <= hour <= 23:
        raise ValueError("expected an hour from 0 to 23")
    return hour


plugin = Plugin(
    name="notifications",
    package=__name__,
    title=_("Notifications"),
    description=_("A notification centre with a bell in the header, mail at once or in "
                  "daily and weekly digests, as each member chooses."),
    version="1.0",
    optional=("profiles", "groups", "forums", "agenda", "polls", "petitions", "social",
              "comments"),
    migrations="plugins.notifications:migrations",
    settings={
        "page_size": Setting(30, aspositiveint, "Notifications per page of the centre."),
        "chunk": Setting(500, aspositiveint,
                         "Recipients handled by one job when an event concerns many members."),
        "digest_hour": Setting(7, ashour,
                               "Local hour (0-23) at which digests leave, in each member's "
                               "time zone."),
        "keep_days": Setting(180, aspositiveint, "Days read notifications are kept."),
    },
    includeme="plugins.notifications.routes:includeme",
)
