"""Redis clients for the few things the web process asks Redis directly (rate limits, task dedup)."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


def redis_client(url: str, *, timeout: float) -> redis.Redis:
    """A client for redis://, rediss://, unix:// or our embedded server's redis+socket:///path.

    It does not retry: redis-py's default retries a refused connection for seconds, and every
    caller here would rather carry on without Redis at once.
    """
    options = dict(socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0))
    parts = urlsplit(url)
    if parts.scheme in ("redis+socket", "unix"):
        return redis.Redis(unix_socket_path=unquote(parts.path), **options)
    return redis.Redis.from_url(url, **options)
