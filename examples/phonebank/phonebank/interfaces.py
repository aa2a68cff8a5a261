"""What the phone bank's pages, and any other plugin, may ask of it.

Methods that change something take the acting member and check themselves that they may:
a view, a job or a command calling them meets the same rules. They refuse with
``core.errors.ActionError`` and its subclasses (``NotFound``, ``Forbidden``), whose sentence
the site shows; each change is published as an event of ``phonebank.events``.
"""

from core.errors import ActionError
from zope.interface import Interface


class IPhonebankService(Interface):
    """Consents, campaigns and calls; found with ``request.find_service(IPhonebankService)``."""

    def consent(user):
        """The member's PhonebankConsent, or None when they have not agreed to be called."""

    def give_consent(user, phone, wording):
        """Record (or renew) the member's agreement to be called at ``phone``."""

    def withdraw(user):
        """Forget the member's number and agreement; nobody sees it on a call list again."""

    def is_caller(group, user):
        """True when ``user`` runs the group's campaigns: a group admin or moderator, or a
        site admin."""

    def visible(viewer):
        """The SQL condition on PhonebankCampaign of the campaigns ``viewer`` may see: the
        content type ``phonebank.campaign``'s condition."""

    def campaigns(group, viewer):
        """The group's campaigns that ``viewer`` may see, newest first."""

    def caller_campaigns(user):
        """[(campaign, group)] of the open campaigns ``user`` may call for."""

    def create_campaign(group, user, title, script):
        """A new campaign of the group, by one of its callers (NotFound, Forbidden);
        publishes CampaignCreated."""

    def get_campaign(campaign_id):
        """The campaign or None (no permission check)."""

    def campaign_for_caller(campaign_id, user):
        """(campaign, group) for one of the group's callers; NotFound when ``user`` may not see
        it, Forbidden when they may but do not call."""

    def close(campaign, user):
        """Close the campaign (its group's callers only); publishes CampaignClosed once."""

    def call_list(campaign):
        """Rows (user_id, name, phone, last outcome, last call time) of the group's members
        who agreed to be called: those not called yet, then those called longest ago, then
        those done with (reached, wrong number, do not call); at most ``list_size``."""

    def counts(campaign):
        """(members on the whole call list, those done with)."""

    def log_call(campaign, caller, callee_id, outcome, note=""):
        """Record a call by one of the group's callers; PhonebankError when the campaign is
        closed or the person is not on the call list. Publishes CallLogged."""

    def progress(campaign):
        """(totals by outcome, [(caller name, calls, reached)]) of the campaign."""

    def forget_group(group_id):
        """Delete the group's campaigns and their calls (the group is being deleted)."""

    def defer_notices(campaign_id):
        """Ask for the jobs that tell the members who agreed to be called that a campaign
        starts, a few hundred members each; asked again, asks for nothing more."""

    def send_notices(campaign_id, first_id, last_id):
        """Mail the members of that range still to be told, chosen when it runs."""


class PhonebankError(ActionError):
    """An action refused: ``message`` says why in words the person can act on."""
