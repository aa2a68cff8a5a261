"""Accounts: creating people and checking their passwords."""

from __future__ import annotations

from sqlalchemy import or_, select
from zope.interface import implementer

from core.accounts.interfaces import DuplicateAccount, IAccountService
from core.accounts.models import User
from core.accounts.passwords import hash_password, needs_rehash, verify_password
from core.db import utcnow
from core.security import new_epoch


def username_key(username: str) -> str:
    return username.strip().casefold()


def email_key(email: str) -> str:
    return email.strip().casefold()


@implementer(IAccountService)
class AccountService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def get(self, user_id):
        return self.dbsession.get(User, user_id)

    def find_by_login(self, login: str):
        key = login.strip().casefold()
        return self.dbsession.scalars(
            select(User).where(or_(User.username_key == key, User.email_key == key))
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
            session_epoch=new_epoch(),
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


def account_service_factory(context, request):
    return AccountService(request.dbsession)
