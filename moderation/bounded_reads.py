"""A read that a request waits for only so long, so a stalled database cannot hold a request that
could answer from what this process already holds.

A PostgreSQL that stops answering (a paused VM, a full disk's fsync, a host swapping) keeps its TCP
connections open: no timeout of ours or of the server's fires, and a query waits until it comes
back. The Perspective endpoint needs the database only to re-check rows it holds a copy of (the
site, the model assignments); waiting on that re-check, it hung with the rest (an operator's walk).

Each read runs in a thread of its own, one at a time per key; callers wait for it up to a bound
counted from when that read began, so while one hangs the next callers do not wait at all.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

# Long enough for any healthy read (milliseconds) under load; short enough for a client's timeout.
DEFAULT_WAIT = 1.0

@dataclass
class _Flight:
    started: float
    future: Future = field(default_factory=Future)
    given_up: bool = False  # someone has been told NoAnswer for this read


_in_flight: dict[Hashable, _Flight] = {}
_lock = threading.Lock()
# When a read last went unanswered after a full wait. Within `wait` of it the database is taken as
# stalled, and a read of another key is waited for only STALLED_WAIT: a request that re-checks its
# site and then the model registry waited a second for each, two in all, past Coral's 800 ms (a
# migrating site's walk). Not 0: a database back from its stall answers in that time. And a read
# given up on after so short a wait does not extend the stall: each did, at first, and requests
# coming faster than `wait` kept the process answering 503 for good after the stall had ended.
_gave_up_at = -float("inf")
STALLED_WAIT = 0.05


def _forget_flights() -> None:
    """In a forked child (gunicorn's workers, Celery's pool), a read in flight at the fork has no
    thread to end it: kept, it would answer NoAnswer forever and its copy would never be read again."""
    global _lock, _gave_up_at
    _lock = threading.Lock()
    _in_flight.clear()
    _gave_up_at = -float("inf")


os.register_at_fork(after_in_child=_forget_flights)


class NoAnswer(Exception):
    """The read did not end within the wait; it goes on, and a later call may see its result.
    `first` is true for one caller per read, who may log it: during a stall every request gives up."""

    def __init__(self, message: str, *, first: bool) -> None:
        super().__init__(message)
        self.first = first


def read_within(key: Hashable, read: Callable[[], T], *, wait: float = DEFAULT_WAIT) -> T:
    """`read()`'s result, or its exception, if it ends within `wait` seconds of when it began; else NoAnswer."""
    with _lock:
        flight = _in_flight.get(key)
        if flight is None:
            flight = _in_flight[key] = _Flight(time.monotonic())
            threading.Thread(target=_run, args=(key, read, flight.future), daemon=True,
                             name=f"bounded read {key}").start()
    global _gave_up_at
    remaining = max(0.0, flight.started + wait - time.monotonic())
    stalled = time.monotonic() - _gave_up_at < wait and remaining > STALLED_WAIT
    try:
        return flight.future.result(timeout=STALLED_WAIT if stalled else remaining)
    except FutureTimeout:
        with _lock:
            first, flight.given_up = not flight.given_up, True
            if not stalled:
                _gave_up_at = time.monotonic()
        raise NoAnswer(f"no answer in {wait:g} s", first=first) from None


def _run(key: Hashable, read: Callable[[], T], future: Future) -> None:
    try:
        future.set_result(read())
    except BaseException as error:  # handed to every waiter, who decides
        future.set_exception(error)
    finally:
        with _lock:
            _in_flight.pop(key, None)
