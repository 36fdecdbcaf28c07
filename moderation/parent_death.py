"""Children that end with the process that started them, `kill -9` included.

`up` starts the web server, workers, beat and the embedded Redis as children. They run in their own
sessions, so Ctrl-C reaches `up` alone and it stops them in order; but killed outright, it left them
running: a second set of workers beside the next `up`, and a Redis no `up` would ever stop (two
re-checks).
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def stop_with(parent: int) -> Callable[[], None] | None:
    """For Popen's preexec_fn, on Linux: SIGTERM when `parent` dies (prctl PR_SET_PDEATHSIG), and at
    once if it died before the child got this far."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def stop_with_parent() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return stop_with_parent
