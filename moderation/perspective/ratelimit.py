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

from moderation.log_throttle import EveryFewSeconds

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
BACKOFF_SECONDS = 5.0
# Redis answering later than REDIS_COUNTER_TIMEOUT is not Redis gone: on a machine saturated by the
# very burst the limit is for, one slow answer stopped all limiting for 5 s and logged that Redis
# could not be reached (a migrating site's walk: Redis was up throughout). A slow answer lets its own
# request through; only this many in a row stop asking, and for a second.
SLOW_IN_A_ROW = 3
SLOW_BACKOFF_SECONDS = 1.0
LOG_EVERY_SECONDS = 10.0


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
        self._slow_in_a_row = 0
        self._lines = EveryFewSeconds(LOG_EVERY_SECONDS)
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
        except redis.TimeoutError:
            with self._lock:
                self._slow_in_a_row += 1
                pause = SLOW_BACKOFF_SECONDS if self._slow_in_a_row >= SLOW_IN_A_ROW else 0.0
                if pause:
                    self._skip_until, self._slow_in_a_row = time.monotonic() + pause, 0
            self._log("rate limiter: Redis answered later than its timeout (REDIS_COUNTER_TIMEOUT; a busy machine "
                      "or a stalled Redis); letting the request through" + (f", and all for {pause:g}s" if pause else ""))
            return Decision(True)
        except (redis.RedisError, OSError) as error:
            with self._lock:
                self._skip_until = time.monotonic() + BACKOFF_SECONDS
            self._log(f"rate limiter cannot reach Redis, letting requests through for {BACKOFF_SECONDS:g}s: {error}")
            return Decision(True)
        self._slow_in_a_row = 0
        if wait_ms > 0:
            return Decision(False, retry_after=max(1, math.ceil(wait_ms / 1000)))
        return Decision(True)

    def _log(self, message: str) -> None:
        """One line, then at most one every LOG_EVERY_SECONDS counting those not written."""
        tally = self._lines.note()
        if tally is not None:
            unlogged = tally.total() - 1
            log.warning("%s%s", message, f" ({unlogged} more since the last line)" if unlogged else "")
