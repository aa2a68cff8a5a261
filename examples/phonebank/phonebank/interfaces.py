"""What the phone bank's pages, and any other plugin, may ask of it."""

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

    def campaigns(group):
        """The group's campaigns, newest first."""

    def caller_campaigns(user):
        """[(campaign, group)] of the open campaigns ``user`` may call for."""

    def create_campaign(group, user, title, script):
        """A new campaign of the group."""

    def get_campaign(campaign_id):
        """The campaign or None (no permission check)."""

    def call_list(campaign):
        """Rows (user_id, name, phone, last outcome, last call time) of the group's members
        who agreed to be called: those not called yet, then those called longest ago, then
        those done with (reached, wrong number, do not call); at most ``list_size``."""

    def counts(campaign):
        """(members on the whole call list, those done with)."""

    def log_call(campaign, caller, callee_id, outcome, note=""):
        """Record a call; PhonebankError when the person is not on the call list."""

    def progress(campaign):
        """(totals by outcome, [(caller name, calls, reached)]) of the campaign."""

    def forget_group(group_id):
        """Delete the group's campaigns and their calls (the group is being deleted)."""


class PhonebankError(ValueError):
    """An action refused: ``message`` says why in words the person can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
