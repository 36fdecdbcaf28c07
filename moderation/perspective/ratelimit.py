"""A per-key, per-minute request limit in Redis: a fixed window, one round trip per request.

INCR and EXPIRE go in one pipeline (one round trip). When Redis is down or slow the limiter fails
open: scoring comments matters more than counting them. After a failure it stops asking Redis for
a few seconds, so an outage does not add a timeout to every request.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
import redis

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
BACKOFF_SECONDS = 5.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the window resets, when not allowed


class RateLimiter:
    def __init__(self, client: redis.Redis, limit: int, *, window: int = WINDOW_SECONDS, prefix: str = "perspective:rl") -> None:
        self.client = client
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self._skip_until = 0.0
        self._lock = threading.Lock()

    def hit(self, subject: str, now: float | None = None) -> Decision:
        if self.limit <= 0:
            return Decision(True)
        now = time.time() if now is None else now
        if time.monotonic() < self._skip_until:
            return Decision(True)
        window_start = int(now // self.window) * self.window
        key = f"{self.prefix}:{subject}:{window_start}"
        try:
            pipe = self.client.pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, self.window + 1)
            count, _ = pipe.execute()
        except (redis.RedisError, OSError) as error:
            with self._lock:
                self._skip_until = time.monotonic() + BACKOFF_SECONDS
            log.warning("rate limiter cannot reach Redis, letting requests through for %ss: %s", BACKOFF_SECONDS, error)
            return Decision(True)
        if count > self.limit:
            return Decision(False, retry_after=max(1, int(window_start + self.window - now + 0.999)))
        return Decision(True)
