"""What other plugins may ask of polls: ``request.find_service(IPollService)``.

Methods that change something take the acting member and check themselves what that member
may do, whoever calls them (a view, a job, a command): they refuse with
``core.errors.ActionError`` subclasses carrying the sentence to show. Changes are published
as domain events of ``plugins.polls.events``.
"""

from zope.interface import Interface

from core.errors import ActionError


class IPollService(Interface):
    """Polls, who may see them and vote in them, ballots and results."""

    def visible(viewer):
        """The SQL condition on Poll of the polls ``viewer`` (a User, None, or ``User``
        itself) may see: the content type ``polls.poll``'s condition."""

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

    def may_create(user, group=None):
        """Whether ``user`` may create a poll of the site (``polls.create``) or of ``group``
        (its admins and moderators); holders of ``polls.manage`` may both."""

    def may_manage(poll, user):
        """Whether ``user`` may close the poll: its author, its group's admins, holders of
        ``polls.manage``."""

    def create(author, values, group=None):
        """A new poll from the form's ``values``; NotFound when ``author`` may not see
        ``group``, Forbidden when they may not create one there. Publishes PollOpened when
        it opens at once."""

    def close(poll, actor):
        """Close the poll now; Forbidden unless ``actor`` may manage it. Publishes
        PollClosed once."""

    def publish_due(now=None):
        """Publish PollOpened and PollClosed for the polls whose time has come (the periodic
        task ``polls.publish_due``, every minute); returns how many."""

    def vote(poll, user, ballot, change_code=None):
        """Store ``user``'s ballot (already checked with ``check_ballot``). Returns the new
        change code when the poll is anonymous and allows changes and this is a first ballot,
        else None. Raises PollError when the vote is refused. A first ballot publishes
        VoteCast."""

    def check_ballot(poll, form_data):
        """The ballot read from the posted form, or PollError saying what to correct."""

    def results_visible(poll):
        """True when the results may be shown: live results, or the poll has closed."""

    def count(poll):
        """The poll's ``counting.Result`` under its counting method."""


class PollError(ActionError, ValueError):
    """A vote or ballot refused: ``message`` says why, in words the voter can act on."""
