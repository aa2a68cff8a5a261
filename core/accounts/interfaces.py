"""What other parts of the site may ask of accounts."""

from zope.interface import Interface


class IAccountService(Interface):
    def get(user_id):
        """The user with this id, or None."""

    def find_by_login(login):
        """The user whose username or email is ``login`` (any letter case), or None."""

    def create_user(email, username, display_name, password=None, role="member", status="active"):
        """Create and return a user; raises DuplicateAccount."""

    def authenticate(login, password):
        """The user if the password is right and they may log in, else None."""


class DuplicateAccount(ValueError):
    """An email or username already taken (in any letter case)."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field
