"""The per-key limiter: a fixed one-minute window in Redis that lets traffic through when Redis is gone."""
from __future__ import annotations

from moderation.config import Config
from moderation.perspective.ratelimit import RateLimiter
from moderation.redis_client import redis_client

SOCKET_TIMEOUT = Config().REDIS_COUNTER_TIMEOUT
# Where Redis is up: a test machine busy with other tests can keep it from answering in 50 ms,
# and the limiter would then let the request through, as it should, but not as the test means.
LIVE_TIMEOUT = 2.0


def test_it_counts_each_key_in_its_own_window_and_resets_each_minute(services):
    services.redis().flushall()
    limiter = RateLimiter(redis_client(services.redis_url, timeout=LIVE_TIMEOUT), limit=2)
    minute = 1_800_000_000.0  # a window boundary

    assert [limiter.hit("a", now=minute + 1).allowed for _ in range(3)] == [True, True, False]
    assert limiter.hit("a", now=minute + 45).retry_after == 15
    assert limiter.hit("b", now=minute + 45).allowed
    assert limiter.hit("a", now=minute + 60).allowed


def test_it_reads_every_redis_url_the_service_may_be_given(tmp_path):
    socket_client = redis_client(f"redis+socket://{tmp_path}/redis.sock", timeout=SOCKET_TIMEOUT)
    tcp_client = redis_client("redis://127.0.0.1:6390/2", timeout=SOCKET_TIMEOUT)

    assert socket_client.connection_pool.connection_kwargs["path"] == f"{tmp_path}/redis.sock"
    assert tcp_client.connection_pool.connection_kwargs["port"] == 6390
    assert tcp_client.connection_pool.connection_kwargs["socket_timeout"] < 1


def test_it_lets_requests_through_when_redis_is_unreachable(tmp_path):
    limiter = RateLimiter(redis_client(f"redis+socket://{tmp_path}/absent.sock", timeout=SOCKET_TIMEOUT), limit=1)

    assert all(limiter.hit("a").allowed for _ in range(5))
