"""Redis up but refusing writes, as it does when its disk is full (MISCONF: it cannot write its
append-only file). Here the refusal is made on purpose, with `min-replicas-to-write` (NOREPLICAS),
so it does not depend on timing: the worker must wait it out and carry on, not exit."""
from __future__ import annotations

import pytest

from invariants import Traffic, check_after_fault
from stack import Stack, wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."


def test_a_worker_outlives_redis_refusing_writes(stack: Stack, endpoint, record, tmp_path):
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    worker = stack.start_worker(tmp_path / "worker.log", beat=True, SWEEP_INTERVAL="1", PENDING_RESEND_AFTER="1",
                                WEBHOOK_RESEND_AFTER="2")
    traffic = Traffic("redis-refusing-writes")
    client = app.test_client()
    for i in range(10):
        assert traffic.post(client, site, str(i), f"{CIVIL} ({i})") == 202

    stack.redis().config_set("min-replicas-to-write", 1)
    try:
        for i in range(10, 20):  # stored, but their tasks cannot be queued: the sweep scores them later
            assert traffic.post(client, site, str(i), f"{CIVIL} ({i})") == 202
        # The consumer itself must meet it (its next BRPOP is a write): other parts of the worker
        # (beat's sends) may log NOREPLICAS first, and lifting the refusal then was a race.
        wait_for(lambda: "Connection to broker lost" in worker.log() or worker.proc.poll() is not None, timeout=30,
                 what="the worker's consumer to meet the refusal")
    finally:
        stack.redis().config_set("min-replicas-to-write", 0)
    wait_for(lambda: worker.log().count("Connected to redis") >= 2 or worker.proc.poll() is not None,
             timeout=30, what="the worker to reconnect or exit")
    assert worker.proc.poll() is None, "the worker exited when Redis refused writes:\n" + worker.log()[-1500:]

    for i in range(20, 30):
        assert traffic.post(client, site, str(i), f"{CIVIL} ({i})") == 202
    check_after_fault(app, endpoint, traffic, logs=worker.log, says=r"(?s)WARNING.*Connection to broker lost.*NOREPLICAS",
                      record=record, timeout=60)
    assert worker.proc.poll() is None
