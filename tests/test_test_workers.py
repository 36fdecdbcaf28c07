"""The suite's own worker processes: one that fails a test must not outlive it."""
from __future__ import annotations

import psutil
import pytest

from worker_process import Worker


def test_a_worker_not_ready_in_time_is_killed_before_the_test_fails(services, tmp_path, monkeypatch):
    """Left to start after its test gave up, a worker took the next tests' tasks from the same Redis
    (a fresh clone at a load of 10: one worker too slow to start, eight more tests failed)."""
    monkeypatch.setattr(Worker, "ready_within", 0.2)  # no worker is ready a fifth of a second after it starts
    worker = Worker(services, tmp_path / "worker.log")
    with pytest.raises(RuntimeError, match="worker did not start"):
        worker.start()
    assert worker.proc.poll() is not None
    assert not psutil.pid_exists(worker.proc.pid) or psutil.Process(worker.proc.pid).status() == psutil.STATUS_ZOMBIE
