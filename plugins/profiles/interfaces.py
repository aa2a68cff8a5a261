"""What other plugins may ask of profiles, and the mistakes it reports."""

from zope.interface import Interface


class IProfileService(Interface):
    """Profiles as the person asking (``request.user``) may see them."""

    def member(username):
        """The active member with this username (any letter case), or None."""

    def sections(member):
        """[(group, [(field, shown value)])] of the values the viewer may see."""

    def avatar(member, size=128):
        """{"url": ...} of the member's avatar, or {"initials", "colour"} for the default."""

    def avatar_token(user_id):
        """For a list's query: a column holding the avatar token (or None) of the member whose
        id is ``user_id`` (a column or a value), so the list needs no query per row."""

    def directory(query="", filters=None, sort="name", after=None):
        """A page of the directory: members, their visible card values and the next cursor."""

    def count(query="", filters=None):
        """How many members the directory lists for this search, as the viewer sees it."""

    def ensure_profile(user):
        """The member's profile row, created when missing."""

    def save_values(user, values, visibilities=None):
        """Store {field: form data}; ``visibilities`` maps field to the member's choice."""

    def set_avatar(user, upload):
        """Check, crop and store an uploaded image; raises AvatarError with a sentence."""

    def remove_avatar(user):
        """Go back to the generated default avatar."""

    def touch(user):
        """Record that the member is active now."""


class AvatarError(ValueError):
    """An upload refused; ``message`` says why in words the member can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
