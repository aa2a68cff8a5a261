"""Petitions: a militant tool to gather signatures, for the whole site or for a group.

Anyone may sign, with or without an account; a signature counts once its signer has
confirmed their address by following the link sent to them (double opt-in). Each address
signs a petition once, whatever its letter case. The consent that signers give is kept with
its time and the exact words they were shown; the newsletter opt-in is a separate record.
Organisers (the author, the group's admins and moderators for a group petition, and whoever
holds ``petitions.organise``) export the confirmed signatures as CSV and close the petition.

Page regions (``config.add_region_item``, see ``core.regions``):

``petitions.petition.aside``  beside a petition, after its text; context: ``petition``,
                              ``group`` (or None), ``count`` (confirmed signatures) and
                              ``context`` (the petition's ACL: ``permission=
                              "petitions.organise"`` shows an item to its organisers only)

Events, content type and subscribers: ``plugins.petitions.events`` and
``plugins.petitions.subscribers``; test fixtures: ``plugins.petitions.testing``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint, asrate

_ = TranslationStringFactory("petitions")


plugin = Plugin(
    name="petitions",
    package=__name__,
    title=_("Petitions"),
    description=_("Petitions for the site or a group, signed with or without an account, "
                  "with confirmation by email."),
    version="1.0",
    requires=("tools",),
    optional=("groups",),
    settings={
        "sign_rate": Setting("10/hour", asrate,
                             "How many signatures one network address may send."),
        "mail_rate": Setting("3/day", asrate,
                             "How many confirmation mails one email address may receive "
                             "for one petition."),
        "confirm_days": Setting(7, aspositiveint,
                                "Days a signer has to confirm before the link expires."),
        "page_size": Setting(20, aspositiveint, "Petitions or signers per page."),
    },
    includeme="plugins.petitions.routes:includeme",
)
