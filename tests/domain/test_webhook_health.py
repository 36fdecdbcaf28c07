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


def test_a_failing_endpoint_is_tried_by_one_task_at_a_time_and_once_a_wait():
    """Each event of a hanging site, retried by a task of its own, held a webhook thread for the
    whole timeout every round: 30 events filled the 8 threads, and other sites' webhooks waited."""
    clock = Clock()
    health = EndpointHealth(clock=clock)
    assert health.may_post(1, wait=5, probe_for=11) and health.may_post(1, wait=5, probe_for=11)  # never failed
    health.record(1, ok=False, seconds=5.0)
    assert not health.may_post(1, wait=5, probe_for=11)  # failed just now
    clock.now += 5
    assert health.may_post(1, wait=5, probe_for=11)  # this one probes...
    assert not health.may_post(1, wait=5, probe_for=11)  # ...and the others wait for its answer
    clock.now += 11
    assert health.may_post(1, wait=5, probe_for=11)  # a probe never answered is given up
    health.record(1, ok=True, seconds=0.1)
    assert health.may_post(1, wait=5, probe_for=11) and health.may_post(1, wait=5, probe_for=11)


def test_a_batch_goes_to_fast_sites_first_and_failing_ones_last():
    health = EndpointHealth(clock=Clock())
    health.record(1, ok=False, seconds=5.0)
    health.record(2, ok=True, seconds=0.05)
    assert sorted([1, 3, 2], key=health.order) == [2, 3, 1]
