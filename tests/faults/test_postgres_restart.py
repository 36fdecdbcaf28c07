"""PostgreSQL restarted during a burst of posts: posts during the outage are refused (never a
202 for a comment not stored), and every comment accepted is scored and announced exactly once."""
from __future__ import annotations

import logging
import threading
import time

import pytest

from invariants import Traffic, check_after_fault
from stack import Stack, wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
BEFORE, DURING, AFTER = 150, 30, 150  # posts before, at least during, and after the outage
# What a post may be answered while the database is down: 503 with Retry-After, never a 500.
OUTAGE_CODES = {503}


def test_a_postgres_restart_during_a_burst_loses_and_repeats_nothing(stack: Stack, endpoint, record, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    worker = stack.start_worker(tmp_path / "worker.log", beat=True, SWEEP_INTERVAL="1", PENDING_RESEND_AFTER="1",
                                WEBHOOK_RESEND_AFTER="2")
    traffic = Traffic("postgres-restart")
    client = app.test_client()
    outage, after = Traffic("during the outage"), Traffic("after the restart")
    going_down = threading.Event()
    back = threading.Event()

    def restart() -> None:
        going_down.set()
        stack.stop_postgres()  # while posts keep coming: some are cut mid-request
        # Down until posts have met the outage and the worker has too (its sweep runs every second).
        wait_for(lambda: outage.sent >= DURING and "OperationalError" in worker.log(), timeout=60,
                 what="posts and the worker to meet the outage")
        stack.start_postgres()
        back.set()

    restarter = threading.Thread(target=restart)
    i = 0
    while after.sent < AFTER:
        if i == BEFORE:
            restarter.start()
        phase = after if back.is_set() else outage if going_down.is_set() else None
        code = traffic.post(client, site, str(i), f"{ABUSIVE if i % 4 == 0 else CIVIL} ({i})")
        if phase is not None:
            phase.codes[code] += 1
            if phase is outage:
                time.sleep(0.01)  # a site's pace, not a tight loop of refusals
        i += 1
    restarter.join()

    assert outage.sent >= DURING
    assert set(outage.codes) <= OUTAGE_CODES | {202}, outage.codes
    assert set(after.codes) == {202}, f"the API did not recover once PostgreSQL was back: {after.codes}"
    api_log = "\n".join(f"{r.levelname} {r.getMessage()} {r.exc_info[1]!r}" for r in caplog.records if r.exc_info)
    check_after_fault(app, endpoint, traffic, logs=lambda: worker.log() + api_log,
                      says=r"(ERROR|WARNING|retry: Retry).*OperationalError",
                      record=record, timeout=60,
                      extra=f"while stopping or down={dict(outage.codes)}, after={dict(after.codes)}")
