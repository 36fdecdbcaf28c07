"""Scoring a site's held comments again from the thresholds page runs in a worker: a job in Redis.

5,000 held comments take 10-40 s to score and explain on this two-core machine (more than a web
request should hold, and their rows locked batch by batch meanwhile), so the page records a job,
sends RESCORE_TASK with the site's id and shows the job's progress, then what it did, when drawn
again (backtest_jobs.py's pattern, one job per site). A second click while one is queued or running
finds the site's lock taken and starts nothing; the lock expires after STALE_SECONDS, in case no
worker ever takes the task. Two runs at once would still score each comment once
(held_rescoring.py locks and reads each row again), but the second would only wait on the first.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any

import redis
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, DomainError, ValidationFailed
from moderation.domain.held_rescoring import rescore_held
from moderation.domain.model_contract import Model
from moderation.models import Site

RESCORE_TASK = "workers.rescore_tasks.rescore_held_comments"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_TTL_SECONDS = 86_400  # what the last run did stays on the page for a day
STALE_SECONDS = 15 * 60  # far above a run of RESCORE_SIZE; past it the page says no worker took it


def _key(site_id: int) -> str:
    return f"held-rescore:{site_id}"


def _lock_key(site_id: int) -> str:
    return f"held-rescore:{site_id}:running"


def _write(store: redis.Redis, site_id: int, job: dict[str, Any]) -> None:
    store.set(_key(site_id), json.dumps(job), ex=JOB_TTL_SECONDS)


def read_job(store: redis.Redis, site_id: int) -> dict[str, Any] | None:
    """The site's last job, with `stale` set when it is queued or running past STALE_SECONDS."""
    raw = store.get(_key(site_id))
    if not raw:
        return None
    job = json.loads(raw)
    job["stale"] = job["state"] in (QUEUED, RUNNING) and time.time() - job["created"] > STALE_SECONDS
    return job


def start_job(store: redis.Redis, *, site: Site, version: str, count: int, by: str) -> dict[str, Any]:
    """Record a queued job for the site, or refuse while one is queued or running (Conflict)."""
    if not store.set(_lock_key(site.id), by, nx=True, ex=STALE_SECONDS):
        holder = store.get(_lock_key(site.id))
        raise Conflict(f"{site.name}'s held comments are being scored again already"
                       + (f" (started by {holder.decode(errors='replace').removeprefix('user:')})" if holder else ""),
                       field="site")
    job = {"state": QUEUED, "site_id": site.id, "version": version, "count": count, "by": by,
           "created": time.time(), "done": 0, "total": count}
    _write(store, site.id, job)
    return job


def give_up(store: redis.Redis, site_id: int, error: str) -> None:
    """The task could not be sent: the job failed and the site's lock is free for the next click."""
    job = read_job(store, site_id) or {"site_id": site_id, "created": time.time()}
    job.update(state=FAILED, error=error)
    _write(store, site_id, job)
    store.delete(_lock_key(site_id))


def run_job(session: Session, store: redis.Redis, site_id: int, *, model_for: Callable[[int], Model],
            is_transient: Callable[[BaseException], bool] = lambda _: False) -> dict[str, Any]:
    """Score the site's held comments again with `model_for(site_id)` (its version in force now) and
    record the progress and the result. A transient error leaves the job queued and the lock held
    for the task's retry; any other ends the job failed and frees the lock."""
    job = read_job(store, site_id) or {"site_id": site_id, "created": time.time(), "by": "system:rescore", "done": 0}
    job.pop("stale", None)
    job.update(state=RUNNING, started=time.time())
    _write(store, site_id, job)

    def progress(done: int, total: int) -> None:
        job.update(done=done, total=total)
        _write(store, site_id, job)

    try:
        site = session.get(Site, site_id)
        if site is None:
            raise ValidationFailed("that site no longer exists", field="site")
        model = model_for(site_id)
        result = rescore_held(session, site, model, actor=job.get("by") or "system:rescore", progress=progress)
        job.update(state=DONE, result=result.as_dict(), version=model.version, finished=time.time(),
                   finished_at=datetime.now(timezone.utc).isoformat())
    except Exception as error:
        session.rollback()
        if is_transient(error):
            job.update(state=QUEUED)
            _write(store, site_id, job)
            raise
        job.update(state=FAILED, error=error.message if isinstance(error, DomainError)
                   else f"{type(error).__name__}: {error}", finished=time.time())
        _write(store, site_id, job)
        store.delete(_lock_key(site_id))
        if isinstance(error, DomainError):  # said on the page: nothing for the worker's log
            return job
        raise
    _write(store, site_id, job)
    store.delete(_lock_key(site_id))
    return job
