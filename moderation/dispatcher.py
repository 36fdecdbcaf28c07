"""The dispatcher create_app builds for the domain (moderation/domain/dispatch.py): tasks sent by
name through Celery, and the "a scoring task is queued" marker kept in Redis.

Redis that refuses connections fails each call at once; Redis that stalls (a hung host, a full
network buffer) fails each only after BROKER_TIMEOUT, and a comment POST makes up to four such
calls. After one call that used its whole timeout, the dispatcher skips Redis for STALL_PAUSE
seconds: those comments wait for the sweep, as they would anyway, and a POST answers at once.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import redis
from celery import Celery

from moderation.celery_app import SCORE_TASK, WEBHOOK_SITE_TASK, send
from moderation.domain.dispatch import (
    SCORE_HELPER_KEY, SCORE_HELPER_TTL_MS, SCORE_QUEUED_KEY, SCORE_QUEUED_TTL_MS, WEBHOOK_BULK_KEY, WEBHOOK_RUNNING_KEY,
    WEBHOOK_TURN_KEY, WEBHOOK_TURN_LOST_AFTER, WEBHOOK_WAITING_KEY, WEBHOOK_WAITING_TTL_MS, Taken,
)


T = TypeVar("T")
STALL_PAUSE = 5.0  # seconds without Redis calls after one that took its whole timeout
# A turn begins, in one step: no event is taken twice or dropped. It is running, no longer queued, so
# events added from now on wait for its end (WEBHOOK_RUNNING_KEY); it takes the oldest of each lane,
# at least half the limit from each that has them. KEYS: live list, bulk list, running, turn queued.
_TAKE = """
local limit = tonumber(ARGV[1])
local live, bulk = redis.call('LLEN', KEYS[1]), redis.call('LLEN', KEYS[2])
local from_live = math.min(live, math.max(math.floor(limit / 2), limit - bulk))
local from_bulk = math.min(bulk, limit - from_live)
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
redis.call('DEL', KEYS[4])
local taken = {{}, {}}
if from_live > 0 then
  taken[1] = redis.call('LRANGE', KEYS[1], 0, from_live - 1)
  redis.call('LTRIM', KEYS[1], from_live, -1)
end
if from_bulk > 0 then
  taken[2] = redis.call('LRANGE', KEYS[2], 0, from_bulk - 1)
  redis.call('LTRIM', KEYS[2], from_bulk, -1)
