"""The per-key limiter: a token bucket in Redis, a minute's allowance at once and refilled steadily, that
lets traffic through when Redis is gone."""
from __future__ import annotations

import time

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


class _Answers:
    """A Redis client whose limiter script answers from a list: a number of milliseconds to wait, or an error."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.asked = 0

    def register_script(self, _source):
        def run(**_kwargs):
            self.asked += 1
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return run


def test_one_slow_answer_lets_its_request_through_and_limiting_goes_on(caplog):
    """A migrating site's walk: under the burst the limit is for, one Redis answer past 50 ms stopped all
    limiting for 5 s, logged as Redis unreachable, though Redis was up."""
    import redis

    client = _Answers(0, redis.TimeoutError("Timeout reading from socket"), 1500, 1500)
    limiter = RateLimiter(client, limit=60)
    assert [limiter.hit("a").allowed for _ in range(4)] == [True, True, False, False]
    assert client.asked == 4  # nobody stopped asking
    assert "answered later than its timeout" in caplog.text and "cannot reach" not in caplog.text


def test_slow_answers_in_a_row_stop_asking_for_a_second_only():
    import redis

    client = _Answers(*[redis.TimeoutError("slow")] * 3, 1500)
    limiter = RateLimiter(client, limit=60)
    start = time.monotonic()
    assert all(limiter.hit("a").allowed for _ in range(10))
    assert client.asked == 3  # the three slow ones, then none while paused
    while time.monotonic() < start + 1.5:
        time.sleep(0.1)
    assert not limiter.hit("a").allowed and client.asked == 4  # asking again, and limiting
