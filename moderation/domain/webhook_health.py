"""What this process last saw of each site's webhook endpoint: whether the scoring task may POST a
batch's events itself (moderation/domain/direct_delivery.py) or leaves them to the webhook task.

Only the last sight counts, and a good one only for REMEMBER_FOR: a site this process has not
delivered to lately goes by task again, and the task, which records here too, finds out anew.
Each worker process keeps its own; a new one starts knowing nothing, which is the safe side.
"""
from __future__ import annotations

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

    def record(self, site_id: int, *, ok: bool, seconds: float) -> None:
        self._seen[site_id] = (ok and seconds <= self.fast_within, self.clock())

    def healthy(self, site_id: int) -> bool:
        seen = self._seen.get(site_id)
        return seen is not None and seen[0] and self.clock() - seen[1] <= self.remember_for