end
return taken
"""


class CeleryDispatcher:
    def __init__(self, celery: Celery, marker: redis.Redis, *, scoring_tasks: int = 2,
                 broker_timeout: float = 1.0, turn_lost_after: float = WEBHOOK_TURN_LOST_AFTER,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.celery = celery
        self.marker = marker  # lazily connected; BROKER_TIMEOUT bounds every call
        self.helper_slots = range(1, scoring_tasks)  # the first task holds SCORE_QUEUED_KEY
        self.stalled_after = broker_timeout * 0.9  # a failure this slow ran into the timeout
        # A site's turn not started this long after it was queued is taken for lost (a worker that
        # had reserved it lost its broker connection: redelivered only after the visibility timeout),
        # so the sweep's resend of its events queues another, as it resends a lost delivery task.
        self.turn_ttl_ms = max(int(turn_lost_after * 1000), 1)
        self.clock = clock
        self.skip_until = 0.0
        self._take: Callable[..., list[list[bytes]]] | None = None  # _TAKE, registered on first use

    def _stalled(self) -> bool:
        return self.clock() < self.skip_until

    def _watch(self, call: Callable[[], T], failed: Callable[[T], bool] = lambda _: False) -> T:
        """`call`, noting a stall when it fails (an exception, or `failed(result)`) after its whole timeout."""
        started = self.clock()
        try:
            result = call()
        except BaseException:
            self._note(started)
            raise
        if failed(result):
            self._note(started)
        return result

    def _note(self, started: float) -> None:
        if self.clock() - started >= self.stalled_after:
            self.skip_until = self.clock() + STALL_PAUSE

    def _send(self, name: str, args: list[object]) -> bool:
        if self._stalled():
            return False  # the row is committed; the sweep sends it
        return self._watch(lambda: send(self.celery, name, args), lambda sent: not sent)

    def send_task(self, name: str, args: list[object]) -> bool:
        """Any task by name (training runs, backtests): False when the broker could not take it."""
        return self._send(name, args)

    def send_webhooks(self, by_site: Mapping[int, list[int]], *, bulk: bool = False) -> None:
        for site_id, ids in by_site.items():
            if ids:
                self._wait_for_turn(site_id, Taken([], ids) if bulk else Taken(ids, []), first=False)

    def resend_webhooks(self, by_site: Mapping[int, list[int]], *, bulk: bool = False) -> None:
        for site_id, ids in by_site.items():
            if ids:
                self._wait_for_turn(site_id, Taken([], ids) if bulk else Taken(ids, []), first=False, turn_lost=True)

    def take_site_webhooks(self, site_id: int, limit: int) -> Taken:
        if self._stalled():
            return Taken([], [])  # the turn's events wait for the next turn, or the sweep
        keys = [WEBHOOK_WAITING_KEY.format(site_id), WEBHOOK_BULK_KEY.format(site_id),
                WEBHOOK_RUNNING_KEY.format(site_id), WEBHOOK_TURN_KEY.format(site_id)]
        if self._take is None:
            self._take = self.marker.register_script(_TAKE)  # EVALSHA, loaded into Redis on first use
        take = self._take
        try:
            live, bulk = self._watch(lambda: take(keys=keys, args=[limit, self.turn_ttl_ms]))
        except (redis.RedisError, OSError):
            return Taken([], [])  # the turn key lapses, and the sweep sends the events
        return Taken([int(i) for i in live], [int(i) for i in bulk])

    def other_turns_waiting(self, site_id: int) -> bool:
        """Whether another site's turn is queued and not started (its key is deleted as it starts)."""
        if self._stalled():
            return True
        try:
            return any(int(key.rsplit(b":", 1)[-1]) != site_id
                       for key in self.marker.scan_iter(match=WEBHOOK_TURN_KEY.format("*"), count=1000))
        except (redis.RedisError, OSError, ValueError):
            return True  # cannot tell: short turns are the fair guess

    def end_site_turn(self, site_id: int, put_back: Taken) -> None:
        self._wait_for_turn(site_id, put_back, first=True)

    def _wait_for_turn(self, site_id: int, events: Taken, *, first: bool, turn_lost: bool = False) -> None:
        """`events` onto the site's lanes (at their heads if `first`: a turn ending), and its turn
        queued unless one is queued or running (or, `turn_lost`, unless one is running: a worker
        killed holding the queued turn took it along). The lists are written before the running
        marker is read, and a turn ends by deleting the marker before it reads the lists, so an
        event added as a turn ends is never left without one."""
        if self._stalled():
            return  # the rows are committed; the sweep sends them
        lanes = {WEBHOOK_WAITING_KEY.format(site_id): events.live, WEBHOOK_BULK_KEY.format(site_id): events.bulk}
        turn, running = WEBHOOK_TURN_KEY.format(site_id), WEBHOOK_RUNNING_KEY.format(site_id)

        def add() -> bool:
            fresh = dict(lanes)
            if turn_lost:
                # Not again what still waits: behind a slow endpoint's backlog the sweep found the
                # same oldest events every round and each copy took a slot in a turn.
                for waiting, ids in lanes.items():
                    if ids:
                        queued = set(map(int, self.marker.lrange(waiting, 0, -1)))
                        fresh[waiting] = [i for i in ids if i not in queued]
            if first:
                self.marker.delete(running)  # this turn is over
            if any(fresh.values()):
                pipe = self.marker.pipeline()
                for waiting, ids in fresh.items():
                    if ids:
                        (pipe.lpush(waiting, *reversed(ids)) if first else pipe.rpush(waiting, *ids))
                        pipe.pexpire(waiting, WEBHOOK_WAITING_TTL_MS)
                pipe.execute()
            elif not self.marker.exists(*lanes):
                return False  # a turn ended with nothing left: no next turn
            if self.marker.exists(running):
                return False  # the running turn's end queues the next
            pipe = self.marker.pipeline()
            if turn_lost:
                pipe.delete(turn)
            pipe.set(turn, "1", nx=True, px=self.turn_ttl_ms)
            return bool(pipe.execute()[-1])

        try:
            turn_is_ours = self._watch(add)
        except (redis.RedisError, OSError):
            return  # Redis is the broker too: the sweep sends the rows once it answers
        if turn_is_ours and not self._send(WEBHOOK_SITE_TASK, [site_id]):
            self._clear(turn)  # no turn sent: the next event queues one

    def send_for_scoring(self, comment_ids: list[int]) -> bool:
        if self._stalled():
            return False  # the comment is stored; the sweep sends it once Redis answers
        try:
            if not self._watch(lambda: self.marker.set(SCORE_QUEUED_KEY, "1", nx=True, px=SCORE_QUEUED_TTL_MS)):
                return True  # a queued task will claim these comments
        except (redis.RedisError, OSError):
            if self._stalled():
                return False  # and the marker, if it was set after all, expires by itself
            # Refused, not stalled: cannot tell; the send below fails fast too if Redis is down
        if self._send(SCORE_TASK, [comment_ids]):
            return True
        # No task is queued after all: left set, the marker would keep the next comments from
        # sending one for its whole TTL, and they would wait for the sweep.
        self.scoring_task_finishing()
        return False

    def scoring_task_finishing(self) -> None:
        self._clear(SCORE_QUEUED_KEY)

    def scoring_task_holding(self) -> None:
        """The scoring task still claims: the marker lives SCORE_QUEUED_TTL_MS more."""
        if self._stalled():
            return
        try:
            self._watch(lambda: self.marker.pexpire(SCORE_QUEUED_KEY, SCORE_QUEUED_TTL_MS))
        except (redis.RedisError, OSError):
            pass  # it expires, and the next comment sends a task: more tasks, nothing lost

    def send_scoring_helper(self) -> bool:
        """A helper task in the first free slot; False if none is free or it could not be sent."""
        for slot in self.helper_slots:
            key = SCORE_HELPER_KEY.format(slot)
            if self._stalled():
                return False
            try:
                if not self._watch(lambda: self.marker.set(key, "1", nx=True, px=SCORE_HELPER_TTL_MS)):
                    continue
            except (redis.RedisError, OSError):
                return False  # no helper: the first task scores on alone, as it did before helpers
            if self._send(SCORE_TASK, [[], slot]):
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
            if self._stalled():
                return  # the key expires by itself
            try:
                self._watch(lambda: self.marker.delete(key))
                return
            except (redis.RedisError, OSError):
                continue  # and if Redis is down, the key expires by itself
