"""Accounts: registering, confirming, logging in, changing and deleting accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
import zoneinfo

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import or_, select
from zope.interface import implementer

from core import personaldata
from core.accounts.events import (
    MemberActivated,
    MemberDeleted,
    MemberRegistered,
    MemberReinstated,
    MemberRoleChanged,
    MemberSuspended,
)
from core.accounts.interfaces import (
    AccountError,
    DuplicateAccount,
    IAccountService,
    InvalidToken,
    RegistrationClosed,
)
from core.accounts.models import AccountToken, User
from core.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from core.db import utcnow
from core.errors import Conflict, Forbidden
from core.events import publish
from core.extensions import PERSONAL_DATA_PROVIDERS, registered
from core.i18n import REGISTERS, _, french_register
from core.security import ROLES, session_store

# How long each kind of emailed link works.
TOKEN_LIFETIMES = {
    "confirm": dt.timedelta(days=3),
    "reset": dt.timedelta(hours=2),
    "email": dt.timedelta(days=1),
    "invite": dt.timedelta(days=14),
}
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,28}[A-Za-z0-9]$")
# Names that would let someone pass for the site or its staff.
RESERVED_USERNAMES = frozenset({
    "admin", "administrator", "administrateur", "moderator", "moderateur", "root", "staff",
    "support", "system", "cortege", "former-member", "ancien-membre", "anonymous", "me",
    "members", "register", "login", "logout", "account", "settings", "null", "none",
})


def username_key(username: str) -> str:
    """Usernames compare without letter case or look-alike forms, so none can be imitated."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def email_key(email: str) -> str:
    return email.strip().casefold()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    """The address as it will be stored, or AccountError saying what is wrong with it."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise AccountError("email", _("Enter a valid email address, such as name@example.org.")) from None


def check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise AccountError("username", _(
            "Use 3 to 30 letters, digits, dots, dashes or underscores, starting and ending with a "
            "letter or digit."
        ))
    if username_key(username) in RESERVED_USERNAMES:
        raise AccountError("username", _("This username is reserved; choose another one."))
    return username


def check_display_name(display_name: str) -> str:
    display_name = " ".join(display_name.split())
    if not display_name:
        raise AccountError("display_name", _("Enter the name other members will see."))
    if len(display_name) > 80:
        raise AccountError("display_name", _("Use at most ${count} characters.", mapping={"count": 80}))
    return display_name


def check_timezone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise AccountError("timezone", _("Choose a time zone from the list.")) from None
    return name


@implementer(IAccountService)
class AccountService:
    def __init__(self, dbsession, request=None):
        self.dbsession = dbsession
        self.request = request

    def get(self, user_id):
        return self.dbsession.get(User, user_id)

    def find_by_login(self, login: str):
        return self.dbsession.scalars(select(User).where(or_(
            User.username_key == username_key(login), User.email_key == email_key(login)))
        ).first()

    def create_user(self, email, username, display_name, password=None, role="member",
                    status="active", locale=None, timezone=None):
        if self.dbsession.scalar(select(User.id).where(User.email_key == email_key(email))):
            raise DuplicateAccount("email")
        if self.dbsession.scalar(
            select(User.id).where(User.username_key == username_key(username))
        ):
            raise DuplicateAccount("username")
        user = User(
            email=email.strip(),
            email_key=email_key(email),
            username=username.strip(),
            username_key=username_key(username),
            display_name=display_name.strip(),
            password_hash=hash_password(password) if password else None,
            role=role,
            status=status,
            locale=locale,
            timezone=timezone,
            email_confirmed_at=utcnow() if status == "active" else None,
        )
        self.dbsession.add(user)
        self.dbsession.flush()
        return user

    def authenticate(self, login, password):
        user = self.find_by_login(login)
        if user is None:
            verify_password(None, password)
            return None
        if not verify_password(user.password_hash, password):
            return None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user

    # Emailed links -------------------------------------------------------------------------

    def _issue_token(self, purpose: str, user=None, email: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        self.dbsession.add(AccountToken(
            purpose=purpose, token_hash=token_hash(token), user=user, email=email,
            expires_at=utcnow() + TOKEN_LIFETIMES[purpose],
        ))
        self.dbsession.flush()
        return token

    def find_token(self, purpose, token):
        if not token or len(token) > 100:
            return None
        row = self.dbsession.scalars(
            select(AccountToken).where(AccountToken.token_hash == token_hash(token))
        ).first()
        if row is None or row.purpose != purpose or not row.usable(utcnow()):
            return None
        return row

    def _use_token(self, purpose: str, token: str) -> AccountToken:
        row = self.find_token(purpose, token)
        if row is None:
            raise InvalidToken(purpose)
        row.used_at = utcnow()
        return row

    def _mail(self, user_or_email, subject, template: str, **values) -> None:
        if isinstance(user_or_email, User):
            recipient, locale = user_or_email.email, user_or_email.locale
            values.setdefault("user", user_or_email)
            register = french_register(self.request, user_or_email)
        else:
            recipient, locale = user_or_email, values.pop("locale", None)
            register = french_register(self.request, None)
        self.request.send_mail(recipient, subject, template, values, locale=locale,
                               register=register)

    def _publish(self, event) -> None:
        if self.request is not None:
            publish(self.request, event)

    @staticmethod
    def _check_admin(actor) -> None:
        """Administration is for admins; ``actor`` None is the system (a command)."""
        if actor is not None and not (actor.is_admin and actor.can_log_in):
            raise Forbidden(_("Only administrators may do this."))

    def _url(self, route_name: str, **kw) -> str:
        return self.request.route_url(route_name, **kw)

    # Registration ----------------------------------------------------------------------------

    def register(self, email, username, display_name, password, locale=None, invitation=None,
                 timezone=None):
        mode = self.request.site_settings.registration
        invite = None
        if mode == "closed":
            raise RegistrationClosed()
        if mode == "invitation" or invitation:
            invite = self.find_token("invite", invitation or "")
            if invite is None:
                raise InvalidToken("invite")
        email = normalise_email(email)
        username = check_username(username)
        display_name = check_display_name(display_name)
        problem = password_problem(password, username, display_name, email)
        if problem:
            raise AccountError("password", problem)
        if self.dbsession.scalar(select(User.id).where(User.username_key == username_key(username))):
            raise DuplicateAccount("username")
        existing = self.dbsession.scalars(select(User).where(User.email_key == email_key(email))).first()
        if existing is not None:
            # Say nothing to the person registering: whether an address belongs to a member of
            # a political network is itself sensitive. The owner of the address is told.
            if existing.status != "deleted":
                self._mail(existing, _("Someone tried to register with your address"),
                           "accounts/mail/already_registered.txt.jinja2",
                           login_url=self._url("login"), reset_url=self._url("password_forgot"))
            return None
        invited = invite is not None and email_key(invite.email or "") == email_key(email)
        if invite is not None:
            invite.used_at = utcnow()
        user = self.create_user(
            email, username, display_name, password, status="unconfirmed", locale=locale,
            timezone=timezone,
        )
        self._publish(MemberRegistered(actor_id=user.id, user_id=user.id))
        if invited:  # the invitation reached this very address: it is confirmed
            self._email_confirmed(user)
        else:
            token = self._issue_token("confirm", user=user)
            self._mail(user, _("Confirm your email address"), "accounts/mail/confirm.txt.jinja2",
                       url=self._url("confirm_email", token=token))
        return user

    def _email_confirmed(self, user) -> None:
        user.email_confirmed_at = utcnow()
        if self.request.site_settings.registration == "approval" and user.role == "member":
            user.status = "awaiting_approval"
            admins = self.dbsession.scalars(
                select(User).where(User.role == "admin", User.status == "active").limit(20)
            ).all()
            for admin in admins:
                self._mail(admin, _("A new member awaits approval"),
                           "accounts/mail/awaiting_approval.txt.jinja2", member=user,
                           url=self._url("admin_members", _query={"status": "awaiting_approval"}))
        else:
            user.status = "active"
            self._publish(MemberActivated(actor_id=user.id, user_id=user.id))

    def confirm_email(self, token):
        row = self._use_token("confirm", token)
        user = row.user
        if user is None or user.status != "unconfirmed":
            raise InvalidToken("confirm")
        self._email_confirmed(user)
        return user

    # Passwords -------------------------------------------------------------------------------

    def request_password_reset(self, email):
        user = self.dbsession.scalars(
            select(User).where(User.email_key == email_key(email or ""))
        ).first()
        if user is None or user.status in ("deleted", "suspended"):
            return
        token = self._issue_token("reset", user=user)
        self._mail(user, _("Choose a new password"), "accounts/mail/reset.txt.jinja2",
                   url=self._url("password_reset", token=token))

    def reset_password(self, token, password):
        row = self.find_token("reset", token)
        if row is None or row.user is None or row.user.status in ("deleted", "suspended"):
            raise InvalidToken("reset")
        user = row.user
        problem = password_problem(password, user.username, user.display_name, user.email)
        if problem:
            raise AccountError("password", problem)
        row.used_at = utcnow()
        user.password_hash = hash_password(password)
        self.end_sessions(user)
        if user.status == "unconfirmed":  # the link reached the address: it is confirmed
            self._email_confirmed(user)
        return user

    def change_password(self, user, current_password, new_password):
        if not verify_password(user.password_hash, current_password or ""):
            raise AccountError("current_password", _("Your current password is not right."))
        problem = password_problem(new_password, user.username, user.display_name, user.email)
        if problem:
            raise AccountError("new_password", problem)
        user.password_hash = hash_password(new_password)
        self.end_sessions(user)
        self._mail(user, _("Your password was changed"), "accounts/mail/password_changed.txt.jinja2",
                   reset_url=self._url("password_forgot"))

    # Email address ---------------------------------------------------------------------------

    def request_email_change(self, user, password, new_email):
        if not verify_password(user.password_hash, password or ""):
            raise AccountError("password", _("Your current password is not right."))
        new_email = normalise_email(new_email)
        if email_key(new_email) == user.email_key:
            raise AccountError("email", _("This is already your address."))
        token = self._issue_token("email", user=user, email=new_email)
        # An address already in use learns nothing here either: the link will simply fail.
        self._mail(new_email, _("Confirm your new email address"),
                   "accounts/mail/email_change.txt.jinja2", locale=user.locale, user=user,
                   url=self._url("confirm_email_change", token=token))
        self._mail(user, _("Your email address is about to change"),
                   "accounts/mail/email_change_notice.txt.jinja2", new_email=new_email)

    def confirm_email_change(self, token):
        row = self.find_token("email", token)
        if row is None or row.user is None or not row.user.can_log_in:
            raise InvalidToken("email")
        taken = self.dbsession.scalar(
            select(User.id).where(User.email_key == email_key(row.email), User.id != row.user_id)
        )
        if taken:
            raise InvalidToken("email")
        row.used_at = utcnow()
        user = row.user
        user.email = row.email
        user.email_key = email_key(row.email)
        user.email_confirmed_at = utcnow()
        return user

    # Preferences and sessions ----------------------------------------------------------------

    def update_preferences(self, user, display_name, locale, timezone, french_register=None):
        """``french_register`` (``vous``, ``tu``, or "" for the site's) is kept only when the
        site lets members choose (``cortege.french_register_choice``)."""
        settings = self.request.registry.settings
        user.display_name = check_display_name(display_name)
        if locale not in settings["cortege.locales"]:
            raise AccountError("locale", _("Choose a language from the list."))
        user.locale = locale
        user.timezone = check_timezone(timezone)
        if settings["cortege.french_register_choice"] and french_register is not None:
            if french_register not in ("", *REGISTERS):
                raise AccountError("french_register", _("Choose vous or tu from the list."))
            user.french_register = french_register or None

    def sessions(self, user):
        return session_store(self.request).sessions_of(self.dbsession, user.id)

    def end_session(self, user, key):
        session_store(self.request).end(self.dbsession, user.id, key)

    def end_sessions(self, user, keep=None):
        session_store(self.request).end_all(self.dbsession, user.id, keep=keep)

    # Personal data ---------------------------------------------------------------------------

    def export_data(self, user):
        data = {
            "site": self.request.site_settings.site_name,
            "exported_at": utcnow().isoformat(),
        }
        for provider in registered(self.request.registry, PERSONAL_DATA_PROVIDERS):
            if provider.export is not None:
                data[provider.name] = provider.export(self.request, user)
        switched_off = personaldata.dormant(self.request)
        if switched_off.unreachable:
            # Said in the export itself, so the member knows it is not complete.
            data["plugins_not_included"] = list(switched_off.unreachable)
        if switched_off.names:
            request = personaldata.dormant_request(self.request, switched_off.registry)
            for provider in personaldata.providers_of(switched_off):
                if provider.export is not None:
                    data[provider.name] = provider.export(request, user)
        return data

    def delete_account(self, user, actor=None):
        """Delete ``user``'s account: by themselves (``actor`` is ``user``), by an admin, or by
        the system (``actor`` None)."""
        if actor is not None and actor.id != user.id:
            self._check_admin(actor)
        switched_off = personaldata.dormant(self.request)
        if switched_off.unreachable:
            raise Conflict(_(
                "Accounts cannot be deleted for now: the plugins ${names} are switched off but "
                "still hold members' data. An administrator must switch them back on, or "
                "remove their data (cortege db downgrade with --plugin NAME base), first.",
                mapping={"names": ", ".join(switched_off.unreachable)}))
        erasers = [(self.request, provider) for provider in registered(
            self.request.registry, PERSONAL_DATA_PROVIDERS)]
        if switched_off.names:
            request = personaldata.dormant_request(self.request, switched_off.registry)
            erasers += [(request, provider) for provider in personaldata.providers_of(switched_off)]
        # The account itself goes last, once every plugin has erased what it holds.
        for request, provider in sorted(erasers, key=lambda pair: pair[1].name == "account"):
            if provider.erase is not None:
                provider.erase(request, user)
        self.end_sessions(user)
        self.dbsession.execute(
            AccountToken.__table__.delete().where(AccountToken.user_id == user.id)
        )
        self._publish(MemberDeleted(actor_id=actor and actor.id, user_id=user.id))

    # Invitations -----------------------------------------------------------------------------

    def can_invite(self, user):
        settings = self.request.site_settings
        return (
            user is not None and user.can_log_in and settings.registration == "invitation"
            and (user.is_admin or settings.members_may_invite)
        )

    def invite(self, inviter, email):
        email = normalise_email(email)
        if self.dbsession.scalar(select(User.id).where(User.email_key == email_key(email))):
            raise AccountError("email", _("This person already has an account."))
        token = self._issue_token("invite", user=inviter, email=email)
        self._mail(email, _("${name} invites you to join ${site}", mapping={
                       "name": inviter.display_name, "site": self.request.site_settings.site_name}),
                   "accounts/mail/invitation.txt.jinja2", locale=inviter.locale, inviter=inviter,
                   url=self._url("register", _query={"invitation": token}))

    def invitations_by(self, inviter, limit=50):
        return self.dbsession.scalars(
            select(AccountToken)
            .where(AccountToken.user_id == inviter.id, AccountToken.purpose == "invite")
            .order_by(AccountToken.id.desc())
            .limit(limit)
        ).all()

    # Administration --------------------------------------------------------------------------

    def search(self, query="", status=None, role=None, before=None, limit=50):
        statement = select(User).order_by(User.id.desc()).limit(limit)
        if status:
            statement = statement.where(User.status == status)
        else:  # deleted accounts keep only their username: shown when asked for
            statement = statement.where(User.status != "deleted")
        if role:
            statement = statement.where(User.role == role)
        if before is not None:
            statement = statement.where(User.id < before)
        query = (query or "").strip()
        if query:
            key = query.casefold()
            statement = statement.where(or_(
                User.username_key.contains(key, autoescape=True),
                User.email_key.contains(key, autoescape=True),
                User.display_name.icontains(query, autoescape=True),
            ))
        return self.dbsession.scalars(statement).all()

    def ensure_admin_remains(self, user) -> None:
        """Raise AccountError if ``user`` is the only active admin (before demoting them)."""
        if user.role != "admin" or user.status != "active":
            return
        # Every active admin's row is locked, this one's too: two admins demoting each other at
        # once wait for one another, and the second then sees that the first is gone.
        admins = self.dbsession.scalars(
            select(User.id).where(User.role == "admin", User.status == "active").with_for_update()
        ).all()
        if set(admins) <= {user.id}:
            raise AccountError("role", _(
                "${name} is the site's only administrator: make another member administrator "
                "first.", mapping={"name": user.display_name or user.username}
            ))

    def approve(self, user, actor=None):
        self._check_admin(actor)
        if user.status != "awaiting_approval":
            raise AccountError("status", _("This account is not awaiting approval."))
        user.status = "active"
        self._publish(MemberActivated(actor_id=actor and actor.id, user_id=user.id))
        self._mail(user, _("Your account is open"), "admin/mail/approved.txt.jinja2",
                   login_url=self._url("login"))

    def suspend(self, user, actor=None):
        self._check_admin(actor)
        if user.status in ("suspended", "deleted"):
            raise AccountError("status", _("This account cannot be suspended."))
        self.ensure_admin_remains(user)
        user.status = "suspended"
        self.end_sessions(user)
        self._publish(MemberSuspended(actor_id=actor and actor.id, user_id=user.id))

    def reinstate(self, user, actor=None):
        self._check_admin(actor)
        if user.status != "suspended":
            raise AccountError("status", _("This account is not suspended."))
        user.status = "active"
        self._publish(MemberReinstated(actor_id=actor and actor.id, user_id=user.id))

    def set_role(self, user, role, actor=None):
        self._check_admin(actor)
        if role not in ROLES:
            raise AccountError("role", _("Choose a role from the list."))
        if user.status == "deleted":
            raise AccountError("status", _("This account was deleted."))
        if role != "admin":
            self.ensure_admin_remains(user)
        if user.role != role:
            user.role = role
            self._publish(MemberRoleChanged(actor_id=actor and actor.id, user_id=user.id,
                                            role=role))


def account_service_factory(context, request):
    return AccountService(request.dbsession, request)
