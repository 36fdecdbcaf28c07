"""kill -9 a worker in the middle of a scoring batch: first its pool process, then the whole
worker; a new worker takes over and every comment is scored and announced exactly once."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from invariants import Traffic, check_after_fault
from stack import Stack, wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
# Held comments are explained as well as scored, which makes a batch long enough to kill it mid-way.
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
COMMENTS = 300
BATCH = 75


def _scored(stack: Stack) -> int:
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        count = conn.scalar(text("SELECT count(*) FROM comments WHERE status <> 'pending'"))
    engine.dispose()
    return count


def _mid_batch(stack: Stack):
    """True while a worker holds claimed rows (FOR UPDATE gives its transaction an id) and has not committed."""
    engine = create_engine(stack.database_url)

    def check() -> bool:
        with engine.connect() as conn:
            return bool(conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction' AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")))

    return check


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(stack: Stack, endpoint, record, tmp_path):
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    traffic = Traffic("kill-worker")
    client = app.test_client()
    for i in range(COMMENTS):
        traffic.post(client, site, str(i), f"{ABUSIVE if i % 3 else CIVIL} ({i})")
    mid_batch = _mid_batch(stack)

    first = stack.start_worker(tmp_path / "worker0.log", SCORE_BATCH_SIZE=str(BATCH))
    wait_for(mid_batch, timeout=60, what="a scoring batch in progress", interval=0.01)
    [child] = first.pool_children()
    child.kill()  # the pool process: its main process sees it die and redelivers the task
    wait_for(lambda: "SIGKILL" in first.log(), timeout=30, what="the worker to notice its pool process died")
    # Let the respawned pool commit a batch, so the crash also catches its webhooks in flight.
    wait_for(lambda: _scored(stack) >= BATCH, timeout=60, what="a batch scored after the respawn")
    wait_for(mid_batch, timeout=60, what="the next scoring batch", interval=0.01)
    scored_before_crash = _scored(stack)
    first.kill()  # now the whole worker, main process and all, mid-batch

    # A worker started after the crash: the sweep scores what the dead one held and resends its webhooks.
    second = stack.start_worker(tmp_path / "worker1.log", beat=True, SCORE_BATCH_SIZE=str(BATCH),
                                SWEEP_INTERVAL="1", PENDING_RESEND_AFTER="1", WEBHOOK_RESEND_AFTER="1")
    check_after_fault(app, endpoint, traffic, logs=lambda: first.log() + second.log(),
                      says=r"(?i)ForkPoolWorker.*exited with 'signal 9 \(SIGKILL\)'", record=record, timeout=45,
                      extra=f"scored before the crash={scored_before_crash}")
