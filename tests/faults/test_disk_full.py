"""The var directory's disk full: PostgreSQL and Redis of their own on a small tmpfs, filled to the
last byte while a site posts. No comment is answered 202 unless it was stored, and once space is
freed every comment accepted is scored and announced exactly once."""
from __future__ import annotations

import errno
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from invariants import Traffic, check_after_fault
from site_endpoint import SiteEndpoint
from stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(os.geteuid() != 0, reason="mounting the small tmpfs that stands for the var disk needs root"),
]

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
DISK_SIZE = "160m"  # room for a fresh PostgreSQL cluster (with its 16 MB WAL segments) and Redis
# What a post may be answered while the disk is full: 202 for what was stored, else 503 with
# Retry-After; never a 500.
FULL_DISK_CODES = {202, 503}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def full_disk_stack(small_disk: Path) -> Iterator[Stack]:
    stack = Stack(small_disk / "var")
    try:
        yield stack
    finally:
        stack.close()


def fill(disk: Path) -> Path:
    """Write a file until the disk refuses another byte."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as f:
        for chunk in (1 << 20, 1 << 12, 1):
            block = b"\0" * chunk
            while True:
                try:
                    f.write(block)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return filler


def _redis_state(stack: Stack) -> str:
    """Redis's own account of its files: a write error it never cleared stops every task."""
    try:
        info = stack.redis().info("persistence")
    except Exception as error:  # noqa: BLE001 - this only annotates a failure
        return f"redis: {error!r}"
    keys = ("aof_last_write_status", "aof_last_bgrewrite_status", "rdb_last_bgsave_status")
    return "redis: " + ", ".join(f"{k}={info.get(k)}" for k in keys)


def test_a_full_disk_never_accepts_a_comment_it_did_not_store_and_loses_nothing_once_freed(
    full_disk_stack: Stack, small_disk: Path, record, tmp_path, caplog
):
    caplog.set_level(logging.WARNING)
    stack = full_disk_stack
    app = stack.app()
    traffic, during = Traffic("disk-full"), Traffic("while full")
    with SiteEndpoint() as endpoint:
        site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
        endpoint.secret = site.webhook_secret
        worker = stack.start_worker(tmp_path / "worker.log", beat=True, SWEEP_INTERVAL="1",
                                    PENDING_RESEND_AFTER="1", WEBHOOK_RESEND_AFTER="2")
        client = app.test_client()

        def post(i: int) -> int:
            return traffic.post(client, site, str(i), f"{ABUSIVE if i % 4 == 0 else CIVIL} ({i}) " + "words " * 300)

        for i in range(20):
            post(i)
        filler = fill(small_disk)
        for i in range(20, 80):
            during.codes[post(i)] += 1
        os.unlink(filler)
        # Redis answers MISCONF while it cannot write its append-only file; the worker must wait
        # that out (broker_channel_error_retry), not exit as Celery does by default.
        assert worker.proc.poll() is None, "the worker exited on a full disk:\n" + worker.log()[-1500:]
        for i in range(80, 100):
            post(i)

        assert set(during.codes) <= FULL_DISK_CODES, during.codes
        api_log = "\n".join(f"{r.levelname} {r.getMessage()}" + (f" {r.exc_info[1]!r}" if r.exc_info else "")
                            for r in caplog.records)
        # The service's own logs, the worker's read after the wait (so a worker that never catches
        # up shows what it said meanwhile), then whether Redis still refuses writes.
        check_after_fault(app, endpoint, traffic,
                          logs=lambda: api_log + "\n" + worker.log() + "\n" + _redis_state(stack), says=r"No space left on device", record=record,
                          timeout=90, extra=f"while full={dict(during.codes)}")
