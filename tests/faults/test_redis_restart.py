"""Redis restarted twice: under a running worker, and with scoring tasks queued behind a stopped
one. Its append-only file keeps those tasks, and every comment is scored and announced once."""
from __future__ import annotations

import pytest

from invariants import Traffic, check_after_fault, wait_until_settled
from stack import Stack, wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
QUEUE = "moderation"  # the Celery queue's list in Redis


def _post(traffic: Traffic, client, site, start: int, count: int) -> None:
    for i in range(start, start + count):
        assert traffic.post(client, site, str(i), f"{ABUSIVE if i % 5 == 0 else CIVIL} ({i})") == 202


def test_a_redis_restart_loses_no_queued_task_and_repeats_nothing(stack: Stack, endpoint, record, tmp_path):
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    traffic = Traffic("redis-restart")
    client = app.test_client()

    # 1. Under a running worker: posts while Redis is down are still accepted (the sweep scores them).
    running = stack.start_worker(tmp_path / "worker0.log", beat=True, SWEEP_INTERVAL="1", PENDING_RESEND_AFTER="1",
                                 WEBHOOK_RESEND_AFTER="2")
    _post(traffic, client, site, 0, 30)
    stack.stop_redis()
    _post(traffic, client, site, 30, 20)
    # Redis stays down until the worker has seen it go. Restarted at once, it could be back before a
    # busy worker next read the broker (its only sign was a failed ack), and the check below, run
    # after the restart, waited for a log line that never came. Down, Redis is seen at the latest by
    # kombu's checks every 10 and 25 s; it is usually seen within a second, but once, in a full
    # suite's run, not within 60 s (that log was lost: a timeout now prints the worker's).
    wait_for(lambda: "Connection to broker lost" in running.log(), timeout=120, what="the worker to notice",
             log=running.log)
    stack.start_redis()
    _post(traffic, client, site, 50, 30)
    wait_for(lambda: running.log().count("Connected to redis") >= 2 or running.proc.poll() is not None,
             timeout=30, what="the worker to reconnect or die")
    assert running.proc.poll() is None, "the worker died when Redis restarted:\n" + running.log()[-2000:]
    wait_until_settled(app, endpoint, timeout=60)
    running.stop()

    # 2. Tasks queued behind a stopped worker survive a restart; no sweep runs, so only they can score these.
    _post(traffic, client, site, 80, 100)
    queued = stack.redis().llen(QUEUE)
    assert queued >= 1
    stack.stop_redis()
    stack.start_redis()
    assert stack.redis().llen(QUEUE) == queued, "Redis lost queued tasks in a restart"
    after = stack.start_worker(tmp_path / "worker1.log")
    check_after_fault(app, endpoint, traffic, logs=lambda: running.log() + after.log(),
                      says=r"WARNING.*Connection to broker lost", record=record, timeout=60,
                      extra=f"tasks queued across the restart={queued}")
