"""Logged-in sessions kept on the server, so that logging out ends every copy of a cookie.

The session cookie (Pyramid's signed cookie) carries a random token; the server keeps its
SHA-256, the *key*, in the store that ``cortege.session_storage`` names: ``database`` (the
``user_sessions`` table) or a Redis URL. A request belongs to a member only while the key's
record exists: logging out deletes it; "log out everywhere", a password change, a suspension
and a deleted account delete all of the member's. Reading costs one indexed query (joined
with the member's row) or one Redis GET; the last-seen time is written at most every
``TOUCH_INTERVAL``, and a session unused for ``LIFETIME`` is over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import secrets

from sqlalchemy import delete, select, update
from zope.interface import Interface, implementer

from core.accounts.models import User, UserSession
from core.db import utcnow
from core.i18n import _

LIFETIME = dt.timedelta(days=14)
TOUCH_INTERVAL = dt.timedelta(minutes=5)
USER_AGENT_LENGTH = 300


@dataclasses.dataclass
class OpenSession:
    key: str  # names the session (on the account page too) without letting anyone use it
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    user_agent: str = ""


class ISessionStore(Interface):
    """Where logged-in sessions are kept. ``dbsession`` is the request's."""

    def open(dbsession, user, user_agent):
        """Start a session for ``user``; returns the token for the cookie."""

    def identify(dbsession, token):
        """``(user, OpenSession)`` for a token whose session is open, else None."""

    def touch(dbsession, session):
        """Note that ``session`` was used now (written at most every TOUCH_INTERVAL)."""

    def sessions_of(dbsession, user_id):
        """The member's open sessions, most recently used first."""

    def end(dbsession, user_id, key):
        """End the member's session ``key`` (nothing happens if it is not theirs)."""

    def end_all(dbsession, user_id, keep=None):
        """End every session of the member, but ``keep`` (a key) if given."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def session_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stale(session: OpenSession, now: dt.datetime) -> bool:
    return now - session.last_seen_at >= TOUCH_INTERVAL


@implementer(ISessionStore)
class DatabaseSessionStore:
    """Sessions in the ``user_sessions`` table, in the request's transaction."""

    def open(self, dbsession, user, user_agent):
        now = utcnow()
        # Sessions of this member that ran out go when a new one starts.
        dbsession.execute(delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.last_seen_at <= now - LIFETIME))
        token = new_token()
        dbsession.add(UserSession(key=session_key(token), user_id=user.id, created_at=now,
                                  last_seen_at=now, user_agent=user_agent[:USER_AGENT_LENGTH]))
        dbsession.flush()
        return token

    def identify(self, dbsession, token):
        row = dbsession.execute(
            select(User, UserSession).join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.key == session_key(token),
                   UserSession.last_seen_at > utcnow() - LIFETIME)
        ).first()
        return None if row is None else (row[0], self._open_session(row[1]))

    def touch(self, dbsession, session):
        now = utcnow()
        if _stale(session, now):
            dbsession.execute(update(UserSession).where(UserSession.key == session.key)
                              .values(last_seen_at=now))
            session.last_seen_at = now

    def sessions_of(self, dbsession, user_id):
        rows = dbsession.scalars(
            select(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.last_seen_at > utcnow() - LIFETIME)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
        return [self._open_session(row) for row in rows]

    def end(self, dbsession, user_id, key):
        dbsession.execute(delete(UserSession).where(UserSession.user_id == user_id,
                                                    UserSession.key == key))

    def end_all(self, dbsession, user_id, keep=None):
        condition = UserSession.user_id == user_id
        if keep is not None:
            condition = condition & (UserSession.key != keep)
        dbsession.execute(delete(UserSession).where(condition))

    @staticmethod
    def _open_session(row: UserSession) -> OpenSession:
        return OpenSession(key=row.key, user_id=row.user_id, created_at=row.created_at,
                           last_seen_at=row.last_seen_at, user_agent=row.user_agent)


@implementer(ISessionStore)
class RedisSessionStore:
    """Sessions in Redis: ``<prefix><key>`` holds the session as JSON and expires after
    LIFETIME without use; ``<prefix>user:<id>`` holds the keys of the member's sessions."""

    def __init__(self, url: str, prefix: str = "cortege:session:", client=None):
        import redis

        self.redis = client or redis.Redis.from_url(url, socket_timeout=2,
                                                    socket_connect_timeout=2)
        self.prefix = prefix
        self.ttl = int(LIFETIME.total_seconds())

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def _index(self, user_id: int) -> str:
        return f"{self.prefix}user:{user_id}"

    def _save(self, pipe, session: OpenSession) -> None:
        value = json.dumps({"user_id": session.user_id,
                            "created_at": session.created_at.isoformat(),
                            "last_seen_at": session.last_seen_at.isoformat(),
                            "user_agent": session.user_agent})
        pipe.set(self._name(session.key), value, ex=self.ttl)
        pipe.sadd(self._index(session.user_id), session.key)
        pipe.expire(self._index(session.user_id), self.ttl)

    def _load(self, key: str, value) -> OpenSession | None:
        if value is None:
            return None
        data = json.loads(value)
        return OpenSession(key=key, user_id=data["user_id"],
                           created_at=dt.datetime.fromisoformat(data["created_at"]),
                           last_seen_at=dt.datetime.fromisoformat(data["last_seen_at"]),
                           user_agent=data["user_agent"])

    def open(self, dbsession, user, user_agent):
        token = new_token()
        now = utcnow()
        session = OpenSession(key=session_key(token), user_id=user.id, created_at=now,
                              last_seen_at=now, user_agent=user_agent[:USER_AGENT_LENGTH])
        with self.redis.pipeline() as pipe:
            self._save(pipe, session)
            pipe.execute()
        return token

    def identify(self, dbsession, token):
        key = session_key(token)
        session = self._load(key, self.redis.get(self._name(key)))
        if session is None or session.last_seen_at <= utcnow() - LIFETIME:
            return None
        user = dbsession.get(User, session.user_id)
        return None if user is None else (user, session)

    def touch(self, dbsession, session):
        now = utcnow()
        if _stale(session, now):
            session.last_seen_at = now
            with self.redis.pipeline() as pipe:
                self._save(pipe, session)
                pipe.execute()

    def sessions_of(self, dbsession, user_id):
        keys = sorted(key.decode() for key in self.redis.smembers(self._index(user_id)))
        if not keys:
            return []
        values = self.redis.mget([self._name(key) for key in keys])
        gone = [key for key, value in zip(keys, values, strict=True) if value is None]
        if gone:  # expired on their own
            self.redis.srem(self._index(user_id), *gone)
        sessions = [self._load(key, value) for key, value in zip(keys, values, strict=True)
                    if value is not None]
        return sorted(sessions, key=lambda s: s.last_seen_at, reverse=True)

    def end(self, dbsession, user_id, key):
        if self.redis.srem(self._index(user_id), key):  # only one of the member's own
            self.redis.delete(self._name(key))

    def end_all(self, dbsession, user_id, keep=None):
        keys = [key.decode() for key in self.redis.smembers(self._index(user_id))]
        ended = [key for key in keys if key != keep]
        if ended:
            with self.redis.pipeline() as pipe:
                pipe.delete(*[self._name(key) for key in ended])
                pipe.srem(self._index(user_id), *ended)
                pipe.execute()


def session_store_from_settings(settings: dict) -> ISessionStore:
    storage = settings["cortege.session_storage"]
    if storage == "database":
        return DatabaseSessionStore()
    return RedisSessionStore(storage, prefix=settings["cortege.session_key_prefix"])


@functools.lru_cache(maxsize=512)
def _browser_and_system(user_agent: str) -> tuple[str | None, str | None]:
    from ua_parser import parse

    found = parse(user_agent[:USER_AGENT_LENGTH])
    browser = found.user_agent.family if found.user_agent else None
    if browser and found.user_agent.major:
        browser = f"{browser} {found.user_agent.major}"
    system = found.os.family if found.os and found.os.family != "Other" else None
    return (browser if browser != "Other" else None), system


def describe_device(request, user_agent: str) -> str:
    """What a member recognises a session by: "Firefox 128 on Linux"."""
    browser, system = _browser_and_system(user_agent or "")
    if browser and system:
        message = _("${browser} on ${system}", mapping={"browser": browser, "system": system})
    elif browser or system:
        return browser or system
    else:
        message = _("An unknown browser")
    return request.localizer.translate(message)
