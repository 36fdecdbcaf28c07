"""Wall and CPU time of named functions, per call of an outer one: where a scoring cycle goes.

`bench/profile_path.py --plain --parts` wraps the scoring path's steps with this. Unlike cProfile
it adds a few microseconds per wrapped call, not per Python call, so the shares are those of the
unprofiled code. CPU is this thread's (`time.thread_time`): a POST on a pool thread counts there.
"""
from __future__ import annotations

import functools
import time
from collections import Counter
from typing import Any


class Parts:
    def __init__(self) -> None:
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, owner: Any, name: str, label: str | None = None) -> None:
        """Replace owner.name (a module's function or a class's method) with a timed one."""
        original = getattr(owner, name)
        label = label or name

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.wall[label] += time.perf_counter() - wall
                self.cpu[label] += time.thread_time() - cpu
                self.calls[label] += 1

        setattr(owner, name, timed)

    def table(self, per: str) -> str:
        """Each part's time per call of `per`, the slowest first."""
        n = max(self.calls[per], 1)
        lines = [f"per call of {per} ({self.calls[per]} calls):",
                 "| part | wall ms | CPU ms (calling thread) | calls per call |", "|---|---:|---:|---:|"]
        for label, wall in sorted(self.wall.items(), key=lambda kv: -kv[1]):
            lines.append(f"| {label} | {wall * 1000 / n:.2f} | {self.cpu[label] * 1000 / n:.2f} "
                         f"| {self.calls[label] / n:.1f} |")
        return "\n".join(lines)
