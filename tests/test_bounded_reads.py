"""A read a request waits for only so long (moderation/bounded_reads.py)."""
from __future__ import annotations

import os
import threading

import pytest

from moderation.bounded_reads import NoAnswer, read_within


def test_a_read_that_hangs_is_given_up_on_by_one_caller_and_not_waited_for_by_the_next():
    release = threading.Event()
    with pytest.raises(NoAnswer) as first:
        read_within("hanging", lambda: release.wait(10), wait=0.2)
    with pytest.raises(NoAnswer) as second:
        read_within("hanging", lambda: pytest.fail("a second read while the first hangs"), wait=0.2)
    assert first.value.first and not second.value.first  # said once a stall
    release.set()


def test_a_read_in_flight_at_a_fork_is_forgotten_in_the_child():
    """Kept, the child's callers got NoAnswer for good, and its copy of the row was never read again."""
    release = threading.Event()
    with pytest.raises(NoAnswer):
        read_within("forked", lambda: release.wait(10), wait=0.05)
    pid = os.fork()
    if pid == 0:  # the child: a new read, answered
        try:
            os._exit(0 if read_within("forked", lambda: "fresh", wait=2) == "fresh" else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    release.set()
    assert os.waitstatus_to_exitcode(status) == 0


def test_once_one_read_is_given_up_on_a_read_of_another_key_is_not_waited_for_and_later_ones_are():
    """A migrating site's walk: at a stall's start a Perspective request waited a second for its site's
    row and another for the model registry, two in all, past Coral's 800 ms."""
    import time

    # Waits of 2 s, not 0.3: on a loaded machine (a fresh clone's run beside a starting service) more than
    # 0.3 s passed between the first give-up and the next read, which then fell outside the stall.
    release = threading.Event()
    with pytest.raises(NoAnswer):
        read_within("site 1", lambda: release.wait(10), wait=2)
    # A read that would answer in a tenth of a second, within its wait: not waited for, the stall known.
    with pytest.raises(NoAnswer):
        read_within("models", lambda: time.sleep(0.1) or "answered", wait=2)
    release.set()
    time.sleep(2.1)  # past the stall's wait: reads are waited for again
    assert read_within("models again", lambda: time.sleep(0.1) or "answered", wait=2) == "answered"


def test_reads_given_up_on_in_a_stall_do_not_keep_it_going_after_the_database_answers_again():
    """A fresh-clone run: each read not waited for counted as a stall of its own, and requests every
    0.25 s kept a process answering 503 after the lock that had stalled it was gone."""
    import time

    release = threading.Event()
    with pytest.raises(NoAnswer):
        read_within("stalling", lambda: release.wait(10), wait=0.3)
    gave_up = time.monotonic()
    release.set()
    assert read_within("answers at once", lambda: "answered", wait=0.3) == "answered"  # back: answered
    n = 0
    while time.monotonic() - gave_up < 0.2:  # slow reads within the stall: not waited for
        n += 1
        with pytest.raises(NoAnswer):
            read_within(f"slow {n}", lambda: time.sleep(0.2) or "late", wait=0.3)
    time.sleep(max(0.0, gave_up + 0.35 - time.monotonic()))  # past the first give-up's stall, not past theirs
    assert read_within("waited for again", lambda: time.sleep(0.1) or "answered", wait=0.3) == "answered"
