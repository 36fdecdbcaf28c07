"""Start the real service for a benchmark: embedded PostgreSQL and Redis in a temporary directory,
migrations, gunicorn, and optionally a Celery worker. Loopback only; everything stops on exit."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import requests

# BENCH_TREE: another checkout's service (a base commit's worktree), driven by this bench's code
# (bench/cross_site.py --trees runs itself once per tree).
REPO = Path(os.environ.get("BENCH_TREE") or Path(__file__).resolve().parents[1]).resolve()
# The benchmark's webhook receiver listens on http://127.0.0.1, which production refuses.
LOCAL_WEBHOOKS = {"WEBHOOK_ALLOW_HTTP": "1", "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}
sys.path.insert(0, str(REPO))

from moderation.celery_app import SCORING_QUEUE, WEBHOOK_QUEUE  # noqa: E402
from moderation.cli.service_commands import web_argv, worker_argv  # noqa: E402
from moderation.config import Config  # noqa: E402
from moderation.embedded import embedded_servers  # noqa: E402


@dataclass
class Stack:
    base_url: str
    api_key: str
    webhook_secret: str
    database_url: str
    var_dir: Path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _create_site(database_url: str, name: str, webhook_url: str | None) -> tuple[str, str]:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from moderation.domain.sites import create_site
    from moderation.domain.webhook_urls import UrlPolicy

    engine = create_engine(database_url)
    with Session(engine) as session:
        new = create_site(session, name, webhook_url=webhook_url, url_policy=UrlPolicy.from_config(LOCAL_WEBHOOKS))
        session.commit()
        key, secret = new.api_key, new.webhook_secret
    engine.dispose()
    return key, secret


@contextmanager
def running_stack(*, worker: bool, webhook_url: str | None = None, web_workers: int = 2,
                  worker_concurrency: int = 1, log_dir: Path | None = None,
                  webhook_worker: bool = False) -> Iterator[Stack]:
    """`webhook_worker`: scoring and webhooks apart, as `moderation up` runs them; else one worker takes both."""
    _exit_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="bench-var-") as tmp:
        var_dir = Path(tmp)
        with embedded_servers(var_dir) as (database_url, redis_url):
            api_key, webhook_secret = _create_site(database_url, "bench-site", webhook_url)
            port = free_port()
            env = dict(os.environ, PYTHONPATH=str(REPO), DATABASE_URL=database_url, REDIS_URL=redis_url, MODERATION_VAR_DIR=str(var_dir),
                       PORT=str(port), HOST="127.0.0.1", WEB_WORKERS=str(web_workers),
                       WORKER_CONCURRENCY=str(worker_concurrency), **LOCAL_WEBHOOKS)
            os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "PORT", "WEB_WORKERS", "WORKER_CONCURRENCY")})
            config = Config.from_env(VAR_DIR=var_dir)
            logs = log_dir or var_dir
            logs.mkdir(parents=True, exist_ok=True)
            argvs = [("web", web_argv(config))]
            if worker and webhook_worker:
                argvs += [("worker", worker_argv(config, SCORING_QUEUE)), ("webhooks", worker_argv(config, WEBHOOK_QUEUE))]
            elif worker:
                argvs.append(("worker", worker_argv(config)))
            procs = [
                subprocess.Popen(argv, cwd=REPO, env=env, stdout=open(logs / f"{name}.log", "wb"), stderr=subprocess.STDOUT)
                for name, argv in argvs
            ]
            base_url = f"http://127.0.0.1:{port}"
            try:
                _wait_for(base_url + "/api/v1/openapi.json", procs, logs)
                for name, _ in argvs[1:]:
                    _wait_for_log(logs / f"{name}.log", b" ready.", procs)
                yield Stack(base_url, api_key, webhook_secret, database_url, var_dir)
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        proc.kill()


def _exit_on_sigterm() -> None:
    """A bench stopped with SIGTERM (kill, pkill, a timeout) stops its stack too: Python's default
    for SIGTERM skipped the cleanup above and left gunicorn, Celery, PostgreSQL and Redis running."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def _wait_for(url: str, procs: list[subprocess.Popen], logs: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError(f"a service process exited; see logs in {logs}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def _wait_for_log(path: Path, marker: bytes, procs: list[subprocess.Popen], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and marker in path.read_bytes():
            return
        if any(p.poll() is not None for p in procs):
            raise RuntimeError(f"a service process exited; see {path}")
        time.sleep(0.2)
    raise RuntimeError(f"{path} never showed {marker!r}")
