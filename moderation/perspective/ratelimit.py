"""A per-key limit of requests per minute in Redis, as a token bucket (GCRA): one round trip per request.

A key may spend a minute's allowance at once, and it comes back steadily (limit/60 a second). A fixed
window on the clock's minutes, as this was, refused a burst for the rest of its minute: an
integrator's 20 clients spent 6,000 in 14 s and were refused for 46 s, and Coral publishes a comment
unscored on any error. Now the same burst is refused only until its allowance trickles back, and
no 60 s ever lets through more than twice the limit (as the fixed window did too, across its edge).

One Lua script reads and writes the key's "theoretical arrival time": atomic across web processes.
When Redis is down or slow the limiter fails open: scoring comments matters more than counting
them. After a failure it stops asking Redis for a few seconds, so an outage does not add a timeout
to every request.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

import redis

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
BACKOFF_SECONDS = 5.0


# KEYS[1]: the key's arrival time; ARGV: now, seconds per request, seconds of burst (a minute's
# worth). Returns 0 when allowed, else the milliseconds until the next request would be.
_GCRA = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local allow_at = tat + interval - burst
if now < allow_at then
  return math.ceil((allow_at - now) * 1000)
end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil((tat + interval - now) * 1000) + 1000)
return 0
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # whole seconds until a request would be allowed, when not allowed


class RateLimiter:
    def __init__(self, client: redis.Redis, limit: int, *, window: int = WINDOW_SECONDS, prefix: str = "perspective:rl") -> None:
        self.client = client
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self._skip_until = 0.0
        self._lock = threading.Lock()
        self._script = client.register_script(_GCRA)  # EVALSHA, loaded on first use

    def hit(self, subject: str, now: float | None = None) -> Decision:
        if self.limit <= 0:
            return Decision(True)
        now = time.time() if now is None else now
        if time.monotonic() < self._skip_until:
            return Decision(True)
        try:
            wait_ms = int(self._script(keys=[f"{self.prefix}:{subject}"],
                                       args=[repr(now), repr(self.window / self.limit), repr(float(self.window))]))
        except (redis.RedisError, OSError) as error:
            with self._lock:
                self._skip_until = time.monotonic() + BACKOFF_SECONDS
            log.warning("rate limiter cannot reach Redis, letting requests through for %ss: %s", BACKOFF_SECONDS, error)
            return Decision(True)
        if wait_ms > 0:
            return Decision(False, retry_after=max(1, math.ceil(wait_ms / 1000)))
        return Decision(True)
