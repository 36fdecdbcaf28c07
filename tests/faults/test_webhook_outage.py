"""The site's webhook endpoint down for an hour: half of it answering 503, half of it refusing
connections. Time runs a thousand times faster (a 5 ms first backoff for the default 5 s, so the
hour lasts 3.6 s), with enough retries to outlast it; once the endpoint is back every event
arrives, each exactly once."""
from __future__ import annotations

import time

import pytest

from invariants import Traffic, check_after_fault
from stack import wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
SPEED_UP = 1000
HOUR = 3600 / SPEED_UP
BACKOFF_BASE = 5.0 / SPEED_UP
# Retries needed so their backoff sum (BACKOFF_BASE * (2**n - 1)) outlasts the hour, with margin.
MAX_RETRIES = 14


def _post(traffic: Traffic, client, site, start: int, count: int) -> None:
    for i in range(start, start + count):
        assert traffic.post(client, site, str(i), f"{ABUSIVE if i % 4 == 0 else CIVIL} ({i})") == 202


def test_an_hour_long_webhook_outage_loses_and_repeats_no_event(stack, endpoint, record, tmp_path):
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    worker = stack.start_worker(tmp_path / "worker.log", WEBHOOK_BACKOFF_BASE=str(BACKOFF_BASE),
                                WEBHOOK_MAX_RETRIES=str(MAX_RETRIES))
    traffic = Traffic("webhook-outage")
    client = app.test_client()

    started = time.monotonic()
    endpoint.status = 503  # first half hour: the site's app is failing behind its proxy
    _post(traffic, client, site, 0, 30)
    # Each half lasts until the worker has met it at least once: on a loaded machine (the whole suite
    # beside it) the compressed 1.8 s could pass before the first batch was scored, and the logs then
    # had nothing of the outage to say.
    wait_for(lambda: endpoint.posts, timeout=60, what="the worker to meet the 503s")
    time.sleep(max(0.0, started + HOUR / 2 - time.monotonic()))
    endpoint.down()  # second half hour: nothing listens at all
    _post(traffic, client, site, 30, 30)
    # Refused, not merely reset: a POST caught as the listener closed is "Connection reset by peer".
    wait_for(lambda: "Connection refused" in worker.log(), timeout=60, what="the worker to meet the refusals")
    time.sleep(max(0.0, started + HOUR - time.monotonic()))
    answered_503 = len(endpoint.posts)
    endpoint.status = 200
    endpoint.up()

    check_after_fault(app, endpoint, traffic, logs=worker.log,
                      says=r"(?s)(?=.*site '[^']+' \(\d+\): its webhook endpoint failed \(HTTP 503\))"
                           r"(?=.*site '[^']+' \(\d+\): its webhook endpoint failed \(NewConnectionError.*Connection refused)",
                      record=record, timeout=60,
                      extra=f"answered 503={answered_503}, "
                            f"connections refused={worker.log().count('failed (NewConnectionError')}")
    assert set(endpoint.accepted_per_delivery().values()) == {1}, "an event was taken in twice"
