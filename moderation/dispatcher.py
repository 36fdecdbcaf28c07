"""The dispatcher create_app builds for the domain (moderation/domain/dispatch.py): tasks sent by
name through Celery, and the "a scoring task is queued" marker kept in Redis."""
from __future__ import annotations

import redis
from celery import Celery

from moderation.celery_app import SCORE_TASK, WEBHOOK_BATCH_TASK, WEBHOOK_TASK, send
from moderation.domain.dispatch import SCORE_QUEUED_KEY, SCORE_QUEUED_TTL_MS


class CeleryDispatcher:
    def __init__(self, celery: Celery, marker: redis.Redis) -> None:
        self.celery = celery
        self.marker = marker  # lazily connected; BROKER_TIMEOUT bounds every call

    def send_task(self, name: str, args: list[object]) -> bool:
        """Any task by name (training runs, backtests): False when the broker could not take it."""
        return send(self.celery, name, args)

    def send_webhooks(self, delivery_ids: list[int]) -> None:
        if len(delivery_ids) == 1:
            send(self.celery, WEBHOOK_TASK, [delivery_ids[0]])
        elif delivery_ids:
            send(self.celery, WEBHOOK_BATCH_TASK, [delivery_ids])

    def send_for_scoring(self, comment_ids: list[int]) -> bool:
        try:
            if not self.marker.set(SCORE_QUEUED_KEY, "1", nx=True, px=SCORE_QUEUED_TTL_MS):
                return True  # a queued task will claim these comments
        except (redis.RedisError, OSError):
            pass  # cannot tell; the send below fails fast too if Redis is down
        if send(self.celery, SCORE_TASK, [comment_ids]):
            return True
        # No task is queued after all: left set, the marker would keep the next comments from
        # sending one for its whole TTL, and they would wait for the sweep.
        self.scoring_task_finishing()
        return False

    def scoring_task_finishing(self) -> None:
        # Twice: a pooled connection from before a Redis restart fails once, and a marker left set
        # would keep new comments from sending a task for its whole TTL.
        for _ in range(2):
            try:
                self.marker.delete(SCORE_QUEUED_KEY)
                return
            except (redis.RedisError, OSError):
                continue  # and if Redis is down, the key expires by itself
