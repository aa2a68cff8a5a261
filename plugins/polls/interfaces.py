"""What other plugins may ask of polls: ``request.find_service(IPollService)``."""

from zope.interface import Interface


class IPollService(Interface):
    """Polls, who may see them and vote in them, ballots and results."""

    def find(poll_id, viewer):
        """The Poll if ``viewer`` (a User or None) may see it, else None."""

    def listing(viewer, group=None, before=None, limit=20):
        """Polls ``viewer`` may see, newest first (keyset page: ids below ``before``); only
        those of ``group`` when it is given."""

    def may_vote(poll, user):
        """True when ``user`` belongs to the poll's electorate (open or not)."""

    def electorate_size(poll):
        """How many members may vote."""

    def has_voted(poll, user):
        """True when ``user`` has cast a ballot."""

    def vote(poll, user, ballot, change_code=None):
        """Store ``user``'s ballot (already checked with ``check_ballot``). Returns the new
        change code when the poll is anonymous and allows changes and this is a first ballot,
        else None. Raises PollError when the vote is refused."""

    def check_ballot(poll, form_data):
        """The ballot read from the posted form, or PollError saying what to correct."""

    def results_visible(poll):
        """True when the results may be shown: live results, or the poll has closed."""

    def count(poll):
        """The poll's ``counting.Result`` under its counting method."""


class PollError(ValueError):
    """A vote or ballot refused: ``message`` says why, in words the voter can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
