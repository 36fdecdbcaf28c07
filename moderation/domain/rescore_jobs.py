"""Scoring a site's held comments again runs in a worker: a job in Redis, its result kept there.

5,000 held comments take 10-40 s to score on this two-core machine (more than a web request should
hold), so the page records a job, sends RESCORE_TASK with the site's id and the job's id, and shows
the job's progress, then what it found, when drawn again (backtest_jobs.py's pattern, one job per
site). The run stores nothing on the comments (held_rescoring.py): what it found, per comment its id,
its `version` counter when read, the outcome and the new scores, is the job's result, kept for
RESULT_TTL_SECONDS, from which the page offers those the version would publish.

One run per site at a time, the page's or the command's: both take the site's lock, which names the
job. A second start while one is queued or running starts nothing. The lock expires STALE_SECONDS
after the last sign of life (the click, or a batch scored): a run that stops answering frees the
site, and the run started then replaces it; the one replaced, should it wake, finds the site's job
is no longer its own and stops (it neither overwrites the record nor frees the other's lock: a
re-check saw a second run's "0 scored" replace the first's result, and the first free the second's lock).
"""
from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import redis
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, DomainError, ValidationFailed
from moderation.domain.held_rescoring import WOULD_PUBLISH, Scored, score_held
from moderation.domain.model_contract import Model
from moderation.models import Site

log = logging.getLogger(__name__)

RESCORE_TASK = "workers.rescore_tasks.rescore_held_comments"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# What a run found is offered for publishing for this long: after it, the page asks for a new run.
RESULT_TTL_SECONDS = 6 * 3600
MAX_CARRIED = 20_000  # would-publish comments kept from earlier runs of the same version
STALE_SECONDS = 15 * 60  # far above a batch's minute at worst; past it with no sign of life, the run is given up


class Superseded(Exception):
    """Another run took the site over while this one was stopped: this one ends without a word."""


def _key(site_id: int) -> str:
    return f"held-rescore:{site_id}"


def _scored_key(site_id: int) -> str:
    return f"held-rescore:{site_id}:scored"


def scored_ids(store: redis.Redis, site_id: int, version: str) -> list[int]:
    """The comments `version`'s runs for the site scored in the last RESULT_TTL_SECONDS: nothing of
    them is stored on the comments, so the next run leaves them out and reads the next ones (the
    same newest 5,000 would have been scored run after run)."""
    raw = store.get(_scored_key(site_id))
    found = json.loads(raw) if raw else None
    return list(found["ids"]) if found and found.get("version") == version else []


def offered(job: dict[str, Any] | None) -> list[list[Any]]:
    """A finished job's comments its version would publish: this run's, then those of the runs of
    the same version before it (carried), newest first; each [id, `version` counter, outcome, scores]."""
    if not job or job.get("state") != DONE:
        return []
    return [e for e in job.get("comments") or () if e[2] == WOULD_PUBLISH] + list(job.get("carried") or ())


def _lock_key(site_id: int) -> str:
    return f"held-rescore:{site_id}:running"


def _write(store: redis.Redis, site_id: int, job: dict[str, Any]) -> None:
    store.set(_key(site_id), json.dumps(job), ex=RESULT_TTL_SECONDS)


def read_job(store: redis.Redis, site_id: int) -> dict[str, Any] | None:
    """The site's last job, with `stale` set when it is queued or running and its lock has expired
    (no sign of life for STALE_SECONDS)."""
    raw = store.get(_key(site_id))
    if not raw:
        return None
    job = json.loads(raw)
    if "id" not in job:  # the release before this one's record: its counts mean what it stored, not this
        return None
    job["stale"] = job["state"] in (QUEUED, RUNNING) and not _holds_lock(store, site_id, job.get("id"))
    return job


def _holder(store: redis.Redis, site_id: int) -> tuple[str | None, str | None]:
    raw = store.get(_lock_key(site_id))
    if not raw:
        return None, None
    job_id, _, by = raw.decode(errors="replace").partition(" ")
    return job_id, by or None


def _holds_lock(store: redis.Redis, site_id: int, job_id: str | None) -> bool:
    return job_id is not None and _holder(store, site_id)[0] == job_id


def start_job(store: redis.Redis, *, site: Site, version: str, count: int, by: str) -> dict[str, Any]:
    """Record a queued job for the site, or refuse while one is queued or running (Conflict)."""
    job_id = secrets.token_urlsafe(9)
    if not store.set(_lock_key(site.id), f"{job_id} {by}", nx=True, ex=STALE_SECONDS):
        holder = _holder(store, site.id)[1]
        raise Conflict(f"{site.name}'s held comments are being scored again already"
                       + (f" (started by {holder.removeprefix('user:')})" if holder else ""), field="site")
    job = {"id": job_id, "state": QUEUED, "site_id": site.id, "version": version, "count": count, "by": by,
           "created": time.time(), "done": 0, "total": count}
    previous = read_job(store, site.id)
    if previous and previous.get("version") == version:
        # What the last run of this version found to publish stays offered after this one (it replaces the record).
        job["carried"] = offered(previous)[:MAX_CARRIED]
    _write(store, site.id, job)
    return job


