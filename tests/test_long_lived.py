"""Start-up objects are frozen out of garbage collection where each kind of process forks."""
from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import gc
from moderation.long_lived import freeze_startup_objects
import moderation.app, workers.tasks  # what a web or worker process imports before it forks
gc.collect()
before = len(gc.get_objects())  # what a full collection walks
frozen = freeze_startup_objects()
print(frozen, before, len(gc.get_objects()))
"""


def test_a_full_collection_no_longer_walks_the_start_up_objects():
    # A fresh interpreter: the test process holds pytest's objects, and freezing them would last.
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    frozen, before, after = map(int, out.stdout.split())
    assert frozen > 100_000
    assert after < before / 10  # counted, not timed: a collection's time is its objects'


def test_the_web_server_freezes_before_each_worker_is_forked():
    code = ("import gc; from moderation.observability import gunicorn_hooks as h; "
            "n = gc.get_freeze_count(); h.pre_fork(None, None); print(n, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    before, after = map(int, out.stdout.split())
    assert before == 0 and after > 0
