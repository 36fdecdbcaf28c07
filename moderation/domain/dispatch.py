"""Sending work to the workers after a commit, by task name.

Scoring tasks are deduplicated: a scoring task claims every pending comment when it starts, so
while one waits in the queue a newly committed comment needs no task of its own. A short-lived
Redis key says "a scoring task is queued"; the task deletes it before it claims, so a comment
committed after that sends a new task. Without that, each POST queued a task and, under load,
the queue filled with tasks that found nothing left to score. The key expires on its own, so a
lost task costs at most SCORE_QUEUED_TTL of deduplication, and the sweep catches up on the rest.
"""
from __future__ import annotations

from collections.abc import Iterable

import redis
from flask import Flask, current_app

from moderation.celery_app import SCORE_TASK, WEBHOOK_BATCH_TASK, WEBHOOK_TASK, send_task
from moderation.models import WebhookDelivery
from moderation.redis_client import redis_client

SCORE_QUEUED_KEY = "moderation:scoring-task-queued"
SCORE_QUEUED_TTL_MS = 10_000


def _redis(app: Flask) -> redis.Redis:
    client = app.extensions.get("dispatch_redis")
    if client is None:
        client = redis_client(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"])
        app.extensions["dispatch_redis"] = client
    return client


def send_webhooks(deliveries: Iterable[WebhookDelivery | None]) -> None:
    """Call after commit: one task for one delivery, one task for a batch (a scored batch's events).

    A delivery whose message is lost is resent by the sweep.
    """
    ids = [d.id for d in deliveries if d is not None]
    if len(ids) == 1:
        send_task(current_app._get_current_object(), WEBHOOK_TASK, [ids[0]])
    elif ids:
        send_task(current_app._get_current_object(), WEBHOOK_BATCH_TASK, [ids])


def send_for_scoring(comment_ids: list[int]) -> bool:
    """Call after commit; comments whose message is lost stay pending until the sweep scores them."""
    app = current_app._get_current_object()
    try:
        if not _redis(app).set(SCORE_QUEUED_KEY, "1", nx=True, px=SCORE_QUEUED_TTL_MS):
            return True  # a queued task will claim these comments
    except (redis.RedisError, OSError):
        pass  # cannot tell; the send below fails fast too if Redis is down
    return send_task(app, SCORE_TASK, [comment_ids])


def scoring_task_started() -> None:
    """A scoring task calls this before it claims, so comments committed from now on send a task."""
    try:
        _redis(current_app._get_current_object()).delete(SCORE_QUEUED_KEY)
    except (redis.RedisError, OSError):
        pass  # the key expires by itself
