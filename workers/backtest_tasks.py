"""The backtest task: loads the job's models through the registry and runs domain/backtest_jobs.run_job."""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from moderation import db
from moderation.domain.backtest_jobs import run_job
from moderation.domain.model_refs import load_reference
from moderation.redis_client import redis_client


@shared_task(name="workers.backtest_tasks.run_backtest", max_retries=0)
def run_backtest(job_id: str) -> str:
    config = current_app.config
    store = redis_client(config["REDIS_URL"], timeout=config["BROKER_TIMEOUT"])
    job = run_job(db.session, store, job_id,
                  load=lambda reference: load_reference(db.session, reference, var_dir=config["VAR_DIR"]))
    return job["state"]
