"""The per-key limiter: a token bucket in Redis, a minute's allowance at once and refilled steadily, that
lets traffic through when Redis is gone."""
from __future__ import annotations

from moderation.config import Config
from moderation.perspective.ratelimit import RateLimiter
from moderation.redis_client import redis_client

SOCKET_TIMEOUT = Config().REDIS_COUNTER_TIMEOUT
# Where Redis is up: a test machine busy with other tests can keep it from answering in 50 ms,
# and the limiter would then let the request through, as it should, but not as the test means.
LIVE_TIMEOUT = 2.0


def test_each_key_may_spend_its_minute_at_once_and_gets_it_back_steadily(services):
    services.redis().flushall()
    limiter = RateLimiter(redis_client(services.redis_url, timeout=LIVE_TIMEOUT), limit=2)  # one per 30 s
    start = 1_800_000_000.0

    assert [limiter.hit("a", now=start).allowed for _ in range(3)] == [True, True, False]
    assert limiter.hit("a", now=start + 1).retry_after == 29  # until one request's worth is back
    assert limiter.hit("b", now=start + 1).allowed  # each key its own
    assert [limiter.hit("a", now=start + 30).allowed for _ in range(2)] == [True, False]
    assert [limiter.hit("a", now=start + 120).allowed for _ in range(3)] == [True, True, False]  # never more than a minute's


def test_a_burst_is_refused_only_until_its_allowance_trickles_back(services):
    """An integrator's 20 clients spent 6,000 requests in 14 s; the fixed window on the clock's minute
    then refused every request for 46 s, and Coral publishes a comment unscored on any error."""
    services.redis().flushall()
    limiter = RateLimiter(redis_client(services.redis_url, timeout=LIVE_TIMEOUT), limit=6000)  # 100 a second
    start = 1_800_000_010.0
    spent = sum(limiter.hit("site", now=start + i * 14 / 8000).allowed for i in range(8000))
    refused = limiter.hit("site", now=start + 14 * 7999 / 8000)  # at once after the last

    assert 7390 <= spent <= 7401  # the minute's 6,000 and the 1,400 that came back meanwhile
    assert not refused.allowed and refused.retry_after == 1
    assert 600 <= sum(limiter.hit("site", now=start + 20).allowed for _ in range(700)) <= 601  # six seconds' worth


def test_it_reads_every_redis_url_the_service_may_be_given(tmp_path):
    socket_client = redis_client(f"redis+socket://{tmp_path}/redis.sock", timeout=SOCKET_TIMEOUT)
    tcp_client = redis_client("redis://127.0.0.1:6390/2", timeout=SOCKET_TIMEOUT)

    assert socket_client.connection_pool.connection_kwargs["path"] == f"{tmp_path}/redis.sock"
    assert tcp_client.connection_pool.connection_kwargs["port"] == 6390
    assert tcp_client.connection_pool.connection_kwargs["socket_timeout"] < 1


def test_it_lets_requests_through_when_redis_is_unreachable(tmp_path):
    limiter = RateLimiter(redis_client(f"redis+socket://{tmp_path}/absent.sock", timeout=SOCKET_TIMEOUT), limit=1)

    assert all(limiter.hit("a").allowed for _ in range(5))
