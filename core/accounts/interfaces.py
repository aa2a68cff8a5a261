"""What other parts of the site may ask of accounts, and the mistakes it reports."""

from zope.interface import Interface

from core.errors import ActionError
from core.i18n import _


class IAccountService(Interface):
    def get(user_id):
        """The user with this id, or None."""

    def find_by_login(login):
        """The user whose username or email is ``login`` (any letter case), or None."""

    def create_user(email, username, display_name, password=None, role="member", status="active"):
        """Create and return a user; raises DuplicateAccount."""

    def authenticate(login, password):
        """The user if the password is right (whatever their status), else None."""

    def register(email, username, display_name, password, locale=None, invitation=None):
        """Open an account as the site's registration mode allows.

        Returns the new user, or None when the email is already registered (that address is
        told by mail; the person registering learns nothing). Raises RegistrationClosed,
        InvalidToken (a missing or bad invitation) or AccountError (a field refused).
        """

    def confirm_email(token):
        """Confirm a new member's address; returns the user. Raises InvalidToken."""

    def request_password_reset(email):
        """Mail a reset link if a member has this address; says nothing either way."""

    def reset_password(token, password):
        """Set a new password with a reset link; returns the user. Raises InvalidToken."""

    def find_token(purpose, token):
        """The usable token row for ``token`` (not expired, not used), or None."""

    def change_password(user, current_password, new_password):
        """Raises AccountError when the current password is wrong or the new one refused."""

    def request_email_change(user, password, new_email):
        """Mail a confirmation link to ``new_email``; the address changes once it is followed."""

    def confirm_email_change(token):
        """Move the member to their new address; returns the user. Raises InvalidToken."""

    def update_preferences(user, display_name, locale, timezone):
        """Change the name shown, the language and the time zone."""

    def sessions(user):
        """The member's open sessions (``core.accounts.sessions.OpenSession``), latest first."""

    def end_session(user, key):
        """End one of the member's sessions, named by its key."""

    def end_sessions(user, keep=None):
        """Log the member out everywhere (but the session ``keep``, a key, if given)."""

    def export_data(user):
        """Everything every enabled plugin holds about ``user``, as a JSON-ready dict."""

    def delete_account(user):
        """Every personal-data provider erases or anonymises; the member cannot log in again."""

    def search(query="", status=None, role=None, before=None, limit=50):
        """Members for the admin list, newest first, keyset-paginated with ``before`` (an id)."""

    def approve(user):
        """Open an account awaiting approval, and tell the member."""

    def suspend(user):
        """Stop a member from logging in and end their open sessions."""

    def reinstate(user):
        """Let a suspended member log in again."""

    def set_role(user, role):
        """Give a site role; raises AccountError when it would leave the site without admin."""

    def can_invite(user):
        """Whether ``user`` may send invitations now (registration mode and site settings)."""

    def invite(inviter, email):
        """Mail an invitation to ``email``; raises AccountError if the address is a member."""

    def invitations_by(inviter, limit=50):
        """The invitations ``inviter`` sent, newest first."""


class AccountError(ActionError, ValueError):
    """A request about an account that cannot be done: ``field`` and a sentence saying why."""

    def __init__(self, field: str, message):
        super().__init__(message, field=field)


class DuplicateAccount(AccountError):
    """An email or username already taken (in any letter case)."""

    def __init__(self, field: str):
        message = (
            _("This username is taken; choose another one.")
            if field == "username"
            else _("This email address is already registered.")
        )
        super().__init__(field, message)


class InvalidToken(ValueError):
    """A link that is unknown, expired or already used."""


class RegistrationClosed(Exception):
    """The site does not take new members now."""
