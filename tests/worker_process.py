"""A real `celery worker` process for a test (tests/conftest.py's `start_worker`)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from process_tree import kill_tree

from moderation.parent_death import stop_with

if TYPE_CHECKING:
    from conftest import Services

REPO = Path(__file__).resolve().parents[1]


class Worker:
    """A real `celery worker` process against the test PostgreSQL and Redis."""

    ready_within = 120.0  # seconds; see start()

    def __init__(self, services: Services, log_path: Path, queues: str = "moderation,webhooks", *,
                 entry: str = "workers.entry", pool: str | None = None, **env: str) -> None:
        self.services = services
        self.entry = entry  # the Celery app module: a test may start one built differently
        self.log_path = log_path
        self.queues = queues  # "training" for the trainer
        self.pool = pool  # "threads" for the webhook worker, as `moderation up` runs it
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self, *, beat: bool = False) -> "Worker":
        argv = [sys.executable, "-m", "celery", "-A", self.entry, "worker", "--loglevel", "INFO",
                "--concurrency", "4" if self.pool == "threads" else "1", "-Q", self.queues, "--without-gossip",
                "--without-mingle", *(["--pool", self.pool] if self.pool else [])]
        if beat:
            argv += ["--beat", "--schedule", str(self.log_path.with_suffix(".beat"))]
        self.log = open(self.log_path, "ab")
        # Ended with this test process, whatever becomes of it: a run's workers left behind (their test
        # directory deleted) reconnected to the next run's Redis at the same socket path and took its
        # tasks, 32 tests failing.
        self.proc = subprocess.Popen(argv, cwd=REPO, env=self.services.env(**self.env),
                                     stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=stop_with(os.getpid()))
        # Two minutes: at a load of 10 a worker took more than one to say it was ready. One that is
        # not ready by then is killed before the test fails: left to start later, it took the next
        # tests' tasks from this process's Redis, and eight more tests failed.
        deadline = time.monotonic() + self.ready_within
        while b" ready." not in self.log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                kill_tree(self.proc)
                raise RuntimeError("worker did not start:\n" + self.log_path.read_text()[-3000:])
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL, pool and beat too: how a test's workers end once it is over. A warm shutdown
        took 3-5 s per worker (billiard's pool waits a second per process on exit), up to 20 s
        with a training task running, and the next test empties the database and Redis anyway."""
        if self.proc and self.proc.poll() is None:
            kill_tree(self.proc)
        self.proc = None
