"""Backtests from the admin page run in a worker, not in the web request: a job lives in Redis.

`create_job` writes the request (state "queued") and the page sends `BACKTEST_TASK` with the job
id; the task calls `run_job`, which records progress while scoring and then the result with its
plots (PNG, base64) rendered once. The page polls `read_job` until the state is "done" or
"failed". Jobs expire after a day: a backtest is a snapshot, cheap to run again.
"""
from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis
from sqlalchemy.orm import Session

from classifiers.plots import pr_curves_png, score_histograms_png
from moderation.domain.backtest import backtest
from moderation.domain.errors import ValidationFailed
from moderation.models import Site

BACKTEST_TASK = "workers.backtest_tasks.run_backtest"
JOB_TTL_SECONDS = 86_400
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PROGRESS_EVERY_SECONDS = 0.5


def _key(job_id: str) -> str:
    return f"backtest:{job_id}"


def _write(store: redis.Redis, job_id: str, job: dict[str, Any]) -> None:
    store.set(_key(job_id), json.dumps(job), ex=JOB_TTL_SECONDS)


def create_job(store: redis.Redis, *, site_id: int, candidate: str, active: str, limit: int, by: str) -> str:
    job_id = secrets.token_urlsafe(12)
    _write(store, job_id, {"state": QUEUED, "site_id": site_id, "candidate": candidate, "active": active,
                           "limit": limit, "by": by, "created": time.time(), "done": 0, "total": None})
    return job_id


def read_job(store: redis.Redis, job_id: str) -> dict[str, Any] | None:
    raw = store.get(_key(job_id))
    return json.loads(raw) if raw else None


def plots(result: dict[str, Any]) -> dict[str, str]:
    """The PR curves and score histograms of both models, as base64 PNG for data: URLs."""
    label = {role: f"{role} {result[role]['version']}" for role in ("active", "candidate")}
    pngs = {
        "pr_curves": pr_curves_png({label[r]: result[r]["pr_curve"] for r in label},
                                   title="precision-recall against moderators' decisions"),
        "histograms": score_histograms_png({label[r]: result[r]["histogram"] for r in label}),
    }
    return {name: base64.b64encode(png).decode("ascii") for name, png in pngs.items()}


def run_job(session: Session, store: redis.Redis, job_id: str, *, load: Callable[[str], Any]) -> dict[str, Any]:
    """Run the backtest a job asks for; `load(reference)` gives a model. Returns the finished job."""
    job = read_job(store, job_id)
    if job is None:
        raise LookupError(f"backtest job {job_id} expired or never existed")
    job.update(state=RUNNING, started=time.time())
    _write(store, job_id, job)
    try:
        site = session.get(Site, job["site_id"])
        if site is None:
            raise ValidationFailed("that site no longer exists", field="site")
        candidate, active = load(job["candidate"]), load(job["active"])
        last_write = 0.0

        def progress(count: int) -> None:
            nonlocal last_write
            job["done"] += count
            if time.monotonic() - last_write > PROGRESS_EVERY_SECONDS:
                last_write = time.monotonic()
                _write(store, job_id, job)

        result = backtest(session, site, candidate, active, limit=job["limit"], progress=progress).to_dict()
        job.update(state=DONE, result=result, plots=plots(result), finished=time.time())
    except ValidationFailed as error:
        job.update(state=FAILED, error=error.message)
    except Exception as error:  # the admin sees why instead of a page that polls forever
        job.update(state=FAILED, error=f"{type(error).__name__}: {error}")
        _write(store, job_id, job)
        raise
    _write(store, job_id, job)
    return job
