"""Which sites' webhook events the scoring task may POST itself: those whose endpoint answered fast lately."""
from __future__ import annotations

from moderation.domain.webhook_health import EndpointHealth


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_site_is_healthy_only_after_a_fast_success_and_only_for_a_while():
    clock = Clock()
    health = EndpointHealth(fast_within=0.5, remember_for=60, clock=clock)
    assert not health.healthy(1)  # never delivered to: the task finds out first

    health.record(1, ok=True, seconds=0.02)
    assert health.healthy(1) and not health.healthy(2)

    clock.now += 61
    assert not health.healthy(1)  # not delivered to lately: by task again


def test_a_failure_or_a_slow_answer_makes_it_unhealthy_until_a_fast_success():
    health = EndpointHealth(fast_within=0.5, clock=Clock())
    health.record(1, ok=True, seconds=0.02)
    health.record(1, ok=False, seconds=0.01)
    assert not health.healthy(1)

    health.record(1, ok=True, seconds=0.8)
    assert not health.healthy(1)

    health.record(1, ok=True, seconds=0.1)
    assert health.healthy(1)
