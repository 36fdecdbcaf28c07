"""Scoring a site's held comments again: the model in force for the site, then domain/rescore_jobs.run_job."""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from moderation import db
from moderation.domain.rescore_jobs import RESCORE_TASK, run_job
from moderation.domain.scoring import is_transient
from moderation.redis_client import redis_client
from moderation.scorer import get_provider


def _model_for(site_id: int):
    provider = get_provider()
    provider.refresh(force=True)  # the version promoted a moment ago, not the one of the last check
    return provider.for_site(site_id)


@shared_task(bind=True, name=RESCORE_TASK, max_retries=3)
def rescore_held_comments(self, site_id: int) -> str:
    config = current_app.config
    store = redis_client(config["REDIS_URL"], timeout=config["BROKER_TIMEOUT"])
    try:
        job = run_job(db.session, store, int(site_id), model_for=_model_for, is_transient=is_transient)
    except Exception as exc:
        if is_transient(exc):  # batches committed so far stay scored: the retry reads the rest again
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries * 5, 60))
        raise
    return job["state"]
