"""Password hashing with argon2id; hashes are upgraded when the parameters change.

The parameters are the first of OWASP's password storage recommendations for argon2id:
19 MiB of memory, 2 iterations, 1 degree of parallelism (the cheat sheet lists others of the
same strength: 46 MiB and 1 iteration, 12 MiB and 3, 9 MiB and 4, 7 MiB and 5). A hash holds
its 19 MiB and one core for some 50 ms. Hashes made with other parameters (argon2-cffi's
default of 64 MiB, 3 iterations and 4 lanes, which this site used before) are still verified,
and replaced at the member's next login (``needs_rehash``).

However many logins arrive at once, at most ``cortege.password_hashing_concurrency`` hashes
run at the same time in a process (``HashingGate``); the others wait their turn, so that a
burst of logins costs waiting time, not memory.
"""

from __future__ import annotations

import contextlib
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1

hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM,
                        type=Type.ID)


class HashingGate:
    """Lets at most ``size`` password hashes run at once in this process; counts them."""

    def __init__(self, size: int = 2):
        self._lock = threading.Lock()
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self.running = 0
        self.peak = 0  # the most that ran at once since the last reset_peak()

    def resize(self, size: int) -> None:
        """Change the bound; done at start-up, before any hash runs."""
        self.size = size
        self._slots = threading.BoundedSemaphore(size)

    def reset_peak(self) -> None:
        with self._lock:
            self.peak = self.running

    @contextlib.contextmanager
    def slot(self):
        slots = self._slots
        with slots:
            with self._lock:
                self.running += 1
                self.peak = max(self.peak, self.running)
            try:
                yield
            finally:
                with self._lock:
                    self.running -= 1


gate = HashingGate()


def configure_hashing(concurrency: int) -> None:
    """Bound the hashes that run at once in this process (``core.accounts`` calls it)."""
    gate.resize(concurrency)


def hash_password(password: str) -> str:
    with gate.slot():
        return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so timing tells nothing.
        hash_password(password)
        return False
    try:
        with gate.slot():
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
