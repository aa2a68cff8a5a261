"""Rate limits with the ``limits`` library: memory by default, Redis in production.

A Redis outage fails open: the attempt is allowed and a line is logged, never a 500.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from limits import parse, storage, strategies

log = logging.getLogger(__name__)


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds


class RateLimiter:
    def __init__(self, uri: str):
        self.uri = uri
        self.storage = storage.storage_from_string(uri)
        self.strategy = strategies.MovingWindowRateLimiter(self.storage)

    def hit(self, rule: str, *keys: str) -> Verdict:
        """Count one attempt against ``rule`` (e.g. ``"5/minute"``) for ``keys``."""
        limit = parse(rule)
        try:
            if self.strategy.hit(limit, *keys):
                return Verdict(True)
            reset, _remaining = self.strategy.get_window_stats(limit, *keys)
        except Exception:  # storage down: fail open
            log.warning("rate limit storage %s unavailable; allowing %s", self.uri, rule,
                        exc_info=True)
            return Verdict(True)
        return Verdict(False, max(1, int(reset - time.time()) + 1))

    def reset(self) -> None:
        try:
            self.storage.reset()
        except Exception:
            log.warning("could not reset rate limit storage %s", self.uri, exc_info=True)


def _ratelimiter(request) -> RateLimiter:
    return request.registry["cortege.ratelimiter"]


def includeme(config):
    uri = config.get_settings()["cortege.ratelimit_storage"]
    config.registry["cortege.ratelimiter"] = RateLimiter(uri)
    config.add_request_method(_ratelimiter, "ratelimiter", reify=True)
