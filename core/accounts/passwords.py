"""Password hashing with argon2; hashes are upgraded when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so timing tells nothing.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)


MIN_LENGTH = 10
MAX_LENGTH = 1024


def password_problem(password: str, *user_inputs: str):
    """Why ``password`` is refused (a translation string), or None when it is good enough.

    Long enough, and not common or guessable from the person's own name, username or email
    (zxcvbn's dictionaries of common passwords, words and keyboard patterns).
    """
    from zxcvbn import zxcvbn

    from core.i18n import _

    if len(password) < MIN_LENGTH:
        return _("Use at least ${count} characters.", mapping={"count": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        return _("Use at most ${count} characters.", mapping={"count": MAX_LENGTH})
    inputs = [part for value in user_inputs if value for part in _words(value)]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < 3:
        return _("This password is too common or too easy to guess: add words or characters.")
    return None


def _words(value: str) -> list[str]:
    import re

    return [value, *[word for word in re.split(r"[\W_]+", value) if len(word) > 2]]
