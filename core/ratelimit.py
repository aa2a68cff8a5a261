"""Rate limits with the ``limits`` library: memory by default, Redis in production.

A Redis outage fails open: the attempt is allowed and a line is logged, never a 500.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from limits import parse, storage, strategies
from limits.errors import StorageError

log = logging.getLogger(__name__)


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds


# A Redis that does not answer must not hold requests: give up after half a second, and see
# its failures as limits' StorageError, whatever the client library raised.
REDIS_OPTIONS = {"key_prefix": "cortege", "socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                 "wrap_exceptions": True}


class RateLimiter:
    def __init__(self, uri: str, **options):
        self.uri = uri
        if uri.startswith(("redis://", "rediss://", "redis+unix://")):
            options = {**REDIS_OPTIONS, **options}
        self.storage = storage.storage_from_string(uri, **options)
        self.strategy = strategies.MovingWindowRateLimiter(self.storage)

    def hit(self, rule: str, *keys: str) -> Verdict:
        """Count one attempt against ``rule`` (e.g. ``"5/minute"``) for ``keys``."""
        limit = parse(rule)
        try:
            if self.strategy.hit(limit, *keys):
                return Verdict(True)
            reset, _remaining = self.strategy.get_window_stats(limit, *keys)
        except StorageError as exc:  # storage down: fail open, one line per attempt
            log.warning("rate limit storage %s unavailable (%s); allowing %s",
                        self.uri, _reason(exc), rule)
            return Verdict(True)
        return Verdict(False, max(1, int(reset - time.time()) + 1))

    def reset(self) -> None:
        try:
            self.storage.reset()
        except StorageError as exc:
            log.warning("could not reset rate limit storage %s (%s)", self.uri, _reason(exc))


def _reason(error: StorageError) -> str:
    cause = error.storage_error
    return f"{cause.__class__.__name__}: {cause}"


def _ratelimiter(request) -> RateLimiter:
    return request.registry["cortege.ratelimiter"]


def includeme(config):
    uri = config.get_settings()["cortege.ratelimit_storage"]
    config.registry["cortege.ratelimiter"] = RateLimiter(uri)
    config.add_request_method(_ratelimiter, "ratelimiter", reify=True)
