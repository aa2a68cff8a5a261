"""What other parts of the site may ask of petitions: ``request.find_service(IPetitionService)``.

Methods that change something take the acting member (``actor``, a User or None for a
visitor) and check themselves what that actor may do, whoever calls them (a view, a job, a
command): they refuse with ``core.errors.ActionError`` subclasses carrying the sentence to
show. Each change is published as a domain event of ``plugins.petitions.events``.
"""

from zope.interface import Interface

from core.errors import ActionError


class IPetitionService(Interface):
    """Petitions, signatures and the rules that say who sees and organises them."""

    def visible(viewer):
        """The SQL condition on Petition of the petitions ``viewer`` (a User, None, or
        ``User`` itself for mail recipients) may see: the content type
        ``petitions.petition``'s condition."""

    def get_visible(petition_id, viewer):
        """The petition if ``viewer`` may see it, else None."""

    def counts(petition_ids):
        """{petition id: number of confirmed signatures}."""

    def may_start(actor, group=None):
        """Whether ``actor`` may start a petition of the site (``petitions.create``), or of
        ``group`` (its admins and moderators); holders of ``petitions.organise`` may both."""

    def may_organise(petition, actor):
        """Whether ``actor`` may export the signatures and close the petition: its author,
        its group's admins and moderators, holders of ``petitions.organise``; all of them
        only while they may see it."""

    def create(actor, values, group=None):
        """Open a petition (``values``: title, text, addressee, goal, ends_on, ask_postcode,
        ask_comment, show_names); NotFound when ``actor`` may not see ``group``, Forbidden
        when they may not start one there. Publishes PetitionLaunched."""

    def close(petition, actor):
        """Close the petition (Forbidden unless ``actor`` organises it); publishes
        PetitionClosed the first time."""

    def signatures_csv(petition, actor):
        """The confirmed signatures as CSV, for an organiser (Forbidden otherwise)."""

    def sign(petition, data, locale, actor=None):
        """Record an unconfirmed signature and mail its confirmation link.

        ``data`` holds name, email, postcode, comment, show_name, newsletter and the consent
        wording shown. Says nothing of an address that already signed: that address is told
        by mail instead. Raises SignatureError for input it cannot take, NotFound when
        ``actor`` may not see the petition, Conflict when it no longer takes signatures.
        Publishes PetitionSigned for a new signature.
        """

    def confirm(token, actor=None):
        """Count the signature of this link; returns it, or None for a bad or stale link.
        Conflict when the petition closed before. Publishes SignatureConfirmed once."""

    def withdraw(token, actor=None):
        """Remove the signature of this link; returns its petition, or None."""

    def check_goal(petition_id):
        """Publish GoalReached if the petition's confirmed signatures meet its goal for the
        first time; True when it did."""


class PetitionError(ActionError):
    """An action on a petition refused, with a sentence saying why."""


class SignatureError(PetitionError, ValueError):
    """A signature refused: ``field`` and a sentence saying why."""

    def __init__(self, field, message):
        super().__init__(message, field=field)
