"""Start-up objects are frozen out of garbage collection where each kind of process forks."""
from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import gc, time
from moderation.long_lived import freeze_startup_objects
import moderation.app, workers.tasks  # what a web or worker process imports before it forks
def full_collection_ms():
    started = time.perf_counter(); gc.collect(); return (time.perf_counter() - started) * 1000
before = min(full_collection_ms() for _ in range(3))
frozen = freeze_startup_objects()
after = min(full_collection_ms() for _ in range(3))
print(frozen, before, after)
"""


def test_frozen_start_up_objects_make_a_full_collection_many_times_shorter():
    # A fresh interpreter: the test process holds pytest's objects, and freezing them would last.
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    frozen, before, after = out.stdout.split()
    assert int(frozen) > 100_000
    assert float(after) < float(before) / 10


def test_the_web_server_freezes_before_each_worker_is_forked():
    code = ("import gc; from moderation.observability import gunicorn_hooks as h; "
            "n = gc.get_freeze_count(); h.pre_fork(None, None); print(n, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    before, after = map(int, out.stdout.split())
    assert before == 0 and after > 0
