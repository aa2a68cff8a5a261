"""Phone bank: a militant tool that a group runs to call its members.

Members agree to be called at a number they give (their profile's phone number is offered);
a group's organisers (its admins and moderators) write a campaign with a call script, call the
members who agreed, log each call's outcome and follow each caller's progress.
"""

from core.plugin import Plugin, Setting, aspositiveint
from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("phonebank")

plugin = Plugin(
    name="phonebank",
    package=__name__,
    title=_("Phone bank"),
    description=_("Groups call the members who agreed to be called, with a script, and log "
                  "every call."),
    version="1.0.0",
    requires=("tools", "groups"),
    optional=("search",),
    settings={
        "list_size": Setting(500, aspositiveint, "Most members shown on one call list."),
    },
    includeme="phonebank.routes:includeme",
)
