"""The first run on a fresh machine starts several processes that each need the embedded server's
system user (the wheel runs PostgreSQL as one when we are root)."""
import multiprocessing
import os
import pwd
import subprocess
import uuid

import pytest

from moderation import embedded

pytestmark = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="the wheel creates a user only as root")


def _create_and_report(user: str, barrier, uids) -> None:
    embedded.SYSTEM_USER = user
    barrier.wait()
    embedded._ensure_system_user()
    uids.put(pwd.getpwnam(user).pw_uid)


def test_processes_starting_together_all_get_the_one_user_that_stays():
    # A throwaway name: the real user may be running the suite's servers.
    user = f"modtest{uuid.uuid4().hex[:8]}"
    ctx = multiprocessing.get_context("fork")
    barrier, uids = ctx.Barrier(8), ctx.Queue()
    procs = [ctx.Process(target=_create_and_report, args=(user, barrier, uids)) for _ in range(8)]
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        seen = [uids.get(timeout=5) for _ in procs]
        final = pwd.getpwnam(user).pw_uid
        # Concurrent useradds each wrote their own uid; initdb then ran as one that no longer existed.
        assert seen == [final] * len(procs)
    finally:
        subprocess.run(["userdel", user], capture_output=True, timeout=30)
