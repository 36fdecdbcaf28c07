"""The dispatcher create_app builds for the domain (moderation/domain/dispatch.py): tasks sent by
name through Celery, and the "a scoring task is queued" marker kept in Redis."""
from __future__ import annotations

import redis
from celery import Celery

from moderation.celery_app import SCORE_TASK, WEBHOOK_BATCH_TASK, WEBHOOK_TASK, send
from moderation.domain.dispatch import SCORE_HELPER_KEY, SCORE_HELPER_TTL_MS, SCORE_QUEUED_KEY, SCORE_QUEUED_TTL_MS


class CeleryDispatcher:
    def __init__(self, celery: Celery, marker: redis.Redis, *, scoring_tasks: int = 2) -> None:
        self.celery = celery
        self.marker = marker  # lazily connected; BROKER_TIMEOUT bounds every call
        self.helper_slots = range(1, scoring_tasks)  # the first task holds SCORE_QUEUED_KEY

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
        self._clear(SCORE_QUEUED_KEY)

    def scoring_task_holding(self) -> None:
        """The scoring task still claims: the marker lives SCORE_QUEUED_TTL_MS more."""
        try:
            self.marker.pexpire(SCORE_QUEUED_KEY, SCORE_QUEUED_TTL_MS)
        except (redis.RedisError, OSError):
            pass  # it expires, and the next comment sends a task: more tasks, nothing lost

    def send_scoring_helper(self) -> bool:
        """A helper task in the first free slot; False if none is free or it could not be sent."""
        for slot in self.helper_slots:
            key = SCORE_HELPER_KEY.format(slot)
            try:
                if not self.marker.set(key, "1", nx=True, px=SCORE_HELPER_TTL_MS):
                    continue
            except (redis.RedisError, OSError):
                return False  # no helper: the first task scores on alone, as it did before helpers
            if send(self.celery, SCORE_TASK, [[], slot]):
                return True
            self.scoring_helper_finishing(slot)
            return False
        return False

    def scoring_helper_finishing(self, slot: int) -> None:
        self._clear(SCORE_HELPER_KEY.format(slot))

    def _clear(self, key: str) -> None:
        # Twice: a pooled connection from before a Redis restart fails once, and a marker left set
        # would keep new comments from sending a task (or a helper from starting) for its whole TTL.
        for _ in range(2):
            try:
                self.marker.delete(key)
                return
            except (redis.RedisError, OSError):
                continue  # and if Redis is down, the key expires by itself