def _free(store: redis.Redis, site_id: int, job_id: str) -> None:
    """Free the site's lock if it is still this job's: not one a later run took."""
    if _holds_lock(store, site_id, job_id):
        store.delete(_lock_key(site_id))


def give_up(store: redis.Redis, site_id: int, job_id: str, error: str) -> None:
    """The task could not be sent: the job failed and the site's lock is free for the next click."""
    job = read_job(store, site_id) or {"id": job_id, "site_id": site_id, "created": time.time()}
    job.pop("stale", None)
    job.update(state=FAILED, error=error)
    _write(store, site_id, job)
    _free(store, site_id, job_id)


def run_job(session: Session, store: redis.Redis, site_id: int, job_id: str, *, model_for: Callable[[int], Model],
            is_transient: Callable[[BaseException], bool] = lambda _: False,
            on_progress: Callable[[int, int], object] | None = None) -> dict[str, Any]:
    """Score the site's held comments again with `model_for(site_id)` (its version in force now) and
    record the progress and the result. A job that is no longer the site's (replaced after its lock
    expired) does nothing. A transient error leaves the job queued and the lock held for the task's
    retry; any other ends the job failed, saying what was scored before it, and frees the lock."""
    job = read_job(store, site_id)
    if job is None or job.get("id") != job_id or job["state"] not in (QUEUED, RUNNING):
        log.info("held-comment rescore job %s of site %s was replaced or has ended: nothing to do", job_id, site_id)
        return {"id": job_id, "state": "superseded"}
    job.pop("stale", None)
    lock_value = f"{job_id} {job.get('by') or 'system:rescore'}"
    # A sign of life: the lock runs STALE_SECONDS from now (the task may have waited behind a training run).
    store.set(_lock_key(site_id), lock_value, ex=STALE_SECONDS)
    job.update(state=RUNNING, started=time.time())
    _write(store, site_id, job)

    def progress(done: int, total: int, _scored: Scored) -> None:
        if not _holds_lock(store, site_id, job_id):
            raise Superseded(f"site {site_id}'s rescore job {job_id} was replaced")
        job.update(done=done, total=total)
        if on_progress is not None:
            on_progress(done, total)
        try:  # a lost progress line is no reason to stop scoring
            store.set(_lock_key(site_id), lock_value, ex=STALE_SECONDS)
            _write(store, site_id, job)
        except redis.RedisError:
            log.warning("could not record the progress of rescore job %s", job_id, exc_info=True)

    result: Scored | None = None
    try:
        site = session.get(Site, site_id)
        if site is None:
            raise ValidationFailed("that site no longer exists", field="site")
        model = model_for(site_id)
        before = scored_ids(store, site_id, model.version)
        if job.get("version") != model.version:
            job["carried"] = []  # another version's finds: its scores are not this one's
        result = score_held(session, site, model, actor=job.get("by") or "system:rescore", progress=progress,
                            scored=before)
        job.update(state=DONE, result=result.counts(), comments=result.comments, version=model.version,
                   finished=time.time(), finished_at=datetime.now(timezone.utc).isoformat())
        try:
            store.set(_scored_key(site_id), json.dumps({"version": model.version,
                                                        "ids": before + [e[0] for e in result.comments]}),
                      ex=RESULT_TTL_SECONDS)
        except redis.RedisError:  # the next run scores these again: no harm, nothing was stored
            log.warning("could not record which held comments run %s scored", job_id, exc_info=True)
    except Superseded:
        return {"id": job_id, "state": "superseded"}
    except BaseException as error:  # Ctrl-C on the command too: the page is told, the site freed
        session.rollback()
        if isinstance(error, Exception) and is_transient(error):
            job.update(state=QUEUED)
            _write(store, site_id, job)
            raise
        job.update(state=FAILED, error=error.message if isinstance(error, DomainError)
                   else f"{type(error).__name__}: {error}" if str(error) else type(error).__name__,
                   finished=time.time())
        _write(store, site_id, job)
        _free(store, site_id, job_id)
        if isinstance(error, DomainError):  # said on the page: nothing for the worker's log
            return job
        raise
    _finish(store, site_id, job)
    return job


def _finish(store: redis.Redis, site_id: int, job: dict[str, Any], attempts: int = 3) -> None:
    """The result written, then the lock freed. Tried again on a Redis error: a finished run had left
    the page on "5 of 5..." for 15 minutes, then blamed the worker (a re-check)."""
    for attempt in range(attempts):
        try:
            _write(store, site_id, job)
            _free(store, site_id, job["id"])
            return
        except redis.RedisError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def run_here(session: Session, store: redis.Redis, site: Site, model: Model, *, by: str, count: int,
             on_progress: Callable[[int, int], object] | None = None) -> dict[str, Any]:
    """The command's run: the page's lock and job record, scored in this process (Conflict while a
    page's or another command's run is queued or running: the command had ignored the lock)."""
    job = start_job(store, site=site, version=model.version, count=count, by=by)
    return run_job(session, store, site.id, job["id"], model_for=lambda _site_id: model,
                   on_progress=on_progress)
