"""What other parts of the site may ask of petitions."""

from zope.interface import Interface


class IPetitionService(Interface):
    """Petitions, signatures and the rules that say who sees and organises them."""

    def visible(viewer):
        """A SQL condition on Petition: the petitions ``viewer`` (a User or None) may see."""

    def get_visible(petition_id, viewer):
        """The petition if ``viewer`` may see it, else None."""

    def counts(petition_ids):
        """{petition id: number of confirmed signatures}."""

    def sign(petition, data, locale, user=None):
        """Record an unconfirmed signature and mail its confirmation link.

        ``data`` holds name, email, postcode, comment, show_name, newsletter and the consent
        wording shown. Says nothing of an address that already signed: that address is told
        by mail instead. Raises SignatureError for input it cannot take.
        """

    def confirm(token):
        """Count the signature of this link; returns it, or None for a bad or stale link."""

    def withdraw(token):
        """Remove the signature of this link; returns its petition, or None."""


class SignatureError(ValueError):
    """A signature refused: ``field`` and a sentence saying why."""

    def __init__(self, field, message):
        super().__init__(field, message)
        self.field = field
        self.message = message
