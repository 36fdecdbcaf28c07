"""Counting failed attempts (sign-ins, API key checks) per subject in fixed windows, in Redis.

Why Redis and not PostgreSQL: a guessing attack is many failures a second, and each would be a
write transaction (and dead tuples to vacuum) in the database every other request needs, while
Redis counts with one pipelined INCR+EXPIRE and forgets on its own when the window ends. The
web processes already talk to Redis for the Perspective rate limit.

When Redis is down or slow the counts move to this process's memory for a few seconds at a time:
guessing stays limited (per process instead of across processes) and no one is locked out by an
outage. Checks come before argon2, so a limited subject costs a Redis round trip, not a hash.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Mapping

import redis

log = logging.getLogger(__name__)

BACKOFF_SECONDS = 5.0


# A key that passed its check is let past its id's lockout for this long (AttemptLimiter.vouch).
VOUCH_SECONDS = 7 * 24 * 3600


class AttemptLimiter:
    """`limits` maps a subject kind ("user", "addr", ...) to the failures it may have per window."""

    def __init__(self, client: redis.Redis | None, *, limits: Mapping[str, int], window: int, prefix: str,
                 secret: bytes = b"") -> None:
        self.client = client
        self.secret = hashlib.sha256(secret).digest()  # blake2b takes a key of at most 64 bytes
        self.limits = dict(limits)
        self.window = window
        self.prefix = prefix
        self._memory: dict[str, int] = {}
        self._lock = threading.Lock()
        self._skip_redis_until = 0.0

    def _key(self, kind: str, value: str, window_start: int) -> str:
        # The subject as a keyed digest, never as typed: a password typed into the username box was a
        # Redis key name, kept in its append-only file on disk (a security review).
        digest = hashlib.blake2b(f"{kind}:{value}".encode("utf-8", "surrogatepass"), key=self.secret,
                                 digest_size=16).hexdigest()
        return f"{self.prefix}:{kind}:{digest}:{window_start}"

    def _subjects(self, subjects: Mapping[str, str | None]) -> list[tuple[str, str]]:
        return [(kind, value) for kind, value in subjects.items() if value and self.limits.get(kind, 0) > 0]

    def _redis(self) -> redis.Redis | None:
        return self.client if self.client is not None and time.monotonic() >= self._skip_redis_until else None

    def _redis_failed(self, error: Exception) -> None:
        self._skip_redis_until = time.monotonic() + BACKOFF_SECONDS
        log.warning("attempt limiter cannot reach Redis, counting in this process for %ss: %s", BACKOFF_SECONDS, error)

    def _counts(self, keys: list[str]) -> list[int]:
        client = self._redis()
        if client is not None:
            try:
                return [int(v or 0) for v in client.mget(keys)]
            except (redis.RedisError, OSError) as error:
                self._redis_failed(error)
        with self._lock:
            return [self._memory.get(k, 0) for k in keys]

    def failures(self, subjects: Mapping[str, str | None], now: float | None = None) -> tuple[dict[str, int], int]:
        """Each counted subject's failures in this window (one round trip), and the seconds until it ends."""
        now = time.time() if now is None else now
        window_start = int(now // self.window) * self.window
        pairs = self._subjects(subjects)
        counts = self._counts([self._key(kind, value, window_start) for kind, value in pairs]) if pairs else []
        return {kind: count for (kind, _), count in zip(pairs, counts)}, max(1, int(window_start + self.window - now + 0.999))

    def retry_after(self, subjects: Mapping[str, str | None], now: float | None = None) -> int:
        """Seconds until every subject may try again; 0 when none has used up its failures."""
        counts, left = self.failures(subjects, now)
        return left if any(count >= self.limits[kind] for kind, count in counts.items()) else 0

    def failed(self, subjects: Mapping[str, str | None], now: float | None = None) -> list[str]:
        """Count one failure for each subject; returns the kinds that reached their limit just now."""
        now = time.time() if now is None else now
        window_start = int(now // self.window) * self.window
        pairs = self._subjects(subjects)
        keys = [self._key(kind, value, window_start) for kind, value in pairs]
        counts = self._increment(keys)
        return [kind for (kind, _), count in zip(pairs, counts) if count == self.limits[kind]]

    def forgive(self, subjects: Mapping[str, str | None], now: float | None = None) -> bool:
        """Forget this window's failures of these subjects: an admin who gives a locked-out user a new
        password means them to sign in with it now, not in a quarter of an hour. False when Redis,
        which holds the counts every process shares, could not be reached."""
        now = time.time() if now is None else now
        window_start = int(now // self.window) * self.window
        keys = [self._key(kind, value, window_start) for kind, value in self._subjects(subjects)]
        # Tried even while counting in this process: a lockout an admin lifts should not stay.
        reached = self.client is None or not keys
        if not reached:
            try:
                self.client.delete(*keys)
                reached = True
            except (redis.RedisError, OSError) as error:
                self._redis_failed(error)
        with self._lock:
            for key in keys:
                self._memory.pop(key, None)
        return reached

    def vouch(self, token: str) -> None:
        """Remember, for VOUCH_SECONDS and in every process, that `token` (a digest of a whole secret
        that just passed its check) is its holder's: vouched() lets it past a lockout its id's
        guessers caused. It lets nothing past the check itself, so a forged entry buys no access."""
        key = f"{self.prefix}:good:{token}"
        client = self._redis()
        if client is not None:
            try:
                client.set(key, "1", ex=VOUCH_SECONDS)
                return
            except (redis.RedisError, OSError) as error:
                self._redis_failed(error)
        with self._lock:
            if len(self._memory) > 100_000:
                self._memory.clear()
            self._memory[key] = 1

    def vouched(self, token: str) -> bool:
        return bool(self._counts([f"{self.prefix}:good:{token}"])[0])

    def _increment(self, keys: Iterable[str]) -> list[int]:
        keys = list(keys)
        client = self._redis()
        if client is not None:
            try:
                pipe = client.pipeline(transaction=False)
                for key in keys:
                    pipe.incr(key)
                    pipe.expire(key, self.window + 1)
                return [int(v) for v in pipe.execute()[::2]]
            except (redis.RedisError, OSError) as error:
                self._redis_failed(error)
        with self._lock:
            if len(self._memory) > 100_000:  # old windows are never read again; keep memory bounded
                self._memory.clear()
            for key in keys:
                self._memory[key] = self._memory.get(key, 0) + 1
            return [self._memory[key] for key in keys]
