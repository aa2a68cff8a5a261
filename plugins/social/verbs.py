"""What an activity entry says happened (its verb), the content type it names, and the family
the stream filters group verbs into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plugins.social import _

STATUS = "social.status"


@dataclass(frozen=True)
class Verb:
    name: str
    subject: str  # the content type of the subject (core.content)
    family: str
    phrase: Any  # what the actor did, shown after their name


VERBS = {verb.name: verb for verb in (
    Verb(STATUS, "social.status", "status", _("posted")),
    Verb("groups.joined", "groups.group", "groups", _("joined the group")),
    Verb("forums.topic", "forums.topic", "forums", _("started the topic")),
    Verb("forums.reply", "forums.post", "forums", _("replied in")),
    Verb("agenda.published", "agenda.event", "agenda", _("published the event")),
    Verb("agenda.changed", "agenda.event", "agenda", _("changed the event")),
    Verb("agenda.going", "agenda.event", "agenda", _("is going to")),
    Verb("petitions.launched", "petitions.petition", "petitions", _("launched the petition")),
    Verb("petitions.goal", "petitions.petition", "petitions",
         _("saw their petition reach its goal:")),
    Verb("polls.opened", "polls.poll", "polls", _("opened the poll")),
    Verb("polls.closed", "polls.poll", "polls", _("closed the poll; see the results:")),
    Verb("accounts.arrived", "profiles.profile", "members", _("joined the site")),
)}

FAMILIES = {
    "status": _("Status updates"),
    "groups": _("Groups"),
    "forums": _("Forums"),
    "agenda": _("Events"),
    "petitions": _("Petitions"),
    "polls": _("Polls"),
    "members": _("New members"),
}


def verbs_of(family: str | None) -> list[str] | None:
    """The verbs of ``family``, or None (every verb) for an unknown or missing family."""
    if family not in FAMILIES:
        return None
    return [verb.name for verb in VERBS.values() if verb.family == family]
