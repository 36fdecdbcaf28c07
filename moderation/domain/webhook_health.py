"""What this process last saw of each site's webhook endpoint: whether the scoring task may POST a
batch's events itself (moderation/domain/direct_delivery.py) or leaves them to the webhook task.

Only the last sight counts, and a good one only for REMEMBER_FOR: a site this process has not
delivered to lately goes by task again, and the task, which records here too, finds out anew.
Each worker process keeps its own; a new one starts knowing nothing, which is the safe side.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A chunk of POSTs (up to webhook_posts.PARALLEL_POSTS at once) answered within this counts as fast.
FAST_WITHIN = 0.5
REMEMBER_FOR = 60.0


@dataclass
class EndpointHealth:
    fast_within: float = FAST_WITHIN
    remember_for: float = REMEMBER_FOR
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, tuple[bool, float]] = field(default_factory=dict)  # site id -> (healthy, when)
    # A failing endpoint is tried by one task at a time, at most once per `wait` (may_post): the
    # webhook worker's threads share this, and each event of a hanging site, retried by a task of
    # its own, held a thread for the whole timeout every round.
    _failed_at: dict[int, float] = field(default_factory=dict)
    _probing: dict[int, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, site_id: int, *, ok: bool, seconds: float) -> None:
        with self._lock:
            now = self.clock()
            self._seen[site_id] = (ok and seconds <= self.fast_within, now)
            self._probing.pop(site_id, None)
            if ok:
                self._failed_at.pop(site_id, None)
            else:
                self._failed_at[site_id] = now

    def healthy(self, site_id: int) -> bool:
        seen = self._seen.get(site_id)
        return seen is not None and seen[0] and self.clock() - seen[1] <= self.remember_for

    def failing(self, site_id: int) -> bool:
        return site_id in self._failed_at

    def may_post(self, site_id: int, *, wait: float, probe_for: float) -> bool:
        """Whether a task may POST to this site now: yes unless its endpoint failed less than `wait`
        ago, or another task's probe of it (started less than `probe_for` ago) is still out."""
        with self._lock:
            failed = self._failed_at.get(site_id)
            if failed is None:
                return True
            now = self.clock()
            if now - failed < wait or now - self._probing.get(site_id, -probe_for) < probe_for:
                return False
            self._probing[site_id] = now  # this task probes; the others wait for its answer
            return True

    def order(self, site_id: int) -> int:
        """Sites in a batch go fast ones first, then ones not seen lately, failing ones last, so a
        hanging endpoint's timeout is spent after every other site's events are out."""
        return 0 if self.healthy(site_id) else 2 if self.failing(site_id) else 1
