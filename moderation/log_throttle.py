"""When to write a repeated warning: the first at once, then at most one every few seconds, with a
tally of what came meanwhile. A burst of the same trouble (the broker down, Redis slow, one site's
client refused thousands of times) had written a line, or a traceback, each time, burying the one
that said what to do."""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Hashable


class EveryFewSeconds:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._written_at: dict[Hashable, float] = {}
        self._tallies: dict[Hashable, Counter[str]] = {}

    def note(self, what: str = "", key: Hashable = None) -> Counter[str] | None:
        """Count `what` under `key`; the tally since the last line, this one included, when a line is
        due now, else None."""
        with self._lock:
            tally = self._tallies.setdefault(key, Counter())
            tally[what] += 1
            now = time.monotonic()
            if now - self._written_at.get(key, -float("inf")) < self.seconds:
                return None
            self._written_at[key], self._tallies[key] = now, Counter()
            return tally
